package exchange_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tokengate/tokengate/authtest"
	"github.com/tokengate/tokengate/client"
	"github.com/tokengate/tokengate/client/authentication"
	"github.com/tokengate/tokengate/exchange"
	"github.com/tokengate/tokengate/middleware"
	"github.com/tokengate/tokengate/verifier"
)

const (
	apiAud     = "https://api.example.com"
	downAud    = "https://downstream.example.com"
	customType = "urn:acme:api-access-token"
)

type clock struct{ ns atomic.Int64 }

func newClock() *clock {
	c := &clock{}
	c.ns.Store(time.Unix(1_800_000_000, 0).UnixNano())
	return c
}
func (c *clock) Now() time.Time      { return time.Unix(0, c.ns.Load()) }
func (c *clock) Add(d time.Duration) { c.ns.Add(int64(d)) }

// fixture: a tenant where users log in to the API (client "spa"), the API
// (client "api", confidential) exchanges their tokens for the downstream
// API or Token Vault connections, and an agent (client "agent") gets a
// client-credentials token to act with.
type fixture struct {
	tenant *authtest.Tenant
	clk    *clock
	api    *verifier.Verifier // incoming tokens
	down   *verifier.Verifier // exchanged tokens
	auth   *authentication.Client
}

func newFixture(t *testing.T, now func() time.Time) *fixture {
	t.Helper()
	f := &fixture{clk: newClock()}
	if now == nil {
		now = f.clk.Now
	}
	tn, err := authtest.NewTenant(authtest.Config{
		Clients: []authtest.Client{
			{ID: "spa", GrantTypes: []string{authtest.GrantPassword}},
			{ID: "api", Secret: "api-secret", GrantTypes: []string{authtest.GrantTokenExchange, authtest.GrantFederatedConnectionToken}},
			{ID: "agent", Secret: "agent-secret", Grants: map[string][]string{apiAud: {"act:for-users"}}},
		},
		Users: []authtest.User{
			{ID: "alice", Email: "alice@example.com", Password: "pw-alice", Roles: []string{"reader"}, VaultConnections: []string{"google-oauth2"}},
			{ID: "bob", Email: "bob@example.com", Password: "pw-bob", Roles: []string{"reader"}},
		},
		Roles:            []authtest.Role{{Name: "reader", Permissions: []authtest.Permission{{API: downAud, Name: "read:data"}, {API: apiAud, Name: "read:items"}}}},
		APIs:             []string{apiAud, downAud},
		CustomTokenTypes: []string{customType},
		TokenTTL:         10 * time.Minute,
		Now:              now,
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(tn.Close)
	f.tenant = tn
	if f.api, err = verifier.New(verifier.Config{Issuer: tn.Issuer(), Audience: []string{apiAud}, Keys: tn, Now: now}); err != nil {
		t.Fatal(err)
	}
	if f.down, err = verifier.New(verifier.Config{Issuer: tn.Issuer(), Audience: []string{downAud}, Keys: tn, Now: now}); err != nil {
		t.Fatal(err)
	}
	if f.auth, err = authentication.New(tn.URL, authentication.Config{ClientID: "api", ClientSecret: "api-secret",
		HTTP: client.Config{HTTPClient: tn.Client(), Now: now}}); err != nil {
		t.Fatal(err)
	}
	return f
}

func (f *fixture) exchanger(t *testing.T, cfg exchange.Config) *exchange.Exchanger {
	t.Helper()
	if cfg.Client == nil {
		cfg.Client = f.auth
	}
	if cfg.SubjectTokenType == "" {
		cfg.SubjectTokenType = customType
	}
	if cfg.Now == nil {
		cfg.Now = f.clk.Now
	}
	e, err := exchange.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// login runs the password grant of "spa" for the API.
func (f *fixture) login(t *testing.T, email, password string) string {
	t.Helper()
	return postToken(t, f.tenant, url.Values{"grant_type": {authtest.GrantPassword}, "client_id": {"spa"},
		"username": {email}, "password": {password}, "audience": {apiAud}, "scope": {"read:items"}})
}

// agentToken is the agent's client-credentials token for the API.
func (f *fixture) agentToken(t *testing.T) string {
	t.Helper()
	return postToken(t, f.tenant, url.Values{"grant_type": {authtest.GrantClientCredentials}, "client_id": {"agent"},
		"client_secret": {"agent-secret"}, "audience": {apiAud}})
}

func postToken(t *testing.T, tn *authtest.Tenant, form url.Values) string {
	t.Helper()
	resp, err := tn.Client().PostForm(tn.URL+"/oauth/token", form)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body struct {
		AccessToken string `json:"access_token"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("token: status %d, %v", resp.StatusCode, err)
	}
	return body.AccessToken
}

// as runs fn inside a handler behind middleware.Authenticate(v), for a
// request carrying token, and fails the test if the request does not get
// through.
func as(t *testing.T, v *verifier.Verifier, token string, fn func(ctx context.Context)) {
	t.Helper()
	reached := false
	h := middleware.Authenticate(v)(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		reached = true
		fn(r.Context())
	}))
	r := httptest.NewRequest(http.MethodGet, "https://api.example.com/items", nil)
	r.Header.Set("Authorization", "Bearer "+token)
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	if !reached {
		t.Fatalf("the request did not reach the handler: %d %s", w.Code, w.Header().Get("WWW-Authenticate"))
	}
}

func decodeJSON(resp *http.Response, v any) {
	defer resp.Body.Close()
	if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
		panic(err)
	}
}
