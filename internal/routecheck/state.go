// Package routecheck is what middleware.Authenticate shares with the route
// checks of package orgs (Require, RequireMember) that run after it on a
// request: a seam in Authenticate's request state, and the policies both
// packages apply to a refusal.
//
// The request state of package middleware is itself the request's context;
// it answers a State under Key. Recording through it costs no allocation
// per request (a context.WithValue and a request copy would), and the
// package is internal so that no code outside this module can write the
// state: handlers can only read what orgs.Require checked, and only the
// route check that refused a request reports its refusal.
package routecheck

import "context"

// State is Authenticate's request state as the route checks of package orgs
// see it.
type State interface {
	// Org is the slot where Require records the organization it checked,
	// for the handlers below it: the innermost Authenticate's. Require
	// writes it before it calls the next handler, on the goroutine that
	// runs the handlers below it; nothing else writes it.
	Org() *Org
	// Refused records a refusal written for the request, so that the
	// Observer and Logger of this and of every enclosing Authenticate
	// report it as the request's outcome when the request is done.
	Refused(outcome string, status int)
}

// Key is the context key under which the request state answers its State.
type Key struct{}

// ReadKey is the context key under which the request state answers the
// innermost *Org that was written, so that an Authenticate nested below
// Require does not hide what Require checked; nil when none was.
type ReadKey struct{}

// From returns the State of the innermost Authenticate of ctx, or nil when
// there is none.
func From(ctx context.Context) State {
	s, _ := ctx.Value(Key{}).(State)
	return s
}

// Org is what orgs.Require checked; orgs.Org has the same fields. The zero
// Org is "nothing checked": Require never records an empty Value. It is
// kept at 40 bytes, since it makes every request's state larger.
type Org struct {
	Value   string
	ID      string
	ByName  bool
	Granted bool
}
