package authentication

import (
	"net/url"
	"testing"
)

func TestAuthorizeURL(t *testing.T) {
	c, err := New("tenant.auth0.com", Config{ClientID: "my app"})
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name    string
		params  AuthorizeParams
		want    string
		wantErr bool
	}{
		{"defaults", AuthorizeParams{},
			"https://tenant.auth0.com/authorize?client_id=my+app&response_type=code&scope=openid", false},
		{"python v3 parameters with organization and invitation", AuthorizeParams{Audience: "https://api/", State: "st", RedirectURI: "https://app/cb?x=1",
			ResponseType: "code", Scope: "openid profile", Organization: "org_123", Invitation: "inv_456"},
			"https://tenant.auth0.com/authorize?audience=https%3A%2F%2Fapi%2F&client_id=my+app&invitation=inv_456&organization=org_123&redirect_uri=https%3A%2F%2Fapp%2Fcb%3Fx%3D1&response_type=code&scope=openid+profile&state=st", false},
		{"PKCE, nonce, prompt, max age and extra", AuthorizeParams{CodeChallenge: "cc", CodeChallengeMethod: "S256", Nonce: "n", Prompt: "login", MaxAge: 300,
			Extra: url.Values{"ui_locales": {"fr"}}},
			"https://tenant.auth0.com/authorize?client_id=my+app&code_challenge=cc&code_challenge_method=S256&max_age=300&nonce=n&prompt=login&response_type=code&scope=openid&ui_locales=fr", false},
		{"pushed request", AuthorizeParams{RequestURI: "urn:ietf:params:oauth:request_uri:abc"},
			"https://tenant.auth0.com/authorize?client_id=my+app&request_uri=urn%3Aietf%3Aparams%3Aoauth%3Arequest_uri%3Aabc", false},
		{"extra cannot replace client_id", AuthorizeParams{Extra: url.Values{"client_id": {"other"}}}, "", true},
		{"negative max age", AuthorizeParams{MaxAge: -1}, "", true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := c.AuthorizeURL(tc.params)
			if tc.wantErr {
				if err == nil {
					t.Errorf("got %q, want an error", got)
				}
				return
			}
			if err != nil || got != tc.want {
				t.Errorf("got %q, %v\nwant %q", got, err, tc.want)
			}
		})
	}
	noID, _ := New("tenant.auth0.com", Config{})
	if got, err := noID.AuthorizeURL(AuthorizeParams{}); err == nil {
		t.Errorf("without a client ID: got %q, want an error", got)
	}
}

func TestLogoutURL(t *testing.T) {
	c, _ := New("http://127.0.0.1:8080", Config{ClientID: "cid"})
	noID, _ := New("tenant.auth0.com", Config{})
	cases := []struct {
		name string
		c    *Client
		p    LogoutParams
		want string
	}{
		{"return to", c, LogoutParams{ReturnTo: "https://app.example.com/bye?a=1 2"},
			"http://127.0.0.1:8080/v2/logout?client_id=cid&returnTo=https%3A%2F%2Fapp.example.com%2Fbye%3Fa%3D1+2"},
		{"federated", c, LogoutParams{ReturnTo: "https://app/", Federated: true},
			"http://127.0.0.1:8080/v2/logout?federated&client_id=cid&returnTo=https%3A%2F%2Fapp%2F"},
		{"client only", c, LogoutParams{}, "http://127.0.0.1:8080/v2/logout?client_id=cid"},
		{"nothing", noID, LogoutParams{}, "https://tenant.auth0.com/v2/logout"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.c.LogoutURL(tc.p); got != tc.want {
				t.Errorf("got %q\nwant %q", got, tc.want)
			}
		})
	}
}
