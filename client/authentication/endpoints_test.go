package authentication

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"reflect"
	"testing"
)

// TestEndpoints checks, for every endpoint of the reference inventory
// (Python SDK 4.13/5.8), the HTTP method, path, content type, body fields
// and client authentication sent, and the decoding of a typical answer.
func TestEndpoints(t *testing.T) {
	const tokenAnswer = `{"access_token":"at","id_token":"","refresh_token":"rt","expires_in":86400,"scope":"openid","token_type":"Bearer"}`
	cases := []struct {
		name       string
		reply      string
		call       func(ctx context.Context, c *Client) (any, error)
		wantMethod string
		wantPath   string
		wantType   string         // content type
		wantForm   url.Values     // for form bodies
		wantJSON   map[string]any // for JSON bodies
		wantHeader http.Header
	}{
		{
			name: "AuthorizationCode", reply: tokenAnswer,
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.AuthorizationCode(ctx, AuthorizationCodeRequest{Code: "the-code", RedirectURI: "https://app/cb"})
			},
			wantMethod: "POST", wantPath: "/oauth/token", wantType: "application/x-www-form-urlencoded",
			wantForm: url.Values{"client_id": {"cid"}, "client_secret": {"csecret"}, "code": {"the-code"}, "grant_type": {"authorization_code"}, "redirect_uri": {"https://app/cb"}},
		},
		{
			name: "AuthorizationCodePKCE sends no client authentication", reply: tokenAnswer,
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.AuthorizationCodePKCE(ctx, AuthorizationCodePKCERequest{Code: "c", CodeVerifier: "v", RedirectURI: "https://app/cb"})
			},
			wantMethod: "POST", wantPath: "/oauth/token", wantType: "application/x-www-form-urlencoded",
			wantForm: url.Values{"client_id": {"cid"}, "code": {"c"}, "code_verifier": {"v"}, "grant_type": {"authorization_code"}, "redirect_uri": {"https://app/cb"}},
		},
		{
			name: "ClientCredentials with organization", reply: tokenAnswer,
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.ClientCredentials(ctx, ClientCredentialsRequest{Audience: "https://api/", Organization: "org_123"})
			},
			wantMethod: "POST", wantPath: "/oauth/token", wantType: "application/x-www-form-urlencoded",
			wantForm: url.Values{"client_id": {"cid"}, "client_secret": {"csecret"}, "audience": {"https://api/"}, "grant_type": {"client_credentials"}, "organization": {"org_123"}},
		},
		{
			name: "Login with forwarded-for", reply: tokenAnswer,
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.Login(ctx, LoginRequest{Username: "u", Password: "p", Realm: "db", Scope: "openid", Audience: "https://api/", ForwardedFor: "203.0.113.9"})
			},
			wantMethod: "POST", wantPath: "/oauth/token", wantType: "application/x-www-form-urlencoded",
			wantForm: url.Values{"client_id": {"cid"}, "client_secret": {"csecret"}, "username": {"u"}, "password": {"p"}, "realm": {"db"},
				"scope": {"openid"}, "audience": {"https://api/"}, "grant_type": {GrantPasswordRealm}},
			wantHeader: http.Header{"Auth0-Forwarded-For": {"203.0.113.9"}},
		},
		{
			name: "RefreshToken", reply: tokenAnswer,
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.RefreshToken(ctx, RefreshTokenRequest{RefreshToken: "rt", Scope: "openid"})
			},
			wantMethod: "POST", wantPath: "/oauth/token", wantType: "application/x-www-form-urlencoded",
			wantForm: url.Values{"client_id": {"cid"}, "client_secret": {"csecret"}, "refresh_token": {"rt"}, "scope": {"openid"}, "grant_type": {"refresh_token"}},
		},
		{
			// JSON, as go-auth0 (Passwordless.LoginWithEmail/LoginWithSMS)
			// and auth0-python (GetToken.passwordless_login) send it.
			name: "PasswordlessLogin is JSON", reply: tokenAnswer,
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.PasswordlessLogin(ctx, PasswordlessLoginRequest{Username: "a@example.com", OTP: "123456", Realm: "email", Scope: "openid", Audience: "https://api/"})
			},
			wantMethod: "POST", wantPath: "/oauth/token", wantType: "application/json",
			wantJSON: map[string]any{"client_id": "cid", "client_secret": "csecret", "username": "a@example.com", "otp": "123456", "realm": "email",
				"scope": "openid", "audience": "https://api/", "grant_type": GrantPasswordlessOTP},
		},
		{
			name: "BackChannelLoginToken", reply: tokenAnswer,
			call:       func(ctx context.Context, c *Client) (any, error) { return c.BackChannelLoginToken(ctx, "req-1") },
			wantMethod: "POST", wantPath: "/oauth/token", wantType: "application/x-www-form-urlencoded",
			wantForm: url.Values{"client_id": {"cid"}, "client_secret": {"csecret"}, "auth_req_id": {"req-1"}, "grant_type": {GrantCIBA}},
		},
		{
			name: "AccessTokenForConnection", reply: tokenAnswer,
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.AccessTokenForConnection(ctx, ConnectionTokenRequest{SubjectTokenType: "urn:ietf:params:oauth:token-type:refresh_token",
					SubjectToken: "st", RequestedTokenType: "http://auth0.com/oauth/token-type/federated-connection-access-token", Connection: "google-oauth2", LoginHint: "u@example.com"})
			},
			wantMethod: "POST", wantPath: "/oauth/token", wantType: "application/x-www-form-urlencoded",
			wantForm: url.Values{"client_id": {"cid"}, "client_secret": {"csecret"}, "grant_type": {GrantFederatedConnectionToken},
				"subject_token_type": {"urn:ietf:params:oauth:token-type:refresh_token"}, "subject_token": {"st"},
				"requested_token_type": {"http://auth0.com/oauth/token-type/federated-connection-access-token"}, "connection": {"google-oauth2"}, "login_hint": {"u@example.com"}},
		},
		{
			name: "Signup sends optional fields only when set", reply: `{"_id":"id1","email":"a@example.com","email_verified":false}`,
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.Signup(ctx, SignupRequest{Email: "a@example.com", Password: "pw", Connection: "db", Nickname: "ada", UserMetadata: map[string]string{"plan": "pro"}})
			},
			wantMethod: "POST", wantPath: "/dbconnections/signup", wantType: "application/json",
			wantJSON: map[string]any{"client_id": "cid", "email": "a@example.com", "password": "pw", "connection": "db", "nickname": "ada", "user_metadata": map[string]any{"plan": "pro"}},
		},
		{
			name: "ChangePassword with organization", reply: `"We've just sent you an email to reset your password."`,
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.ChangePassword(ctx, ChangePasswordRequest{Email: "a@example.com", Connection: "db", Organization: "org_1"})
			},
			wantMethod: "POST", wantPath: "/dbconnections/change_password", wantType: "application/json",
			wantJSON: map[string]any{"client_id": "cid", "email": "a@example.com", "connection": "db", "organization": "org_1"},
		},
		{
			name: "PasswordlessEmail", reply: `{"_id":"x","email":"a@example.com","email_verified":false}`,
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.PasswordlessEmail(ctx, PasswordlessEmailRequest{Email: "a@example.com", Send: "code", AuthParams: map[string]any{"scope": "openid"}})
			},
			wantMethod: "POST", wantPath: "/passwordless/start", wantType: "application/json",
			wantJSON: map[string]any{"client_id": "cid", "client_secret": "csecret", "connection": "email", "email": "a@example.com", "send": "code", "authParams": map[string]any{"scope": "openid"}},
		},
		{
			name: "PasswordlessEmail defaults to a link", reply: `{}`,
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.PasswordlessEmail(ctx, PasswordlessEmailRequest{Email: "a@example.com"})
			},
			wantMethod: "POST", wantPath: "/passwordless/start", wantType: "application/json",
			wantJSON: map[string]any{"client_id": "cid", "client_secret": "csecret", "connection": "email", "email": "a@example.com", "send": "link"},
		},
		{
			name: "PasswordlessSMS", reply: `{"_id":"x","phone_number":"+15555550100"}`,
			call:       func(ctx context.Context, c *Client) (any, error) { return c.PasswordlessSMS(ctx, "+15555550100") },
			wantMethod: "POST", wantPath: "/passwordless/start", wantType: "application/json",
			wantJSON: map[string]any{"client_id": "cid", "client_secret": "csecret", "connection": "sms", "phone_number": "+15555550100"},
		},
		{
			name: "RevokeRefreshToken", reply: ``,
			call:       func(ctx context.Context, c *Client) (any, error) { return nil, c.RevokeRefreshToken(ctx, "rt") },
			wantMethod: "POST", wantPath: "/oauth/revoke", wantType: "application/json",
			wantJSON: map[string]any{"client_id": "cid", "client_secret": "csecret", "token": "rt"},
		},
		{
			name: "SocialLogin", reply: `{"access_token":"at","token_type":"Bearer"}`,
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.SocialLogin(ctx, SocialLoginRequest{AccessToken: "fb-token", Connection: "facebook"})
			},
			wantMethod: "POST", wantPath: "/oauth/access_token", wantType: "application/json",
			wantJSON: map[string]any{"client_id": "cid", "access_token": "fb-token", "connection": "facebook", "scope": "openid"},
		},
		{
			name: "Delegation with an ID token", reply: `{"id_token":"","token_type":"Bearer","expires_in":36000}`,
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.Delegation(ctx, DelegationRequest{Target: "other", APIType: "app", GrantType: "urn:ietf:params:oauth:grant-type:jwt-bearer", IDToken: "idt"})
			},
			wantMethod: "POST", wantPath: "/delegation", wantType: "application/json",
			wantJSON: map[string]any{"client_id": "cid", "grant_type": "urn:ietf:params:oauth:grant-type:jwt-bearer", "target": "other", "scope": "openid", "api_type": "app", "id_token": "idt"},
		},
		{
			name: "Delegation with a refresh token", reply: `{"token_type":"Bearer"}`,
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.Delegation(ctx, DelegationRequest{Target: "other", APIType: "app", GrantType: "g", RefreshToken: "rt", Scope: "openid email"})
			},
			wantMethod: "POST", wantPath: "/delegation", wantType: "application/json",
			wantJSON: map[string]any{"client_id": "cid", "grant_type": "g", "target": "other", "scope": "openid email", "api_type": "app", "refresh_token": "rt"},
		},
		{
			name: "SAMLMetadata", reply: `<EntityDescriptor/>`,
			call:       func(ctx context.Context, c *Client) (any, error) { return c.SAMLMetadata(ctx) },
			wantMethod: "GET", wantPath: "/samlp/metadata/cid",
		},
		{
			name: "WSFedMetadata", reply: `<EntityDescriptor/>`,
			call:       func(ctx context.Context, c *Client) (any, error) { return c.WSFedMetadata(ctx) },
			wantMethod: "GET", wantPath: "/wsfed/FederationMetadata/2007-06/FederationMetadata.xml",
		},
		{
			name: "UserInfo", reply: `{"sub":"auth0|1","email":"a@example.com","org_id":"org_1"}`,
			call:       func(ctx context.Context, c *Client) (any, error) { return c.UserInfo(ctx, "user-at") },
			wantMethod: "GET", wantPath: "/userinfo",
			wantHeader: http.Header{"Authorization": {"Bearer user-at"}},
		},
		{
			name: "BackChannelLogin with details and expiry", reply: `{"auth_req_id":"r","expires_in":300,"interval":5}`,
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.BackChannelLogin(ctx, BackChannelLoginRequest{BindingMessage: "bm", LoginHint: LoginHintIssSub("https://t/", "auth0|1"), Scope: "openid",
					AuthorizationDetails: json.RawMessage(`[{"type":"payment"}]`), RequestedExpiry: 120, Extra: url.Values{"audience": {"https://api/"}}})
			},
			wantMethod: "POST", wantPath: "/bc-authorize", wantType: "application/x-www-form-urlencoded",
			wantForm: url.Values{"client_id": {"cid"}, "client_secret": {"csecret"}, "binding_message": {"bm"},
				"login_hint": {`{"format":"iss_sub","iss":"https://t/","sub":"auth0|1"}`}, "scope": {"openid"},
				"authorization_details": {`[{"type":"payment"}]`}, "requested_expiry": {"120"}, "audience": {"https://api/"}},
		},
		{
			name: "PushAuthorizationRequest", reply: `{"request_uri":"urn:ietf:params:oauth:request_uri:x","expires_in":30}`,
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.PushAuthorizationRequest(ctx, PushedAuthorizationRequest{ResponseType: "code", RedirectURI: "https://app/cb", State: "s",
					AuthorizationDetails: json.RawMessage(`[{"type":"x"}]`)})
			},
			wantMethod: "POST", wantPath: "/oauth/par", wantType: "application/x-www-form-urlencoded",
			wantForm: url.Values{"client_id": {"cid"}, "client_secret": {"csecret"}, "response_type": {"code"}, "redirect_uri": {"https://app/cb"},
				"state": {"s"}, "authorization_details": {`[{"type":"x"}]`}},
		},
		{
			name: "MFAVerifyRecoveryCode", reply: `{"access_token":"at","token_type":"Bearer","recovery_code":"NEWCODE"}`,
			call:       func(ctx context.Context, c *Client) (any, error) { return c.MFAVerifyRecoveryCode(ctx, "mfa", "RC") },
			wantMethod: "POST", wantPath: "/oauth/token", wantType: "application/x-www-form-urlencoded",
			wantForm: url.Values{"client_id": {"cid"}, "client_secret": {"csecret"}, "grant_type": {GrantMFARecoveryCode}, "mfa_token": {"mfa"}, "recovery_code": {"RC"}},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv := newServer(t, func(_ int, w http.ResponseWriter, r *http.Request) {
				if tc.wantMethod == "GET" && tc.wantPath != "/userinfo" {
					w.Header().Set("Content-Type", "text/xml")
				} else {
					w.Header().Set("Content-Type", "application/json")
				}
				w.Write([]byte(tc.reply))
			})
			c := newTestClient(t, srv.URL, Config{ClientID: "cid", ClientSecret: "csecret"})
			got, err := tc.call(context.Background(), c)
			if err != nil {
				t.Fatalf("call: %v", err)
			}
			r := srv.last(t)
			if r.Method != tc.wantMethod || r.Path != tc.wantPath || r.ContentType != tc.wantType {
				t.Errorf("request: got %s %s (%q), want %s %s (%q)", r.Method, r.Path, r.ContentType, tc.wantMethod, tc.wantPath, tc.wantType)
			}
			switch {
			case tc.wantForm != nil:
				if !reflect.DeepEqual(r.Form, tc.wantForm) {
					t.Errorf("form:\n got %v\nwant %v", r.Form, tc.wantForm)
				}
			case tc.wantJSON != nil:
				var body map[string]any
				if err := json.Unmarshal(r.Body, &body); err != nil {
					t.Fatalf("JSON body %q: %v", r.Body, err)
				}
				if !reflect.DeepEqual(body, tc.wantJSON) {
					t.Errorf("JSON:\n got %v\nwant %v", body, tc.wantJSON)
				}
			default:
				if len(r.Body) != 0 {
					t.Errorf("body: got %q, want none", r.Body)
				}
			}
			for k, v := range tc.wantHeader {
				if got := r.Header.Values(k); !reflect.DeepEqual(got, v) {
					t.Errorf("header %s: got %q, want %q", k, got, v)
				}
			}
			checkAnswer(t, tc.reply, got)
		})
	}
}

// checkAnswer: the typed result re-encodes to every non-empty member of
// the answer.
func checkAnswer(t *testing.T, reply string, got any) {
	t.Helper()
	switch g := got.(type) {
	case nil:
		return
	case string:
		var s string
		if json.Unmarshal([]byte(reply), &s) != nil {
			s = reply
		}
		if g != s {
			t.Errorf("got %q, want %q", g, s)
		}
		return
	}
	b, _ := json.Marshal(got)
	var gm, wm any
	json.Unmarshal(b, &gm)
	json.Unmarshal([]byte(reply), &wm)
	if d := missing(gm, wm, ""); d != "" {
		t.Errorf("decoded answer lost %s: got %s, want %s", d, b, reply)
	}
}

func TestAssertionUsedInsteadOfSecret(t *testing.T) {
	srv := newServer(t, jsonReply(200, `{"access_token":"at","token_type":"Bearer"}`))
	key := testRSAKey(t)
	c := newTestClient(t, srv.URL, Config{ClientID: "cid", ClientSecret: "csecret", ClientAssertionKey: key})
	if _, err := c.ClientCredentials(context.Background(), ClientCredentialsRequest{Audience: "https://api/"}); err != nil {
		t.Fatal(err)
	}
	f := srv.last(t).Form
	if f.Has("client_secret") {
		t.Errorf("client_secret sent although an assertion key is set")
	}
	if f.Get("client_assertion_type") != AssertionType {
		t.Errorf("client_assertion_type: got %q, want %q", f.Get("client_assertion_type"), AssertionType)
	}
	checkAssertion(t, f.Get("client_assertion"), key.Public(), "RS256", "cid", srv.URL+"/")
}

func TestNoCredentialsSendsOnlyClientID(t *testing.T) {
	srv := newServer(t, jsonReply(200, `{"access_token":"at","token_type":"Bearer"}`))
	c := newTestClient(t, srv.URL, Config{ClientID: "public-app"})
	if _, err := c.RefreshToken(context.Background(), RefreshTokenRequest{RefreshToken: "rt"}); err != nil {
		t.Fatal(err)
	}
	want := url.Values{"client_id": {"public-app"}, "grant_type": {"refresh_token"}, "refresh_token": {"rt"}}
	if got := srv.last(t).Form; !reflect.DeepEqual(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
}

func TestInputValidation(t *testing.T) {
	srv := newServer(t, jsonReply(200, `{}`))
	c := newTestClient(t, srv.URL, Config{ClientID: "cid"})
	noID := newTestClient(t, srv.URL, Config{})
	ctx := context.Background()
	cases := []struct {
		name string
		call func() error
	}{
		{"no client ID", func() error {
			_, err := noID.ClientCredentials(ctx, ClientCredentialsRequest{Audience: "a"})
			return err
		}},
		{"no client ID for signup", func() error {
			_, err := noID.Signup(ctx, SignupRequest{Email: "e", Password: "p", Connection: "c"})
			return err
		}},
		{"empty audience", func() error { _, err := c.ClientCredentials(ctx, ClientCredentialsRequest{}); return err }},
		{"empty code", func() error { _, err := c.AuthorizationCode(ctx, AuthorizationCodeRequest{}); return err }},
		{"PKCE without verifier", func() error {
			_, err := c.AuthorizationCodePKCE(ctx, AuthorizationCodePKCERequest{Code: "c"})
			return err
		}},
		{"login without password", func() error { _, err := c.Login(ctx, LoginRequest{Username: "u"}); return err }},
		{"delegation with both tokens", func() error {
			_, err := c.Delegation(ctx, DelegationRequest{Target: "t", APIType: "app", GrantType: "g", IDToken: "i", RefreshToken: "r"})
			return err
		}},
		{"delegation with no token", func() error {
			_, err := c.Delegation(ctx, DelegationRequest{Target: "t", APIType: "app", GrantType: "g"})
			return err
		}},
		{"negative requested expiry", func() error {
			_, err := c.BackChannelLogin(ctx, BackChannelLoginRequest{BindingMessage: "b", LoginHint: "h", Scope: "openid", RequestedExpiry: -1})
			return err
		}},
		{"invalid authorization details", func() error {
			_, err := c.BackChannelLogin(ctx, BackChannelLoginRequest{BindingMessage: "b", LoginHint: "h", Scope: "openid", AuthorizationDetails: json.RawMessage(`[`)})
			return err
		}},
		{"extra replaces a set parameter", func() error {
			_, err := c.ClientCredentials(ctx, ClientCredentialsRequest{Audience: "a", Extra: url.Values{"grant_type": {"password"}}})
			return err
		}},
		{"extra smuggles a client secret", func() error {
			_, err := c.ClientCredentials(ctx, ClientCredentialsRequest{Audience: "a", Extra: url.Values{"client_secret": {"x"}}})
			return err
		}},
		{"passwordless send mode", func() error {
			_, err := c.PasswordlessEmail(ctx, PasswordlessEmailRequest{Email: "e", Send: "carrier-pigeon"})
			return err
		}},
		{"userinfo without token", func() error { _, err := c.UserInfo(ctx, ""); return err }},
		{"revoke without token", func() error { return c.RevokeRefreshToken(ctx, "") }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if err := tc.call(); err == nil {
				t.Errorf("got nil error, want one")
			}
		})
	}
	if got := len(srv.requests()); got != 0 {
		t.Errorf("requests sent: got %d, want 0", got)
	}
	if _, err := noID.ClientCredentials(ctx, ClientCredentialsRequest{Audience: "a"}); !errors.Is(err, ErrNoClientID) {
		t.Errorf("got %v, want ErrNoClientID", err)
	}
}
