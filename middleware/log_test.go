package middleware_test

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tokengate/tokengate/middleware"
	"github.com/tokengate/tokengate/orgs"
)

// lockedBuffer collects log output written from server goroutines.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

// take returns the lines written since the last call.
func (b *lockedBuffer) take() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	s := b.buf.String()
	b.buf.Reset()
	return s
}

// WithLogger: one line per refusal at the documented level, with bounded
// labels; nothing for requests let through; never the token or the
// Authorization header (SECURITY.md W5).
func TestWithLogger(t *testing.T) {
	var buf lockedBuffer
	log := slog.New(slog.NewJSONHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	good := token(t, nil)
	expired := token(t, map[string]any{"exp": testNow.Add(-time.Hour).Unix()})
	rogue := mint(t, rogueKey, "k1", nil)
	auth := middleware.Authenticate(newVerifier(t, nil), middleware.WithLogger(log))
	down := middleware.Authenticate(newVerifier(t, downKeys{}), middleware.WithLogger(log))
	mux := http.NewServeMux()
	mux.Handle("GET /items/{id}", auth(echo))
	mux.Handle("GET /admin", auth(middleware.RequireScopes("admin")(echo)))
	mux.Handle("GET /down", down(echo))
	mux.Handle("GET /orgs/{org}/items", auth(orgs.Require(orgs.FromPath("org"))(echo)))
	srv := server(t, mux)

	cases := []struct {
		name   string
		target string
		header http.Header
		level  string // "" when no line is expected
		want   map[string]any
	}{
		{"valid token", "/items/1", bearer(good), "", nil},
		{"no token", "/items/1", nil, "DEBUG",
			map[string]any{"outcome": "missing_token", "status": 401.0, "route": "GET /items/{id}", "method": "GET"}},
		{"two headers", "/items/1", http.Header{"Authorization": {"Bearer " + good, "Bearer " + good}}, "DEBUG",
			map[string]any{"outcome": "invalid_request", "status": 401.0, "error": "middleware: invalid request: more than one Authorization header"}},
		{"expired", "/items/1", bearer(expired), "INFO",
			map[string]any{"outcome": "invalid_token", "reason": "expired", "status": 401.0}},
		{"bad signature", "/items/1", bearer(rogue), "INFO",
			map[string]any{"outcome": "invalid_token", "reason": "bad_signature"}},
		// A refusal by a route check after a token that verified has no
		// reason: "ok" would read as if the request had passed.
		{"missing scope", "/admin", bearer(good), "INFO",
			map[string]any{"outcome": "insufficient_scope", "reason": nil, "status": 403.0, "route": "GET /admin"}},
		{"other organization", "/orgs/org_a/items", bearer(token(t, map[string]any{"org_id": "org_b"})), "INFO",
			map[string]any{"outcome": "org_denied", "reason": nil, "status": 403.0, "route": "GET /orgs/{org}/items"}},
		{"keys unavailable", "/down", bearer(good), "WARN",
			map[string]any{"outcome": "keys_unavailable", "reason": "keys_unavailable", "status": 503.0, "route": "GET /down"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			call(t, srv, http.MethodGet, c.target, c.header)
			out := buf.take()
			for _, vs := range c.header {
				for _, v := range vs {
					if _, tok, _ := strings.Cut(v, " "); strings.Contains(out, tok) || strings.Contains(out, v) {
						t.Fatalf("the log holds the token or Authorization value: %s", out)
					}
				}
			}
			if c.level == "" {
				if out != "" {
					t.Fatalf("got %q, want no line for a request let through", out)
				}
				return
			}
			var rec map[string]any
			if err := json.Unmarshal([]byte(out), &rec); err != nil {
				t.Fatalf("got %q, want one JSON line: %v", out, err)
			}
			if rec["level"] != c.level || rec["msg"] != "middleware: request refused" {
				t.Errorf("got level %v msg %v, want %s \"middleware: request refused\"", rec["level"], rec["msg"], c.level)
			}
			for k, w := range c.want {
				if rec[k] != w {
					t.Errorf("got %s=%v, want %v", k, rec[k], w)
				}
			}
		})
	}
}

// A custom TokenExtractor's error is not logged: it may hold the token.
func TestWithLoggerCustomExtractorError(t *testing.T) {
	var buf lockedBuffer
	log := slog.New(slog.NewJSONHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	secret := "tok-" + strings.Repeat("s", 20)
	ex := func(r *http.Request) (string, error) { return "", &extractErr{secret} }
	auth := middleware.Authenticate(newVerifier(t, nil), middleware.WithLogger(log), middleware.WithTokenExtractor(ex))
	srv := server(t, auth(echo))
	resp, _ := call(t, srv, http.MethodGet, "/", nil)
	out := buf.take()
	if resp.StatusCode != http.StatusUnauthorized || !strings.Contains(out, `"outcome":"invalid_request"`) {
		t.Fatalf("got %d and %q, want 401 and an invalid_request line", resp.StatusCode, out)
	}
	if strings.Contains(out, secret) {
		t.Fatalf("the log holds the extractor's error: %s", out)
	}
}

type extractErr struct{ tok string }

func (e *extractErr) Error() string { return "bad token " + e.tok }
