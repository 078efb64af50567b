package authentication

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/tokengate/tokengate/client"
)

func TestRetryPolicy(t *testing.T) {
	cases := []struct {
		name         string
		status       int
		call         func(c *Client) error
		wantRequests int
	}{
		{"429 on the token endpoint is retried", 429, func(c *Client) error {
			_, err := c.ClientCredentials(context.Background(), ClientCredentialsRequest{Audience: "a"})
			return err
		}, 4},
		{"503 on the token endpoint is not retried (POST)", 503, func(c *Client) error {
			_, err := c.ClientCredentials(context.Background(), ClientCredentialsRequest{Audience: "a"})
			return err
		}, 1},
		{"503 on signup is not retried (POST)", 503, func(c *Client) error {
			_, err := c.Signup(context.Background(), SignupRequest{Email: "e", Password: "p", Connection: "c"})
			return err
		}, 1},
		{"503 on userinfo is retried (GET)", 503, func(c *Client) error {
			_, err := c.UserInfo(context.Background(), "at")
			return err
		}, 4},
		{"400 is not retried", 400, func(c *Client) error {
			_, err := c.UserInfo(context.Background(), "at")
			return err
		}, 1},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv := newServer(t, jsonReply(tc.status, `{"error":"e","error_description":"d"}`))
			c := newTestClient(t, srv.URL, Config{ClientID: "cid", ClientSecret: "s"})
			err := tc.call(c)
			var e *client.Error
			if !errors.As(err, &e) || e.StatusCode != tc.status {
				t.Errorf("got %v, want *client.Error %d", err, tc.status)
			}
			if tc.status == 429 {
				var rl *client.RateLimitError
				if !errors.As(err, &rl) {
					t.Errorf("got %v, want *client.RateLimitError", err)
				}
			}
			if got := len(srv.requests()); got != tc.wantRequests {
				t.Errorf("requests: got %d, want %d", got, tc.wantRequests)
			}
		})
	}
}

func TestMFARequired(t *testing.T) {
	srv := newServer(t, jsonReply(403, `{"error":"mfa_required","error_description":"Multifactor authentication required","mfa_token":"Fe26.2**mfa"}`))
	c := newTestClient(t, srv.URL, Config{ClientID: "cid", ClientSecret: "s"})
	_, err := c.Login(context.Background(), LoginRequest{Username: "u", Password: "p", Realm: "db"})
	var e *client.Error
	if !errors.As(err, &e) || e.Code != "mfa_required" || e.MFAToken != "Fe26.2**mfa" {
		t.Fatalf("got %v, want mfa_required with its token", err)
	}
	if strings.Contains(err.Error(), "Fe26.2**mfa") {
		t.Errorf("error string %q contains the MFA token", err)
	}
}

// TestNoSecretInErrorsOrDebug: a server that echoes everything it receives
// cannot make a secret appear in an error string or debug output.
func TestNoSecretInErrorsOrDebug(t *testing.T) {
	const (
		secret   = "client-secret-VALUE-0001"
		password = "user-password-VALUE-0002"
		refresh  = "refresh-token-VALUE-0003"
		code     = "authz-code-VALUE-0004"
		access   = "access-token-VALUE-0005"
		otp      = "998877"
		mfaToken = "mfa-token-VALUE-0006"
		verifier = "code-verifier-VALUE-0007"
		subject  = "subject-token-VALUE-0008"
	)
	secrets := []string{secret, password, refresh, code, access, otp, mfaToken, verifier, subject}
	echo := func(status int) func(int, http.ResponseWriter, *http.Request) {
		return func(_ int, w http.ResponseWriter, r *http.Request) {
			b, _ := io.ReadAll(r.Body)
			dump := string(b) + " " + r.Header.Get("Authorization")
			if f, err := url.ParseQuery(string(b)); err == nil {
				for _, vs := range f {
					dump += " " + strings.Join(vs, " ")
				}
			}
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(status)
			fmt.Fprintf(w, `{"error":%q,"error_description":%q,"access_token":%q,"refresh_token":%q}`, "echo "+dump, "you sent "+dump, access, refresh)
		}
	}
	calls := map[string]func(c *Client) error{
		"Login": func(c *Client) error {
			_, err := c.Login(context.Background(), LoginRequest{Username: "u", Password: password, Realm: "db"})
			return err
		},
		"RefreshToken": func(c *Client) error {
			_, err := c.RefreshToken(context.Background(), RefreshTokenRequest{RefreshToken: refresh})
			return err
		},
		"AuthorizationCodePKCE": func(c *Client) error {
			_, err := c.AuthorizationCodePKCE(context.Background(), AuthorizationCodePKCERequest{Code: code, CodeVerifier: verifier})
			return err
		},
		"UserInfo":           func(c *Client) error { _, err := c.UserInfo(context.Background(), access); return err },
		"RevokeRefreshToken": func(c *Client) error { return c.RevokeRefreshToken(context.Background(), refresh) },
		"MFAVerifyOTP": func(c *Client) error {
			_, err := c.MFAVerifyOTP(context.Background(), mfaToken, otp)
			return err
		},
		"MFAAuthenticators": func(c *Client) error { _, err := c.MFAAuthenticators(context.Background(), mfaToken); return err },
		"AccessTokenForConnection": func(c *Client) error {
			_, err := c.AccessTokenForConnection(context.Background(), ConnectionTokenRequest{SubjectTokenType: "t", SubjectToken: subject, RequestedTokenType: "r"})
			return err
		},
		"Signup": func(c *Client) error {
			_, err := c.Signup(context.Background(), SignupRequest{Email: "e@example.com", Password: password, Connection: "db"})
			return err
		},
	}
	for _, status := range []int{200, 401, 429, 503} {
		for name, call := range calls {
			t.Run(fmt.Sprintf("%s %d", name, status), func(t *testing.T) {
				srv := newServer(t, echo(status))
				var dump strings.Builder
				c := newTestClient(t, srv.URL, Config{ClientID: "cid", ClientSecret: secret, HTTP: client.Config{MaxRetries: 1, Backoff: time.Millisecond, MaxWait: 10 * time.Millisecond,
					Debug: func(e client.DebugEvent) { fmt.Fprintf(&dump, "%+v\n", e) }}})
				err := call(c)
				if err != nil {
					fmt.Fprintf(&dump, "%v %s %+v\n", err, err.Error(), err)
				} else if status != 200 {
					t.Fatalf("got nil error for status %d", status)
				}
				fmt.Fprintf(&dump, "%v %+v %#v", c, c, c)
				out := dump.String()
				for _, s := range secrets {
					if strings.Contains(out, s) {
						t.Errorf("secret %q leaked:\n%s", s, out)
					}
				}
				if !strings.Contains(out, client.Redacted) {
					t.Errorf("no %s in the debug output:\n%s", client.Redacted, out)
				}
			})
		}
	}
}

func TestTokenResponseStringHidesTokens(t *testing.T) {
	tr := &TokenResponse{AccessToken: "at-secret-1", IDToken: "idt-secret-2", RefreshToken: "rt-secret-3", TokenType: "Bearer", ExpiresIn: 60}
	for _, s := range []string{fmt.Sprint(tr), fmt.Sprintf("%+v", tr), fmt.Sprintf("%#v", tr), fmt.Sprintf("%v", *tr)} {
		for _, secret := range []string{"at-secret-1", "idt-secret-2", "rt-secret-3"} {
			if strings.Contains(s, secret) {
				t.Errorf("%q shows %q", s, secret)
			}
		}
	}
}
