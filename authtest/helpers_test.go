package authtest

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/tokengate/tokengate/verifier"
)

// Keys shared by the tests: RSA key generation costs ~100 ms, more under
// -race.
var (
	testRSA = sync.OnceValue(func() *rsa.PrivateKey {
		k, err := generateRSA()
		if err != nil {
			panic(err)
		}
		return k
	})
	testRSA2 = sync.OnceValue(func() *rsa.PrivateKey {
		k, err := generateRSA()
		if err != nil {
			panic(err)
		}
		return k
	})
	testEC = sync.OnceValue(func() *ecdsa.PrivateKey {
		k, err := generateEC()
		if err != nil {
			panic(err)
		}
		return k
	})
)

const (
	testAPI    = "https://api.example.com"
	otherAPI   = "https://other.example.com"
	m2mID      = "m2m-client"
	m2mSecret  = "m2m-secret-value"
	webID      = "web-client"
	webSecret  = "web-secret-value"
	spaID      = "spa-client"
	alicePass  = "alice-password"
	bobPass    = "bob-password"
	acmeID     = "org_acme0000000001"
	globexName = "globex"
)

// fixtureConfig is a small tenant: one API with RBAC roles, a machine
// client, a confidential and a public web client, two users in two
// organizations.
func fixtureConfig() Config {
	return Config{
		Clients: []Client{
			{
				ID: m2mID, Secret: m2mSecret, Name: "Machine",
				Grants:           map[string][]string{testAPI: {"read:items", "write:items"}},
				ManagementScopes: []string{"read:users", "read:roles", "read:organizations", "read:organization_members", "read:organization_member_roles"},
				Organizations:    []string{acmeID},
			},
			{ID: webID, Secret: webSecret, GrantTypes: []string{GrantPassword, GrantPasswordRealm}},
			{ID: spaID},
			{ID: "limited", Secret: "limited-secret", ManagementScopes: []string{"read:organizations"}},
		},
		Roles: []Role{
			{Name: "reader", Description: "Reads items", Permissions: []Permission{{API: testAPI, Name: "read:items"}}},
			{Name: "writer", Description: "Writes items", Permissions: []Permission{{API: testAPI, Name: "write:items"}}},
			{ID: "rol_other", Name: "other-api", Permissions: []Permission{{API: otherAPI, Name: "use:other"}}},
		},
		Organizations: []Organization{
			{ID: acmeID, Name: "acme", DisplayName: "Acme Inc."},
			{Name: globexName, DisplayName: "Globex"},
		},
		Users: []User{
			{
				ID: "alice", Email: "Alice@example.com", EmailVerified: true, Name: "Alice Liddell", Password: alicePass,
				Picture: "https://example.com/alice.png",
				Roles:   []string{"reader"},
				Organizations: []Membership{
					{Organization: "acme", Roles: []string{"writer"}},
					{Organization: globexName},
				},
				AppMetadata: map[string]any{"plan": "gold"},
			},
			{ID: "bob", Email: "bob@example.com", Username: "bobby", Password: bobPass, Connection: "employees",
				Organizations: []Membership{{Organization: globexName, Roles: []string{"reader"}}}},
			{ID: "carol", Email: "carol@example.com", Password: "carol-password",
				Organizations: []Membership{{Organization: acmeID}}},
		},
	}
}

// newTenant starts a tenant with the shared keys unless cfg gives keys.
func newTenant(t testing.TB, cfg Config) *Tenant {
	t.Helper()
	if cfg.RSAKey == nil {
		cfg.RSAKey = testRSA()
	}
	if cfg.ECKey == nil {
		cfg.ECKey = testEC()
	}
	tn, err := NewTenant(cfg)
	if err != nil {
		t.Fatalf("NewTenant: %v", err)
	}
	t.Cleanup(tn.Close)
	return tn
}

// response is a decoded HTTP answer.
type response struct {
	status int
	header http.Header
	body   []byte
}

func (r response) json(t testing.TB) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(r.body, &m); err != nil {
		t.Fatalf("body %q is not a JSON object: %v", r.body, err)
	}
	return m
}

func do(t testing.TB, tn *Tenant, req *http.Request) response {
	t.Helper()
	res, err := tn.Client().Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", req.Method, req.URL.Path, err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(io.LimitReader(res.Body, 8<<20))
	if err != nil {
		t.Fatalf("reading %s: %v", req.URL.Path, err)
	}
	return response{res.StatusCode, res.Header, body}
}

func get(t testing.TB, tn *Tenant, path, bearer string) response {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, tn.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	if bearer != "" {
		req.Header.Set("Authorization", "Bearer "+bearer)
	}
	return do(t, tn, req)
}

// postForm posts a form-encoded token request.
func postForm(t testing.TB, tn *Tenant, form url.Values) response {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, tn.URL+"/oauth/token", strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return do(t, tn, req)
}

// postJSON posts a JSON token request.
func postJSON(t testing.TB, tn *Tenant, body any) response {
	t.Helper()
	b, err := json.Marshal(body)
	if err != nil {
		t.Fatal(err)
	}
	req, err := http.NewRequest(http.MethodPost, tn.URL+"/oauth/token", bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	return do(t, tn, req)
}

// accessToken gets a token over HTTP and fails the test unless it is issued.
func accessToken(t testing.TB, tn *Tenant, form url.Values) string {
	t.Helper()
	res := postForm(t, tn, form)
	if res.status != http.StatusOK {
		t.Fatalf("token request: got status %d (%s), want 200", res.status, res.body)
	}
	tok, _ := res.json(t)["access_token"].(string)
	if tok == "" {
		t.Fatalf("token response %s has no access_token", res.body)
	}
	return tok
}

func m2mToken(t testing.TB, tn *Tenant, audience string) string {
	return accessToken(t, tn, url.Values{
		"grant_type": {GrantClientCredentials}, "client_id": {m2mID}, "client_secret": {m2mSecret}, "audience": {audience},
	})
}

// verify checks tok with package verifier against the tenant's published
// keys, as an API would.
func verify(t testing.TB, tn *Tenant, tok string, cfg verifier.Config) (*verifier.Claims, error) {
	t.Helper()
	if cfg.Issuer == "" {
		cfg.Issuer = tn.Issuer()
	}
	if cfg.Keys == nil {
		cfg.Keys = tn.KeySet()
	}
	v, err := verifier.New(cfg)
	if err != nil {
		t.Fatalf("verifier.New: %v", err)
	}
	return v.Verify(context.Background(), tok)
}

// decodePart decodes the header (0) or payload (1) of a compact JWS without
// verifying it, to look at exactly what the tenant wrote.
func decodePart(t testing.TB, tok string, i int) map[string]any {
	t.Helper()
	parts := strings.Split(tok, ".")
	if len(parts) != 3 {
		t.Fatalf("token has %d parts, want 3", len(parts))
	}
	b, err := base64.RawURLEncoding.DecodeString(parts[i])
	if err != nil {
		t.Fatalf("part %d: %v", i, err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatalf("part %d: %v", i, err)
	}
	return m
}
