package jwks

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/tokengate/tokengate/verifier"
)

// demand returns the fetch in flight, or starts one when the cooldown and
// Retry-After allow; nil when suppressed.
func (c *Cache) demand() *flight {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.flight != nil {
		return c.flight
	}
	if c.closed {
		return nil
	}
	now := c.cfg.now()
	if now.Before(c.lastStart.Add(c.cfg.cooldown)) || now.Before(c.retryUntil) {
		return nil
	}
	return c.startLocked(now, fetchLookup)
}

// Why a fetch runs: the schedule (the first fetch, refresh-ahead,
// retries) or a lookup (an unknown kid, or no keys).
const (
	fetchScheduled = false
	fetchLookup    = true
)

// startLocked starts a fetch; c.mu is held and no fetch is in flight.
// A fetch for a lookup bypasses caches on the way (fetch).
func (c *Cache) startLocked(now time.Time, lookup bool) *flight {
	f := &flight{done: make(chan struct{})}
	c.flight = f
	c.lastStart = now
	etag := c.etag
	c.wg.Add(1)
	go c.run(f, etag, lookup)
	return f
}

// loop runs background refreshes: at the scheduled time (refresh-ahead on
// success, backoff on failure), and withdraws keys at MaxStale.
func (c *Cache) loop() {
	defer c.wg.Done()
	for {
		c.mu.Lock()
		if c.closed {
			c.mu.Unlock()
			return
		}
		now := c.cfg.now()
		f := c.flight
		if f == nil && !now.Before(c.next) {
			f = c.startLocked(now, fetchScheduled)
		}
		wait := c.next.Sub(now)
		s := c.snap.Load()
		c.mu.Unlock()
		if f != nil {
			select {
			case <-f.done:
			case <-c.ctx.Done():
				return
			}
			continue
		}
		if s != nil {
			d := s.expires.Sub(now)
			if d <= 0 {
				c.expire(s)
				continue
			}
			wait = min(wait, d)
		}
		select {
		case <-c.after(wait):
		case <-c.kick:
		case <-c.ctx.Done():
			return
		}
	}
}

// run is the goroutine of one fetch (f): it fetches, applies the result
// under c.mu, then logs and observes it, and only then wakes the waiters.
func (c *Cache) run(f *flight, etag string, lookup bool) {
	defer c.wg.Done()
	start := time.Now()
	r := c.fetch(etag, lookup)
	ev := FetchEvent{URL: c.url, Start: start, Duration: time.Since(start), Bytes: r.bytes}
	c.mu.Lock()
	c.apply(&r, &ev)
	failures, next := c.failures, c.next
	held := c.snap.Load() != nil
	report := c.misconfiguration(&r, held)
	c.flight = nil
	c.mu.Unlock()
	// Waiters wake after the result is logged and observed, so that what
	// they see is already reported.
	defer func() {
		close(f.done)
		select {
		case c.kick <- struct{}{}:
		default:
		}
	}()
	if r.err != nil {
		attrs := []slog.Attr{slog.String("url", c.url), slog.String("outcome", ev.Outcome), slog.Int("status", ev.StatusCode),
			slog.String("content_type", r.err.ContentType), slog.String("error", r.err.Err.Error()),
			slog.Int("failures", failures), slog.Time("next", next)}
		switch {
		case held:
			c.logf(slog.LevelWarn, "jwks: fetch failed; keeping the last good keys", attrs...)
		case r.err.Misconfigured():
			// Once at Error per distinct cause (misconfiguration): the
			// retries that find the same answer are not news.
			level := slog.LevelDebug
			if report {
				level = slog.LevelError
			}
			c.logf(level, "jwks: the JWKS URL serves no key set: a configuration problem; every token fails with keys unavailable (503) until it does", attrs...)
		default:
			c.logf(slog.LevelWarn, "jwks: fetch failed; no keys to serve: every token fails with keys unavailable (503) until a fetch succeeds", attrs...)
		}
	} else {
		c.logf(slog.LevelDebug, "jwks: keys fetched",
			slog.String("url", c.url), slog.String("outcome", ev.Outcome), slog.Int("status", ev.StatusCode),
			slog.Int("keys", ev.Keys), slog.Duration("duration", ev.Duration), slog.Time("next", next))
		if r.p != nil {
			// A published key the policy refuses is a security event
			// (a weak or leaked key, an oct key on a URL); never log its
			// material, only its position, kid, kty and the reason.
			for _, d := range r.p.dropped {
				msg := "jwks: key skipped (security event: the key set publishes a key the policy refuses)"
				if d.Private {
					msg = "jwks: key with private members skipped (security event: the publisher leaks a private key)"
				}
				c.logf(slog.LevelWarn, msg, slog.String("url", c.url), slog.Int("index", d.Index), slog.String("kid", quote(d.Kid)),
					slog.String("kty", quote(d.Kty)), slog.String("reason", d.Reason), slog.Bool("private", d.Private))
			}
		}
	}
	c.observeFetch(ev)
}

// misconfiguration reports whether the failure in r, while no keys are
// held, is a misconfiguration (FetchError.Misconfigured) of another cause
// than the last one reported: one to log at Error. A success clears the
// cause, so the same misconfiguration after keys were had is reported
// again. c.mu is held.
func (c *Cache) misconfiguration(r *result, held bool) bool {
	if r.err == nil {
		c.reported = ""
		return false
	}
	if held || !r.err.Misconfigured() {
		return false
	}
	cause := fmt.Sprintf("%d %s %v", r.err.StatusCode, r.err.ContentType, r.err.Err)
	if cause == c.reported {
		return false
	}
	c.reported = cause
	return true
}

// apply records the result of a fetch and schedules the next; c.mu is held.
func (c *Cache) apply(r *result, ev *FetchEvent) {
	now := c.cfg.now()
	if r.err == nil {
		if r.p != nil {
			if n, err := c.publish(r.p, now); err != nil {
				r.err = &FetchError{URL: c.url, StatusCode: http.StatusOK, Err: err}
			} else {
				ev.Outcome, ev.Keys, c.etag = OutcomeOK, n, r.etag
			}
		} else if s := c.snap.Load(); s != nil {
			// 304: the server confirms the keys we hold.
			c.snap.Store(&snapshot{set: s.set, keys: s.keys, expires: now.Add(c.cfg.maxStale)})
			ev.Outcome, ev.Keys = OutcomeNotModified, len(s.keys)
		} else {
			r.err = &FetchError{URL: c.url, StatusCode: http.StatusNotModified, Err: &statusError{code: http.StatusNotModified, detail: " without keys to confirm"}}
		}
	}
	if r.err == nil {
		ev.StatusCode = http.StatusOK
		if r.notModified {
			ev.StatusCode = http.StatusNotModified
		}
		c.lastSuccess, c.failures, c.lastErr, c.retryUntil = now, 0, nil, time.Time{}
		c.next = c.cfg.refreshAt(now, c.lastStart, r.ttl)
		return
	}
	ev.Outcome, ev.StatusCode, ev.Err = outcome(r.err), r.err.StatusCode, r.err
	c.failures++
	c.lastErr = r.err
	d := c.cfg.backoff(c.failures)
	var keysLeft time.Duration
	if s := c.snap.Load(); s != nil {
		keysLeft = s.expires.Sub(now)
	}
	if ra := c.cfg.retryWait(r.err.RetryAfter, d, keysLeft); ra > 0 {
		c.retryUntil = now.Add(ra)
		d = max(d, ra)
	}
	c.next = now.Add(d)
}

// publish makes p the current snapshot, through verifier.NextKeySet: keys
// equal to one of the previous snapshot keep their *verifier.Key (tokens
// they verified stay cached); previous keys not carried over are retired
// (SECURITY.md F5).
func (c *Cache) publish(p *parsed, now time.Time) (int, error) {
	var prev *verifier.KeySet
	if old := c.snap.Load(); old != nil {
		prev = old.set
	}
	set, err := verifier.NextKeySet(prev, p.keys...)
	if err != nil {
		return 0, err
	}
	c.snap.Store(&snapshot{set: set, keys: set.Keys(), expires: now.Add(c.cfg.maxStale)})
	c.stale = false
	return len(p.keys), nil
}

func outcome(err *FetchError) string {
	switch {
	case errors.Is(err, ErrStatus):
		return OutcomeHTTPError
	case errors.Is(err, ErrInvalidSet), errors.Is(err, ErrBodyTooLarge):
		return OutcomeParseError
	}
	return OutcomeNetworkError
}
