package verifier_test

import (
	"context"
	"crypto"
	"crypto/hmac"
	"crypto/rsa"
	"crypto/sha256"
	"fmt"
	"sync/atomic"
	"testing"

	"github.com/tokengate/tokengate/verifier"
)

// The benchmark token is a realistic Auth0 access token: header alg/typ/kid;
// iss, sub, aud (API and userinfo), iat, exp, azp, scope, three permissions
// and org_id.
func benchClaims() string {
	return claims(map[string]any{
		"permissions": []string{"read:items", "write:items", "delete:items"},
		"org_id":      "org_7rWcG3Sxv1XNqX9Z",
		"gty":         "client-credentials",
	})
}

func benchVerify(b *testing.B, alg string, key any, pub any, cache bool, obs ...verifier.Observer) {
	loadKeys()
	k := mustKey(b, "k1", alg, pub)
	cfg := verifier.Config{Algorithms: []string{alg}, Keys: mustSet(b, k)}
	if !cache {
		cfg.CacheSize = -1
	}
	if len(obs) > 0 {
		cfg.Observer = obs[0]
	}
	v := newVerifier(b, cfg)
	tok := sign(b, alg, key, hdr(alg, "k1"), benchClaims())
	ctx := context.Background()
	if _, err := v.Verify(ctx, tok); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := v.Verify(ctx, tok); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkVerify(b *testing.B) {
	loadKeys()
	b.Run("RS256", func(b *testing.B) { benchVerify(b, "RS256", rsaKey, &rsaKey.PublicKey, false) })
	b.Run("HS256", func(b *testing.B) { benchVerify(b, "HS256", hmacKey, hmacKey, false) })
	b.Run("ES256", func(b *testing.B) { benchVerify(b, "ES256", ecKey, &ecKey.PublicKey, false) })
	b.Run("EdDSA", func(b *testing.B) { benchVerify(b, "EdDSA", edKey, edKey.Public(), false) })
	b.Run("CacheHit", func(b *testing.B) { benchVerify(b, "RS256", rsaKey, &rsaKey.PublicKey, true) })
	// With an Observer, a hit that returns claims is counted (Stats), not
	// observed: one atomic add, no call.
	b.Run("CacheHitObserved", func(b *testing.B) { benchVerify(b, "RS256", rsaKey, &rsaKey.PublicKey, true, nopObserver{}) })
	// Hits from every core on 256 tokens, which spread over the shards.
	b.Run("CacheHitParallel", benchHitParallel)
}

func benchHitParallel(b *testing.B) {
	loadKeys()
	secret, err := verifier.Secret(hmacKey)
	if err != nil {
		b.Fatal(err)
	}
	v := newVerifier(b, verifier.Config{Algorithms: []string{"HS256"}, Keys: secret})
	toks := make([]string, 256)
	ctx := context.Background()
	for i := range toks {
		toks[i] = sign(b, "HS256", hmacKey, hdr("HS256", "k1"), claims(map[string]any{"jti": fmt.Sprintf("t%d", i)}))
		if _, err := v.Verify(ctx, toks[i]); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportAllocs()
	b.ResetTimer()
	var next atomic.Uint32
	b.RunParallel(func(pb *testing.PB) {
		i := int(next.Add(97))
		for pb.Next() {
			if _, err := v.Verify(ctx, toks[i%len(toks)]); err != nil {
				b.Fatal(err)
			}
			i++
		}
	})
}

type nopObserver struct{}

func (nopObserver) ObserveVerify(context.Context, verifier.Event) {}

// The floors: the bare primitives on the same signing input.
func BenchmarkFloor(b *testing.B) {
	loadKeys()
	tok := sign(b, "RS256", rsaKey, hdr("RS256", "k1"), benchClaims())
	input := []byte(tok[:lastDot(tok)])
	b.Run("RSA-PKCS1v15-SHA256", func(b *testing.B) {
		d := sha256.Sum256(input)
		sig, _ := rsa.SignPKCS1v15(nil, rsaKey, crypto.SHA256, d[:])
		b.ReportAllocs()
		for b.Loop() {
			d := sha256.Sum256(input)
			if rsa.VerifyPKCS1v15(&rsaKey.PublicKey, crypto.SHA256, d[:], sig) != nil {
				b.Fatal("verify")
			}
		}
	})
	b.Run("HMAC-SHA256", func(b *testing.B) {
		m := hmac.New(sha256.New, hmacKey)
		m.Write(input)
		want := m.Sum(nil)
		b.ReportAllocs()
		for b.Loop() {
			m := hmac.New(sha256.New, hmacKey)
			m.Write(input)
			if !hmac.Equal(m.Sum(nil), want) {
				b.Fatal("mac")
			}
		}
	})
}

func lastDot(s string) int {
	for i := len(s) - 1; i >= 0; i-- {
		if s[i] == '.' {
			return i
		}
	}
	return -1
}
