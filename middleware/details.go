package middleware

import (
	"context"
	"fmt"
	"net/http"

	"github.com/tokengate/tokengate/verifier"
)

// descDetails is the description of a DetailCheck refusal.
const descDetails = "the access token's authorization details are insufficient for this request"

// DetailsFromContext returns the authorization details (RFC 9396) of the
// request's token, as the Typed of the innermost AuthenticateTyped decoded
// them (verifier.TypedConfig.AuthorizationDetails): nil when the token has
// none or the Typed decodes none. It reports false when there is no
// AuthenticateTyped in the chain, or the request was anonymous. The
// details are shared with the Verifier's cache: read-only.
func DetailsFromContext(ctx context.Context) (verifier.AuthorizationDetails, bool) {
	s := stateFrom(ctx)
	if s == nil || s.claims == nil || s.auth == nil || s.auth.typed == nil {
		return nil, false
	}
	return s.auth.typed.details(s.claims), true
}

// DetailCheck is a claim rule on the token's authorization details (RFC
// 9396), for RequireClaims: the request passes when the token carries a
// detail of type typ, decoded into a D (verifier.DetailOf[D](typ)), for
// which check returns true. check gets the request, to compare the detail
// with what the request asks for: an account id from the path
// (r.PathValue), an amount, an action for the method. It runs on every
// request of the route, in the order of the details, until one passes; it
// must not modify the detail (shared, read-only) and must be safe for
// concurrent use. A panic in it refuses the request.
//
// The refusal is RequireClaims' one shape: 403, error "access_denied", no
// challenge, with the description "the access token's authorization
// details are insufficient for this request" (WithDescription replaces it).
// A token without such a detail is refused, as is a request whose
// Authenticate does not decode authorization details, or not into a D for
// typ: the rule fails closed. It panics if typ is empty or check is nil.
func DetailCheck[D any](typ string, check func(r *http.Request, d *D) bool) ClaimRule {
	if typ == "" {
		panic("middleware: DetailCheck needs a type value")
	}
	if check == nil {
		panic(fmt.Sprintf("middleware: DetailCheck(%q) needs a function", typ))
	}
	return ClaimRule{desc: descDetails, checkRequest: func(r *http.Request, _ *verifier.Claims) bool {
		ds, _ := DetailsFromContext(r.Context())
		for d := range verifier.DetailsOf[D](ds, typ) {
			if check(r, d) {
				return true
			}
		}
		return false
	}}
}
