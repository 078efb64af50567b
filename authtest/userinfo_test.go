package authtest

import (
	"net/http"
	"net/url"
	"reflect"
	"testing"
	"time"
)

func TestUserinfo(t *testing.T) {
	tn := newTenant(t, fixtureConfig())
	userinfoAud := tn.Issuer() + "userinfo"
	aliceToken := func(scope string) string {
		return accessToken(t, tn, passwordForm(GrantPasswordRealm, webID, "alice@example.com", alicePass, "audience", testAPI, "scope", scope))
	}
	full := map[string]any{"sub": "auth0|alice", "name": "Alice Liddell", "nickname": "Alice", "picture": "https://example.com/alice.png",
		"email": "Alice@example.com", "email_verified": true}
	cases := []struct {
		name   string
		token  string
		method string
		want   map[string]any
	}{
		{"profile and email", aliceToken("openid profile email"), http.MethodGet, full},
		{"POST works too", aliceToken("openid profile email"), http.MethodPost, full},
		{"openid only", aliceToken("openid"), http.MethodGet, map[string]any{"sub": "auth0|alice"}},
		{"email only", aliceToken("openid email"), http.MethodGet, map[string]any{"sub": "auth0|alice", "email": "Alice@example.com", "email_verified": true}},
		{"minted token", mustMint(t, tn, Token{Claims: map[string]any{"sub": "auth0|carol", "aud": userinfoAud, "scope": "openid profile"}}), http.MethodGet,
			map[string]any{"sub": "auth0|carol", "name": "carol@example.com", "nickname": "carol"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			req, _ := http.NewRequest(c.method, tn.URL+"/userinfo", nil)
			req.Header.Set("Authorization", "Bearer "+c.token)
			res := do(t, tn, req)
			if res.status != http.StatusOK {
				t.Fatalf("got %d %s, want 200", res.status, res.body)
			}
			if got := res.json(t); !reflect.DeepEqual(got, c.want) {
				t.Errorf("got %v, want %v", got, c.want)
			}
		})
	}
	t.Run("lower-case scheme", func(t *testing.T) {
		req, _ := http.NewRequest(http.MethodGet, tn.URL+"/userinfo", nil)
		req.Header.Set("Authorization", "bearer "+aliceToken("openid"))
		if res := do(t, tn, req); res.status != http.StatusOK {
			t.Errorf("got %d, want 200", res.status)
		}
	})
}

func mustMint(t testing.TB, tn *Tenant, tok Token) string {
	t.Helper()
	s, err := tn.Mint(tok)
	if err != nil {
		t.Fatalf("Mint: %v", err)
	}
	return s
}

func TestUserinfoRefusals(t *testing.T) {
	tn := newTenant(t, fixtureConfig())
	userinfoAud := tn.Issuer() + "userinfo"
	realm := `Bearer realm="` + tn.Issuer() + `"`
	invalid := realm + `, error="invalid_token", error_description="Invalid token"`
	noOpenID := accessToken(t, tn, passwordForm(GrantPasswordRealm, webID, "alice@example.com", alicePass, "audience", testAPI, "scope", "read:items"))
	cases := []struct {
		name    string
		headers []string
		want    string // WWW-Authenticate
	}{
		{"no Authorization", nil, realm},
		{"Basic scheme", []string{"Basic YTpi"}, realm},
		{"Bearer without token", []string{"Bearer "}, realm},
		{"two Authorization headers", []string{"Bearer a", "Bearer b"}, realm},
		{"client credentials token", []string{"Bearer " + m2mToken(t, tn, testAPI)}, invalid},
		{"API token without openid", []string{"Bearer " + noOpenID}, invalid},
		{"expired", []string{"Bearer " + mustMint(t, tn, Token{ExpiresIn: -time.Minute, Claims: map[string]any{"sub": "auth0|alice", "aud": userinfoAud}})}, invalid},
		{"unknown user", []string{"Bearer " + mustMint(t, tn, Token{Claims: map[string]any{"sub": "auth0|ghost", "aud": userinfoAud}})}, invalid},
		{"HS256", []string{"Bearer " + mustMint(t, tn, Token{Alg: "HS256", Secret: []byte("0123456789abcdef0123456789abcdef"), Claims: map[string]any{"sub": "auth0|alice", "aud": userinfoAud}})}, invalid},
		{"unknown kid", []string{"Bearer " + mustMint(t, tn, Token{Header: map[string]any{"kid": "nope"}, Claims: map[string]any{"sub": "auth0|alice", "aud": userinfoAud}})}, invalid},
		{"garbage", []string{"Bearer not.a.token"}, invalid},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			req, _ := http.NewRequest(http.MethodGet, tn.URL+"/userinfo", nil)
			for _, h := range c.headers {
				req.Header.Add("Authorization", h)
			}
			res := do(t, tn, req)
			if res.status != http.StatusUnauthorized {
				t.Fatalf("got %d %s, want 401", res.status, res.body)
			}
			if got := res.header.Get("WWW-Authenticate"); got != c.want {
				t.Errorf("WWW-Authenticate: got %q, want %q", got, c.want)
			}
		})
	}
	// The query string is never a token channel.
	res := get(t, tn, "/userinfo?"+url.Values{"access_token": {noOpenID}}.Encode(), "")
	if res.status != http.StatusUnauthorized {
		t.Errorf("access_token query parameter: got %d, want 401", res.status)
	}
}
