package jwks

import (
	"math/rand/v2"
	"net/http"
	"strings"
	"time"

	"github.com/tokengate/tokengate/internal/httpx"
)

// lifetime is how long keys from a response with headers h (a 200, or a
// 304 that confirms them) are fresh: the max-age of Cache-Control, or
// RefreshInterval without one, minus the response's Age (RFC 9111 section
// 4.2.3: a shared cache such as a CDN may have held the document that
// long already), at least 0, then clamped to [MinRefreshInterval,
// MaxRefreshInterval]. max-age and Age are read up to 24 h
// (httpx.MaxHeaderWait), so the subtraction cannot overflow; a max-age
// above 24 h counts as 24 h.
func (s *settings) lifetime(h http.Header) time.Duration {
	d, ok := maxAge(h)
	if !ok {
		d = s.refresh
	}
	d = max(d-age(h), 0)
	return min(max(d, s.minRefresh), s.maxRefresh)
}

// age returns the response's Age (RFC 9111 section 5.1), 0 when absent.
// Age is one delta-seconds value; a hostile or broken cache may send
// several (lines or a list) or garbage: invalid values (negative,
// fractions, text) are ignored, and of several valid ones the largest
// counts, so no Age value lengthens the lifetime.
func age(h http.Header) time.Duration {
	var a time.Duration
	for _, v := range h.Values("Age") {
		for f := range strings.SplitSeq(v, ",") {
			if d, ok := httpx.Seconds(strings.TrimSpace(f)); ok {
				a = max(a, d)
			}
		}
	}
	return a
}

// maxAge returns the max-age directive of Cache-Control; no-store and
// no-cache count as max-age=0. Values above httpx.MaxHeaderWait (24 h)
// count as 24 h. ok is false when the header has no usable directive
// (absent or garbage): the caller then uses its default.
func maxAge(h http.Header) (d time.Duration, ok bool) {
	for _, v := range h.Values("Cache-Control") {
		for _, dir := range strings.Split(v, ",") {
			name, val, hasVal := strings.Cut(strings.TrimSpace(dir), "=")
			name = strings.TrimSpace(name)
			switch {
			case strings.EqualFold(name, "no-store"), strings.EqualFold(name, "no-cache"):
				return 0, true
			case strings.EqualFold(name, "max-age") && hasVal && !ok:
				d, ok = httpx.Seconds(strings.Trim(strings.TrimSpace(val), `"`))
			}
		}
	}
	return d, ok
}

// retryWait is how long a server's Retry-After (already clamped to
// [0, httpx.MaxHeaderWait]) holds every fetch back after a failure, the
// scheduled ones and those caused by lookups. Retry-After is advisory (RFC
// 9110 section 10.2.3), and honouring a day of it would keep the keys
// from being refetched long after the provider is healthy, or past the
// point where the keys held expire and every token is refused. So it is
// capped at MaxBackoff and at keysLeft, the time until the keys held
// expire (MaxStale); while no usable keys are held (keysLeft <= 0), it
// holds fetches back no longer than the backoff delay: the pace of
// retries stays the backoff's.
func (s *settings) retryWait(ra, backoff, keysLeft time.Duration) time.Duration {
	ra = min(ra, s.maxBackoff)
	if keysLeft <= 0 {
		return min(ra, backoff)
	}
	return min(ra, keysLeft)
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
// the previous fetch started (SECURITY.md F14).
func (s *settings) refreshAt(now, lastStart time.Time, ttl time.Duration) time.Time {
	t := now.Add(ttl - ttl/5)
	if c := lastStart.Add(s.cooldown); t.Before(c) {
		return c
	}
	return t
}
