package middleware

import "context"

// TokenFromContext returns the raw token that Authenticate (or
// AuthenticateTyped) verified for this request: the token whose claims
// ClaimsFromContext returns. It reports false when there is none:
// Authenticate is not in the chain, the request was anonymous
// (CredentialsOptional), or the context was made by NewContext.
//
// It is set only once the token verified, so a handler never sees a token
// that was refused. It exists for calls made on behalf of the caller (the
// exchange package trades it for a token for another API): never log it,
// and never send it to another party than the authorization server that
// issued it.
//
// A DPoP-bound or certificate-bound token (Claims.Confirmation not nil) is
// returned too, but it is useless without its key, which the API does not
// hold: package exchange refuses to exchange it.
func TokenFromContext(ctx context.Context) (string, bool) {
	s := stateFrom(ctx)
	if s == nil || s.claims == nil || s.token == "" {
		return "", false
	}
	return s.token, true
}
