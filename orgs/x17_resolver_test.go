package orgs_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/tokengate/tokengate/middleware"
	"github.com/tokengate/tokengate/orgs"
)

// names is an OrgResolver over a table of current names; err fails every
// call, panics makes it panic. It records the names it was asked.
type names struct {
	mu     sync.Mutex
	ids    map[string]string
	err    error
	panics bool
	asked  []string
	calls  atomic.Int32
}

func (n *names) OrgID(_ context.Context, name string) (string, error) {
	n.calls.Add(1)
	n.mu.Lock()
	defer n.mu.Unlock()
	n.asked = append(n.asked, name)
	if n.panics {
		panic("resolver bug")
	}
	if n.err != nil {
		return "", n.err
	}
	return n.ids[name], nil
}

// memberOf is a MembershipChecker that records the organizations it was
// asked about and says yes.
type memberOf struct {
	mu   sync.Mutex
	orgs []string
}

func (m *memberOf) IsMember(_ context.Context, org, _ string) (bool, error) {
	m.mu.Lock()
	m.orgs = append(m.orgs, org)
	m.mu.Unlock()
	return true, nil
}

// TestX17RenamedOrganization: org_old was named "acme", was renamed, and a
// new organization org_new now carries the name. A token issued to org_old
// before the rename still says org_name "acme"; with a resolver it no longer
// matches the route "acme", which is org_new's. RequireMember checks the
// route's resolved organization.
func TestX17RenamedOrganization(t *testing.T) {
	res := &names{ids: map[string]string{"acme": "org_new"}}
	members := &memberOf{}
	auth := middleware.Authenticate(newVerifier(t))
	srv := server(t, routers[1].serve("/orgs/{org}/items", auth,
		orgs.Require(orgs.FromPath("org"), orgs.WithResolver(res), orgs.Allow("org_support")),
		orgs.RequireMember(members), checkedOnly))
	stale := bearer(token(t, map[string]any{"org_id": "org_old", "org_name": "acme"}))
	current := bearer(token(t, map[string]any{"org_id": "org_new", "org_name": "acme"}))
	nameOnly := bearer(token(t, map[string]any{"org_name": "acme"}))
	support := bearer(token(t, map[string]any{"org_id": "org_support"}))
	denied := want{403, "", bodyDenied, ""}
	tests := []struct {
		name    string
		target  string
		header  http.Header
		want    want
		members []string
	}{
		{"old token, reused name", "/orgs/acme/items", stale, denied, nil},
		{"old token, by its id", "/orgs/org_old/items", stale, want{200, "", "{Value:org_old ID:org_old ByName:false Granted:false}", ""}, []string{"org_old"}},
		{"current token", "/orgs/acme/items", current, want{200, "", "{Value:acme ID:org_new ByName:true Granted:false}", ""}, []string{"org_new"}},
		{"current token, other case (membership cached)", "/orgs/ACME/items", current, want{200, "", "{Value:ACME ID:org_new ByName:true Granted:false}", ""}, nil},
		{"token without org_id", "/orgs/acme/items", nameOnly, denied, nil},
		{"unknown name", "/orgs/globex/items", bearer(token(t, map[string]any{"org_id": "org_g", "org_name": "globex"})), denied, nil},
		{"granted by Allow: id resolved, member of its own org", "/orgs/acme/items", support, want{200, "", "{Value:acme ID:org_new ByName:true Granted:true}", ""}, []string{"org_support"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			members.mu.Lock()
			members.orgs = nil
			members.mu.Unlock()
			resp, body := call(t, srv, tt.target, tt.header)
			check(t, resp, body, tt.want)
			members.mu.Lock()
			defer members.mu.Unlock()
			if fmt.Sprint(members.orgs) != fmt.Sprint(tt.members) {
				t.Errorf("membership asked for: got %v, want %v", members.orgs, tt.members)
			}
		})
	}
	res.mu.Lock()
	defer res.mu.Unlock()
	// "acme" once (cached for every later request and case), "globex" once.
	if fmt.Sprint(res.asked) != "[acme globex]" {
		t.Errorf("resolver asked: got %v, want [acme globex]", res.asked)
	}
}

// checkedOnly answers 200 with the organization Require checked.
func checkedOnly(http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		org, _ := orgs.Checked(r.Context())
		fmt.Fprintf(w, "%+v", org)
	})
}

// TestX17ResolverFailsClosed: a resolver that fails or panics answers 503
// with Retry-After, and its failures are not cached.
func TestX17ResolverFailsClosed(t *testing.T) {
	res := &names{ids: map[string]string{"acme": "org_new"}}
	auth := middleware.Authenticate(newVerifier(t))
	srv := server(t, routers[0].serve("/orgs/{org}/items", auth, orgs.Require(orgs.FromPath("org"), orgs.WithResolver(res))))
	current := bearer(token(t, map[string]any{"org_id": "org_new", "org_name": "acme"}))
	unavailable := want{503, "", bodyUnavailable, "10"}
	steps := []struct {
		name  string
		set   func(*names)
		want  want
		calls int32
	}{
		{"error", func(n *names) { n.err = errors.New("management API down") }, unavailable, 1},
		{"error not cached", func(n *names) {}, unavailable, 2},
		{"panic", func(n *names) { n.err, n.panics = nil, true }, unavailable, 3},
		{"recovered", func(n *names) { n.panics = false }, want{200, "", "sub=auth0|alice org=org_newacme", ""}, 4},
		{"cached", func(n *names) {}, want{200, "", "sub=auth0|alice org=org_newacme", ""}, 4},
	}
	for _, s := range steps {
		t.Run(s.name, func(t *testing.T) {
			res.mu.Lock()
			s.set(res)
			res.mu.Unlock()
			resp, body := call(t, srv, "/orgs/acme/items", current)
			check(t, resp, body, s.want)
			if got := res.calls.Load(); got != s.calls {
				t.Errorf("resolver calls: got %d, want %d", got, s.calls)
			}
		})
	}
}
