package authentication

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/tokengate/tokengate/client"
	"github.com/tokengate/tokengate/verifier"
)

// TestX24HostileTokenAnswers: a 2xx token answer is a token response only
// when it has a non-empty access_token string and a token_type (RFC 6749
// section 5.1); everything else is an error, never tokens.
func TestX24HostileTokenAnswers(t *testing.T) {
	cases := []struct{ name, answer, wantField string }{
		{"access_token absent", `{"token_type":"Bearer","expires_in":60}`, "access_token"},
		{"access_token null", `{"access_token":null,"token_type":"Bearer","expires_in":60}`, "access_token"},
		{"access_token number", `{"access_token":12345,"token_type":"Bearer"}`, "access_token"},
		{"access_token empty", `{"access_token":"","token_type":"Bearer"}`, "access_token"},
		{"access_token object", `{"access_token":{"a":1},"token_type":"Bearer"}`, "access_token"},
		{"token_type absent", `{"access_token":"at-secret-1","expires_in":60}`, "token_type"},
		{"token_type null", `{"access_token":"at-secret-1","token_type":null}`, "token_type"},
		{"token_type empty", `{"access_token":"at-secret-1","token_type":""}`, "token_type"},
		{"token_type number", `{"access_token":"at-secret-1","token_type":1}`, "token_type"},
		{"expires_in string", `{"access_token":"at-secret-1","token_type":"Bearer","expires_in":"3600"}`, "expires_in"},
		{"expires_in bool", `{"access_token":"at-secret-1","token_type":"Bearer","expires_in":true}`, "expires_in"},
		{"id_token number", `{"access_token":"at-secret-1","token_type":"Bearer","id_token":5}`, "id_token"},
		{"refresh_token number", `{"access_token":"at-secret-1","token_type":"Bearer","refresh_token":5}`, "refresh_token"},
		{"body null", `null`, ""},
		{"body array", `[]`, ""},
		{"body string", `"at"`, ""},
		{"empty object", `{}`, "access_token"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv := newServer(t, jsonReply(200, tc.answer))
			c := newTestClient(t, srv.URL, Config{ClientID: "cid", ClientSecret: "s"})
			calls := map[string]func() (*TokenResponse, error){
				"ClientCredentials": func() (*TokenResponse, error) {
					return c.ClientCredentials(context.Background(), ClientCredentialsRequest{Audience: "https://api/"})
				},
				"SocialLogin": func() (*TokenResponse, error) {
					return c.SocialLogin(context.Background(), SocialLoginRequest{AccessToken: "fb", Connection: "facebook"})
				},
			}
			for name, call := range calls {
				got, err := call()
				if err == nil {
					t.Fatalf("%s: got %v, nil error; want an error", name, got)
				}
				if got != nil {
					t.Errorf("%s: got tokens %v with an error, want nil", name, got)
				}
				var te *TokenResponseError
				if !errors.Is(err, ErrTokenResponse) || !errors.As(err, &te) || te.Field != tc.wantField {
					t.Errorf("%s: got %v, want a *TokenResponseError on %q", name, err, tc.wantField)
				}
				if strings.Contains(err.Error(), "at-secret-1") {
					t.Errorf("%s: error %q holds the access token", name, err)
				}
			}
		})
	}
}

// TestX24ExpiresInClamped: expires_in is clamped to [0, 30 days] before an
// expiry is computed from it.
func TestX24ExpiresInClamped(t *testing.T) {
	now := time.Unix(1_700_000_000, 0)
	cases := []struct {
		name, expiresIn string
		want            time.Duration
	}{
		{"normal", "86400", 86400 * time.Second},
		{"negative", "-5", 0},
		{"zero", "0", 0},
		{"max int64", "9223372036854775807", 30 * 24 * time.Hour},
		{"beyond int64", "99999999999999999999", 30 * 24 * time.Hour},
		{"2^40", "1099511627776", 30 * 24 * time.Hour},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv := newServer(t, jsonReply(200, `{"access_token":"at","token_type":"Bearer","expires_in":`+tc.expiresIn+`}`))
			c := newTestClient(t, srv.URL, Config{ClientID: "cid", HTTP: client.Config{Now: func() time.Time { return now }}})
			got, err := c.RefreshToken(context.Background(), RefreshTokenRequest{RefreshToken: "r"})
			if err != nil {
				t.Fatal(err)
			}
			if want := int64(tc.want / time.Second); got.ExpiresIn != want {
				t.Errorf("ExpiresIn: got %d, want %d", got.ExpiresIn, want)
			}
			want := time.Time{}
			if tc.want > 0 {
				want = now.Add(tc.want)
			}
			if !got.ExpiresAt.Equal(want) {
				t.Errorf("ExpiresAt: got %v, want %v", got.ExpiresAt, want)
			}
		})
	}
}

// TestX24MissingIDTokenWithChecks: when the caller asks for ID-token checks
// (nonce, max_age, organization), an answer without an id_token must not
// skip them: it is an error, and so are checks without a verifier.
func TestX24MissingIDTokenWithChecks(t *testing.T) {
	const iss = "https://tenant.auth0.com/"
	const answer = `{"access_token":"at","token_type":"Bearer","expires_in":60}`
	checks := map[string]verifier.Option{
		"nonce":        verifier.WithNonce("n-1"),
		"max_age":      verifier.WithMaxAge(time.Hour),
		"organization": verifier.WithOrganization("org_123"),
	}
	for name, check := range checks {
		t.Run(name, func(t *testing.T) {
			srv := newServer(t, jsonReply(200, answer))
			c := newTestClient(t, srv.URL, Config{ClientID: "cid", ClientSecret: "s", IDTokenVerifier: idVerifier(t, iss)})
			calls := map[string]func() (any, error){
				"AuthorizationCode": func() (any, error) {
					return c.AuthorizationCode(context.Background(), AuthorizationCodeRequest{Code: "c", IDTokenChecks: []verifier.Option{check}})
				},
				"AuthorizationCodePKCE": func() (any, error) {
					return c.AuthorizationCodePKCE(context.Background(), AuthorizationCodePKCERequest{Code: "c", CodeVerifier: "v", IDTokenChecks: []verifier.Option{check}})
				},
				"RefreshToken": func() (any, error) {
					return c.RefreshToken(context.Background(), RefreshTokenRequest{RefreshToken: "r", IDTokenChecks: []verifier.Option{check}})
				},
				"Login": func() (any, error) {
					return c.Login(context.Background(), LoginRequest{Username: "u", Password: "p", IDTokenChecks: []verifier.Option{check}})
				},
				"SocialLogin": func() (any, error) {
					return c.SocialLogin(context.Background(), SocialLoginRequest{AccessToken: "a", Connection: "facebook", IDTokenChecks: []verifier.Option{check}})
				},
				"MFAVerifyOTP": func() (any, error) {
					return c.MFAVerifyOTP(context.Background(), "m", "123456", check)
				},
				"BackChannelLoginToken": func() (any, error) {
					return c.BackChannelLoginToken(context.Background(), "req-1", check)
				},
				"Delegation": func() (any, error) {
					return c.Delegation(context.Background(), DelegationRequest{Target: "cid", APIType: "app", GrantType: "g", IDToken: "x", IDTokenChecks: []verifier.Option{check}})
				},
			}
			for call, f := range calls {
				got, err := f()
				var te *TokenResponseError
				if !errors.Is(err, ErrIDToken) || !errors.Is(err, ErrTokenResponse) || !errors.As(err, &te) || te.Field != "id_token" {
					t.Errorf("%s: got %v, %v; want a *TokenResponseError on id_token (no id_token to check)", call, got, err)
				}
			}
			before := len(srv.requests())
			noVerifier := newTestClient(t, srv.URL, Config{ClientID: "cid", ClientSecret: "s"})
			got, err := noVerifier.AuthorizationCode(context.Background(), AuthorizationCodeRequest{Code: "c", IDTokenChecks: []verifier.Option{check}})
			if !errors.Is(err, ErrNoIDTokenVerifier) {
				t.Errorf("without a verifier: got %v, %v; want ErrNoIDTokenVerifier (the checks cannot run)", got, err)
			}
			if n := len(srv.requests()) - before; n != 0 {
				t.Errorf("without a verifier: %d requests sent, want 0", n)
			}
		})
	}
}

// FuzzX24TokenAnswer: no body makes the decoder panic, and a body it
// accepts always has a non-empty access_token and token_type and a
// lifetime within [0, 30 days].
func FuzzX24TokenAnswer(f *testing.F) {
	for _, s := range []string{
		`{"access_token":"at","token_type":"Bearer","expires_in":86400}`,
		`{"access_token":"at","token_type":"Bearer","expires_in":1e400}`,
		`{"access_token":"at","token_type":"Bearer","expires_in":-1e400}`,
		`{"access_token":"at","token_type":"Bearer","expires_in":"60"}`,
		`{"access_token":"at","access_token":"","token_type":"Bearer"}`,
		`{"access_token":null}`, `null`, `[]`, ``,
	} {
		f.Add([]byte(s))
	}
	now := time.Unix(1_700_000_000, 0)
	f.Fuzz(func(t *testing.T, body []byte) {
		tr, err := decodeTokenResponse(body, now)
		if err != nil {
			if !errors.Is(err, ErrTokenResponse) {
				t.Fatalf("got %v, want an error wrapping ErrTokenResponse", err)
			}
			return
		}
		if tr.AccessToken == "" || tr.TokenType == "" {
			t.Fatalf("accepted %q without access_token or token_type: %v", body, tr)
		}
		if tr.ExpiresIn < 0 || tr.ExpiresIn > maxExpiresIn || tr.ExpiresAt.After(now.Add(maxExpiresIn*time.Second)) {
			t.Fatalf("accepted %q with expires_in %d, expires at %v", body, tr.ExpiresIn, tr.ExpiresAt)
		}
	})
}
