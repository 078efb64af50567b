package orgs

import (
	"context"
	"net/http"

	"github.com/tokengate/tokengate/internal/routecheck"
)

// Org is the organization Require checked for a request: the one the
// route is about, which the handlers should serve. Read it with Checked
// rather than reading the path, header or host again: another router
// parameter of the same name (chi's /orgs/{id}/projects/{id}) or another
// Source would name another organization than the one checked.
type Org struct {
	// Value is the organization as the route's Source named it: an org_id
	// ("org_..." in any ASCII case) or an organization name.
	Value string
	// ID is the organization's org_id when it is known: Value itself when
	// Value is an id, or what the WithResolver resolver answered for a
	// name; "" otherwise. Without a resolver a name is never tied to an id
	// here: the token's own org_id may be another organization's that
	// carried the name when the token was issued.
	ID string
	// ByName reports that Value is a name, compared with org_name.
	ByName bool
	// Granted reports that the token is not of this organization but of
	// one that Allow or WithLookup let in (a support or parent
	// organization).
	Granted bool
}

// Checked returns the organization the innermost Require of the request's
// chain checked and let through. It reports false when no Require let this
// request through (none in the chain, or it runs before Require).
func Checked(ctx context.Context) (Org, bool) {
	o, _ := ctx.Value(routecheck.ReadKey{}).(*routecheck.Org)
	if o == nil {
		return Org{}, false
	}
	return Org(*o), true
}

// record puts org on the request's state for the handlers below Require.
// There is always a state: Require lets through only requests with claims,
// which middleware.Authenticate put there.
func record(r *http.Request, org Org) {
	if s := routecheck.From(r.Context()); s != nil {
		*s.Org() = routecheck.Org(org)
	}
}
