package main

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/tokengate/tokengate/authtest"
)

// A smoke test: the example's handler against a local tenant, through
// discovery and the JWKS cache as in production.
func TestAPI(t *testing.T) {
	const aud = "https://api.example.com"
	tenant, err := authtest.NewTenant(authtest.Config{APIs: []string{aud}})
	if err != nil {
		t.Fatal(err)
	}
	defer tenant.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	h, closeKeys, err := newHandler(ctx, tenant.Issuer(), aud)
	if err != nil {
		t.Fatal(err)
	}
	defer closeKeys()
	srv := httptest.NewServer(h)
	defer srv.Close()

	expired, err := tenant.Mint(authtest.Token{Claims: map[string]any{"sub": "auth0|alice", "aud": aud, "scope": "read:messages"}, ExpiresIn: -time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, path, token string
		want              int
		wantBody          string
	}{
		{"public", "/healthz", "", 200, "ok\n"},
		{"no token", "/api/messages", "", 401, ""},
		{"expired", "/api/messages", expired, 401, ""},
		{"another API", "/api/messages", tenant.AccessToken("auth0|alice", "https://other.example.com", "read:messages"), 401, ""},
		{"no scope", "/api/messages", tenant.AccessToken("auth0|alice", aud, "write:messages"), 403, ""},
		{"scope", "/api/messages", tenant.AccessToken("auth0|alice", aud, "read:messages"), 200,
			`{"for":"auth0|alice","messages":["hello from a protected route"]}` + "\n"},
		{"unknown route", "/api/other", tenant.AccessToken("auth0|alice", aud, "read:messages"), 404, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, _ := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL+tt.path, nil)
			if tt.token != "" {
				req.Header.Set("Authorization", "Bearer "+tt.token)
			}
			resp, err := srv.Client().Do(req)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<16))
			resp.Body.Close()
			if resp.StatusCode != tt.want {
				t.Errorf("status: got %d, want %d (body %q)", resp.StatusCode, tt.want, body)
			}
			if tt.wantBody != "" && string(body) != tt.wantBody {
				t.Errorf("body: got %q, want %q", body, tt.wantBody)
			}
		})
	}
}

// The program fails at start, not at the first request, when the issuer's
// keys cannot be had.
func TestNewHandlerFailsClosed(t *testing.T) {
	tenant, err := authtest.NewTenant(authtest.Config{})
	if err != nil {
		t.Fatal(err)
	}
	defer tenant.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()

	t.Run("issuer mismatch", func(t *testing.T) {
		// Discovery compares the document's issuer with ours exactly: Auth0's
		// has the trailing slash.
		if _, _, err := newHandler(ctx, tenant.URL, "https://api.example.com"); err == nil {
			t.Errorf("newHandler(issuer without slash): got nil error, want a discovery error")
		}
	})
	t.Run("JWKS down", func(t *testing.T) {
		tenant.SetJWKSFault(authtest.FaultServerError)
		defer tenant.SetJWKSFault(authtest.NoFault)
		if _, _, err := newHandler(ctx, tenant.Issuer(), "https://api.example.com"); err == nil {
			t.Errorf("newHandler(JWKS answering 500): got nil error, want a prefetch error")
		}
	})
}
