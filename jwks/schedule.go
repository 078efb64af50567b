package jwks

import (
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// maxSeconds bounds delta-seconds from headers (about 31 years), so that a
// huge value cannot overflow a time.Duration.
const maxSeconds = 1_000_000_000

// maxAge returns the max-age directive of Cache-Control; no-store and
// no-cache count as max-age=0. ok is false when the header has no usable
// directive (absent or garbage): the caller then uses its default.
func maxAge(h http.Header) (d time.Duration, ok bool) {
	for _, v := range h.Values("Cache-Control") {
		for _, dir := range strings.Split(v, ",") {
			name, val, hasVal := strings.Cut(strings.TrimSpace(dir), "=")
			name = strings.TrimSpace(name)
			switch {
			case strings.EqualFold(name, "no-store"), strings.EqualFold(name, "no-cache"):
				return 0, true
			case strings.EqualFold(name, "max-age") && hasVal && !ok:
				d, ok = seconds(strings.Trim(strings.TrimSpace(val), `"`))
			}
		}
	}
	return d, ok
}

// retryAfter reads Retry-After as delta-seconds or an HTTP-date; 0 when
// absent, invalid or in the past.
func retryAfter(h http.Header, now time.Time) time.Duration {
	v := strings.TrimSpace(h.Get("Retry-After"))
	if v == "" {
		return 0
	}
	if d, ok := seconds(v); ok {
		return d
	}
	if t, err := http.ParseTime(v); err == nil {
		if d := t.Sub(now); d > 0 {
			return min(d, maxSeconds*time.Second)
		}
	}
	return 0
}

// seconds parses non-negative decimal delta-seconds, saturating at
// maxSeconds.
func seconds(s string) (time.Duration, bool) {
	if s == "" {
		return 0, false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
	}
	if len(s) > 10 {
		return maxSeconds * time.Second, true
	}
	n, _ := strconv.ParseUint(s, 10, 64)
	return time.Duration(min(n, maxSeconds)) * time.Second, true
}

// backoff is the delay after the n-th consecutive failure: MinBackoff
// doubled n-1 times, at most MaxBackoff, with equal jitter (uniform in
// [d/2, d]) so that many instances do not retry in step.
func (s *settings) backoff(n int) time.Duration {
	d := s.minBackoff
	for i := 1; i < n && d < s.maxBackoff; i++ {
		d *= 2
	}
	d = min(d, s.maxBackoff)
	half := d / 2
	return half + rand.N(d-half+1)
}

// refreshAt is when a refresh of keys confirmed at now with lifetime ttl
// starts: at 80% of the lifetime, but not sooner than the cooldown after
// the previous fetch started (SECURITY-CASES F14).
func (s *settings) refreshAt(now, lastStart time.Time, ttl time.Duration) time.Time {
	t := now.Add(ttl - ttl/5)
	if c := lastStart.Add(s.cooldown); t.Before(c) {
		return c
	}
	return t
}
