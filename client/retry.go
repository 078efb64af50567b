package client

import (
	"context"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// backoff is the wait before retry number attempt (1 for the first retry):
// base·2^(attempt-1), capped at maxWait, with "equal jitter" (uniform in
// [d/2, d]) so that clients that failed together do not retry together.
func (c *Client) backoff(attempt int) time.Duration {
	d := c.o.maxWait
	if shift := attempt - 1; shift < 30 {
		if b := c.o.backoffBase << shift; b > 0 && b < d {
			d = b
		}
	}
	half := d / 2
	return half + rand.N(d-half+1)
}

// rateLimitWait is the wait a 429 asks for: Retry-After, else until
// X-RateLimit-Reset (plus up to 10% jitter), else the backoff.
func (c *Client) rateLimitWait(h http.Header, now time.Time, attempt int) time.Duration {
	if d, ok := retryAfter(h, now); ok {
		return d
	}
	if t, ok := rateLimitReset(h); ok {
		if d := t.Sub(now); d > 0 {
			return d + rand.N(d/10+1)
		}
	}
	return c.backoff(attempt)
}

// maxHeaderWait bounds header-derived durations before any arithmetic, so
// a hostile value cannot overflow; the client's maxWait caps them further.
const maxHeaderWait = 24 * time.Hour

// retryAfter parses Retry-After: delay seconds or an HTTP date (RFC 9110
// section 10.2.3). A date in the past means no wait.
func retryAfter(h http.Header, now time.Time) (time.Duration, bool) {
	v := strings.TrimSpace(h.Get("Retry-After"))
	if v == "" {
		return 0, false
	}
	if n, err := strconv.ParseUint(v, 10, 64); err == nil {
		if n > uint64(maxHeaderWait/time.Second) {
			return maxHeaderWait, true
		}
		return time.Duration(n) * time.Second, true
	}
	t, err := http.ParseTime(v)
	if err != nil {
		return 0, false
	}
	d := t.Sub(now)
	return min(max(d, 0), maxHeaderWait), true
}

// rateLimitReset parses X-RateLimit-Reset, a unix time in seconds.
func rateLimitReset(h http.Header) (time.Time, bool) {
	v := strings.TrimSpace(h.Get("X-RateLimit-Reset"))
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n <= 0 || n > 1<<40 {
		return time.Time{}, false
	}
	return time.Unix(n, 0), true
}

// sleep waits for d or until ctx ends, whichever is first.
func sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
