// Package orgctx is where package orgs records, for the handlers of a
// request, the organization it checked: a Slot inside the request state of
// package middleware, which is itself the request's context. Recording it
// there costs no allocation per request (a context.WithValue and a request
// copy would), and the package is internal so that no code outside this
// module can write the slot: handlers can only read what orgs.Require
// checked.
package orgctx

// Org is what orgs.Require checked; orgs.Org has the same fields.
type Org struct {
	Value   string
	ID      string
	ByName  bool
	Granted bool
}

// Slot holds the Org of one request; Set is false until Require wrote it.
type Slot struct {
	Org Org
	Set bool
}

// WriteKey is the context key under which the request state answers its
// own *Slot: the innermost Authenticate's, the one Require writes.
type WriteKey struct{}

// ReadKey is the context key under which the request state answers the
// innermost *Slot that was written, so that an Authenticate nested below
// Require does not hide what Require checked; nil when none was.
type ReadKey struct{}
