package main

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/tokengate/tokengate/authtest"
	"github.com/tokengate/tokengate/client/management"
	"github.com/tokengate/tokengate/orgs"
)

const aud = "https://api.example.com"

var (
	acme   = authtest.Organization{ID: "org_acme0000000000", Name: "acme"}
	globex = authtest.Organization{ID: "org_globex00000000", Name: "globex"}
)

func newTenant(t *testing.T) *authtest.Tenant {
	t.Helper()
	member := func(org string) []authtest.Membership { return []authtest.Membership{{Organization: org}} }
	tenant, err := authtest.NewTenant(authtest.Config{
		APIs:          []string{aud},
		Organizations: []authtest.Organization{acme, globex},
		Users: []authtest.User{
			{ID: "alice", Email: "alice@example.com", Password: "pw", Organizations: member("acme")},
			{ID: "bob", Email: "bob@example.com", Password: "pw", Organizations: member("acme")},
		},
		Clients: []authtest.Client{{ID: "mgmt", Secret: "mgmt-secret", ManagementScopes: []string{"read:organization_members"}}},
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(tenant.Close)
	return tenant
}

// token mints an access token of sub for the API, of organization org (none
// when org.ID is empty), with the permissions perms.
func token(t *testing.T, tenant *authtest.Tenant, sub string, org authtest.Organization, perms ...string) string {
	t.Helper()
	claims := map[string]any{"sub": sub, "aud": aud, "permissions": append([]string{}, perms...)}
	if org.ID != "" {
		claims["org_id"], claims["org_name"] = org.ID, org.Name
	}
	tok, err := tenant.Mint(authtest.Token{Claims: claims})
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

type request struct {
	name, method, path, token string
	want                      int
}

func check(t *testing.T, h http.Handler, tests []request) {
	t.Helper()
	srv := httptest.NewServer(h)
	defer srv.Close()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, _ := http.NewRequest(tt.method, srv.URL+tt.path, nil)
			if tt.token != "" {
				req.Header.Set("Authorization", "Bearer "+tt.token)
			}
			resp, err := srv.Client().Do(req)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<16))
			resp.Body.Close()
			if resp.StatusCode != tt.want {
				t.Errorf("%s %s: got %d, want %d (body %q)", tt.method, tt.path, resp.StatusCode, tt.want, body)
			}
		})
	}
}

func setup(t *testing.T) (*authtest.Tenant, func(orgs.MembershipChecker) http.Handler) {
	tenant := newTenant(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	v, closeKeys, err := newVerifier(ctx, tenant.Issuer(), aud)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { closeKeys() })
	return tenant, func(m orgs.MembershipChecker) http.Handler { return newRouter(v, m) }
}

func TestRoutes(t *testing.T) {
	tenant, router := setup(t)
	var (
		alice    = token(t, tenant, "auth0|alice", acme, "read:items", "write:items")
		bob      = token(t, tenant, "auth0|bob", acme, "read:items")
		noPerms  = token(t, tenant, "auth0|bob", acme)
		noOrg    = token(t, tenant, "auth0|alice", authtest.Organization{}, "read:items", "write:items")
		outsider = token(t, tenant, "auth0|mallory", acme, "read:items") // claims acme, is no member
	)
	check(t, router(nil), []request{
		{"public", "GET", "/healthz", "", 200},
		{"no token", "GET", "/orgs/acme/items", "", 401},
		{"by name", "GET", "/orgs/acme/items", alice, 200},
		{"by name, any case", "GET", "/orgs/ACME/items", alice, 200},
		{"by ID", "GET", "/orgs/" + acme.ID + "/items", alice, 200},
		{"another organization", "GET", "/orgs/globex/items", alice, 403},
		{"another organization's ID", "GET", "/orgs/" + globex.ID + "/items", alice, 403},
		{"no organization", "GET", "/orgs/acme/items", noOrg, 403},
		{"no read permission", "GET", "/orgs/acme/items", noPerms, 403},
		{"write", "POST", "/orgs/acme/items", alice, 201},
		{"delete", "DELETE", "/orgs/acme/items/42", alice, 204},
		{"write without write:items", "POST", "/orgs/acme/items", bob, 403},
		{"delete without write:items", "DELETE", "/orgs/acme/items/42", bob, 403},
		{"write in another organization", "POST", "/orgs/globex/items", alice, 403},
		{"no membership check configured", "GET", "/orgs/acme/items", outsider, 200},
	})
}

// With a Management-backed checker, a token of an organization whose
// subject is not (or no longer) a member is refused.
func TestRoutesWithMembership(t *testing.T) {
	tenant, router := setup(t)
	m, err := management.New(tenant.URL, management.Config{ClientID: "mgmt", ClientSecret: "mgmt-secret"})
	if err != nil {
		t.Fatal(err)
	}
	// authtest serves the organization members endpoint, not the user's
	// organizations one of the default lookup.
	members := &management.MembershipChecker{Management: m, Lookup: management.ByOrganizationMembers}
	check(t, router(members), []request{
		{"member", "GET", "/orgs/acme/items", token(t, tenant, "auth0|alice", acme, "read:items"), 200},
		{"not a member", "GET", "/orgs/acme/items", token(t, tenant, "auth0|mallory", acme, "read:items"), 403},
		{"another organization", "GET", "/orgs/globex/items", token(t, tenant, "auth0|alice", acme, "read:items"), 403},
	})
}
