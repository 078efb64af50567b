package bench_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/tokengate/tokengate/bench"
)

var dpopFixture = sync.OnceValues(func() (*bench.DPoPFixture, error) {
	keys, err := bench.NewKeys()
	if err != nil {
		return nil, err
	}
	return bench.NewDPoPFixture(keys, time.Now())
})

func mustDPoPFixture(tb testing.TB) *bench.DPoPFixture {
	tb.Helper()
	f, err := dpopFixture()
	if err != nil {
		tb.Fatalf("DPoP fixture: %v", err)
	}
	return f
}

// benchDPoP times one DPoP request per iteration: the floor (SHA-256 and
// ecdsa.Verify of one proof), then each DPoP contender on the bound token
// with a fresh proof per iteration, made before the timer starts (a proof
// passes once). Each contender passes bench.CheckDPoP first.
func benchDPoP(b *testing.B) {
	f := mustDPoPFixture(b)
	b.Run("lib="+bench.NamePrimitive, func(b *testing.B) {
		p, err := f.Proof(authtestProof())
		if err != nil {
			b.Fatal(err)
		}
		verify, err := bench.NewDPoPPrimitive(f, p)
		if err != nil {
			b.Fatal(err)
		}
		b.ReportAllocs()
		for b.Loop() {
			if !verify() {
				b.Fatal("primitive refuses the proof's signature")
			}
		}
	})
	for _, c := range bench.DPoPContenders() {
		b.Run("lib="+c.Name, func(b *testing.B) {
			verify, err := c.New(f)
			if err != nil {
				b.Fatalf("%s setup: %v", c.Name, err)
			}
			ctx := context.Background()
			if err := bench.CheckDPoP(ctx, f, c, verify); err != nil {
				b.Fatalf("%s is not timed: %v", c.Name, err)
			}
			proofs, err := f.Proofs(b.N)
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			b.ResetTimer()
			for i := range b.N {
				if err := verify(ctx, f.Token, proofs[i]); err != nil {
					b.Fatalf("%s: %v", c.Name, err)
				}
			}
		})
	}
}
