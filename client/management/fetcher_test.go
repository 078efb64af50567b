package management

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/lestrrat-go/jwx/v3/jwa"
	"github.com/lestrrat-go/jwx/v3/jwt"

	"github.com/tokengate/tokengate/client"
	"github.com/tokengate/tokengate/client/authentication"
)

// tenant is a test tenant: POST /oauth/token (client credentials, checked
// by check) and GET /api/v2/users/{id} (accepting only issued tokens).
type tenant struct {
	t         *testing.T
	url       string
	tokenReqs atomic.Int32
	apiReqs   atomic.Int32
	check     func(form url.Values) (status int, body string)
}

func newTenant(t *testing.T, check func(form url.Values) (int, string)) *tenant {
	tn := &tenant{t: t, check: check}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /oauth/token", func(w http.ResponseWriter, r *http.Request) {
		n := tn.tokenReqs.Add(1)
		if ct := r.Header.Get("Content-Type"); ct != "application/x-www-form-urlencoded" {
			t.Errorf("token request Content-Type: got %q, want form", ct)
		}
		r.ParseForm()
		if status, body := tn.check(r.PostForm); status != 0 {
			w.WriteHeader(status)
			io.WriteString(w, body)
			return
		}
		json.NewEncoder(w).Encode(map[string]any{"access_token": fmt.Sprintf("mgmt-%d", n), "token_type": "Bearer", "expires_in": 86400})
	})
	mux.HandleFunc("GET /api/v2/users/{id}", func(w http.ResponseWriter, r *http.Request) {
		tn.apiReqs.Add(1)
		if !strings.HasPrefix(r.Header.Get("Authorization"), "Bearer mgmt-") {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		json.NewEncoder(w).Encode(map[string]any{"user_id": r.PathValue("id")})
	})
	srv := newServer(t, mux.ServeHTTP)
	tn.url = srv.URL
	return tn
}

func TestClientCredentialsWithSecret(t *testing.T) {
	var tn *tenant
	tn = newTenant(t, func(f url.Values) (int, string) {
		want := url.Values{"grant_type": {"client_credentials"}, "client_id": {"app"}, "client_secret": {"s3cr3t-value"}, "audience": {tn.url + "/api/v2/"}}
		if f.Encode() != want.Encode() {
			t.Errorf("token form: got %v, want %v", f, want)
		}
		return 0, ""
	})
	m, err := New(tn.url, Config{ClientID: "app", ClientSecret: "s3cr3t-value"})
	if err != nil {
		t.Fatal(err)
	}
	for range 3 {
		if u, err := m.Users.Get(context.Background(), "auth0|1", nil); err != nil || u.ID != "auth0|1" {
			t.Fatalf("Get: %v %v", u, err)
		}
	}
	if got := tn.tokenReqs.Load(); got != 1 {
		t.Errorf("token requests: got %d, want 1", got)
	}
	if strings.Contains(m.String(), "s3cr3t") {
		t.Errorf("String shows the secret: %s", m)
	}
}

func TestClientCredentialsWithAssertion(t *testing.T) {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	var tn *tenant
	tn = newTenant(t, func(f url.Values) (int, string) {
		if f.Get("client_secret") != "" {
			t.Error("client_secret sent with private_key_jwt")
		}
		if got := f.Get("client_assertion_type"); got != "urn:ietf:params:oauth:client-assertion-type:jwt-bearer" {
			t.Errorf("client_assertion_type: got %q", got)
		}
		tok, err := jwt.Parse([]byte(f.Get("client_assertion")), jwt.WithKey(jwa.RS256(), &key.PublicKey), jwt.WithAudience(tn.url+"/"), jwt.WithIssuer("app"), jwt.WithSubject("app"))
		if err != nil {
			t.Errorf("client assertion: %v", err)
			return http.StatusUnauthorized, `{"error":"invalid_client","error_description":"bad assertion"}`
		}
		if jti, _ := tok.JwtID(); jti == "" {
			t.Error("client assertion without jti")
		}
		return 0, ""
	})
	m, err := New(tn.url, Config{ClientID: "app", ClientAssertionKey: key, ClientAssertionAlg: "RS256"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := m.Users.Get(context.Background(), "auth0|1", nil); err != nil {
		t.Fatalf("Get: %v", err)
	}
	if got := tn.tokenReqs.Load(); got != 1 {
		t.Errorf("token requests: got %d, want 1", got)
	}
}

func TestClientCredentialsTokenEndpointFails(t *testing.T) {
	tn := newTenant(t, func(url.Values) (int, string) {
		return http.StatusUnauthorized, `{"error":"access_denied","error_description":"Unauthorized"}`
	})
	m, err := New(tn.url, Config{ClientID: "app", ClientSecret: "wrong-secret"})
	if err != nil {
		t.Fatal(err)
	}
	_, err = m.Users.Get(context.Background(), "auth0|1", nil)
	var apiErr *client.Error
	if !errors.Is(err, ErrToken) || !errors.As(err, &apiErr) || apiErr.Code != "access_denied" {
		t.Fatalf("got %v, want ErrToken wrapping the access_denied *client.Error", err)
	}
	if strings.Contains(err.Error(), "wrong-secret") {
		t.Errorf("error shows the secret: %v", err)
	}
	if got := tn.apiReqs.Load(); got != 0 {
		t.Errorf("API requests: got %d, want 0", got)
	}
}

func TestWithAuthenticationClient(t *testing.T) {
	tn := newTenant(t, func(f url.Values) (int, string) {
		if f.Get("client_id") != "shared" {
			t.Errorf("client_id: got %q, want shared", f.Get("client_id"))
		}
		return 0, ""
	})
	auth, err := authentication.New(tn.url, authentication.Config{ClientID: "shared", ClientSecret: "x-secret"})
	if err != nil {
		t.Fatal(err)
	}
	m, err := New(tn.url, Config{Authentication: auth})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := m.Users.Get(context.Background(), "auth0|1", nil); err != nil {
		t.Fatal(err)
	}
	if _, err := New(tn.url, Config{Authentication: nil}); err == nil {
		t.Error("nil Authentication client: got nil error")
	}
	if _, err := New(tn.url, Config{Authentication: auth, Token: "t"}); err == nil {
		t.Error("two token sources: got nil error")
	}
}

func TestClientAssertionKeyIsCheckedAtNew(t *testing.T) {
	small, err := rsa.GenerateKey(rand.Reader, 1024)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := New("tenant.auth0.com", Config{ClientID: "app", ClientAssertionKey: small}); err == nil {
		t.Error("1024-bit key: got nil error")
	}
}
