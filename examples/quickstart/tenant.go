package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/tokengate/tokengate/authtest"
)

// The local tenant's directory. The passwords and the client secret are
// demo values: the tenant listens on loopback only and lives as long as
// the program.
const (
	localAudience = "https://api.example.com"
	clientID      = "quickstart-app"
	clientSecret  = "quickstart-secret"
)

// Two organizations, by ID and name; /orgs/{org}/items accepts either.
var (
	acme   = authtest.Organization{ID: "org_9dHbG2q4TnKxL1Ae", Name: "acme", DisplayName: "Acme Corp"}
	globex = authtest.Organization{ID: "org_3WmPzR8cVfJ6sY0u", Name: "globex", DisplayName: "Globex"}
)

func localConfig() authtest.Config {
	perm := func(name string) authtest.Permission { return authtest.Permission{API: localAudience, Name: name} }
	return authtest.Config{
		// The API, with its permissions granted through roles (Auth0 RBAC).
		APIs: []string{localAudience},
		Roles: []authtest.Role{
			{Name: "reader", Permissions: []authtest.Permission{perm("read:items")}},
			{Name: "editor", Permissions: []authtest.Permission{perm("read:items"), perm("write:items")}},
		},
		Organizations: []authtest.Organization{acme, globex},
		// Alice edits in acme, Bob reads in globex: their roles hold only
		// inside their organization.
		Users: []authtest.User{
			{ID: "alice", Email: "alice@example.com", Password: "alice-password", Name: "Alice",
				Organizations: []authtest.Membership{{Organization: "acme", Roles: []string{"editor"}}}},
			{ID: "bob", Email: "bob@example.com", Password: "bob-password", Name: "Bob",
				Organizations: []authtest.Membership{{Organization: "globex", Roles: []string{"reader"}}}},
		},
		// One application: client credentials for itself (read:items), and
		// the password-realm grant for the users.
		Clients: []authtest.Client{{
			ID: clientID, Name: "Quickstart", Secret: clientSecret,
			Grants: map[string][]string{localAudience: {"read:items"}},
		}},
		TokenTTL: time.Hour,
	}
}

// idp is the identity provider the API trusts.
type idp struct {
	kind     string // what it is, for the banner
	issuer   string // exact iss of its tokens, with Auth0's trailing slash
	audience string // the API identifier
	url      string // base URL: /oauth/token, /.well-known/...

	tokens []*bearer // fresh tokens of the local tenant; nil for a real one
	close  func()
}

// bearer is a token the curl commands name by a shell variable.
type bearer struct {
	name  string // ALICE, BOB, ...: export NAME=... then "Bearer $NAME"
	about string
	value string
}

// startIdP starts the local tenant, or describes the real one when
// AUTH0_DOMAIN and AUTH0_AUDIENCE are set.
func startIdP(ctx context.Context, getenv func(string) string) (*idp, error) {
	domain, audience := getenv("AUTH0_DOMAIN"), getenv("AUTH0_AUDIENCE")
	switch {
	case domain != "" && audience != "":
		base, err := baseURL(domain)
		if err != nil {
			return nil, err
		}
		return &idp{kind: "Auth0 tenant of AUTH0_DOMAIN", issuer: base + "/", audience: audience, url: base, close: func() {}}, nil
	case domain != "" || audience != "":
		return nil, errors.New("set both AUTH0_DOMAIN and AUTH0_AUDIENCE to use a real tenant, or neither for the local one")
	}

	tenant, err := authtest.NewTenant(localConfig())
	if err != nil {
		return nil, err
	}
	p := &idp{kind: "local tenant, package authtest", issuer: tenant.Issuer(), audience: localAudience,
		url: tenant.URL, close: tenant.Close}
	if p.tokens, err = localTokens(ctx, tenant); err != nil {
		tenant.Close()
		return nil, err
	}
	return p, nil
}

// baseURL turns an Auth0 domain into the tenant's base URL, without a
// trailing slash.
func baseURL(domain string) (string, error) {
	base := strings.TrimSuffix(domain, "/")
	if !strings.Contains(base, "://") {
		base = "https://" + base
	}
	u, err := url.Parse(base)
	if err != nil || u.Host == "" || u.Path != "" || u.RawQuery != "" || u.Fragment != "" || u.User != nil {
		return "", fmt.Errorf("AUTH0_DOMAIN %q is not a domain such as example.us.auth0.com", domain)
	}
	return base, nil
}

// localTokens asks the tenant's /oauth/token for the demo's tokens, as a
// client of Auth0 would, and makes two bad ones.
func localTokens(ctx context.Context, tenant *authtest.Tenant) ([]*bearer, error) {
	hc := tenant.Client()
	login := func(user, password, org string) (string, error) {
		return requestToken(ctx, hc, tenant.URL, url.Values{
			"grant_type": {authtest.GrantPasswordRealm}, "realm": {authtest.DefaultConnection},
			"client_id": {clientID}, "client_secret": {clientSecret},
			"username": {user}, "password": {password},
			"audience": {localAudience}, "organization": {org},
			// Ask for both; RBAC grants what the user's roles allow.
			"scope": {"read:items write:items"},
		})
	}
	alice, err := login("alice@example.com", "alice-password", "acme")
	if err != nil {
		return nil, err
	}
	bob, err := login("bob@example.com", "bob-password", "globex")
	if err != nil {
		return nil, err
	}
	service, err := requestToken(ctx, hc, tenant.URL, url.Values{
		"grant_type": {authtest.GrantClientCredentials},
		"client_id":  {clientID}, "client_secret": {clientSecret},
		"audience": {localAudience},
	})
	if err != nil {
		return nil, err
	}
	// Mint signs any claims: here Alice's, expired a minute ago.
	expired, err := tenant.Mint(authtest.Token{
		Claims: map[string]any{"sub": "auth0|alice", "aud": localAudience, "scope": "read:items",
			"org_id": acme.ID, "org_name": acme.Name},
		ExpiresIn: -time.Minute,
	})
	if err != nil {
		return nil, err
	}
	return []*bearer{
		{"ALICE", "alice: acme, role editor (read:items write:items)", alice},
		{"BOB", "bob: globex, role reader (read:items)", bob},
		{"SERVICE", clientID + ": client credentials (read:items), no organization", service},
		{"EXPIRED", "alice's claims, expired a minute ago", expired},
		{"TAMPERED", "ALICE with one character of the signature changed", tamper(alice)},
	}, nil
}

// requestToken posts form to the tenant's token endpoint and returns the
// access token.
func requestToken(ctx context.Context, hc *http.Client, base string, form url.Values) (string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, base+"/oauth/token", strings.NewReader(form.Encode()))
	if err != nil {
		return "", err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := hc.Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	var body struct {
		AccessToken string `json:"access_token"`
		Error       string `json:"error"`
		Description string `json:"error_description"`
	}
	if err := json.NewDecoder(io.LimitReader(resp.Body, 64<<10)).Decode(&body); err != nil {
		return "", fmt.Errorf("token endpoint: status %d, unreadable answer: %w", resp.StatusCode, err)
	}
	if resp.StatusCode != http.StatusOK || body.AccessToken == "" {
		return "", fmt.Errorf("token endpoint: status %d: %s: %s", resp.StatusCode, body.Error, body.Description)
	}
	return body.AccessToken, nil
}

// tamper changes one character in the middle of a token's signature, so
// that it is still well formed but no longer verifies. (Changing the last
// character could make the base64url non-canonical, a different failure.)
func tamper(token string) string {
	dot := strings.LastIndexByte(token, '.')
	if dot < 0 || dot == len(token)-1 {
		return token + "x" // not a JWS: refused anyway
	}
	i := dot + 1 + (len(token)-dot-1)/2
	c := byte('A')
	if token[i] == 'A' {
		c = 'B'
	}
	return token[:i] + string(c) + token[i+1:]
}
