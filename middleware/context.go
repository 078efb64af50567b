package middleware

import (
	"context"
	"sync/atomic"

	"github.com/tokengate/tokengate/internal/routecheck"
	"github.com/tokengate/tokengate/verifier"
)

// stateKey is the unexported context key: no other package can put claims
// on a context where ClaimsFromContext would find them.
type stateKey struct{}

// state is what Authenticate attaches to a request. It is itself the
// request's context (the parent embedded, Value answering stateKey), which
// saves a context.WithValue allocation per request; it is never stored
// beyond the request. refusal is set by the route checks of the chain; it is
// atomic because a handler in between (http.TimeoutHandler) may run them on
// another goroutine.
type state struct {
	context.Context
	claims  *verifier.Claims // nil: anonymous
	token   string           // the token that verified into claims; "" with NewContext
	auth    *authenticator
	refusal atomic.Pointer[refusal]
	// org is the organization package orgs checked (routecheck.State.Org).
	org routecheck.Org
}

// refusal is the last refusal written for a request.
type refusal struct {
	outcome string
	status  int
}

func (s *state) Value(key any) any {
	switch key.(type) {
	case stateKey, routecheck.Key:
		return s
	case routecheck.ReadKey:
		if s.org.Value != "" {
			return &s.org
		}
	}
	return s.Context.Value(key)
}

func stateFrom(ctx context.Context) *state {
	s, _ := ctx.Value(stateKey{}).(*state)
	return s
}

// Refused records a refusal written by a route check (RequireScopes,
// orgs.Require) on s and on the states of enclosing Authenticate
// middlewares, so that each one's Observer and Logger report it as the
// request's outcome. It implements routecheck.State.
func (s *state) Refused(outcome string, status int) {
	r := &refusal{outcome, status}
	for ; s != nil; s = stateFrom(s.Context) {
		s.refusal.Store(r)
	}
}

// Org implements routecheck.State.
func (s *state) Org() *routecheck.Org { return &s.org }

// ClaimsFromContext returns the verified claims Authenticate put on ctx. It
// reports false when there are none: Authenticate is not in the chain, or
// the request was anonymous (CredentialsOptional).
//
// The claims are shared with the Verifier's cache and with other requests
// presenting the same token: treat them as read-only.
func ClaimsFromContext(ctx context.Context) (*verifier.Claims, bool) {
	s := stateFrom(ctx)
	if s == nil || s.claims == nil {
		return nil, false
	}
	return s.claims, true
}
