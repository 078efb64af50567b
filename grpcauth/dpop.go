package grpcauth

import (
	"context"
	"errors"
	"strings"

	"google.golang.org/grpc/metadata"

	"github.com/tokengate/tokengate/dpop"
	"github.com/tokengate/tokengate/internal/bearer"
	"github.com/tokengate/tokengate/internal/errclass"
	"github.com/tokengate/tokengate/internal/routecheck"
	"github.com/tokengate/tokengate/middleware"
	"github.com/tokengate/tokengate/verifier"
)

// dpopMethod is the htm of every gRPC call: an HTTP/2 POST.
const dpopMethod = "POST"

// dpopConfig is Config's DPoP, built.
type dpopConfig struct {
	d    *dpop.Verifier
	mode middleware.DPoPMode
	base string            // ServiceURL without a trailing slash
	opts []verifier.Option // VerifyOptions + the DPoP binding
}

func newDPoPConfig(cfg *Config) *dpopConfig {
	return &dpopConfig{
		d:    cfg.DPoP,
		mode: cfg.DPoPMode,
		base: strings.TrimSuffix(cfg.ServiceURL, "/"),
		opts: append(append([]verifier.Option(nil), cfg.VerifyOptions...), verifier.WithBindings(verifier.BindingDPoP)),
	}
}

// verifyDPoP verifies a token sent with the DPoP scheme and the call's
// proof, as middleware.WithDPoP does for a request: the token with the
// DPoP binding (it must carry cnf.jkt), then the proof with dpop.Verify
// against POST and ServiceURL + the full method, the token and its jkt. A
// verified-token cache hit never skips the proof.
func (c *call) verifyDPoP(ctx context.Context, tok string) (*verifier.Claims, *refused) {
	ic, dp := c.ic, c.ic.dp
	a := &ic.answers
	claims, err := ic.v.Verify(ctx, tok, dp.opts...)
	if err != nil {
		if !bearer.IsB64Token(tok) {
			return nil, c.refusal(&a.dpBadRequest, errMalformedToken, "")
		}
		return nil, c.refusal(c.classify(ctx, err, &a.dpBadToken), err, verifier.Reason(err))
	}
	if claims.Confirmation == nil || claims.Confirmation.JKT == "" {
		err := dpop.ErrNotBound
		return nil, c.refusal(&a.dpBadToken[errclass.ProofKey], err, dpopReason(err))
	}
	proof, err := readProof(c.md.get("dpop"))
	if err != nil {
		return nil, c.refusal(&a.badProof[errclass.Proof(err)], err, dpopReason(err))
	}
	p, err := dp.d.Verify(ctx, proof, dpop.Request{
		Method: dpopMethod, URL: dp.base + c.method, AccessToken: tok, JKT: claims.Confirmation.JKT,
	})
	if err != nil {
		return nil, c.refuseProof(ctx, err)
	}
	if p.NextNonce != "" {
		c.md.setHeader(metadata.Pairs("dpop-nonce", p.NextNonce))
	}
	return claims, nil
}

// refuseProof picks the refusal of a proof that failed, as
// middleware.WithDPoP does.
func (c *call) refuseProof(ctx context.Context, err error) *refused {
	a, d := &c.ic.answers, c.ic.dp.d
	reason := dpopReason(err)
	switch {
	case errors.Is(err, dpop.ErrNonce):
		rf := c.refusal(&a.nonce, err, reason)
		rf.nonce = d.Nonce()
		return rf
	case errors.Is(err, dpop.ErrNotBound):
		return c.refusal(&a.dpBadToken[errclass.ProofKey], err, reason)
	case errors.Is(err, dpop.ErrStoreFull), errors.Is(err, dpop.ErrStoreUnavailable):
		// The replay store cannot record the proof: not the client's
		// fault, and not a pass either (fail closed).
		if routecheck.ClientGone(ctx) {
			return c.refusal(&a.canceled, err, reason)
		}
		return c.refusal(&a.storeDown, err, reason)
	}
	return c.refusal(&a.badProof[errclass.Proof(err)], err, reason)
}
