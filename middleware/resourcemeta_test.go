package middleware_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/tokengate/tokengate/middleware"
	"github.com/tokengate/tokengate/verifier"
)

const metaURL = "https://api.example.com/.well-known/oauth-protected-resource/mcp"

// TestRM5ResourceMetadataChallenges: with WithResourceMetadata, every
// challenge carries resource_metadata (RFC 9728 section 5.1), quoted, after
// the realm: the 401s of Authenticate, the 401 of a route check without
// claims, the 403 insufficient_scope, and both schemes in DPoP mode.
func TestRM5ResourceMetadataChallenges(t *testing.T) {
	const rm = `, resource_metadata="` + metaURL + `"`
	v := newVerifier(t, nil)
	auth := middleware.Authenticate(v, middleware.WithResourceMetadata(metaURL))
	dpopKeys(t)
	d := newDPoP(t, nil)
	authDPoP := middleware.Authenticate(v, middleware.WithResourceMetadata(metaURL), middleware.WithDPoP(d, middleware.DPoPAllowed))
	srv := server(t, routers[0].serve(
		get("/items", auth),
		get("/admin", auth, middleware.RequireScopes("admin")),
		get("/bare", middleware.RequireScopes("admin")),
		get("/dpop", authDPoP),
	))
	tests := []struct {
		name, path string
		header     http.Header
		want       want
	}{
		{"RM5/missing", "/items", nil, want{401, `Bearer realm="api"` + rm, bodyMissing, ""}},
		{"RM5/invalid-request", "/items", http.Header{"Authorization": {"Bearer  x"}},
			want{401, `Bearer realm="api"` + rm + `, error="invalid_request", error_description="the request's bearer credentials are malformed or ambiguous"`, bodyBadRequest, ""}},
		{"RM5/invalid-token", "/items", bearer(token(t, map[string]any{"aud": "other"})),
			want{401, `Bearer realm="api"` + rm + `, error="invalid_token", error_description="` + descAudience + `"`, bodyToken(descAudience), ""}},
		{"RM5/insufficient-scope", "/admin", bearer(token(t, nil)),
			want{403, `Bearer realm="api"` + rm + `, error="insufficient_scope", error_description="the access token lacks a required scope or permission", scope="admin"`, bodyScope, ""}},
		{"RM5/dpop-missing", "/dpop", nil,
			want{401, `Bearer realm="api"` + rm + `, DPoP realm="api"` + rm + `, algs="ES256"`,
				`{"error":"unauthorized","error_description":"an access token is required"}` + "\n", ""}},
		{"RM5/dpop-invalid-token", "/dpop", bearer(token(t, map[string]any{"aud": "other"})),
			want{401, `Bearer realm="api"` + rm + `, error="invalid_token", error_description="` + descAudience + `", DPoP realm="api"` + rm + `, algs="ES256"`, bodyToken(descAudience), ""}},
		// Without Authenticate in the chain the route check is
		// misconfigured: 500, no challenge.
		{"RM5/no-authenticate", "/bare", nil, want{500, "", bodyMisconfigured, ""}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := call(t, srv, "GET", tt.path, tt.header)
			checkResponse(t, resp, body, tt.want)
		})
	}
}

// TestWithResourceMetadataPanics/RM5: a URL that is not an absolute https
// URL (http only on loopback), has a fragment, or could break out of the
// quoted-string panics when Authenticate is built, never per request.
func TestWithResourceMetadataPanics(t *testing.T) {
	v := newVerifier(t, nil)
	for _, tt := range []struct{ name, url string }{
		{"RM5/empty", ""},
		{"RM5/relative", "/.well-known/oauth-protected-resource"},
		{"RM5/http-remote", "http://api.example.com/.well-known/oauth-protected-resource"},
		{"RM5/other-scheme", "ftp://api.example.com/x"},
		{"RM5/fragment", "https://api.example.com/.well-known/oauth-protected-resource#x"},
		{"RM5/empty-fragment", "https://api.example.com/.well-known/oauth-protected-resource#"},
		{"RM5/quote", `https://api.example.com/x", error="none`},
		{"RM5/backslash", `https://api.example.com/x\`},
		{"RM5/crlf", "https://api.example.com/x\r\nSet-Cookie: a=b"},
		{"RM5/space", "https://api.example.com/a b"},
		{"RM5/non-ascii", "https://api.example.com/é"},
		{"RM5/user-info", "https://user:pass@api.example.com/x"},
		{"RM5/no-host", "https:///x"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Errorf("WithResourceMetadata(%q): got no panic, want one", tt.url)
				}
			}()
			middleware.Authenticate(v, middleware.WithResourceMetadata(tt.url))
		})
	}
	for _, ok := range []string{metaURL, "http://127.0.0.1:8080/.well-known/oauth-protected-resource", "http://localhost/x", "https://api.example.com/meta?tenant=a"} {
		middleware.Authenticate(v, middleware.WithResourceMetadata(ok))
	}
}

// TestNewContext: claims put on a context by another transport (the grpcauth
// module) are what ClaimsFromContext and the route checks read; nil claims
// panic.
func TestNewContext(t *testing.T) {
	c := &verifier.Claims{Subject: "auth0|alice", Scope: []string{"read:items"}}
	ctx := middleware.NewContext(context.Background(), c)
	got, ok := middleware.ClaimsFromContext(ctx)
	if !ok || got != c {
		t.Fatalf("ClaimsFromContext: got %v, %v, want the claims given, true", got, ok)
	}
	if _, ok := middleware.ClaimsFromContext(context.Background()); ok {
		t.Errorf("ClaimsFromContext(Background): got true, want false")
	}
	// A route check below it sees the claims.
	h := middleware.RequireScopes("read:items")(echo)
	r, _ := http.NewRequestWithContext(ctx, "GET", "/", nil)
	rec := newRecorder()
	h.ServeHTTP(rec, r)
	if rec.code != 200 || rec.body != "sub=auth0|alice" {
		t.Errorf("RequireScopes after NewContext: got %d %q, want 200 %q", rec.code, rec.body, "sub=auth0|alice")
	}
	defer func() {
		if recover() == nil {
			t.Errorf("NewContext(ctx, nil): got no panic, want one")
		}
	}()
	middleware.NewContext(context.Background(), nil)
}

// recorder is a minimal ResponseWriter.
type recorder struct {
	h    http.Header
	code int
	body string
}

func newRecorder() *recorder             { return &recorder{h: http.Header{}} }
func (r *recorder) Header() http.Header  { return r.h }
func (r *recorder) WriteHeader(code int) { r.code = code }
func (r *recorder) Write(b []byte) (int, error) {
	if r.code == 0 {
		r.code = 200
	}
	r.body += string(b)
	return len(b), nil
}
