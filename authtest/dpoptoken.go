package authtest

import (
	"net/http"
	"time"

	"github.com/tokengate/tokengate/dpop"
)

// newTokenEndpointDPoP checks the proofs sent to the token endpoint at
// base + "/oauth/token", on the tenant's clock.
func newTokenEndpointDPoP(base string, now func() time.Time) (*dpop.Verifier, error) {
	return dpop.New(dpop.Config{
		URL:        base,
		Algorithms: []string{"ES256", "ES384", "ES512", "EdDSA", "RS256", "PS256"},
		Now:        now,
	})
}

// dpopBinding checks the DPoP proof of a token request (RFC 9449 section
// 5) and returns the thumbprint to bind the token to, "" without a proof.
// A proof that fails, or two DPoP headers, is answered 400
// invalid_dpop_proof, as RFC 9449 section 5 says.
func (t *Tenant) dpopBinding(r *http.Request) (string, *oauthError) {
	vs := r.Header["Dpop"]
	if len(vs) == 0 {
		return "", nil
	}
	bad := &oauthError{http.StatusBadRequest, "invalid_dpop_proof", "Invalid DPoP proof"}
	if len(vs) > 1 {
		return "", bad
	}
	p, err := t.dpop.Verify(r.Context(), vs[0], dpop.Request{Method: r.Method, URL: t.URL + "/oauth/token", Issuing: true})
	if err != nil {
		return "", bad
	}
	return p.JKT, nil
}
