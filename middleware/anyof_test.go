package middleware_test

import (
	"net/http"
	"testing"

	"github.com/tokengate/tokengate/middleware"
)

// TestRequireAny: the any-of siblings of RequireScopes and
// RequirePermissions let a request through when the token holds one of the
// values, and otherwise answer as the all-of checks do: 403
// insufficient_scope with the alternatives in the challenge's scope
// attribute (each once, in the order given); 401 for an anonymous request.
func TestRequireAny(t *testing.T) {
	auth := middleware.Authenticate(newVerifier(t, nil), middleware.CredentialsOptional())
	routes := []route{
		get("/any-scope", auth, middleware.RequireAnyScope("admin", "read:items")),
		get("/any-scope-none", auth, middleware.RequireAnyScope("admin", "delete:items")),
		get("/any-scope-dup", auth, middleware.RequireAnyScope("admin", "audit", "admin")),
		get("/any-perm", auth, middleware.RequireAnyPermission("delete:items", "read:items")),
		get("/any-perm-none", auth, middleware.RequireAnyPermission("admin", "audit")),
		get("/any-one", auth, middleware.RequireAnyScope("write:items")),
	}
	plain := bearer(token(t, nil)) // scope "openid read:items write:items"
	perms := bearer(token(t, map[string]any{"scope": "openid", "permissions": []string{"read:items"}}))
	ok := want{status: 200, body: "sub=auth0|alice"}
	tests := []struct {
		name   string
		target string
		header http.Header
		want   want
	}{
		{"scope/one-of-two", "/any-scope", plain, ok},
		{"scope/none-of-two", "/any-scope-none", plain, want{403, chScope("admin delete:items"), bodyScope, ""}},
		{"scope/duplicates-listed-once", "/any-scope-dup", plain, want{403, chScope("admin audit"), bodyScope, ""}},
		{"scope/single", "/any-one", plain, ok},
		{"scope/permissions-do-not-count", "/any-scope", perms, want{403, chScope("admin read:items"), bodyScope, ""}},
		{"scope/anonymous", "/any-scope", nil, want{401, chMissing, bodyMissing, ""}},
		{"permission/one-of-two", "/any-perm", perms, ok},
		{"permission/none", "/any-perm-none", perms, want{403, chScope("admin audit"), bodyScope, ""}},
		{"permission/scopes-do-not-count", "/any-perm", plain, want{403, chScope("delete:items read:items"), bodyScope, ""}},
	}
	for _, rt := range routers {
		srv := server(t, rt.serve(routes...))
		for _, tt := range tests {
			t.Run(rt.name+"/"+tt.name, func(t *testing.T) {
				resp, body := call(t, srv, "GET", tt.target, tt.header)
				checkResponse(t, resp, body, tt.want)
			})
		}
	}
}

// TestRequireAnyPanics: the any-of checks refuse at construction what the
// all-of checks refuse: no value, an empty value, a value with a space
// (two scopes in one string), a quote or a backslash (which would break
// out of the challenge's quoted scope attribute).
func TestRequireAnyPanics(t *testing.T) {
	tests := []struct {
		name string
		f    func()
	}{
		{"no scopes", func() { middleware.RequireAnyScope() }},
		{"no permissions", func() { middleware.RequireAnyPermission() }},
		{"empty scope", func() { middleware.RequireAnyScope("read", "") }},
		{"scope with space", func() { middleware.RequireAnyScope("read write") }},
		{"scope with quote", func() { middleware.RequireAnyScope(`read", error="x`) }},
		{"permission with backslash", func() { middleware.RequireAnyPermission(`a\b`) }},
		{"permission with newline", func() { middleware.RequireAnyPermission("a\nb") }},
		{"nil handler", func() { middleware.RequireAnyScope("a")(nil) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Errorf("got no panic, want one")
				}
			}()
			tt.f()
		})
	}
}
