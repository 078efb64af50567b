package dpop

import (
	"context"
	"net/http"

	"github.com/tokengate/tokengate/verifier"
)

// VerifyRequest checks the DPoP proof of r, a request to a resource server
// that carries accessToken with the DPoP scheme (RFC 9449 section 7.1),
// whose verified claims are claims: the DPoP header must be present exactly
// once; the token must carry cnf.jkt (verify it with
// verifier.WithBindings(verifier.BindingDPoP)), else ErrNotBound; then
// Verify with the request's method, its RequestURL, the token and that
// jkt. A verified-token cache hit on the token changes nothing here: every
// request needs its own fresh proof.
func (v *Verifier) VerifyRequest(ctx context.Context, r *http.Request, accessToken string, claims *verifier.Claims) (Proof, error) {
	t0 := v.start()
	proof, req, err := v.prepare(r, accessToken, claims)
	if err != nil {
		if v.obs != nil {
			v.observe(ctx, Event{Err: err}, t0)
		}
		return Proof{}, err
	}
	return v.Verify(ctx, proof, req)
}

func (v *Verifier) prepare(r *http.Request, accessToken string, claims *verifier.Claims) (string, Request, error) {
	if claims == nil || claims.Confirmation == nil || claims.Confirmation.JKT == "" {
		return "", Request{}, fail(ErrNotBound, "the access token has no cnf.jkt")
	}
	proof, err := proofFromHeader(r)
	if err != nil {
		return "", Request{}, err
	}
	u, err := v.RequestURL(r)
	if err != nil {
		return "", Request{}, err
	}
	return proof, Request{Method: r.Method, URL: u, AccessToken: accessToken, JKT: claims.Confirmation.JKT}, nil
}

// proofFromHeader returns the one DPoP header of r (RFC 9449 section 4.3
// check 1: not more than one).
func proofFromHeader(r *http.Request) (string, error) {
	switch vs := r.Header["Dpop"]; len(vs) {
	case 0:
		return "", fail(ErrMissing, "no DPoP header")
	case 1:
		if vs[0] == "" {
			return "", fail(ErrMissing, "empty DPoP header")
		}
		return vs[0], nil
	default:
		return "", fail(ErrMalformed, "more than one DPoP header")
	}
}
