package middleware

import (
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/tokengate/tokengate/internal/routecheck"
	"github.com/tokengate/tokengate/verifier"
)

// RequireScopes returns middleware that lets a request through only when
// the verified scope claim (space-separated, verifier.Claims.Scope) holds
// every one of scopes. Otherwise: 403 with
// WWW-Authenticate: Bearer realm="...", error="insufficient_scope", scope="..."
// naming all of scopes; 401 for an anonymous request (CredentialsOptional).
// Mounted without Authenticate before it, it answers every request 500
// (OutcomeMisconfigured) and logs that mistake once, at Error, to
// slog.Default(): a valid token must not get a 401 for the server's
// mistake. It panics when scopes is empty or a scope is not a valid RFC
// 6749 scope token.
func RequireScopes(scopes ...string) func(http.Handler) http.Handler {
	return require("RequireScopes", scopes, (*verifier.Claims).HasScope, false)
}

// RequirePermissions is RequireScopes for the permissions claim (an array,
// verifier.Claims.Permissions), which Auth0 adds when RBAC is enabled for
// the API. The 403 names the permissions in its scope attribute, since
// Auth0 permissions are the API's scope values.
func RequirePermissions(perms ...string) func(http.Handler) http.Handler {
	return require("RequirePermissions", perms, (*verifier.Claims).HasPermission, false)
}

// RequireAnyScope is the any-of sibling of RequireScopes: it lets a request
// through when the verified scope claim holds at least one of scopes (a
// route that admins and readers may both use). Otherwise it answers as
// RequireScopes does: 403 insufficient_scope, with the alternatives in the
// challenge's scope attribute (each once, in the order given). It panics as
// RequireScopes does.
func RequireAnyScope(scopes ...string) func(http.Handler) http.Handler {
	return require("RequireAnyScope", scopes, (*verifier.Claims).HasScope, true)
}

// RequireAnyPermission is the any-of sibling of RequirePermissions: at
// least one of perms in the permissions claim; answered as RequireAnyScope.
func RequireAnyPermission(perms ...string) func(http.Handler) http.Handler {
	return require("RequireAnyPermission", perms, (*verifier.Claims).HasPermission, true)
}

// RequireScopesOrPermissions requires each of values in either the scope
// claim or the permissions claim. It fits Auth0 APIs that serve both users
// (RBAC permissions in permissions) and machine-to-machine clients (granted
// scopes in scope only) with one route definition.
func RequireScopesOrPermissions(values ...string) func(http.Handler) http.Handler {
	return require("RequireScopesOrPermissions", values, func(c *verifier.Claims, v string) bool {
		return c.HasScope(v) || c.HasPermission(v)
	}, false)
}

// require builds the scope and permission checks: every one of values
// (anyOf false) or at least one (anyOf true) must pass has.
func require(name string, values []string, has func(*verifier.Claims, string) bool, anyOf bool) func(http.Handler) http.Handler {
	if len(values) == 0 {
		panic("middleware: " + name + " needs at least one value")
	}
	for _, v := range values {
		if !validScope(v) {
			panic(fmt.Sprintf("middleware: %s: %q is not a valid scope token", name, v))
		}
	}
	values = append([]string(nil), values...)
	if anyOf {
		values = dedupe(values) // the challenge lists each alternative once
	}
	// The part of the challenge after the realm, computed once.
	suffix := `, error="insufficient_scope", error_description="` + descScope + `", scope="` + strings.Join(values, " ") + `"`
	guard := routecheck.NewUnmounted("middleware." + name)
	return func(next http.Handler) http.Handler {
		if next == nil {
			panic("middleware: " + name + " given a nil handler")
		}
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			s := routeClaims(w, r, guard)
			if s == nil {
				return
			}
			if !holds(s.claims, values, has, anyOf) {
				refuseRoute(w, r, s, &Error{Status: http.StatusForbidden, Code: "insufficient_scope",
					Description: descScope, Challenge: s.auth.challenge() + suffix, Outcome: OutcomeInsufficientScope})
				return
			}
			next.ServeHTTP(w, r)
		})
	}
}

// holds reports whether c passes has for every one of values, or with
// anyOf for at least one.
func holds(c *verifier.Claims, values []string, has func(*verifier.Claims, string) bool, anyOf bool) bool {
	for _, v := range values {
		if has(c, v) == anyOf {
			return anyOf
		}
	}
	return !anyOf
}

// dedupe returns values without repeats, in their first order.
func dedupe(values []string) []string {
	var out []string
	for _, v := range values {
		if !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	return out
}

// The answers of a route check to a request without claims.
var (
	errUnauthenticated = Error{Status: http.StatusUnauthorized, Outcome: OutcomeUnauthenticated} // WriteError completes it
	errMisconfigured   = Error{Status: http.StatusInternalServerError, Code: "server_error",
		Description: descMisconfigured, Outcome: OutcomeMisconfigured}
)

// routeClaims returns the request state of a route check's request that has
// claims. Otherwise it answers the request and returns nil: 500 when no
// Authenticate ran before the check (guard logs it once), 401 for an
// anonymous request.
func routeClaims(w http.ResponseWriter, r *http.Request, guard *routecheck.Unmounted) *state {
	s := stateFrom(r.Context())
	switch {
	case s == nil:
		guard.Report(r.Context(), nil, r.Method, RoutePattern(r))
		writeError(w, r, nil, &errMisconfigured)
		return nil
	case s.claims == nil:
		refuseRoute(w, r, s, &errUnauthenticated)
		return nil
	}
	return s
}

// refuseRoute answers a request a route check of this package refused, and
// records the refusal for the Observer and Logger of the request's
// Authenticate, s (nil: none in the chain).
func refuseRoute(w http.ResponseWriter, r *http.Request, s *state, e *Error) {
	var a *authenticator
	if s != nil {
		a = s.auth
		s.Refused(e.Outcome, e.Status)
	}
	writeError(w, r, a, e)
}
