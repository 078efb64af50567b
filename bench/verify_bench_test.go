package bench_test

import (
	"context"
	"testing"

	"github.com/tokengate/tokengate/bench"
)

// BenchmarkVerify times every contender on the same good token per
// algorithm, then the DPoP requests (alg=DPoP) and the encrypted tokens
// (alg=JWE). Names are Verify/alg=X/lib=Y so that benchstat groups by alg and
// lib. Each contender passes bench.Check before its timer starts; one that
// fails makes the benchmark fail.
func BenchmarkVerify(b *testing.B) {
	fx := mustFixtures(b)
	for _, alg := range bench.Algorithms {
		f := fx[alg]
		b.Run("alg="+alg, func(b *testing.B) {
			b.Run("lib="+bench.NamePrimitive, func(b *testing.B) { benchPrimitive(b, f) })
			for _, c := range bench.Contenders() {
				if !c.Supports(alg) {
					continue
				}
				if c.Custom() {
					b.Run("lib="+c.Name, func(b *testing.B) { benchDecode(b, c, f) })
					continue
				}
				b.Run("lib="+c.Name, func(b *testing.B) { benchContender(b, c, f) })
			}
		})
	}
	b.Run("alg="+bench.DPoP, benchDPoP) // dpop_bench_test.go
	b.Run("alg="+bench.JWE, benchJWE)   // jwe_bench_test.go
}

func benchContender(b *testing.B, c bench.Contender, f *bench.Fixture) {
	verify, done, err := c.New(f)
	if err != nil {
		b.Fatalf("%s setup: %v", c.Name, err)
	}
	defer done()
	ctx := context.Background()
	if err := bench.Check(ctx, f, verify); err != nil {
		b.Fatalf("%s (%s) is not timed: %v", c.Name, f.Alg, err)
	}
	token := f.Good
	b.ReportAllocs()
	for b.Loop() {
		if err := verify(ctx, token); err != nil {
			b.Fatalf("%s: %v", c.Name, err)
		}
	}
}

// benchDecode times a custom-claims contender: verification and the four
// custom claims decoded, after bench.CheckDecode.
func benchDecode(b *testing.B, c bench.Contender, f *bench.Fixture) {
	decode, done, err := c.NewDecode(f)
	if err != nil {
		b.Fatalf("%s setup: %v", c.Name, err)
	}
	defer done()
	ctx := context.Background()
	if err := bench.CheckDecode(ctx, f, decode); err != nil {
		b.Fatalf("%s (%s) is not timed: %v", c.Name, f.Alg, err)
	}
	token := f.Good
	b.ReportAllocs()
	for b.Loop() {
		if _, err := decode(ctx, token); err != nil {
			b.Fatalf("%s: %v", c.Name, err)
		}
	}
}

func benchPrimitive(b *testing.B, f *bench.Fixture) {
	verify, err := bench.NewPrimitive(f, f.Signature)
	if err != nil {
		b.Fatal(err)
	}
	input := []byte(f.SigningInput)
	if !verify(input) {
		b.Fatal("primitive rejects the good signature")
	}
	b.ReportAllocs()
	for b.Loop() {
		if !verify(input) {
			b.Fatal("primitive rejects the good signature")
		}
	}
}
