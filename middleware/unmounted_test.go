package middleware_test

import (
	"bytes"
	"log/slog"
	"strings"
	"sync"
	"testing"

	"github.com/tokengate/tokengate/middleware"
)

// captureDefaultLog points slog.Default at a buffer for the test (route
// checks mounted without Authenticate have no logger of their own).
func captureDefaultLog(t *testing.T) *syncBuffer {
	var buf syncBuffer
	old := slog.Default()
	slog.SetDefault(slog.New(slog.NewTextHandler(&buf, nil)))
	t.Cleanup(func() { slog.SetDefault(old) })
	return &buf
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

const (
	bodyMisconfigured = `{"error":"server_error","error_description":"the server is not set up to check this request's credentials"}` + "\n"
	msgUnmounted      = "mounted without middleware.Authenticate before it"
)

// TestUnmountedRouteCheck: a route check mounted without Authenticate
// before it (or after it) cannot tell a valid token from none. It does not
// answer a silent 401, which would send every client to sign in again: it
// answers 500 and logs one error line, once per check, naming the check
// and the fix. A request that went through Authenticate is not affected.
func TestUnmountedRouteCheck(t *testing.T) {
	checks := map[string]func() mw{
		"RequireScopes":              func() mw { return middleware.RequireScopes("read:items") },
		"RequirePermissions":         func() mw { return middleware.RequirePermissions("read:items") },
		"RequireScopesOrPermissions": func() mw { return middleware.RequireScopesOrPermissions("read:items") },
		"RequireAnyScope":            func() mw { return middleware.RequireAnyScope("read:items", "admin") },
		"RequireAnyPermission":       func() mw { return middleware.RequireAnyPermission("read:items", "admin") },
		"RequireClaims":              func() mw { return middleware.RequireClaims(middleware.ClaimEquals("sub", "auth0|alice")) },
	}
	good := bearer(token(t, map[string]any{"permissions": []string{"read:items"}}))
	for name, mk := range checks {
		for _, rt := range routers {
			t.Run(rt.name+"/"+name, func(t *testing.T) {
				logs := captureDefaultLog(t)
				auth := middleware.Authenticate(newVerifier(t, nil))
				chk := mk()
				srv := server(t, rt.serve(get("/bare", chk), get("/after", chk, auth), get("/ok", auth, mk())))
				for _, target := range []string{"/bare", "/bare", "/after"} {
					resp, body := call(t, srv, "GET", target, good)
					checkResponse(t, resp, body, want{500, "", bodyMisconfigured, ""})
				}
				resp, body := call(t, srv, "GET", "/ok", good)
				checkResponse(t, resp, body, want{200, "", "sub=auth0|alice", ""})
				out := logs.String()
				if n := strings.Count(out, msgUnmounted); n != 1 {
					t.Errorf("log: got %d lines saying %q, want 1 (once per check): %s", n, msgUnmounted, out)
				}
				if !strings.Contains(out, "level=ERROR") || !strings.Contains(out, "middleware."+name) {
					t.Errorf("log: got %q, want an ERROR line naming middleware.%s", out, name)
				}
			})
		}
	}
}
