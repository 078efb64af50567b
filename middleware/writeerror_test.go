package middleware_test

import (
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/tokengate/tokengate/middleware"
)

// TestWriteErrorOnlyWrites: WriteError answers the way the request's
// Authenticate is set up (realm, Retry-After, error handler) and nothing
// more. A handler that answers with it passed authentication, and the
// Observer and Logger of Authenticate say so: the Error's Outcome does not
// reach them through the writer (issue 28). Refusals are reported by the
// middleware that refuses (RequireScopes here; orgs.Require in package
// orgs's tests).
func TestWriteErrorOnlyWrites(t *testing.T) {
	var ev events
	var logs lockedBuffer
	auth := middleware.Authenticate(newVerifier(t, nil), middleware.WithObserver(&ev), middleware.WithLogger(slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))))
	upstream := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		middleware.WriteError(w, r, &middleware.Error{Status: http.StatusServiceUnavailable, Code: "upstream_error",
			Description: "the directory cannot be read right now", Outcome: "upstream_error"})
	})
	mux := http.NewServeMux()
	mux.Handle("GET /upstream", auth(upstream))
	mux.Handle("GET /admin", auth(middleware.RequireScopes("admin")(echo)))
	srv := server(t, mux)
	tok := token(t, nil)

	tests := []struct {
		name, target string
		status       int
		retryAfter   string
		event        middleware.Event
		logged       bool
	}{
		{"handler answers with WriteError", "/upstream", 503, "10",
			middleware.Event{Outcome: middleware.OutcomeOK, Reason: "ok", Route: "GET /upstream"}, false},
		{"route check refuses", "/admin", 403, "",
			middleware.Event{Outcome: middleware.OutcomeInsufficientScope, Status: 403, Route: "GET /admin"}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, _ := call(t, srv, "GET", tt.target, bearer(tok))
			if resp.StatusCode != tt.status || resp.Header.Get("Retry-After") != tt.retryAfter {
				t.Errorf("answer: got %d Retry-After %q, want %d %q", resp.StatusCode, resp.Header.Get("Retry-After"), tt.status, tt.retryAfter)
			}
			if got := ev.take(); len(got) != 1 || got[0] != tt.event {
				t.Errorf("events: got %+v, want [%+v]", got, tt.event)
			}
			if out := logs.take(); (out != "") != tt.logged {
				t.Errorf("log: got %q, want a line: %v", out, tt.logged)
			}
		})
	}
}

// TestWriteErrorCompletes: the fields an Error leaves empty come from the
// request's Authenticate (realm, Retry-After) or, without one, from the
// defaults; what the Error sets is kept.
func TestWriteErrorCompletes(t *testing.T) {
	v := newVerifier(t, nil)
	auth := middleware.Authenticate(v, middleware.WithRealm("items"), middleware.WithRetryAfter(30*time.Second))
	tok := token(t, nil)
	tests := []struct {
		name       string
		auth       bool
		e          middleware.Error
		challenge  string
		retryAfter string
		body       string
	}{
		{"401 from Authenticate", true, middleware.Error{Status: 401},
			`Bearer realm="items"`, "", `{"error":"unauthorized","error_description":"a bearer token is required"}`},
		{"401 default", false, middleware.Error{Status: 401},
			`Bearer realm="api"`, "", `{"error":"unauthorized","error_description":"a bearer token is required"}`},
		{"401 as set", true, middleware.Error{Status: 401, Code: "invalid_token", Challenge: `Bearer realm="x"`},
			`Bearer realm="x"`, "", `{"error":"invalid_token"}`},
		{"503 from Authenticate", true, middleware.Error{Status: 503, Description: "later"},
			"", "30", `{"error":"temporarily_unavailable","error_description":"later"}`},
		{"503 default", false, middleware.Error{Status: 503},
			"", "10", `{"error":"temporarily_unavailable"}`},
		{"503 as set", true, middleware.Error{Status: 503, Code: "busy", RetryAfter: 2 * time.Second},
			"", "2", `{"error":"busy"}`},
		{"403 as set", true, middleware.Error{Status: 403, Code: "access_denied"},
			"", "", `{"error":"access_denied"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var h http.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				middleware.WriteError(w, r, &tt.e)
			})
			if tt.auth {
				h = auth(h)
			}
			srv := server(t, h)
			resp, body := call(t, srv, "GET", "/", bearer(tok))
			if resp.StatusCode != tt.e.Status || resp.Header.Get("WWW-Authenticate") != tt.challenge ||
				resp.Header.Get("Retry-After") != tt.retryAfter || strings.TrimSpace(body) != tt.body {
				t.Errorf("got %d %q Retry-After %q %s, want %d %q %q %s", resp.StatusCode, resp.Header.Get("WWW-Authenticate"),
					resp.Header.Get("Retry-After"), body, tt.e.Status, tt.challenge, tt.retryAfter, tt.body)
			}
		})
	}
}
