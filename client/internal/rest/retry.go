package rest

import (
	"context"
	"math/rand/v2"
	"net/http"
	"time"

	"github.com/tokengate/tokengate/client"
	"github.com/tokengate/tokengate/internal/httpx"
)

// nextWait decides whether the attempt that failed for reason is retried,
// and after how long: not when the attempts are used up or ctx has ended,
// nor when the wait would outlive ctx's deadline.
func (c *Client) nextWait(ctx context.Context, reason string, h http.Header, attempt int) (time.Duration, bool) {
	if attempt > c.s.retries || ctx.Err() != nil {
		return 0, false
	}
	wait := c.retryWait(reason, h, c.s.now(), attempt)
	if d, ok := ctx.Deadline(); ok && time.Until(d) < wait {
		return 0, false // the wait would outlive the caller
	}
	return wait, true
}

// retryWait is the wait before the retry that follows attempt (1 for the
// first attempt) when it failed for reason. It is the one place the final
// wait is bounded: whatever the headers say and whatever attempt is, the
// result is in [0, maxWait].
//
// A 429 waits for Retry-After, else until X-RateLimit-Reset (plus up to
// 10% jitter), else the backoff; a 5xx waits for Retry-After, else the
// backoff; a network error waits the backoff. Header waits come from
// package httpx, already clamped to [0, 24h], so the jitter added to them
// cannot overflow.
func (c *Client) retryWait(reason string, h http.Header, now time.Time, attempt int) time.Duration {
	var d time.Duration
	switch reason {
	case client.ReasonRateLimited:
		d = c.rateLimitWait(h, now, attempt)
	case client.ReasonServerError:
		if ra, ok := httpx.RetryAfter(h, now); ok {
			d = ra
		} else {
			d = c.backoff(attempt)
		}
	default:
		d = c.backoff(attempt)
	}
	return httpx.Clamp(d, 0, c.s.maxWait)
}

// rateLimitWait is the wait a 429 asks for: Retry-After, else until
// X-RateLimit-Reset plus up to 10% jitter (so that clients limited together
// do not all come back at the reset instant), else the backoff.
func (c *Client) rateLimitWait(h http.Header, now time.Time, attempt int) time.Duration {
	if d, ok := httpx.RetryAfter(h, now); ok {
		return d
	}
	if d, ok := httpx.RateLimitReset(h, now); ok && d > 0 {
		return d + rand.N(d/10+1) // d <= httpx.MaxHeaderWait: no overflow
	}
	return c.backoff(attempt)
}

// backoff is the wait before retry number attempt (1 for the first retry):
// base·2^(attempt-1), capped at maxWait, with "equal jitter" (uniform in
// [d/2, d]) so that clients that failed together do not retry together.
// The doubling is checked before it is done, so no attempt number and no
// base can overflow it.
func (c *Client) backoff(attempt int) time.Duration {
	d := c.s.maxWait
	if shift := max(attempt-1, 0); shift < 63 && c.s.backoffBase <= d>>shift {
		d = c.s.backoffBase << shift
	}
	half := d / 2
	return half + rand.N(d-half+1)
}
