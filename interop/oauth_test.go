package interop

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"testing"
	"time"
)

// What provider.mjs configures (keep in sync with it).
const (
	resourceRS256 = "https://rs256.interop.test"
	resourceES256 = "https://es256.interop.test"
	resourceHS256 = "https://hs256.interop.test"
	resourceShort = "https://short.interop.test" // RS256, 2 s lifetime

	orgID   = "org_interop"
	account = "user-interop"

	ccClient       = "cc-client"
	ccSecret       = "cc-client-secret-7c1d0f5e9a2b4c68"
	codeClient     = "code-client" // RS256 ID tokens
	codeSecret     = "code-client-secret-3e8a61b0d47f25c9"
	codeClientHS   = "code-client-hs" // HS256 ID tokens keyed by the client secret
	codeSecretHS   = "code-client-hs-secret-5b2f9d0c8e1a4736b9d2e"
	redirectURI    = "https://client.interop.test/cb"
	maxBody        = 1 << 20
	requestTimeout = 10 * time.Second
)

// httpClient is for single requests to the provider: a timeout, no redirects.
func httpClient() *http.Client {
	return &http.Client{
		Timeout: requestTimeout,
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		},
	}
}

func readBody(t *testing.T, resp *http.Response) []byte {
	t.Helper()
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	if err != nil {
		t.Fatalf("reading %s: %v", resp.Request.URL, err)
	}
	return b
}

type tokenResponse struct {
	AccessToken string `json:"access_token"`
	IDToken     string `json:"id_token"`
	TokenType   string `json:"token_type"`
	ExpiresIn   int    `json:"expires_in"`
	Error       string `json:"error"`
	Description string `json:"error_description"`
}

func postToken(t *testing.T, form url.Values, clientID, secret string) tokenResponse {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, issuer+"/token", strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth(url.QueryEscape(clientID), url.QueryEscape(secret))
	resp, err := httpClient().Do(req)
	if err != nil {
		t.Fatalf("token request: %v", err)
	}
	body := readBody(t, resp)
	var tr tokenResponse
	if err := json.Unmarshal(body, &tr); err != nil {
		t.Fatalf("token response (status %d): %v", resp.StatusCode, err)
	}
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("token request: got status %d (%s: %s), want 200", resp.StatusCode, tr.Error, tr.Description)
	}
	return tr
}

// clientCredentials gets a JWT access token for resource.
func clientCredentials(t *testing.T, resource string) string {
	t.Helper()
	tr := postToken(t, url.Values{
		"grant_type": {"client_credentials"},
		"resource":   {resource},
		"scope":      {"read:things"},
	}, ccClient, ccSecret)
	if tr.AccessToken == "" || tr.TokenType != "Bearer" {
		t.Fatalf("got access_token %d bytes, token_type %q; want a Bearer token", len(tr.AccessToken), tr.TokenType)
	}
	return tr.AccessToken
}

func randomString(t *testing.T) string {
	t.Helper()
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

// idToken runs the authorization code flow with PKCE for clientID and
// returns the ID token, issued for nonce. The provider's interaction signs
// the account in and consents at once, so the flow is only redirects on the
// provider's origin, ending with one to the client's redirect URI, which is
// not followed.
func idToken(t *testing.T, clientID, secret, nonce string) string {
	t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	hops := 0
	c := &http.Client{
		Timeout: requestTimeout,
		Jar:     jar,
		CheckRedirect: func(req *http.Request, _ []*http.Request) error {
			if hops++; hops > 10 {
				return errors.New("too many redirects")
			}
			if strings.HasPrefix(req.URL.String(), redirectURI) {
				return http.ErrUseLastResponse
			}
			if req.URL.Scheme+"://"+req.URL.Host != issuer {
				return fmt.Errorf("redirect off the provider to %s", req.URL.Redacted())
			}
			return nil
		},
	}
	verifierStr := randomString(t)
	sum := sha256.Sum256([]byte(verifierStr))
	state := randomString(t)
	q := url.Values{
		"client_id":             {clientID},
		"response_type":         {"code"},
		"scope":                 {"openid"},
		"redirect_uri":          {redirectURI},
		"state":                 {state},
		"nonce":                 {nonce},
		"code_challenge":        {base64.RawURLEncoding.EncodeToString(sum[:])},
		"code_challenge_method": {"S256"},
		// max_age makes the provider put auth_time into the ID token.
		"max_age": {"300"},
	}
	resp, err := c.Get(issuer + "/auth?" + q.Encode())
	if err != nil {
		t.Fatalf("authorization request: %v", err)
	}
	body := readBody(t, resp)
	loc, err := resp.Location()
	if err != nil || !strings.HasPrefix(loc.String(), redirectURI) {
		t.Fatalf("authorization flow ended with status %d at %s, want a redirect to %s; body: %.300s", resp.StatusCode, resp.Request.URL.Redacted(), redirectURI, body)
	}
	got := loc.Query()
	if e := got.Get("error"); e != "" {
		t.Fatalf("authorization error %s: %s", e, got.Get("error_description"))
	}
	if got.Get("state") != state {
		t.Fatalf("got state %q, want %q", got.Get("state"), state)
	}
	if got.Get("iss") != issuer {
		t.Fatalf("got iss %q in the authorization response, want %q", got.Get("iss"), issuer)
	}
	tr := postToken(t, url.Values{
		"grant_type":    {"authorization_code"},
		"code":          {got.Get("code")},
		"redirect_uri":  {redirectURI},
		"code_verifier": {verifierStr},
	}, clientID, secret)
	if tr.IDToken == "" {
		t.Fatal("got no id_token, want one")
	}
	return tr.IDToken
}

// rotation is the provider's answer to /test/rotate.
type rotation struct {
	// Signing maps RS256 and ES256 to the kid that signs from now on.
	Signing map[string]string `json:"signing"`
	// Published lists the kids in the JWKS, newest first.
	Published []string `json:"published"`
}

// rotate asks the provider for new RS256 and ES256 signing keys (drop: stop
// publishing the previous ones).
func rotate(t *testing.T, drop bool) rotation {
	t.Helper()
	u := issuer + "/test/rotate"
	if drop {
		u += "?drop=1"
	}
	ctx, cancel := context.WithTimeout(context.Background(), requestTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u, nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := httpClient().Do(req)
	if err != nil {
		t.Fatalf("rotate: %v", err)
	}
	body := readBody(t, resp)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("rotate: got status %d (%s), want 200", resp.StatusCode, body)
	}
	var out rotation
	if err := json.Unmarshal(body, &out); err != nil {
		t.Fatalf("rotate: %v", err)
	}
	if out.Signing["RS256"] == "" || out.Signing["ES256"] == "" {
		t.Fatalf("rotate: got signing kids %v, want RS256 and ES256", out.Signing)
	}
	return out
}
