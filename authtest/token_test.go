package authtest

import (
	"encoding/json"
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/tokengate/tokengate/verifier"
)

// rawToken posts body to the token endpoint as it is.
func rawToken(t *testing.T, tn *Tenant, contentType, body string, basicUser, basicPass string) response {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, tn.URL+"/oauth/token", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if basicUser != "" {
		req.SetBasicAuth(basicUser, basicPass)
	}
	return do(t, tn, req)
}

func ccForm(extra ...string) url.Values {
	f := url.Values{"grant_type": {GrantClientCredentials}, "client_id": {m2mID}, "client_secret": {m2mSecret}, "audience": {testAPI}}
	for i := 0; i+1 < len(extra); i += 2 {
		if extra[i+1] == "" {
			f.Del(extra[i])
		} else {
			f.Set(extra[i], extra[i+1])
		}
	}
	return f
}

func TestClientCredentials(t *testing.T) {
	now := time.Unix(1_800_000_000, 0)
	tn := newTenant(t, withClock(fixtureConfig(), now))
	cases := []struct {
		name string
		send func() response
	}{
		{"form with client_secret", func() response { return postForm(t, tn, ccForm()) }},
		{"JSON with client_secret", func() response {
			return postJSON(t, tn, map[string]any{"grant_type": GrantClientCredentials, "client_id": m2mID, "client_secret": m2mSecret, "audience": testAPI, "organization": nil})
		}},
		{"HTTP Basic", func() response {
			return rawToken(t, tn, "application/x-www-form-urlencoded", ccForm("client_id", "", "client_secret", "").Encode(), m2mID, m2mSecret)
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res := c.send()
			if res.status != http.StatusOK {
				t.Fatalf("got status %d (%s), want 200", res.status, res.body)
			}
			if cc := res.header.Get("Cache-Control"); cc != "no-store" {
				t.Errorf("Cache-Control: got %q, want no-store", cc)
			}
			body := res.json(t)
			if body["token_type"] != "Bearer" || body["expires_in"] != float64(86400) || body["scope"] != "read:items write:items" {
				t.Errorf("response: got %s, want token_type Bearer, expires_in 86400, scope read:items write:items", res.body)
			}
			if _, ok := body["id_token"]; ok {
				t.Errorf("response: got an id_token for client credentials")
			}
			tok := body["access_token"].(string)
			hdr := decodePart(t, tok, 0)
			if want := map[string]any{"alg": "RS256", "typ": "JWT", "kid": tn.SigningKeyID("RS256")}; !reflect.DeepEqual(hdr, want) {
				t.Errorf("header: got %v, want %v", hdr, want)
			}
			claims := decodePart(t, tok, 1)
			want := map[string]any{
				"iss": tn.Issuer(), "sub": m2mID + "@clients", "aud": testAPI, "azp": m2mID, "gty": "client-credentials",
				"scope": "read:items write:items", "permissions": []any{"read:items", "write:items"},
				"iat": float64(now.Unix()), "exp": float64(now.Unix() + 86400),
			}
			if !reflect.DeepEqual(claims, want) {
				t.Errorf("claims:\n got %v\nwant %v", claims, want)
			}
			vc, err := verify(t, tn, tok, verifier.Config{Audience: []string{testAPI}, Now: func() time.Time { return now }})
			if err != nil {
				t.Fatalf("verifier: %v", err)
			}
			if vc.Subject != m2mID+"@clients" || !vc.HasScope("write:items") || !vc.HasPermission("read:items") {
				t.Errorf("verified claims: got sub %q scope %v permissions %v", vc.Subject, vc.Scope, vc.Permissions)
			}
		})
	}
}

func withClock(cfg Config, now time.Time) Config {
	cfg.Now = func() time.Time { return now }
	return cfg
}

func TestClientCredentialsOptions(t *testing.T) {
	tn := newTenant(t, fixtureConfig())

	t.Run("scope subset", func(t *testing.T) {
		tok := accessToken(t, tn, ccForm("scope", "read:items"))
		c := decodePart(t, tok, 1)
		if c["scope"] != "read:items" || !reflect.DeepEqual(c["permissions"], []any{"read:items"}) {
			t.Errorf("got scope %v permissions %v, want read:items only", c["scope"], c["permissions"])
		}
	})
	t.Run("organization by name", func(t *testing.T) {
		tok := accessToken(t, tn, ccForm("organization", "ACME"))
		c := decodePart(t, tok, 1)
		if c["org_id"] != acmeID || c["org_name"] != "acme" {
			t.Errorf("got org_id %v org_name %v, want %s acme", c["org_id"], c["org_name"], acmeID)
		}
		vc, err := verify(t, tn, tok, verifier.Config{Audience: []string{testAPI}})
		if err != nil {
			t.Fatal(err)
		}
		for _, org := range []string{acmeID, "Acme"} {
			if err := vc.CheckOrganization(org); err != nil {
				t.Errorf("CheckOrganization(%q): %v", org, err)
			}
		}
	})
	t.Run("management API", func(t *testing.T) {
		tok := m2mToken(t, tn, tn.ManagementAudience())
		c := decodePart(t, tok, 1)
		if c["aud"] != tn.Issuer()+"api/v2/" || !strings.Contains(c["scope"].(string), "read:users") {
			t.Errorf("got aud %v scope %v, want %sapi/v2/ with read:users", c["aud"], c["scope"], tn.Issuer())
		}
	})
	t.Run("default audience and TTL", func(t *testing.T) {
		cfg := fixtureConfig()
		cfg.DefaultAudience, cfg.TokenTTL = testAPI, 5*time.Minute
		tn2 := newTenant(t, cfg)
		res := postForm(t, tn2, ccForm("audience", ""))
		if res.status != http.StatusOK || res.json(t)["expires_in"] != float64(300) {
			t.Fatalf("got %d %s, want 200 with expires_in 300", res.status, res.body)
		}
		c := decodePart(t, res.json(t)["access_token"].(string), 1)
		if c["aud"] != testAPI || c["exp"].(float64)-c["iat"].(float64) != 300 {
			t.Errorf("got aud %v, lifetime %v; want %s, 300", c["aud"], c["exp"].(float64)-c["iat"].(float64), testAPI)
		}
	})
}

func passwordForm(grant, client, user, pass string, extra ...string) url.Values {
	f := url.Values{"grant_type": {grant}, "client_id": {client}, "username": {user}, "password": {pass}}
	if client == webID {
		f.Set("client_secret", webSecret)
	}
	for i := 0; i+1 < len(extra); i += 2 {
		f.Set(extra[i], extra[i+1])
	}
	return f
}

func TestPasswordGrants(t *testing.T) {
	now := time.Unix(1_800_000_000, 0)
	tn := newTenant(t, withClock(fixtureConfig(), now))
	userinfo := tn.Issuer() + "userinfo"
	cases := []struct {
		name      string
		form      url.Values
		scope     string
		aud       any
		perms     any // nil: no permissions claim
		org       string
		idToken   map[string]any // claims beyond iss, aud, iat, exp; nil: no ID token
		wantNoKey []string
	}{
		{
			name:  "password-realm with API and openid",
			form:  passwordForm(GrantPasswordRealm, webID, "alice@example.com", alicePass, "realm", DefaultConnection, "audience", testAPI, "scope", "openid profile email read:items write:items"),
			scope: "openid profile email read:items", aud: []any{testAPI, userinfo}, perms: []any{"read:items"},
			idToken: map[string]any{"sub": "auth0|alice", "name": "Alice Liddell", "nickname": "Alice", "picture": "https://example.com/alice.png", "email": "Alice@example.com", "email_verified": true},
		},
		{
			name:  "organization roles add permissions",
			form:  passwordForm(GrantPasswordRealm, webID, "alice@example.com", alicePass, "audience", testAPI, "scope", "openid read:items write:items", "organization", acmeID),
			scope: "openid read:items write:items", aud: []any{testAPI, userinfo}, perms: []any{"read:items", "write:items"}, org: acmeID,
			idToken: map[string]any{"sub": "auth0|alice", "org_id": acmeID, "org_name": "acme"},
		},
		{
			name:  "plain password, no scope, no audience",
			form:  passwordForm(GrantPassword, webID, "ALICE@example.COM", alicePass),
			scope: "openid profile email address phone", aud: userinfo,
			idToken: map[string]any{"sub": "auth0|alice", "name": "Alice Liddell", "nickname": "Alice", "picture": "https://example.com/alice.png", "email": "Alice@example.com", "email_verified": true},
		},
		{
			name:  "no openid: aud is a string, no ID token",
			form:  passwordForm(GrantPasswordRealm, webID, "alice@example.com", alicePass, "audience", testAPI, "scope", "read:items"),
			scope: "read:items", aud: testAPI, perms: []any{"read:items"},
		},
		{
			name:  "username in another realm, public client",
			form:  passwordForm(GrantPasswordRealm, spaID, "bobby", bobPass, "realm", "employees", "audience", otherAPI, "scope", "openid use:other"),
			scope: "openid", aud: []any{otherAPI, userinfo}, perms: []any{},
			idToken: map[string]any{"sub": "auth0|bob"},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res := postForm(t, tn, c.form)
			if res.status != http.StatusOK {
				t.Fatalf("got status %d (%s), want 200", res.status, res.body)
			}
			body := res.json(t)
			if body["scope"] != c.scope {
				t.Errorf("response scope: got %v, want %q", body["scope"], c.scope)
			}
			claims := decodePart(t, body["access_token"].(string), 1)
			want := map[string]any{
				"iss": tn.Issuer(), "sub": claims["sub"], "aud": c.aud, "azp": c.form.Get("client_id"), "scope": c.scope,
				"iat": float64(now.Unix()), "exp": float64(now.Unix() + 86400),
			}
			if c.perms != nil {
				want["permissions"] = c.perms
			}
			if c.org != "" {
				want["org_id"], want["org_name"] = c.org, "acme"
			}
			if !reflect.DeepEqual(claims, want) {
				t.Errorf("access token claims:\n got %v\nwant %v", claims, want)
			}
			if !strings.HasPrefix(claims["sub"].(string), "auth0|") {
				t.Errorf("sub: got %v, want auth0|<id>", claims["sub"])
			}
			aud := testAPI
			if _, isList := c.aud.([]any); !isList {
				aud, _ = c.aud.(string)
			}
			if c.form.Get("audience") == otherAPI {
				aud = otherAPI
			}
			if _, err := verify(t, tn, body["access_token"].(string), verifier.Config{Audience: []string{aud}, Now: func() time.Time { return now }}); err != nil {
				t.Errorf("access token does not verify: %v", err)
			}

			idTok, has := body["id_token"].(string)
			if c.idToken == nil {
				if has {
					t.Errorf("got an ID token, want none")
				}
				return
			}
			if !has {
				t.Fatalf("got no ID token, want one")
			}
			idClaims := decodePart(t, idTok, 1)
			wantID := map[string]any{"iss": tn.Issuer(), "aud": c.form.Get("client_id"), "iat": float64(now.Unix()), "exp": float64(now.Unix() + 36000)}
			for k, v := range c.idToken {
				wantID[k] = v
			}
			if !reflect.DeepEqual(idClaims, wantID) {
				t.Errorf("ID token claims:\n got %v\nwant %v", idClaims, wantID)
			}
			if _, err := verify(t, tn, idTok, verifier.Config{Audience: []string{c.form.Get("client_id")}, Kind: verifier.IDToken, Now: func() time.Time { return now }}); err != nil {
				t.Errorf("ID token does not verify: %v", err)
			}
		})
	}
}

func TestPasswordGrantJSONAsTheSDKsSendIt(t *testing.T) {
	tn := newTenant(t, fixtureConfig())
	// The Auth0 SDKs send unset options as JSON null; scope may be a list.
	cases := []struct {
		name      string
		body      map[string]any
		wantScope string
	}{
		{"nulls", map[string]any{"grant_type": GrantPasswordRealm, "client_id": webID, "client_secret": webSecret, "username": "alice@example.com",
			"password": alicePass, "realm": nil, "scope": nil, "audience": testAPI}, defaultUserScope},
		{"scope list", map[string]any{"grant_type": GrantPasswordRealm, "client_id": webID, "client_secret": webSecret, "username": "alice@example.com",
			"password": alicePass, "scope": []string{"openid", "read:items"}, "audience": testAPI}, "openid read:items"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res := postJSON(t, tn, c.body)
			if res.status != http.StatusOK {
				t.Fatalf("got status %d (%s), want 200", res.status, res.body)
			}
			if got := res.json(t)["scope"]; got != c.wantScope {
				t.Errorf("scope: got %v, want %q", got, c.wantScope)
			}
		})
	}
}

func TestTokenErrors(t *testing.T) {
	tn := newTenant(t, fixtureConfig())
	form := "application/x-www-form-urlencoded"
	pw := func(extra ...string) string {
		return passwordForm(GrantPasswordRealm, webID, "alice@example.com", alicePass, extra...).Encode()
	}
	cases := []struct {
		name        string
		ctype, body string
		basic       [2]string
		status      int
		want        string // exact body
	}{
		{"missing grant_type", form, ccForm("grant_type", "").Encode(), [2]string{}, 400,
			`{"error":"invalid_request","error_description":"Missing required parameter: grant_type"}`},
		{"unsupported grant type", form, ccForm("grant_type", "authorization_code").Encode(), [2]string{}, 400,
			`{"error":"unsupported_grant_type","error_description":"Unsupported grant type: authorization_code"}`},
		{"unknown client", form, ccForm("client_id", "nobody").Encode(), [2]string{}, 401,
			`{"error":"access_denied","error_description":"Unauthorized"}`},
		{"wrong secret", form, ccForm("client_secret", "wrong").Encode(), [2]string{}, 401,
			`{"error":"access_denied","error_description":"Unauthorized"}`},
		{"confidential client without secret", form, ccForm("client_secret", "").Encode(), [2]string{}, 401,
			`{"error":"access_denied","error_description":"Unauthorized"}`},
		{"secret for a public client", form, passwordForm(GrantPasswordRealm, spaID, "alice@example.com", alicePass, "client_secret", "guess").Encode(), [2]string{}, 401,
			`{"error":"access_denied","error_description":"Unauthorized"}`},
		{"wrong Basic secret", form, ccForm("client_id", "", "client_secret", "").Encode(), [2]string{m2mID, "wrong"}, 401,
			`{"error":"access_denied","error_description":"Unauthorized"}`},
		{"missing client_id", form, ccForm("client_id", "").Encode(), [2]string{}, 400,
			`{"error":"invalid_request","error_description":"Missing required parameter: client_id"}`},
		{"Basic and body secret", form, ccForm().Encode(), [2]string{m2mID, m2mSecret}, 400,
			`{"error":"invalid_request","error_description":"Multiple client authentication methods"}`},
		{"grant type not allowed", form, ccForm("client_id", webID, "client_secret", webSecret).Encode(), [2]string{}, 403,
			`{"error":"unauthorized_client","error_description":"Grant type 'client_credentials' not allowed for the client."}`},
		{"unknown API", form, ccForm("audience", "https://nope.example.com").Encode(), [2]string{}, 403,
			`{"error":"access_denied","error_description":"Service not found: https://nope.example.com"}`},
		{"no client grant", form, ccForm("audience", otherAPI).Encode(), [2]string{}, 403,
			`{"error":"access_denied","error_description":"Client is not authorized to access \"https://other.example.com\". You need to create a \"client-grant\" associated to this API. See: https://auth0.com/docs/api/v2#!/Client_Grants/post_client_grants"}`},
		{"no audience", form, ccForm("audience", "").Encode(), [2]string{}, 403,
			`{"error":"access_denied","error_description":"No audience parameter was provided, and no default audience has been configured"}`},
		{"scope not granted", form, ccForm("scope", "read:items delete:items").Encode(), [2]string{}, 403,
			`{"error":"access_denied","error_description":"Client has not been granted scopes: delete:items"}`},
		{"organization not allowed to the client", form, ccForm("organization", globexName).Encode(), [2]string{}, 403,
			`{"error":"access_denied","error_description":"Client is not allowed to access the organization"}`},
		{"unknown organization", form, ccForm("organization", "org_nope").Encode(), [2]string{}, 400,
			`{"error":"invalid_request","error_description":"No organization found by that id or name"}`},
		{"wrong password", form, passwordForm(GrantPasswordRealm, webID, "alice@example.com", "wrong").Encode(), [2]string{}, 403,
			`{"error":"invalid_grant","error_description":"Wrong email or password."}`},
		{"unknown user", form, passwordForm(GrantPassword, webID, "mallory@example.com", alicePass).Encode(), [2]string{}, 403,
			`{"error":"invalid_grant","error_description":"Wrong email or password."}`},
		{"user of another realm", form, passwordForm(GrantPassword, webID, "bob@example.com", bobPass).Encode(), [2]string{}, 403,
			`{"error":"invalid_grant","error_description":"Wrong email or password."}`},
		{"unknown realm", form, pw("realm", "nope"), [2]string{}, 400,
			`{"error":"invalid_request","error_description":"the connection was not found"}`},
		{"missing password", form, pw("password", ""), [2]string{}, 400,
			`{"error":"invalid_request","error_description":"Missing required parameter: password"}`},
		{"not a member of the organization", form, passwordForm(GrantPasswordRealm, spaID, "bobby", bobPass, "realm", "employees", "organization", "acme").Encode(), [2]string{}, 403,
			`{"error":"access_denied","error_description":"User is not a member of the organization"}`},
		{"unknown API for a user", form, pw("audience", "https://nope.example.com"), [2]string{}, 403,
			`{"error":"access_denied","error_description":"Service not found: https://nope.example.com"}`},
		{"text/plain body", "text/plain", ccForm().Encode(), [2]string{}, 400,
			`{"error":"invalid_request","error_description":"Content-Type must be application/json or application/x-www-form-urlencoded"}`},
		{"no content type", "", ccForm().Encode(), [2]string{}, 400,
			`{"error":"invalid_request","error_description":"Content-Type must be application/json or application/x-www-form-urlencoded"}`},
		{"malformed JSON", "application/json", `{"grant_type":`, [2]string{}, 400,
			`{"error":"invalid_request","error_description":"Malformed JSON body"}`},
		{"JSON trailing data", "application/json", `{"grant_type":"client_credentials"}{}`, [2]string{}, 400,
			`{"error":"invalid_request","error_description":"Malformed JSON body"}`},
		{"JSON array", "application/json", `["client_credentials"]`, [2]string{}, 400,
			`{"error":"invalid_request","error_description":"Malformed JSON body"}`},
		{"JSON number parameter", "application/json", `{"grant_type":"client_credentials","client_id":7}`, [2]string{}, 400,
			`{"error":"invalid_request","error_description":"Parameter client_id must be a string"}`},
		{"JSON duplicate parameter", "application/json", `{"client_id":"` + m2mID + `","client_id":"other"}`, [2]string{}, 400,
			`{"error":"invalid_request","error_description":"Duplicate parameter: client_id"}`},
		{"form duplicate parameter", form, ccForm().Encode() + "&audience=" + url.QueryEscape(otherAPI), [2]string{}, 400,
			`{"error":"invalid_request","error_description":"Duplicate parameter: audience"}`},
		{"body too large", form, ccForm().Encode() + "&pad=" + strings.Repeat("x", maxTokenBody), [2]string{}, 413,
			`{"error":"invalid_request","error_description":"Request body too large"}`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res := rawToken(t, tn, c.ctype, c.body, c.basic[0], c.basic[1])
			if res.status != c.status || string(res.body) != c.want {
				t.Errorf("got %d %s\nwant %d %s", res.status, res.body, c.status, c.want)
			}
			var shape map[string]string
			if err := json.Unmarshal(res.body, &shape); err != nil || len(shape) != 2 || shape["error"] == "" || shape["error_description"] == "" {
				t.Errorf("body %s: want exactly error and error_description", res.body)
			}
		})
	}
	t.Run("GET is not allowed", func(t *testing.T) {
		if res := get(t, tn, "/oauth/token", ""); res.status != http.StatusMethodNotAllowed {
			t.Errorf("got %d, want 405", res.status)
		}
	})
}

func TestTokenNeverEchoesSecrets(t *testing.T) {
	tn := newTenant(t, fixtureConfig())
	secret := "do-not-echo-this-secret"
	for _, f := range []url.Values{
		ccForm("client_secret", secret),
		passwordForm(GrantPasswordRealm, webID, "alice@example.com", secret),
	} {
		res := postForm(t, tn, f)
		if res.status == http.StatusOK || strings.Contains(string(res.body), secret) {
			t.Errorf("got %d %s, want a refusal that does not echo the secret", res.status, res.body)
		}
	}
}

func TestTokenRequestCounter(t *testing.T) {
	tn := newTenant(t, fixtureConfig())
	const n = 20
	done := make(chan int, n)
	for i := range n {
		go func() {
			f := ccForm()
			if i%2 == 1 {
				f = ccForm("client_secret", "wrong") // refused requests count too
			}
			res, err := tn.Client().PostForm(tn.URL+"/oauth/token", f)
			if err != nil {
				done <- 0
				return
			}
			res.Body.Close()
			done <- res.StatusCode
		}()
	}
	ok := 0
	for range n {
		if <-done == http.StatusOK {
			ok++
		}
	}
	if got := tn.TokenRequests(); got != n || ok != n/2 {
		t.Errorf("TokenRequests: got %d (%d succeeded), want %d (%d)", got, ok, n, n/2)
	}
}
