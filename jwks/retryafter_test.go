package jwks_test

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/tokengate/tokengate/jwks"
	"github.com/tokengate/tokengate/verifier"
)

// farRetryAfters are Retry-After values that ask for a day or more.
var farRetryAfters = []struct{ name, status, value string }{
	{"503_86400_seconds", "503", "86400"},
	{"429_86400_seconds", "429", "86400"},
	{"503_far_HTTP-date", "503", "Fri, 31 Dec 9999 23:59:59 GMT"},
	{"503_huge_seconds", "503", "99999999999999999999"},
}

func statusOf(s string) int {
	if s == "429" {
		return http.StatusTooManyRequests
	}
	return http.StatusServiceUnavailable
}

// TestX7RetryAfterCapped: a Retry-After far ahead on a failed refresh is
// advisory (RFC 9110 section 10.2.3). It holds fetches back for at most
// MaxBackoff, so that once the provider is healthy again its keys are
// fetched within MaxBackoff, by the schedule and by a lookup of a new
// kid, and tokens verify. It does not cause a fetch storm either: while
// the provider keeps asking, fetches come at most once per MaxBackoff.
func TestX7RetryAfterCapped(t *testing.T) {
	for _, ra := range farRetryAfters {
		t.Run(ra.name, func(t *testing.T) {
			loadKeys()
			srv := newJWKSServer(t, oneKeyDoc())
			clk := newFakeClock()
			c := newCache(t, srv.URL, clk, nil)
			srv.set(statusOf(ra.status), "down", "Retry-After", ra.value)
			clk.Advance(8 * time.Minute) // the scheduled refresh, which fails
			waitFor(t, "a failed refresh", func() bool { return c.Stats().Failures == 1 })
			st := c.Stats()
			if d := st.NextRefresh.Sub(st.LastAttempt); d > jwks.DefaultMaxBackoff {
				t.Fatalf("next fetch %v after a failure with Retry-After %s, want at most MaxBackoff %v", d, ra.value, jwks.DefaultMaxBackoff)
			}

			// The provider keeps failing for an hour; lookups of an unknown
			// kid every minute. At most one fetch per MaxBackoff.
			before := srv.count()
			for range 60 {
				clk.Advance(time.Minute)
				if _, err := lookup(c, "unknown", "RS256"); !errors.Is(err, verifier.ErrKeyNotFound) {
					t.Fatalf("unknown kid while the provider fails: got %v, want ErrKeyNotFound", err)
				}
			}
			if n := srv.count() - before; n < 1 || n > 13 {
				t.Fatalf("fetches in an hour of Retry-After %s: got %d, want 1 to 13 (one per MaxBackoff)", ra.value, n)
			}

			// Healthy again, with a new key: a lookup of it fetches within
			// MaxBackoff, and its tokens verify.
			srv.set(http.StatusOK, doc(rsaJWK("k1", &rsaKey.PublicKey), rsaJWK("k2", &rsaKey2.PublicKey)))
			clk.Advance(jwks.DefaultMaxBackoff)
			v := newVerifier(t, c)
			if _, err := v.Verify(context.Background(), rsaToken(t, rsaKey2, "k2")); err != nil {
				t.Fatalf("token of a new key MaxBackoff after the provider recovered: %v", err)
			}
		})
	}
}

// TestX7RetryAfterNotPastKeyExpiry: when MaxBackoff is longer than the
// time the keys held have left, a Retry-After never holds fetches back
// past MaxStale: the next fetch is due when the keys expire at the latest.
func TestX7RetryAfterNotPastKeyExpiry(t *testing.T) {
	for _, ra := range farRetryAfters {
		t.Run(ra.name, func(t *testing.T) {
			srv := newJWKSServer(t, oneKeyDoc())
			clk := newFakeClock()
			c := newCache(t, srv.URL, clk, func(cfg *jwks.Config) {
				cfg.MaxStale = time.Hour
				cfg.MaxBackoff = 2 * time.Hour
			})
			expiry := c.Stats().LastSuccess.Add(time.Hour)
			srv.set(statusOf(ra.status), "down", "Retry-After", ra.value)
			clk.Advance(8 * time.Minute)
			waitFor(t, "a failed refresh", func() bool { return c.Stats().Failures == 1 })
			if next := c.Stats().NextRefresh; next.After(expiry) {
				t.Fatalf("next fetch at +%v, after the keys expire at +%v", next.Sub(testNow), expiry.Sub(testNow))
			}
			srv.set(http.StatusOK, oneKeyDoc())
			clk.Advance(expiry.Sub(clk.Now()))
			waitFor(t, "keys fetched when the old ones expire", func() bool { return c.Stats().Failures == 0 })
			v := newVerifier(t, c)
			if _, err := v.Verify(context.Background(), rsaToken(t, rsaKey, "k1")); err != nil {
				t.Fatalf("token at the old keys' expiry: %v", err)
			}
		})
	}
}

// TestX7RetryAfterWithoutKeys: while no usable keys are held (before the
// first success), every request fails, so fetches go on at backoff pace
// whatever Retry-After says.
func TestX7RetryAfterWithoutKeys(t *testing.T) {
	for _, ra := range farRetryAfters {
		t.Run(ra.name, func(t *testing.T) {
			srv := newJWKSServer(t, "")
			srv.set(statusOf(ra.status), "down", "Retry-After", ra.value)
			clk := newFakeClock()
			c, err := jwks.NewWithTimer(jwks.Config{URL: srv.URL, Now: clk.Now}, clk.After)
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			waitFor(t, "the first fetch", func() bool { return c.Stats().Failures == 1 })
			st := c.Stats()
			if d := st.NextRefresh.Sub(st.LastAttempt); d > jwks.DefaultMinBackoff {
				t.Fatalf("next fetch %v after a failed first fetch with Retry-After %s, want at most MinBackoff %v", d, ra.value, jwks.DefaultMinBackoff)
			}
			srv.set(http.StatusOK, oneKeyDoc())
			clk.Advance(jwks.DefaultMinBackoff)
			waitFor(t, "keys", func() bool { return c.Stats().Keys == 1 })
			v := newVerifier(t, c)
			if _, err := v.Verify(context.Background(), rsaToken(t, rsaKey, "k1")); err != nil {
				t.Fatalf("token after recovery: %v", err)
			}
		})
	}
}
