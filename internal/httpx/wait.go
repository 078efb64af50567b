package httpx

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// MaxHeaderWait bounds every wait a header can ask for. Callers cap it
// further (jwks at its backoff maximum, the API clients at their maximum
// wait); this bound only guarantees that the arithmetic they do on the
// value cannot overflow.
const MaxHeaderWait = 24 * time.Hour

// maxDigits is the longest delta-seconds value parsed exactly; longer runs
// of digits saturate at MaxHeaderWait (86400 has 5 digits).
const maxDigits = 9

// RetryAfter reads the Retry-After header (RFC 9110 section 10.2.3): either
// delta-seconds (digits only) or an HTTP-date, relative to now. The wait is
// in [0, MaxHeaderWait]; a date in the past is a wait of 0. ok is false when
// the header is absent or not in either form.
func RetryAfter(h http.Header, now time.Time) (d time.Duration, ok bool) {
	v := strings.TrimSpace(h.Get("Retry-After"))
	if v == "" {
		return 0, false
	}
	if d, ok := Seconds(v); ok {
		return d, true
	}
	t, err := http.ParseTime(v)
	if err != nil {
		return 0, false
	}
	return Until(t, now), true
}

// RateLimitReset reads X-RateLimit-Reset, the Unix time in seconds at which
// Auth0's rate-limit window resets, and returns the wait from now, in
// [0, MaxHeaderWait]. ok is false when the header is absent, not a positive
// integer, or absurd (beyond year 9999).
func RateLimitReset(h http.Header, now time.Time) (d time.Duration, ok bool) {
	v := strings.TrimSpace(h.Get("X-RateLimit-Reset"))
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n <= 0 || n > maxUnix {
		return 0, false
	}
	return Until(time.Unix(n, 0), now), true
}

// maxUnix is 9999-12-31T23:59:59Z: later reset times are garbage.
const maxUnix = 253402300799

// Until is t - now clamped to [0, MaxHeaderWait]. time.Time.Sub saturates
// instead of overflowing, so the clamp is safe for any t.
func Until(t, now time.Time) time.Duration {
	return Clamp(t.Sub(now), 0, MaxHeaderWait)
}

// Seconds parses delta-seconds: one or more ASCII digits, nothing else (no
// sign, no spaces, no fraction). Values above MaxHeaderWait saturate at it.
func Seconds(s string) (time.Duration, bool) {
	if s == "" {
		return 0, false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
	}
	s = strings.TrimLeft(s, "0")
	if len(s) > maxDigits {
		return MaxHeaderWait, true
	}
	n, _ := strconv.ParseInt("0"+s, 10, 64)
	return min(time.Duration(n)*time.Second, MaxHeaderWait), true
}

// Clamp returns d limited to [lo, hi].
func Clamp(d, lo, hi time.Duration) time.Duration {
	return max(lo, min(d, hi))
}

// Sleep waits for d or until ctx ends, whichever is first, and returns
// ctx's error in the second case (at once when d <= 0 and ctx has ended):
// the one wait of the API clients' retries and of the rate budgets.
func Sleep(ctx context.Context, d time.Duration) error {
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
