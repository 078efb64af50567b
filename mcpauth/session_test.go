package mcpauth_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/modelcontextprotocol/go-sdk/auth"
	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/tokengate/tokengate/authtest"
	"github.com/tokengate/tokengate/mcpauth"
	"github.com/tokengate/tokengate/middleware"
	"github.com/tokengate/tokengate/verifier"
)

// TestMC4SessionBoundToUser (SECURITY.md MC4): the session Alice opened
// with the SDK's client refuses another user's token, and Alice's subject
// at another issuer the Verifier also trusts: UserID is iss + " " + sub.
func TestMC4SessionBoundToUser(t *testing.T) {
	other, err := authtest.NewTenant(authtest.Config{})
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	// A Verifier that trusts both tenants, so that one sub at two
	// issuers can be tried.
	f := newFixture(t, func(f *fixture, c *mcpauth.Config) {
		v, err := verifier.New(verifier.Config{Issuer: f.tenant.Issuer(), Keys: f.tenant, Audience: []string{f.resource},
			Issuers: []verifier.Issuer{{Issuer: other.Issuer(), Keys: other}}})
		if err != nil {
			t.Fatal(err)
		}
		c.Verifier = v
	})

	cs, _, err := f.connect(t, f.token("auth0|alice", ""))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := cs.CallTool(context.Background(), &mcp.CallToolParams{Name: "echo", Arguments: map[string]any{"text": "a"}}); err != nil {
		t.Fatalf("Alice's call: %v", err)
	}
	aliceAtOther, err := other.Mint(authtest.Token{Claims: map[string]any{"sub": "auth0|alice", "aud": f.resource}})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		token string
		want  int
	}{
		{"Alice again", f.token("auth0|alice", ""), http.StatusOK},
		{"Bob", f.token("auth0|bob", ""), http.StatusForbidden},
		{"Alice's sub at another issuer", aliceAtOther, http.StatusForbidden},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := f.calls.len()
			req, err := http.NewRequest(http.MethodPost, f.resource,
				strings.NewReader(`{"jsonrpc":"2.0","id":99,"method":"tools/call","params":{"name":"echo","arguments":{"text":"x"}}}`))
			if err != nil {
				t.Fatal(err)
			}
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Accept", "application/json, text/event-stream")
			req.Header.Set("Authorization", "Bearer "+tt.token)
			req.Header.Set("Mcp-Session-Id", cs.ID())
			req.Header.Set("Mcp-Protocol-Version", "2025-06-18")
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			body := readAll(t, resp.Body)
			resp.Body.Close()
			if resp.StatusCode != tt.want {
				t.Fatalf("status: got %d, want %d (body %q)", resp.StatusCode, tt.want, body)
			}
			if ran := f.calls.len() - before; (ran == 1) != (tt.want == http.StatusOK) {
				t.Errorf("tool ran %d times", ran)
			}
		})
	}
}

// TestMC4TokenInfo (SECURITY.md MC4): what the TokenVerifier gives the SDK,
// and what it refuses, read from the claims on the request context.
func TestMC4TokenInfo(t *testing.T) {
	tenant, err := authtest.NewTenant(authtest.Config{})
	if err != nil {
		t.Fatal(err)
	}
	defer tenant.Close()
	const res = "https://api.example.com/mcp"
	v, err := verifier.New(verifier.Config{Issuer: tenant.Issuer(), Audience: []string{res}, Keys: tenant})
	if err != nil {
		t.Fatal(err)
	}
	exp := time.Unix(1_900_000_000, 0)
	claims := func(edit func(*verifier.Claims)) *verifier.Claims {
		c := &verifier.Claims{Issuer: "https://tenant.example.com/", Subject: "auth0|alice", Audience: []string{res},
			ExpiresAt: exp, Scope: []string{"a", "b"}, Permissions: []string{"p", "a"}}
		if edit != nil {
			edit(c)
		}
		return c
	}
	tests := []struct {
		name   string
		match  mcpauth.Match
		claims *verifier.Claims // nil: none on the context
		scopes []string
		err    error
	}{
		{"scopes", mcpauth.MatchScopes, claims(nil), []string{"a", "b"}, nil},
		{"permissions", mcpauth.MatchPermissions, claims(nil), []string{"p", "a"}, nil},
		{"both", mcpauth.MatchScopesOrPermissions, claims(nil), []string{"a", "b", "p", "a"}, nil},
		{"no claims on the context", mcpauth.MatchScopes, nil, nil, mcpauth.ErrNoClaims},
		{"aud without the resource", mcpauth.MatchScopes, claims(func(c *verifier.Claims) { c.Audience = []string{"https://other.example.com/"} }), nil, mcpauth.ErrNotForResource},
		{"no sub", mcpauth.MatchScopes, claims(func(c *verifier.Claims) { c.Subject = "" }), nil, mcpauth.ErrNoUser},
		{"no iss", mcpauth.MatchScopes, claims(func(c *verifier.Claims) { c.Issuer = "" }), nil, mcpauth.ErrNoUser},
		{"iss with a space", mcpauth.MatchScopes, claims(func(c *verifier.Claims) { c.Issuer = "https://a.example.com/ x" }), nil, mcpauth.ErrNoUser},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			meta := newMetaFor(t, res)
			p, err := mcpauth.New(mcpauth.Config{Verifier: v, Metadata: meta, Match: tt.match})
			if err != nil {
				t.Fatal(err)
			}
			r := httptest.NewRequest(http.MethodPost, res, nil)
			if tt.claims != nil {
				r = r.WithContext(middleware.NewContext(r.Context(), tt.claims))
			}
			ti, err := p.TokenVerifier()(r.Context(), "ignored", r)
			if tt.err != nil {
				if !errors.Is(err, tt.err) || !errors.Is(err, auth.ErrInvalidToken) || ti != nil {
					t.Fatalf("got %v, %v; want %v wrapping auth.ErrInvalidToken", ti, err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if want := tt.claims.Issuer + " " + tt.claims.Subject; ti.UserID != want {
				t.Errorf("UserID: got %q, want %q", ti.UserID, want)
			}
			if !slices.Equal(ti.Scopes, tt.scopes) {
				t.Errorf("Scopes: got %q, want %q", ti.Scopes, tt.scopes)
			}
			if !ti.Expiration.Equal(exp) {
				t.Errorf("Expiration: got %v, want %v", ti.Expiration, exp)
			}
			if c, ok := mcpauth.Claims(ti); !ok || c != tt.claims {
				t.Errorf("Claims: got %p %v, want the context's claims", c, ok)
			}
		})
	}
	if _, ok := mcpauth.Claims(nil); ok {
		t.Errorf("Claims(nil): got true, want false")
	}
	if _, ok := mcpauth.Claims(&auth.TokenInfo{Extra: map[string]any{mcpauth.ExtraClaims: "forged"}}); ok {
		t.Errorf("Claims of a TokenInfo with a string in Extra: got true, want false")
	}
}
