package orgs_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/tokengate/tokengate/middleware"
	"github.com/tokengate/tokengate/orgs"
)

type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) take() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	s := b.buf.String()
	b.buf.Reset()
	return s
}

// WithLogger: denials at Info, a failed lookup at Warn, nothing for
// requests let through; never the token.
func TestWithLogger(t *testing.T) {
	var buf lockedBuffer
	log := slog.New(slog.NewJSONHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	auth := middleware.Authenticate(newVerifier(t))
	failing := func(context.Context, string) ([]string, error) { return nil, errors.New("directory down") }
	mux := http.NewServeMux()
	mux.Handle("GET /orgs/{org}/items", auth(orgs.Require(orgs.FromPath("org"), orgs.WithLogger(log))(echo)))
	mux.Handle("GET /partners/{org}", auth(orgs.Require(orgs.FromPath("org"), orgs.WithLogger(log), orgs.WithLookup(failing))(echo)))
	srv := server(t, mux)
	tok := token(t, map[string]any{"org_id": "org_a"})

	cases := []struct {
		name, target string
		level        string
		want         map[string]any
	}{
		{"own organization", "/orgs/org_a/items", "", nil},
		{"other organization", "/orgs/org_b/items", "INFO", map[string]any{
			"outcome": orgs.OutcomeDenied, "status": 403.0, "route": "GET /orgs/{org}/items", "method": "GET"}},
		{"lookup failed", "/partners/org_b", "WARN", map[string]any{
			"outcome": orgs.OutcomeUnavailable, "status": 503.0, "error": "directory down", "route": "GET /partners/{org}"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			call(t, srv, c.target, bearer(tok))
			out := buf.take()
			if strings.Contains(out, tok) || strings.Contains(out, tok[strings.LastIndexByte(tok, '.')+1:]) {
				t.Fatalf("the log holds the token: %s", out)
			}
			if c.level == "" {
				if out != "" {
					t.Fatalf("got %q, want no line", out)
				}
				return
			}
			var rec map[string]any
			if err := json.Unmarshal([]byte(out), &rec); err != nil {
				t.Fatalf("got %q, want one JSON line: %v", out, err)
			}
			if rec["level"] != c.level || rec["msg"] != "orgs: request refused" {
				t.Errorf("got level %v msg %v, want %s \"orgs: request refused\"", rec["level"], rec["msg"], c.level)
			}
			for k, w := range c.want {
				if rec[k] != w {
					t.Errorf("got %s=%v, want %v", k, rec[k], w)
				}
			}
		})
	}
}

// TestLoggersAgree: a refusal of orgs is logged by the request's
// Authenticate and by orgs.WithLogger at the same level, with the same
// outcome and status: one policy (issue 28).
func TestLoggersAgree(t *testing.T) {
	var mbuf, obuf lockedBuffer
	opts := &slog.HandlerOptions{Level: slog.LevelDebug}
	auth := middleware.Authenticate(newVerifier(t), middleware.CredentialsOptional(),
		middleware.WithLogger(slog.New(slog.NewJSONHandler(&mbuf, opts))))
	olog := orgs.WithLogger(slog.New(slog.NewJSONHandler(&obuf, opts)))
	failing := func(context.Context, string) ([]string, error) { return nil, errors.New("directory down") }
	mux := http.NewServeMux()
	mux.Handle("GET /orgs/{org}/items", auth(orgs.Require(orgs.FromPath("org"), olog)(echo)))
	mux.Handle("GET /partners/{org}", auth(orgs.Require(orgs.FromPath("org"), olog, orgs.WithLookup(failing))(echo)))
	srv := server(t, mux)
	tok := bearer(token(t, map[string]any{"org_id": "org_a"}))

	cases := []struct {
		name, target string
		header       http.Header
		level        string
		outcome      string
	}{
		{"anonymous", "/orgs/org_a/items", nil, "DEBUG", middleware.OutcomeUnauthenticated},
		{"other organization", "/orgs/org_b/items", tok, "INFO", orgs.OutcomeDenied},
		{"lookup failed", "/partners/org_b", tok, "WARN", orgs.OutcomeUnavailable},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			call(t, srv, c.target, c.header)
			for _, l := range []struct {
				name string
				buf  *lockedBuffer
			}{{"middleware", &mbuf}, {"orgs", &obuf}} {
				var rec map[string]any
				if err := json.Unmarshal([]byte(l.buf.take()), &rec); err != nil {
					t.Fatalf("%s: want one JSON line: %v", l.name, err)
				}
				if rec["level"] != c.level || rec["outcome"] != c.outcome {
					t.Errorf("%s: got level %v outcome %v, want %s %s", l.name, rec["level"], rec["outcome"], c.level, c.outcome)
				}
			}
		})
	}
}
