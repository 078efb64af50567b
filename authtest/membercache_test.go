package authtest_test

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/tokengate/tokengate/authtest"
	"github.com/tokengate/tokengate/client/management"
	"github.com/tokengate/tokengate/middleware"
	"github.com/tokengate/tokengate/orgs"
	"github.com/tokengate/tokengate/verifier"
)

// TestMembershipCacheOff is the README's advice for tests of organization
// routes with a live membership check: orgs.WithCacheTTL(0, 0) turns the
// membership cache off, so a member removed with Tenant.RemoveMember is
// refused on the next request instead of 30 s later (DefaultPositiveTTL).
func TestMembershipCacheOff(t *testing.T) {
	const api = "https://api.example.com"
	const orgID = "org_acme0000000001"
	cases := []struct {
		name      string
		opts      []orgs.MemberOption
		wantAfter int // status of the request right after RemoveMember
	}{
		{"default cache: still a member for 30 s", nil, http.StatusOK},
		{"WithCacheTTL(0, 0): refused at once", []orgs.MemberOption{orgs.WithCacheTTL(0, 0)}, http.StatusForbidden},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tenant, err := authtest.NewTenant(authtest.Config{
				Clients:       []authtest.Client{{ID: "backend", Secret: "backend-secret-value", ManagementScopes: []string{"read:organizations"}}},
				Organizations: []authtest.Organization{{ID: orgID, Name: "acme"}},
				Users: []authtest.User{{ID: "alice", Email: "alice@example.com", Password: "alice-password",
					Organizations: []authtest.Membership{{Organization: "acme"}}}},
				APIs: []string{api},
			})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(tenant.Close)
			v, err := verifier.New(verifier.Config{Issuer: tenant.Issuer(), Audience: []string{api}, Keys: tenant})
			if err != nil {
				t.Fatal(err)
			}
			m, err := management.New(tenant.URL, management.Config{ClientID: "backend", ClientSecret: "backend-secret-value"})
			if err != nil {
				t.Fatal(err)
			}
			mux := http.NewServeMux()
			mux.Handle("GET /orgs/{org}/me", middleware.Authenticate(v)(
				orgs.Require(orgs.FromPath("org"))(
					orgs.RequireMember(&management.MembershipChecker{Management: m}, tc.opts...)(
						http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {})))))
			srv := httptest.NewServer(mux)
			t.Cleanup(srv.Close)
			token := tenant.MustMint(authtest.Token{Subject: "auth0|alice", Audience: []string{api}, OrgID: orgID})
			get := func() int {
				req, _ := http.NewRequest(http.MethodGet, srv.URL+"/orgs/"+orgID+"/me", nil)
				req.Header.Set("Authorization", "Bearer "+token)
				res, err := srv.Client().Do(req)
				if err != nil {
					t.Fatal(err)
				}
				res.Body.Close()
				return res.StatusCode
			}
			if got := get(); got != http.StatusOK {
				t.Fatalf("member: got %d, want 200", got)
			}
			if err := tenant.RemoveMember("acme", "alice"); err != nil {
				t.Fatal(err)
			}
			if got := get(); got != tc.wantAfter {
				t.Errorf("right after RemoveMember: got %d, want %d", got, tc.wantAfter)
			}
		})
	}
}
