package authtest_test

import (
	"context"
	"errors"
	"testing"

	"github.com/tokengate/tokengate/authtest"
	"github.com/tokengate/tokengate/client"
	"github.com/tokengate/tokengate/client/authentication"
	"github.com/tokengate/tokengate/client/management"
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

// TestLoginInvitation: a user invited to an organization is not a member
// (token endpoint and Management API alike) until logging in with the
// invitation and its organization; the invitation is used once, and only
// by its invitee.
func TestLoginInvitation(t *testing.T) {
	const api = "https://api.example.com"
	const inv = "uinv_0000000000000001"
	tenant, err := authtest.NewTenant(authtest.Config{
		Clients: []authtest.Client{{ID: "webapp", Secret: "webapp-secret-value",
			ManagementScopes: []string{"read:organizations", "read:organization_members"}}},
		Roles:         []authtest.Role{{Name: "billing", Permissions: []authtest.Permission{{API: api, Name: "read:invoices"}}}},
		Organizations: []authtest.Organization{{ID: "org_acme", Name: "acme"}, {ID: "org_globex", Name: "globex"}},
		Invitations:   []authtest.Invitation{{ID: inv, Organization: "acme", Email: "Bob@Example.com", Roles: []string{"billing"}}},
		Users: []authtest.User{
			{ID: "alice", Email: "alice@example.com", Password: "alice-password"},
			{ID: "bob", Email: "bob@example.com", Password: "bob-password"},
		},
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
	m, err := management.New(tenant.URL, management.Config{ClientID: "webapp", ClientSecret: "webapp-secret-value"})
	if err != nil {
		t.Fatal(err)
	}
	checker := &management.MembershipChecker{Management: m}
	ctx := context.Background()
	login := func(user, org, invitation string) (*authentication.TokenResponse, error) {
		return c.Login(ctx, authentication.LoginRequest{Username: user + "@example.com", Password: user + "-password",
			Realm: authtest.DefaultConnection, Audience: api, Organization: org, Invitation: invitation})
	}
	wantRefused := func(name string, err error, status int, code string) {
		t.Helper()
		var e *client.Error
		if !errors.As(err, &e) || e.StatusCode != status || e.Code != code {
			t.Errorf("%s: got %v, want %d %s", name, err, status, code)
		}
	}
	isMember := func(name string, want bool) {
		t.Helper()
		got, err := checker.IsMember(ctx, "org_acme", "auth0|bob")
		if err != nil || got != want {
			t.Errorf("%s: Management API says member %v (%v), want %v", name, got, err, want)
		}
	}

	isMember("before accepting", false)
	_, err = login("bob", "acme", "")
	wantRefused("organization login before accepting", err, 403, "access_denied")
	_, err = login("bob", "", inv)
	wantRefused("invitation without organization", err, 400, "invalid_request")
	_, err = login("bob", "globex", inv)
	wantRefused("invitation of another organization", err, 403, "access_denied")
	_, err = login("bob", "acme", "uinv_unknown")
	wantRefused("unknown invitation", err, 403, "access_denied")
	_, err = login("alice", "acme", inv)
	wantRefused("invitation for another user", err, 403, "access_denied")
	isMember("after refused attempts", false)

	tok, err := login("bob", "acme", inv)
	if err != nil {
		t.Fatalf("accepting: %v", err)
	}
	claims, err := v.Verify(ctx, tok.AccessToken)
	if err != nil {
		t.Fatal(err)
	}
	if claims.OrgID != "org_acme" || !claims.HasPermission("read:invoices") {
		t.Errorf("accepted: got org_id %q permissions %q, want org_acme with the invitation's role", claims.OrgID, claims.Permissions)
	}
	isMember("after accepting", true)
	_, err = login("bob", "acme", inv)
	wantRefused("invitation used twice", err, 403, "access_denied")
	if _, err := login("bob", "acme", ""); err != nil {
		t.Errorf("member login after accepting: %v", err)
	}
}
