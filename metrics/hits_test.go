package metrics_test

import (
	"testing"

	"github.com/tokengate/tokengate/metrics"
	"github.com/tokengate/tokengate/verifier"
)

// TestVerifierCacheHits: the cache hits that return claims are counted by
// each verifier (verifier.Stats) and read at scrape time from the watched
// verifiers, into the ok verifications and the cache hits; every other
// outcome comes through the observer. Two verifiers share one observer.
func TestVerifierCacheHits(t *testing.T) {
	tenant := newTenant(t)
	reg, m := newMetrics(t, metrics.Config{})
	v1, v2 := staticVerifier(t, tenant, m.VerifierObserver()), staticVerifier(t, tenant, m.VerifierObserver())
	m.WatchVerifier(v1)
	m.WatchVerifier(v2)
	tok := tenant.AccessToken("auth0|alice", testAud)
	for range 3 {
		mustVerify(t, v1, tok) // a miss, then 2 hits
	}
	for range 2 {
		mustVerify(t, v2, tok) // a miss, then 1 hit
	}
	if _, err := v1.Verify(t.Context(), "garbage"); err == nil {
		t.Fatal("Verify(garbage): got nil, want an error")
	}
	for _, c := range []struct {
		name, series string
		want         float64
	}{
		{"ok", "reason=ok,result=ok", 5},
		{"malformed", "reason=malformed,result=error", 1},
	} {
		if got := gathered(t, reg, "tokengate_verifications_total")[c.series]; got != c.want {
			t.Errorf("verifications %s: got %v, want %v", c.name, got, c.want)
		}
	}
	if got := gathered(t, reg, "tokengate_verifier_cache_hits_total")[""]; got != 3 {
		t.Errorf("cache hits: got %v, want 3", got)
	}
	if got := gathered(t, reg, "tokengate_verifier_cache_misses_total")[""]; got != 3 {
		t.Errorf("cache misses: got %v, want 3", got)
	}
	if got := gathered(t, reg, "tokengate_verifier_cache_entries")[""]; got != 2 {
		t.Errorf("cache entries: got %v, want 2", got)
	}
}

// TestHitEventsNotCounted: a cache hit that returned claims, if an observer
// of the caller's forwards it, is not counted a second time (Stats counts
// it).
func TestHitEventsNotCounted(t *testing.T) {
	reg, m := newMetrics(t, metrics.Config{})
	m.VerifierObserver().ObserveVerify(t.Context(), verifier.Event{CacheHit: true})
	if got := gathered(t, reg, "tokengate_verifications_total")["reason=ok,result=ok"]; got != 0 {
		t.Errorf("ok verifications: got %v, want 0", got)
	}
}
