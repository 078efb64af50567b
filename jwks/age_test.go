package jwks_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/tokengate/tokengate/jwks"
)

// TestX9AgeSubtracted: keys are fresh for max-age minus the response's Age
// (RFC 9111 section 4.2.3), clamped at 0 and then to [MinRefreshInterval,
// MaxRefreshInterval], so a key removed behind a CDN is not served for
// max-age + Age. Hostile Age values (huge, negative, garbage, repeated)
// never lengthen the lifetime: invalid values are ignored, and of several
// valid ones the largest counts.
func TestX9AgeSubtracted(t *testing.T) {
	const hour = "max-age=3600"
	refreshAfter := func(lifetime time.Duration) time.Duration { return lifetime - lifetime/5 }
	for _, tc := range []struct {
		name         string
		cacheControl string
		age          []string // header lines
		want         time.Duration
	}{
		{"no_Age", hour, nil, refreshAfter(time.Hour)},
		{"Age_0", hour, []string{"0"}, refreshAfter(time.Hour)},
		{"Age_3000", hour, []string{"3000"}, refreshAfter(10 * time.Minute)},
		{"Age_equals_max-age", hour, []string{"3600"}, refreshAfter(jwks.DefaultMinRefreshInterval)},
		{"Age_above_max-age", hour, []string{"7200"}, refreshAfter(jwks.DefaultMinRefreshInterval)},
		{"Age_huge", hour, []string{"99999999999999999999"}, refreshAfter(jwks.DefaultMinRefreshInterval)},
		{"Age_2^63", hour, []string{"9223372036854775808"}, refreshAfter(jwks.DefaultMinRefreshInterval)},
		{"Age_negative_ignored", hour, []string{"-600"}, refreshAfter(time.Hour)},
		{"Age_garbage_ignored", hour, []string{"soon"}, refreshAfter(time.Hour)},
		{"Age_fraction_ignored", hour, []string{"1.5"}, refreshAfter(time.Hour)},
		{"Age_two_lines_largest_counts", hour, []string{"600", "3000"}, refreshAfter(10 * time.Minute)},
		{"Age_two_lines_reversed", hour, []string{"3000", "600"}, refreshAfter(10 * time.Minute)},
		{"Age_list_largest_counts", hour, []string{"600, 3000"}, refreshAfter(10 * time.Minute)},
		{"Age_garbage_then_valid", hour, []string{"soon", "3000"}, refreshAfter(10 * time.Minute)},
		{"Age_without_max-age", "", []string{"300"}, refreshAfter(5 * time.Minute)},
		// max-age above 24 h counts as 24 h (httpx.MaxHeaderWait), then Age is subtracted.
		{"Age_with_long_max-age", "max-age=172800", []string{"3600"}, refreshAfter(23 * time.Hour)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := newJWKSServer(t, "")
			srv.setHandler(func(w http.ResponseWriter, r *http.Request) {
				if tc.cacheControl != "" {
					w.Header().Set("Cache-Control", tc.cacheControl)
				}
				for _, a := range tc.age {
					w.Header().Add("Age", a)
				}
				_, _ = w.Write([]byte(oneKeyDoc()))
			})
			c := newCache(t, srv.URL, newFakeClock(), nil)
			st := c.Stats()
			if got := st.NextRefresh.Sub(st.LastSuccess); got != tc.want {
				t.Fatalf("refresh after Cache-Control %q, Age %q: got %v, want %v", tc.cacheControl, tc.age, got, tc.want)
			}
		})
	}
}

// TestX9AgeOnRevalidation: a 304 that confirms the keys is fresh for its
// own max-age minus its own Age.
func TestX9AgeOnRevalidation(t *testing.T) {
	srv := newJWKSServer(t, "")
	srv.setHandler(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "max-age=3600")
		if r.Header.Get("If-None-Match") == `"v1"` {
			w.Header().Set("Age", "3000")
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("ETag", `"v1"`)
		_, _ = w.Write([]byte(oneKeyDoc()))
	})
	clk := newFakeClock()
	rec := &recorder{}
	c := newCache(t, srv.URL, clk, func(cfg *jwks.Config) { cfg.Observer = rec })
	clk.Advance(48 * time.Minute)
	waitFor(t, "the revalidation", func() bool { return len(rec.outcomes()) == 2 })
	st := c.Stats()
	if got, want := st.NextRefresh.Sub(st.LastSuccess), 8*time.Minute; got != want {
		t.Fatalf("refresh after a 304 with max-age=3600 and Age 3000: got %v, want %v", got, want)
	}
}
