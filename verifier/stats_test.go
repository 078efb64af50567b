package verifier_test

import (
	"context"
	"errors"
	"testing"

	"github.com/tokengate/tokengate/verifier"
)

// TestStats: Stats is the one accessor metrics needs. CacheEntries counts
// the cached tokens; CacheHits counts the cache hits that returned claims,
// when an Observer is set, and the Observer is told every other outcome
// (misses, errors, hits a per-call option refused) but not those hits.
// Without an Observer nothing is counted: the hottest path costs no more
// than a lookup.
func TestStats(t *testing.T) {
	loadKeys()
	good := rs(claims(map[string]any{"org_id": "org_a"}))(t)
	other := signed("RS256", rsaPriv2, hdr("RS256", "k2"), claims(nil))(t)
	type step struct {
		tok     string
		opts    []verifier.Option
		err     error
		entries int
		hits    uint64
		events  int // events observed so far
	}
	for _, tc := range []struct {
		name  string
		cfg   verifier.Config
		obs   bool
		steps []step
	}{
		{"observed", verifier.Config{}, true, []step{
			{good, nil, nil, 1, 0, 1},     // miss: an event
			{good, nil, nil, 1, 1, 1},     // hit: counted, not an event
			{good, nil, nil, 1, 2, 1},     // hit: counted
			{other, nil, errKid, 1, 2, 2}, // error: an event
			{good, []verifier.Option{verifier.WithOrganization("org_b")}, verifier.ErrOrganization, 1, 2, 3}, // hit refused: an event
		}},
		{"not-observed", verifier.Config{}, false, []step{
			{good, nil, nil, 1, 0, 0},
			{good, nil, nil, 1, 0, 0}, // hit: not counted without an Observer
		}},
		{"cache-off", verifier.Config{CacheSize: -1}, true, []step{
			{good, nil, nil, 0, 0, 1},
			{good, nil, nil, 0, 0, 2},
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := &recorder{}
			cfg := tc.cfg
			if tc.obs {
				cfg.Observer = rec
			}
			v := newVerifier(t, cfg)
			for i, s := range tc.steps {
				_, err := v.Verify(context.Background(), s.tok, s.opts...)
				if !errors.Is(err, s.err) || (s.err == nil) != (err == nil) {
					t.Fatalf("step %d: got %v, want %v", i, err, s.err)
				}
				rec.mu.Lock()
				n := len(rec.events)
				rec.mu.Unlock()
				st := v.Stats()
				if st.CacheEntries != s.entries || st.CacheHits != s.hits || n != s.events {
					t.Errorf("step %d: got %d entries, %d hits, %d events; want %d, %d, %d",
						i, st.CacheEntries, st.CacheHits, n, s.entries, s.hits, s.events)
				}
			}
		})
	}
}
