// Package orgctx is where package orgs records, for the handlers of a
// request, the organization it checked: an Org inside the request state of
// package middleware, which is itself the request's context. Recording it
// there costs no allocation per request (a context.WithValue and a request
// copy would), and the package is internal so that no code outside this
// module can write the slot: handlers can only read what orgs.Require
// checked.
package orgctx

// Org is what orgs.Require checked; orgs.Org has the same fields. The zero
// Org is "nothing checked": Require never records an empty Value. It is
// kept at 40 bytes, since it makes every request's state larger.
type Org struct {
	Value   string
	ID      string
	ByName  bool
	Granted bool
}

// WriteKey is the context key under which the request state answers its
// own *Org: the innermost Authenticate's, the one Require writes.
type WriteKey struct{}

// ReadKey is the context key under which the request state answers the
// innermost *Org that was written, so that an Authenticate nested below
// Require does not hide what Require checked; nil when none was.
type ReadKey struct{}
