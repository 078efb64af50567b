package middleware_test

import (
	"bytes"
	"context"
	"io"
	"log"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/go-chi/chi/v5"
	chimw "github.com/go-chi/chi/v5/middleware"

	"github.com/tokengate/tokengate/middleware"
)

// withDeadline gives the request's context a deadline, as a server-side
// timeout does.
func withDeadline(d time.Duration) mw {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			ctx, cancel := context.WithTimeout(r.Context(), d)
			defer cancel()
			next.ServeHTTP(w, r.WithContext(ctx))
		})
	}
}

// TestX13DeadlineIsUnavailable: a server-side deadline that ends while the
// keys are fetched is an outage of the key source (503 with Retry-After,
// counted and logged as keys_unavailable), not a client that went away
// (499, which only context.Canceled is).
func TestX13DeadlineIsUnavailable(t *testing.T) {
	const d = 20 * time.Millisecond
	tests := []struct {
		name    string
		timeout mw
	}{
		{"context deadline", withDeadline(d)},
		{"chi middleware.Timeout", chimw.Timeout(d)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var ev events
			var logs bytes.Buffer
			logger := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
			auth := middleware.Authenticate(newVerifier(t, ctxKeys{}), middleware.WithObserver(&ev), middleware.WithLogger(logger))
			r := chi.NewRouter()
			r.Use(tt.timeout)
			r.With(auth).Get("/items", echo)
			srv := quietServer(t, r)
			resp, body := call(t, srv, "GET", "/items", bearer(token(t, nil)))
			checkResponse(t, resp, body, want{503, "", bodyUnavailable, "10"})
			wantEv := middleware.Event{Outcome: middleware.OutcomeKeysUnavailable, Reason: "timeout", Status: 503, Route: "/items"}
			if got := ev.take(); len(got) != 1 || got[0] != wantEv {
				t.Errorf("events: got %+v, want one %+v", got, wantEv)
			}
			if got := logs.String(); !strings.Contains(got, "level=WARN") {
				t.Errorf("log: got %q, want a WARN line", got)
			}
		})
	}
	t.Run("canceled is still 499", func(t *testing.T) {
		h := middleware.Authenticate(newVerifier(t, ctxKeys{}))(echo)
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		req, _ := http.NewRequestWithContext(ctx, "GET", "/items", nil)
		req.Header.Set("Authorization", "Bearer "+token(t, nil))
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != middleware.StatusClientClosedRequest {
			t.Errorf("status: got %d, want %d", rec.Code, middleware.StatusClientClosedRequest)
		}
	})
}

// quietServer is server without the log line chi's Timeout causes when it
// writes 504 after the answer was written.
func quietServer(t *testing.T, h http.Handler) *httptest.Server {
	t.Helper()
	srv := httptest.NewUnstartedServer(h)
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	srv.Start()
	t.Cleanup(srv.Close)
	return srv
}
