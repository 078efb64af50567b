package jwks_test

import (
	"context"
	"errors"
	"os"
	"testing"
	"time"

	"github.com/tokengate/tokengate/jwks"
	"github.com/tokengate/tokengate/verifier"
)

// BenchmarkCacheKeyKnown: lookups of a known kid under parallel load read
// the snapshot without locks; ns/op should not grow with -cpu.
func BenchmarkCacheKeyKnown(b *testing.B) {
	loadKeys()
	srv := newJWKSServer(b, doc(rsaJWK("k1", &rsaKey.PublicKey), rsaJWK("k2", &rsaKey2.PublicKey), ecJWK("e1", &ecKey.PublicKey)))
	c := newCache(b, srv.URL, nil, func(cfg *jwks.Config) { cfg.Prefetch = 5 * time.Second })
	ctx := context.Background()
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := c.Key(ctx, "k2", "RS256"); err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.StopTimer()
	if got := srv.count(); got != 1 {
		b.Fatalf("fetches: got %d, want 1", got)
	}
}

// BenchmarkSetKeyKnown is the static set, for comparison: the Cache adds
// one atomic load and one clock read (the MaxStale check).
func BenchmarkSetKeyKnown(b *testing.B) {
	loadKeys()
	set, err := jwks.Parse([]byte(doc(rsaJWK("k1", &rsaKey.PublicKey), rsaJWK("k2", &rsaKey2.PublicKey), ecJWK("e1", &ecKey.PublicKey))))
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := set.Key(ctx, "k2", "RS256"); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

// BenchmarkParse is the strict JSON pass, the key policy and the jwx
// cross-check over a small set (an RSA and an EC signing key, and an RSA
// encryption key that is dropped).
func BenchmarkParse(b *testing.B) {
	data, err := os.ReadFile("testdata/example-jwks.json")
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := jwks.Parse(data); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRefresh is one full refresh of a remote set: a GET of an
// httptest server, the body cap, the strict parse with the jwx
// cross-check, and the publication of the new snapshot (keys equal to the
// current ones are carried over). Each iteration is a lookup of an
// unknown kid, which refetches because Cooldown is 1 ns.
func BenchmarkRefresh(b *testing.B) {
	loadKeys()
	srv := newJWKSServer(b, doc(rsaJWK("k1", &rsaKey.PublicKey), rsaJWK("k2", &rsaKey2.PublicKey), ecJWK("e1", &ecKey.PublicKey)))
	c := newCache(b, srv.URL, nil, func(cfg *jwks.Config) { cfg.Cooldown = time.Nanosecond })
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.Key(ctx, "unknown", "RS256"); !errors.Is(err, verifier.ErrKeyNotFound) {
			b.Fatalf("unknown kid: got %v, want ErrKeyNotFound", err)
		}
	}
	b.StopTimer()
	if got, want := srv.count(), int64(b.N)+1; got != want {
		b.Fatalf("fetches: got %d, want %d (one per lookup and the prefetch)", got, want)
	}
}
