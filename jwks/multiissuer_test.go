package jwks_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/tokengate/tokengate/verifier"
)

// TestMultiIssuer_C5: two issuers, each bound to its own Cache, behind one
// verifier. A token signed with issuer B's key but claiming issuer A is
// refused; an unknown issuer causes no fetch at all.
func TestMultiIssuer_C5(t *testing.T) {
	loadKeys()
	const issA, issB = "https://tenant-a.example.com/", "https://login.b.example/"
	srvA := newJWKSServer(t, doc(rsaJWK("a1", &rsaKey.PublicKey)))
	srvB := newJWKSServer(t, doc(rsaJWK("b1", &rsaKey2.PublicKey), rsaJWK("a1", &rsaKey2.PublicKey)))
	clk := newFakeClock()
	cacheA := newCache(t, srvA.URL, clk, nil)
	cacheB := newCache(t, srvB.URL, clk, nil)
	v, err := verifier.New(verifier.Config{
		Issuer: issA, Audience: []string{testAud}, Keys: cacheA,
		Issuers: []verifier.Issuer{{Issuer: issB, Keys: cacheB}},
		Now:     func() time.Time { return testNow },
	})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	tok := func(iss, kid string, key any) string {
		return sign(t, "RS256", key, hdr("RS256", kid), claims(iss))
	}
	for _, tc := range []struct {
		name string
		tok  string
		want error
	}{
		{"A_token", tok(issA, "a1", rsaKey), nil},
		{"B_token", tok(issB, "b1", rsaKey2), nil},
		{"B_key_claims_A", tok(issA, "b1", rsaKey2), verifier.ErrKeyNotFound},
		{"B_key_claims_A_with_shared_kid", tok(issA, "a1", rsaKey2), verifier.ErrSignature},
		{"A_key_claims_B", tok(issB, "a1", rsaKey), verifier.ErrSignature},
		{"unknown_issuer", tok("https://evil.example/", "a1", rsaKey), verifier.ErrIssuer},
		{"unknown_issuer_unknown_kid", tok("https://evil.example/", "zz", rsaKey), verifier.ErrIssuer},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a, b := srvA.count(), srvB.count()
			clk.Advance(time.Minute) // a kid miss may fetch: the cooldown has passed
			_, err := v.Verify(ctx, tc.tok)
			if tc.want == nil && err != nil || tc.want != nil && !errors.Is(err, tc.want) {
				t.Fatalf("Verify: got %v, want %v", err, tc.want)
			}
			if tc.want == verifier.ErrIssuer && (srvA.count() != a || srvB.count() != b) {
				t.Fatalf("unknown issuer: fetches A %d->%d, B %d->%d; want none", a, srvA.count(), b, srvB.count())
			}
			if srvB.count() != b {
				t.Fatalf("B fetched for a token claiming %s", tc.name)
			}
		})
	}
}
