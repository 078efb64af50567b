package metrics_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/tokengate/tokengate/authtest"
	"github.com/tokengate/tokengate/dpop"
	"github.com/tokengate/tokengate/metrics"
)

// TestDPoPObserver (SECURITY.md DP19): proofs are counted by reason, every
// reason present from the start; a proof refused because the replay store
// is full is counted as dpop_store_full; the watched store's size is a
// gauge.
func TestDPoPObserver(t *testing.T) {
	reg, m := newMetrics(t, metrics.Config{})
	before := gathered(t, reg, "tokengate_dpop_proofs_total")
	if len(before) != len(dpop.Reasons()) {
		t.Fatalf("got %d series before any proof, want one per reason (%d)", len(before), len(dpop.Reasons()))
	}
	now := time.Unix(1_800_000_000, 0)
	store, err := dpop.NewMemoryStore(dpop.MemoryConfig{MaxEntries: 1, Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	m.WatchReplayStore(store)
	m.WatchReplayStore(store) // counted once
	d, err := dpop.New(dpop.Config{Now: func() time.Time { return now }, Replay: store, Observer: m.DPoPObserver()})
	if err != nil {
		t.Fatal(err)
	}
	key, err := authtest.NewDPoPKey("ES256")
	if err != nil {
		t.Fatal(err)
	}
	req := dpop.Request{Method: "GET", URL: "https://api.example.com/x", AccessToken: "tok", JKT: key.JKT()}
	var proofs []string
	for range 2 {
		p, err := key.Proof(authtest.Proof{URL: req.URL, AccessToken: "tok", IssuedAt: now})
		if err != nil {
			t.Fatal(err)
		}
		proofs = append(proofs, p)
	}
	ctx := context.Background()
	d.Verify(ctx, proofs[0], req) // ok
	d.Verify(ctx, proofs[0], req) // replay
	d.Verify(ctx, proofs[1], req) // store full
	d.Verify(ctx, "x", req)       // malformed
	m.DPoPObserver().ObserveProof(context.Background(), dpop.Event{Err: errors.New("a store's own error")})

	got := gathered(t, reg, "tokengate_dpop_proofs_total")
	for series, want := range map[string]float64{
		"reason=ok,result=ok":                 1,
		"reason=dpop_replay,result=error":     1,
		"reason=dpop_store_full,result=error": 1,
		"reason=dpop_malformed,result=error":  1,
		"reason=other,result=error":           1,
		"reason=dpop_htu,result=error":        0,
	} {
		if got[series] != want {
			t.Errorf("%s: got %v, want %v", series, got[series], want)
		}
	}
	if g := gathered(t, reg, "tokengate_dpop_replay_store_entries"); g[""] != 1 {
		t.Errorf("replay store entries: got %v, want 1", g)
	}
	problems, err := testutil.GatherAndLint(reg)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range problems {
		t.Errorf("promlint: %s: %s", p.Metric, p.Text)
	}
}
