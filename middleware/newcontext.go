package middleware

import (
	"context"

	"github.com/tokengate/tokengate/verifier"
)

// NewContext returns a copy of ctx that carries claims the way Authenticate
// does: ClaimsFromContext returns them, and the route checks of this
// package and of package orgs read them, also orgs.Checked. It is for
// transports other than net/http that verify the token themselves (the
// grpcauth module's interceptors), so that handlers read claims through one
// getter whatever the transport.
//
// NewContext trusts its caller: claims must be what a verifier.Verifier
// returned for the request's token, never claims decoded without
// verification. It panics if claims is nil. The claims are shared with the
// Verifier's cache: treat them as read-only.
func NewContext(ctx context.Context, claims *verifier.Claims) context.Context {
	if claims == nil {
		panic("middleware: NewContext with nil claims")
	}
	return &state{Context: ctx, claims: claims}
}
