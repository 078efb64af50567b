package jwks

import (
	"context"
	"log/slog"
	"time"

	"github.com/tokengate/tokengate/internal/hook"
)

// Observer receives a Cache's events, after the fact, for metrics, traces
// and logs. Its methods must be fast, must not block, and must not retain
// the events. A panic in them is stopped and logged (Config.Logger, at
// Error): it never takes down the refresh goroutine or a lookup.
//
// ObserveFetch gets the Cache's own context (fetches run in the
// background, shared by every lookup that waits for them: no request is
// their parent); ObserveKidMiss gets the context of the lookup, so a tracer
// finds the request's span in it. JoinObservers gives several observers one
// Config field.
type Observer interface {
	ObserveFetch(ctx context.Context, e FetchEvent)
	ObserveKidMiss(ctx context.Context, e KidMissEvent)
}

// JoinObservers returns an Observer that hands every event to each of obs
// in order (nil ones skipped), each call guarded so that one observer's
// panic does not keep the others from their event. It returns nil when obs
// holds no observer, and the observer itself when it holds one.
func JoinObservers(obs ...Observer) Observer {
	return hook.Join(obs, func(all []Observer) Observer { return joined(all) })
}

type joined []Observer

func (j joined) ObserveFetch(ctx context.Context, e FetchEvent) {
	hook.Each(j, func(o Observer) { o.ObserveFetch(ctx, e) })
}

func (j joined) ObserveKidMiss(ctx context.Context, e KidMissEvent) {
	hook.Each(j, func(o Observer) { o.ObserveKidMiss(ctx, e) })
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
	// Start is when the fetch began; Duration is the wall-clock time it
	// took.
	Start    time.Time
	Duration time.Duration
	// Bytes is the size of the key set document read (a 200 whose body
	// was read within MaxBodySize), else 0.
	Bytes int
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
	c.cfg.obs.ObserveFetch(c.ctx, ev)
}

func (c *Cache) observeKidMiss(ctx context.Context, ev KidMissEvent) {
	if c.cfg.obs == nil {
		return
	}
	defer hook.Recover(c.cfg.log, "jwks observer")
	c.cfg.obs.ObserveKidMiss(ctx, ev)
}

func (c *Cache) logf(level slog.Level, msg string, attrs ...slog.Attr) {
	if c.cfg.log != nil {
		c.cfg.log.LogAttrs(c.ctx, level, msg, attrs...)
	}
}
