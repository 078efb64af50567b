package authtest_test

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"testing"

	"github.com/tokengate/tokengate/authtest"
)

// TestTokenExchangeGrants (OB13): the tenant's Custom Token Exchange and
// Token Vault grants issue tokens only for what they check, and refuse the
// rest with Auth0's error shape.
func TestTokenExchangeGrants(t *testing.T) {
	const (
		api, down, custom = "https://api.example.com", "https://down.example.com", "urn:acme:api-token"
	)
	tn, err := authtest.NewTenant(authtest.Config{
		Clients: []authtest.Client{
			{ID: "api", Secret: "s", GrantTypes: []string{authtest.GrantTokenExchange, authtest.GrantFederatedConnectionToken}},
			{ID: "other", Secret: "s2", GrantTypes: []string{authtest.GrantClientCredentials}, Grants: map[string][]string{api: nil}},
		},
		Users:            []authtest.User{{ID: "alice", Email: "a@example.com", Password: "pw", VaultConnections: []string{"github"}}},
		APIs:             []string{api, down},
		CustomTokenTypes: []string{custom},
	})
	if err != nil {
		t.Fatal(err)
	}
	defer tn.Close()
	alice := tn.AccessToken("auth0|alice", api)
	key, err := authtest.NewDPoPKey("ES256")
	if err != nil {
		t.Fatal(err)
	}
	bound := tn.BoundAccessToken(key, "auth0|alice", api)
	expired, err := tn.Mint(authtest.Token{Claims: map[string]any{"sub": "auth0|alice", "aud": api}, ExpiresIn: -1e9})
	if err != nil {
		t.Fatal(err)
	}
	cte := func(kv ...string) url.Values {
		f := url.Values{"grant_type": {authtest.GrantTokenExchange}, "client_id": {"api"}, "client_secret": {"s"},
			"subject_token": {alice}, "subject_token_type": {custom}, "audience": {down}}
		for i := 0; i+1 < len(kv); i += 2 {
			if kv[i+1] == "" {
				f.Del(kv[i])
			} else {
				f.Set(kv[i], kv[i+1])
			}
		}
		return f
	}
	vault := func(kv ...string) url.Values {
		f := url.Values{"grant_type": {authtest.GrantFederatedConnectionToken}, "client_id": {"api"}, "client_secret": {"s"},
			"subject_token": {alice}, "subject_token_type": {authtest.TokenTypeAccessToken},
			"requested_token_type": {authtest.TokenTypeFederatedConnection}, "connection": {"github"}}
		for i := 0; i+1 < len(kv); i += 2 {
			if kv[i+1] == "" {
				f.Del(kv[i])
			} else {
				f.Set(kv[i], kv[i+1])
			}
		}
		return f
	}
	tests := []struct {
		name   string
		form   url.Values
		status int
		code   string
	}{
		{"OB13/cte_ok", cte(), 200, ""},
		{"OB13/cte_ietf_subject_type", cte("subject_token_type", authtest.TokenTypeAccessToken), 400, "invalid_request"},
		{"OB13/cte_unknown_subject_type", cte("subject_token_type", "urn:other"), 400, "invalid_request"},
		{"OB13/cte_no_subject_token", cte("subject_token", ""), 400, "invalid_request"},
		{"OB13/cte_garbage_subject", cte("subject_token", "a.b.c"), 400, "invalid_grant"},
		{"OB13/cte_expired_subject", cte("subject_token", expired), 400, "invalid_grant"},
		{"OB13/cte_bound_subject", cte("subject_token", bound), 400, "invalid_grant"},
		{"OB13/cte_client_subject", cte("subject_token", tn.AccessToken("other@clients", api)), 400, "invalid_grant"},
		{"OB13/cte_unknown_audience", cte("audience", "https://nowhere.example.com"), 403, "access_denied"},
		{"OB13/cte_actor_without_type", cte("actor_token", alice), 400, "invalid_request"},
		{"OB13/cte_bad_actor", cte("actor_token", "a.b.c", "actor_token_type", authtest.TokenTypeAccessToken), 400, "invalid_grant"},
		{"OB13/cte_wrong_client_secret", cte("client_secret", "nope"), 401, "access_denied"},
		{"OB13/cte_client_without_grant", cte("client_id", "other", "client_secret", "s2"), 403, "unauthorized_client"},
		{"OB13/vault_ok", vault(), 200, ""},
		{"OB13/vault_missing_connection", vault("connection", "google-oauth2"), 401, authtest.ErrorConnectionMissing},
		{"OB13/vault_no_connection", vault("connection", ""), 400, "invalid_request"},
		{"OB13/vault_requested_type", vault("requested_token_type", authtest.TokenTypeAccessToken), 400, "invalid_request"},
		{"OB13/vault_subject_type", vault("subject_token_type", custom), 400, "invalid_request"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, err := tn.Client().PostForm(tn.URL+"/oauth/token", tt.form)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			var body map[string]any
			if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
				t.Fatal(err)
			}
			if resp.StatusCode != tt.status || (tt.code != "" && body["error"] != tt.code) {
				t.Fatalf("got %d %v, want %d %s", resp.StatusCode, body["error"], tt.status, tt.code)
			}
			if tt.status == http.StatusOK && (body["token_type"] != "Bearer" || body["access_token"] == "" || body["issued_token_type"] == nil) {
				t.Fatalf("got %v, want a Bearer token with issued_token_type", body)
			}
		})
	}
}

// TestTokenExchangeConfig (OB13): a urn:ietf: custom type (Auth0 refuses
// it) and a public client with an exchange grant are configuration errors.
func TestTokenExchangeConfig(t *testing.T) {
	for name, cfg := range map[string]authtest.Config{
		"ietf_type":     {CustomTokenTypes: []string{"urn:ietf:params:oauth:token-type:jwt"}},
		"empty_type":    {CustomTokenTypes: []string{""}},
		"public_client": {Clients: []authtest.Client{{ID: "spa", GrantTypes: []string{authtest.GrantTokenExchange}}}},
	} {
		t.Run(name, func(t *testing.T) {
			if _, err := authtest.NewTenant(cfg); !errors.Is(err, authtest.ErrConfig) {
				t.Fatalf("got %v, want ErrConfig", err)
			}
		})
	}
}
