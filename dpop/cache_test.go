package dpop_test

import (
	"strings"
	"testing"

	"github.com/tokengate/tokengate/authtest"
	"github.com/tokengate/tokengate/dpop"
)

// TestHeaderCache: a repeated header is answered from the cache with the
// outcome a parse gives: later proofs of one key pass with other claims
// and fail on their own faults; each Verifier keeps its own cache, so one
// that does not allow the alg refuses a header another one cached; a
// header too large to cache is checked in full every time.
func TestHeaderCache(t *testing.T) {
	keys(t)
	v := newVerifier(t, allow("ES256", "EdDSA"))
	steps := []struct {
		name string
		p    authtest.Proof
		want error
	}{
		{"first", authtest.Proof{}, nil},
		{"cached-header-second-proof", authtest.Proof{}, nil},
		{"cached-header-bad-signature", authtest.Proof{SignWith: other.Signer()}, dpop.ErrSignature},
		{"cached-header-wrong-htm", authtest.Proof{Method: "POST"}, dpop.ErrMethod},
		{"cached-header-no-ath", authtest.Proof{Claims: map[string]any{"ath": nil}}, dpop.ErrTokenHash},
		{"cached-header-third-proof", authtest.Proof{}, nil},
	}
	for _, s := range steps {
		p := proof(t, es256, s.p)
		_, err := v.Verify(ctx, p, request(es256))
		checkRefusal(t, err, s.want, p)
	}
	strict := newVerifier(t, allow("EdDSA"))
	p := proof(t, es256, authtest.Proof{})
	_, err := strict.Verify(ctx, p, request(es256))
	checkRefusal(t, err, dpop.ErrAlgorithm, p)

	for i := range 2 {
		big := proof(t, es256, authtest.Proof{Header: map[string]any{"x-padding": strings.Repeat("p", 3500)}})
		if _, err := v.Verify(ctx, big, request(es256)); err != nil {
			t.Fatalf("large header, proof %d: got %v, want it accepted", i, err)
		}
	}
	bad := proof(t, es256, authtest.Proof{Header: map[string]any{"x-padding": strings.Repeat("p", 3500), "typ": "JWT"}})
	_, err = v.Verify(ctx, bad, request(es256))
	checkRefusal(t, err, dpop.ErrType, bad)
}
