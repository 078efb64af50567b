package middleware

import (
	"context"
	"net/http"

	"github.com/tokengate/tokengate/internal/httpx"
	"github.com/tokengate/tokengate/verifier"
)

// verifyContext is the context a token of r is verified with: r's, and,
// when the Verifier has an issuer resolver (verifier.Config.Resolver), the
// facts about r the resolver may choose issuers by (verifier.Request: the
// host, canonical as orgs.FromHost reads it, and the path). Never the
// token's: the resolver reads the token's iss only to ask.
func (a *authenticator) verifyContext(r *http.Request) context.Context {
	if a.v.Resolver() == nil {
		return r.Context()
	}
	host, _ := httpx.CanonicalHost(r.Host)
	return verifier.ContextWithRequest(r.Context(), verifier.Request{Host: host, Path: r.URL.EscapedPath()})
}
