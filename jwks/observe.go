package jwks

import (
	"log/slog"
	"time"

	"github.com/tokengate/tokengate/internal/hook"
)

// Observer receives a Cache's events, for metrics and logs. Its methods
// must be fast, must not block, and must not retain the events. A panic in
// them is stopped and logged (Config.Logger, at Error): it never takes down
// the refresh goroutine or a lookup.
type Observer interface {
	ObserveFetch(FetchEvent)
	ObserveKidMiss(KidMissEvent)
}

// Outcomes of a fetch, in FetchEvent.Outcome.
const (
	OutcomeOK           = "ok"            // a new key set was published
	OutcomeNotModified  = "not_modified"  // 304 to If-None-Match: keys confirmed
	OutcomeHTTPError    = "http_error"    // a status other than 200 or 304
	OutcomeNetworkError = "network_error" // no response: DNS, connect, TLS, timeout, redirect refused, body read
	OutcomeParseError   = "parse_error"   // body too large, not strict JSON, or a set the key policy refuses
)

// FetchEvent describes one fetch of the key set.
type FetchEvent struct {
	URL string
	// Outcome is one of the Outcome constants: a bounded label.
	Outcome string
	// StatusCode is the HTTP status, or 0 when no response arrived.
	StatusCode int
	// Duration is the wall-clock time the fetch took.
	Duration time.Duration
	// Keys is the number of keys published (ok, not_modified), else 0.
	Keys int
	// Err is the failure (a *FetchError), or nil.
	Err error
}

// KidMissEvent describes a lookup that found no key in the current set
// (an unknown kid, or no keys at all). Lookups of a known kid with another
// algorithm, or without a kid, are misses that never refetch and are not
// reported.
type KidMissEvent struct {
	URL string
	// Refetched reports that the lookup waited for a fetch (one it
	// started or one in flight); false means the cooldown or a
	// Retry-After suppressed the fetch and the lookup failed at once.
	Refetched bool
}

// observeFetch and observeKidMiss call the Observer, user code, so that
// its panic takes down neither the refresh goroutine (and with it the
// process) nor the request doing a lookup; the panic is logged.
func (c *Cache) observeFetch(ev FetchEvent) {
	if c.cfg.obs == nil {
		return
	}
	defer hook.Recover(c.cfg.log, "jwks observer")
	c.cfg.obs.ObserveFetch(ev)
}

func (c *Cache) observeKidMiss(ev KidMissEvent) {
	if c.cfg.obs == nil {
		return
	}
	defer hook.Recover(c.cfg.log, "jwks observer")
	c.cfg.obs.ObserveKidMiss(ev)
}

func (c *Cache) logf(level slog.Level, msg string, attrs ...slog.Attr) {
	if c.cfg.log != nil {
		c.cfg.log.LogAttrs(c.ctx, level, msg, attrs...)
	}
}
