package middleware

import (
	"context"
	"fmt"
	"net/http"
	"reflect"

	"github.com/tokengate/tokengate/internal/hook"
	"github.com/tokengate/tokengate/internal/routecheck"
	"github.com/tokengate/tokengate/verifier"
)

// OutcomeClaimDenied is the Event.Outcome of a request RequireClaims
// refused: 403, error "access_denied".
const OutcomeClaimDenied = "claim_denied"

// The default descriptions of the claim rules, one per kind of rule. They
// never hold the token's values, nor the rule's.
const (
	descClaimEquals   = "the access token does not carry the claim value this resource requires"
	descClaimIncludes = "the access token does not include a claim value this resource requires"
	descClaimCheck    = "the access token's claims do not allow this request"
)

// ClaimRule is one check of a route on the verified claims of a request,
// for RequireClaims: ClaimEquals, ClaimIncludes, ClaimCheck or
// CustomClaimCheck builds it; WithDescription sets the description its
// refusal sends. The zero ClaimRule is not a rule (RequireClaims panics).
type ClaimRule struct {
	check func(ctx context.Context, c *verifier.Claims) bool
	// checkRequest, set instead of check, also gets the request
	// (DetailCheck: values from the path).
	checkRequest func(r *http.Request, c *verifier.Claims) bool
	desc         string
}

// WithDescription returns r with desc as the error_description of its
// refusals, in place of its kind's default. desc is a constant of the
// route, never built from the request: it must be non-empty printable
// ASCII without '"' or '\' (RFC 6749 section 5.2); WithDescription panics
// otherwise.
func (r ClaimRule) WithDescription(desc string) ClaimRule {
	if desc == "" || !validQuoted(desc) {
		panic(fmt.Sprintf("middleware: claim rule description %q must be non-empty printable ASCII without '\"' or '\\'", desc))
	}
	r.desc = desc
	return r
}

// ClaimValue is the type of a value ClaimEquals compares a claim with.
type ClaimValue interface {
	~string | ~bool |
		~int | ~int8 | ~int16 | ~int32 | ~int64 |
		~uint | ~uint8 | ~uint16 | ~uint32 | ~uint64 |
		~float32 | ~float64
}

// ClaimEquals requires the top-level claim named claim (exactly, as
// verifier.Claims.Lookup finds it: "https://example.com/tier") to be the
// JSON value want: a string equal to it (after unescaping), true or false,
// or a number. An integer want matches a claim written as an integer ("tier":
// 2, not 2.0 or 2e0), as encoding/json decodes only those into an int; a
// floating-point want matches a number that parses to it. An absent claim,
// or one of another JSON type, does not match. It panics if claim is empty.
func ClaimEquals[V ClaimValue](claim string, want V) ClaimRule {
	mustClaimName("ClaimEquals", claim)
	match := equalsFunc(reflect.ValueOf(want))
	return ClaimRule{desc: descClaimEquals, check: func(_ context.Context, c *verifier.Claims) bool {
		raw, ok := c.Lookup(claim)
		return ok && match(raw)
	}}
}

// ClaimIncludes requires the top-level claim named claim to include every
// one of values: as elements, when it is an array of strings (Auth0 roles,
// groups); as space-separated words, when it is a string (like scope). An
// absent claim, a claim of another JSON type, or an array with an element
// that is not a string, does not match. It panics if claim is empty, if
// values is empty or holds more than 64 values, or if a value is empty.
func ClaimIncludes(claim string, values ...string) ClaimRule {
	mustClaimName("ClaimIncludes", claim)
	if len(values) == 0 || len(values) > maxIncludes {
		panic(fmt.Sprintf("middleware: ClaimIncludes(%q) needs 1 to %d values", claim, maxIncludes))
	}
	for _, v := range values {
		if v == "" {
			panic(fmt.Sprintf("middleware: ClaimIncludes(%q): empty value", claim))
		}
	}
	values = append([]string(nil), values...)
	return ClaimRule{desc: descClaimIncludes, check: func(_ context.Context, c *verifier.Claims) bool {
		raw, ok := c.Lookup(claim)
		return ok && includesAll(raw, values)
	}}
}

// ClaimCheck makes check a rule: the request passes when it returns true.
// check receives the request's context (CustomClaimsFromContext reads the
// custom claims of AuthenticateTyped from it) and the verified claims,
// which it must not modify; it runs on every request of the route, and
// must be safe for concurrent use. A panic in it refuses the request (the
// Error's Err wraps it, for an ErrorHandler). It panics if check is nil.
func ClaimCheck(check func(ctx context.Context, c *verifier.Claims) bool) ClaimRule {
	if check == nil {
		panic("middleware: ClaimCheck needs a function")
	}
	return ClaimRule{desc: descClaimCheck, check: check}
}

// CustomClaimCheck is ClaimCheck on the custom claims that
// AuthenticateTyped with a *verifier.Typed[T] put on the context (the shared
// value: read-only). A request without them (no AuthenticateTyped of this T
// in front of the route) is refused. It panics if check is nil.
func CustomClaimCheck[T any](check func(c *verifier.Claims, custom *T) bool) ClaimRule {
	if check == nil {
		panic("middleware: CustomClaimCheck needs a function")
	}
	return ClaimRule{desc: descClaimCheck, check: func(ctx context.Context, c *verifier.Claims) bool {
		custom, ok := CustomClaimsFromContext[T](ctx)
		return ok && check(c, custom)
	}}
}

// RequireClaims returns middleware that lets a request through only when
// every one of rules accepts its verified claims (checked in order; the
// first that refuses answers). The refusal is 403 with the JSON body
// {"error":"access_denied","error_description":...}, the rule's
// description, and no WWW-Authenticate challenge (OutcomeClaimDenied);
// an anonymous request is answered 401 and a chain without Authenticate
// before RequireClaims 500 (logged once), as for RequireScopes.
//
// Why 403 and not 401 invalid_token, which express-oauth2-jwt-bearer's
// claimEquals, claimIncludes and claimCheck answer: the token is valid
// (it verified, and other routes accept it); what it grants does not cover
// this route. RFC 6750 section 3.1 keeps invalid_token for tokens that are
// "expired, revoked, malformed, or invalid", and a client told 401
// invalid_token discards the token and signs in again, only to get the
// same token and the same answer. 403 says: this caller lacks the right.
// Scope and permission checks keep RFC 6750's 403 insufficient_scope with
// its challenge (RequireScopes, RequirePermissions,
// RequireScopesOrPermissions).
//
// It panics if rules is empty or holds a zero ClaimRule.
func RequireClaims(rules ...ClaimRule) func(http.Handler) http.Handler {
	if len(rules) == 0 {
		panic("middleware: RequireClaims needs at least one rule")
	}
	refusals := make([]Error, len(rules))
	checks := make([]func(*http.Request, *verifier.Claims) bool, len(rules))
	for i, r := range rules {
		switch {
		case r.checkRequest != nil:
			checks[i] = r.checkRequest
		case r.check != nil:
			check := r.check
			checks[i] = func(r *http.Request, c *verifier.Claims) bool { return check(r.Context(), c) }
		default:
			panic("middleware: RequireClaims given a zero ClaimRule; build rules with ClaimEquals, ClaimIncludes, ClaimCheck, CustomClaimCheck or DetailCheck")
		}
		refusals[i] = accessDenied(r.desc)
	}
	guard := routecheck.NewUnmounted("middleware.RequireClaims")
	return func(next http.Handler) http.Handler {
		if next == nil {
			panic("middleware: RequireClaims given a nil handler")
		}
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			s := routeClaims(w, r, guard)
			if s == nil {
				return
			}
			for i, check := range checks {
				ok, err := hook.Call(func() (bool, error) { return check(r, s.claims), nil })
				if !ok || err != nil {
					e := refusals[i]
					e.Err = err
					refuseRoute(w, r, s, &e)
					return
				}
			}
			next.ServeHTTP(w, r)
		})
	}
}

// accessDenied is the one refusal of the claim-based route checks: 403,
// error "access_denied" with the constant desc, no challenge (the token is
// valid; its grant does not cover the route).
func accessDenied(desc string) Error {
	return Error{Status: http.StatusForbidden, Code: "access_denied", Description: desc, Outcome: OutcomeClaimDenied}
}

// maxIncludes bounds the values of one ClaimIncludes, which are tracked in
// a 64-bit set.
const maxIncludes = 64

func mustClaimName(fn, claim string) {
	if claim == "" {
		panic("middleware: " + fn + " needs a claim name")
	}
}
