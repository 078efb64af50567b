package main

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/tokengate/tokengate/authtest"
	"github.com/tokengate/tokengate/client"
	"github.com/tokengate/tokengate/client/authentication"
)

// The local tenant. Passwords and the client secret are demo values: the
// tenant listens on loopback only and lives as long as the program.
const (
	localAudience = "https://api.example.com"
	// webClientID is the application users log in with (a public client:
	// the demo uses the password-realm grant in place of a login page).
	webClientID = "mgmt-example-web"
	// backendID and backendSecret are the API's own machine-to-machine
	// application, allowed the Management API with the scopes it needs.
	backendID     = "mgmt-example-backend"
	backendSecret = "mgmt-example-backend-secret"
)

// managementScopes are what the API needs: Users.Get (read:users),
// MembershipChecker (read:organizations, for GET /users/{id}/organizations)
// and Organizations.AllMemberRoles (read:organization_member_roles).
var managementScopes = []string{"read:users", "read:organizations", "read:organization_member_roles"}

var (
	acme   = authtest.Organization{ID: "org_9dHbG2q4TnKxL1Ae", Name: "acme", DisplayName: "Acme Corp"}
	globex = authtest.Organization{ID: "org_3WmPzR8cVfJ6sY0u", Name: "globex", DisplayName: "Globex"}
)

func localConfig() authtest.Config {
	member := func(org string, roles ...string) []authtest.Membership {
		return []authtest.Membership{{Organization: org, Roles: roles}}
	}
	return authtest.Config{
		APIs:          []string{localAudience},
		Organizations: []authtest.Organization{acme, globex},
		Roles: []authtest.Role{
			{Name: "admin", Description: "Manages the organization"},
			{Name: "viewer", Description: "Reads the organization's data"},
		},
		Users: []authtest.User{
			{ID: "alice", Email: "alice@example.com", Password: "alice-password", Name: "Alice",
				Organizations: member("acme", "admin", "viewer")},
			{ID: "bob", Email: "bob@example.com", Password: "bob-password", Name: "Bob",
				Organizations: member("globex", "viewer")},
			// Dave is removed from acme by the demo, after his token was issued.
			{ID: "dave", Email: "dave@example.com", Password: "dave-password", Name: "Dave",
				Organizations: member("acme", "viewer")},
		},
		Clients: []authtest.Client{
			{ID: webClientID, Name: "Web app"},
			{ID: backendID, Name: "API backend", Secret: backendSecret, ManagementScopes: managementScopes},
		},
		TokenTTL: time.Hour,
	}
}

// tenant is the identity provider: the local one or a real Auth0 tenant.
type tenant struct {
	local    *authtest.Tenant // nil for a real tenant
	domain   string           // what management.New takes: a host, or a loopback URL
	issuer   string           // exact iss of its tokens, with Auth0's trailing slash
	audience string           // this API's identifier
	clientID string           // the machine-to-machine application
	secret   string
}

// newTenant starts the local tenant, or describes the real one when the
// four AUTH0_* variables are set.
func newTenant(getenv func(string) string) (*tenant, error) {
	names := []string{"AUTH0_DOMAIN", "AUTH0_AUDIENCE", "AUTH0_CLIENT_ID", "AUTH0_CLIENT_SECRET"}
	var vals []string
	for _, n := range names {
		if v := getenv(n); v != "" {
			vals = append(vals, v)
		}
	}
	switch len(vals) {
	case 0:
		lt, err := authtest.NewTenant(localConfig())
		if err != nil {
			return nil, err
		}
		return &tenant{local: lt, domain: lt.URL, issuer: lt.Issuer(), audience: localAudience,
			clientID: backendID, secret: backendSecret}, nil
	case len(names):
		// "example.us.auth0.com" → https://example.us.auth0.com; a value
		// with a scheme is used as it is (plain http for loopback only).
		domain := getenv("AUTH0_DOMAIN")
		base, err := client.BaseURL(domain)
		if err != nil {
			return nil, fmt.Errorf("AUTH0_DOMAIN: %w", err)
		}
		return &tenant{domain: domain, issuer: base + "/", audience: getenv("AUTH0_AUDIENCE"),
			clientID: getenv("AUTH0_CLIENT_ID"), secret: getenv("AUTH0_CLIENT_SECRET")}, nil
	default:
		return nil, errors.New("set all of " + strings.Join(names, ", ") + " to use a real tenant, or none for the local one")
	}
}

func (t *tenant) close() {
	if t.local != nil {
		t.local.Close()
	}
}

// login gets a user's access token for the API in an organization from the
// local tenant's /oauth/token, with the Authentication API client, as a
// client of Auth0 would (password-realm grant).
func (t *tenant) login(ctx context.Context, email, password, org string) (string, error) {
	auth, err := authentication.New(t.local.URL, authentication.Config{ClientID: webClientID})
	if err != nil {
		return "", err
	}
	tok, err := auth.Login(ctx, authentication.LoginRequest{
		Username: email, Password: password, Realm: authtest.DefaultConnection,
		Audience: t.audience,
		Extra:    url.Values{"organization": {org}}, // org_id and org_name in the token
	})
	if err != nil {
		return "", fmt.Errorf("logging %s in: %w", email, err)
	}
	return tok.AccessToken, nil
}
