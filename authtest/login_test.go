package authtest_test

import (
	"context"
	"errors"
	"testing"

	"github.com/tokengate/tokengate/authtest"
	"github.com/tokengate/tokengate/client"
	"github.com/tokengate/tokengate/client/authentication"
	"github.com/tokengate/tokengate/verifier"
)

// TestLoginOrganization logs users in to an organization through the
// Authentication client's LoginRequest.Organization, as a test of an
// organization route would.
func TestLoginOrganization(t *testing.T) {
	const api = "https://api.example.com"
	tenant, err := authtest.NewTenant(authtest.Config{
		Clients:       []authtest.Client{{ID: "webapp", Secret: "webapp-secret-value"}},
		Organizations: []authtest.Organization{{ID: "org_acme", Name: "acme"}, {ID: "org_globex", Name: "globex"}},
		Users: []authtest.User{{ID: "alice", Email: "alice@example.com", Password: "alice-password",
			Organizations: []authtest.Membership{{Organization: "acme"}}}},
		APIs: []string{api},
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(tenant.Close)
	c, err := authentication.New(tenant.URL, authentication.Config{ClientID: "webapp", ClientSecret: "webapp-secret-value"})
	if err != nil {
		t.Fatal(err)
	}
	v, err := verifier.New(verifier.Config{Issuer: tenant.Issuer(), Audience: []string{api}, Keys: tenant})
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name       string
		org        string
		wantOrg    string
		wantStatus int
		wantCode   string
	}{
		{name: "member by id", org: "org_acme", wantOrg: "org_acme"},
		{name: "member by name", org: "acme", wantOrg: "org_acme"},
		{name: "no organization", org: ""},
		{name: "not a member", org: "globex", wantStatus: 403, wantCode: "access_denied"},
		{name: "unknown organization", org: "org_initech", wantStatus: 400, wantCode: "invalid_request"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tok, err := c.Login(context.Background(), authentication.LoginRequest{Username: "alice@example.com", Password: "alice-password",
				Realm: authtest.DefaultConnection, Audience: api, Organization: tc.org})
			if tc.wantStatus != 0 {
				var e *client.Error
				if !errors.As(err, &e) || e.StatusCode != tc.wantStatus || e.Code != tc.wantCode {
					t.Fatalf("got %v, want %d %s", err, tc.wantStatus, tc.wantCode)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			claims, err := v.Verify(context.Background(), tok.AccessToken)
			if err != nil {
				t.Fatal(err)
			}
			if claims.OrgID != tc.wantOrg {
				t.Errorf("org_id: got %q, want %q", claims.OrgID, tc.wantOrg)
			}
		})
	}
}
