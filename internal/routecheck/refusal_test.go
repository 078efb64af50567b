package routecheck

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"testing"
)

// TestLevel: the one level policy of middleware's and orgs' refusal lines,
// for every refusal outcome of both packages.
func TestLevel(t *testing.T) {
	tests := []struct {
		outcome string
		status  int
		want    slog.Level
	}{
		{"missing_token", 401, slog.LevelDebug},
		{"invalid_request", 401, slog.LevelDebug},
		{"unauthenticated", 401, slog.LevelDebug},
		{"canceled", 499, slog.LevelDebug},
		{"invalid_token", 401, slog.LevelInfo},
		{"insufficient_scope", 403, slog.LevelInfo},
		{"cross_site", 403, slog.LevelInfo},
		{"org_missing", 403, slog.LevelInfo},
		{"org_denied", 403, slog.LevelInfo},
		{"not_member", 403, slog.LevelInfo},
		{"keys_unavailable", 503, slog.LevelWarn},
		{"org_unavailable", 503, slog.LevelWarn},
	}
	for _, tt := range tests {
		t.Run(tt.outcome, func(t *testing.T) {
			if got := Level(tt.outcome, tt.status); got != tt.want {
				t.Errorf("Level(%q, %d): got %v, want %v", tt.outcome, tt.status, got, tt.want)
			}
		})
	}
}

// TestLog: the fixed fields first, then the caller's; nothing below the
// logger's level; a logger that panics does not take the caller down.
func TestLog(t *testing.T) {
	var buf bytes.Buffer
	l := slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelInfo}))
	Log(context.Background(), l, "x: request refused", "GET", "/a/{id}", "missing_token", 401)
	if buf.Len() != 0 {
		t.Errorf("debug line: got %q, want none at level Info", buf.String())
	}
	Log(context.Background(), l, "x: request refused", "GET", "/a/{id}", "org_denied", 403, slog.Bool("cache_hit", true))
	got := buf.String()
	want := `level=INFO msg="x: request refused" method=GET route=/a/{id} outcome=org_denied status=403 cache_hit=true`
	if !strings.Contains(got, want) {
		t.Errorf("line: got %q, want it to contain %q", got, want)
	}
	Log(context.Background(), slog.New(panicHandler{}), "x", "GET", "/", "org_denied", 403)
}

type panicHandler struct{}

func (panicHandler) Enabled(context.Context, slog.Level) bool  { return true }
func (panicHandler) Handle(context.Context, slog.Record) error { panic("log handler bug") }
func (h panicHandler) WithAttrs([]slog.Attr) slog.Handler      { return h }
func (h panicHandler) WithGroup(string) slog.Handler           { return h }
