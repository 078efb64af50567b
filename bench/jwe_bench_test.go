package bench_test

import (
	"context"
	"testing"

	"github.com/tokengate/tokengate/bench"
)

// benchJWE times one encrypted token per iteration (alg=JWE): the floor
// (the bare primitives: RSA-OAEP decrypt, AES-GCM open, RSA verify), then
// each JWE contender on the good token, after bench.CheckJWE.
func benchJWE(b *testing.B) {
	f := mustJWEFixture(b)
	b.Run("lib="+bench.NamePrimitive, func(b *testing.B) { benchJWEPrimitive(b, f) })
	for _, c := range bench.JWEContenders() {
		b.Run("lib="+c.Name, func(b *testing.B) {
			verify, err := c.New(f)
			if err != nil {
				b.Fatalf("%s setup: %v", c.Name, err)
			}
			ctx := context.Background()
			if err := bench.CheckJWE(ctx, f, verify); err != nil {
				b.Fatalf("%s is not timed: %v", c.Name, err)
			}
			token := f.Good
			b.ReportAllocs()
			for b.Loop() {
				if err := verify(ctx, token); err != nil {
					b.Fatalf("%s: %v", c.Name, err)
				}
			}
		})
	}
}

// benchJWEPrimitive times the floor of the good token. run.sh counts its
// instructions by this name (callgrind --toggle-collect).
func benchJWEPrimitive(b *testing.B, f *bench.JWEFixture) {
	verify, err := bench.NewJWEPrimitive(f, f.Good, f.Inner.Signature)
	if err != nil {
		b.Fatal(err)
	}
	if !verify() {
		b.Fatal("primitives refuse the good token")
	}
	b.ReportAllocs()
	for b.Loop() {
		if !verify() {
			b.Fatal("primitives refuse the good token")
		}
	}
}
