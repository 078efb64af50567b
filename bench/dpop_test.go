package bench_test

import (
	"context"
	"testing"

	"github.com/tokengate/tokengate/authtest"
	"github.com/tokengate/tokengate/bench"
)

func authtestProof() authtest.Proof { return authtest.Proof{} }

// TestDPoPCorrectness: every DPoP contender accepts a good proof and
// refuses proofs of another method, URL or token, a stale one, one of
// another key and one with a bad signature; tokengate also refuses a
// replay (go-jwt-middleware v3.3.0 keeps no replay store).
func TestDPoPCorrectness(t *testing.T) {
	f := mustDPoPFixture(t)
	for _, c := range bench.DPoPContenders() {
		t.Run("lib="+c.Name, func(t *testing.T) {
			verify, err := c.New(f)
			if err != nil {
				t.Fatal(err)
			}
			if err := bench.CheckDPoP(context.Background(), f, c, verify); err != nil {
				t.Error(err)
			}
		})
	}
}

// TestDPoPPrimitive: the floor accepts a proof's signature and refuses
// another proof's over the same input.
func TestDPoPPrimitive(t *testing.T) {
	f := mustDPoPFixture(t)
	p, err := f.Proof(authtest.Proof{})
	if err != nil {
		t.Fatal(err)
	}
	good, err := bench.NewDPoPPrimitive(f, p)
	if err != nil || !good() {
		t.Fatalf("good proof: %v", err)
	}
	q, _ := f.Proof(authtest.Proof{Method: "DELETE"})
	bad, err := bench.NewDPoPPrimitive(f, p[:len(p)-86]+q[len(q)-86:])
	if err != nil {
		t.Fatal(err)
	}
	if bad() {
		t.Error("another proof's signature: got accepted")
	}
}
