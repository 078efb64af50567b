package middleware_test

import (
	"context"
	"log/slog"
	"net/http"
	"strings"
	"testing"

	"github.com/tokengate/tokengate/middleware"
)

// panicHandler is a slog.Handler that panics on every record.
type panicHandler struct{}

func (panicHandler) Enabled(context.Context, slog.Level) bool  { return true }
func (panicHandler) Handle(context.Context, slog.Record) error { panic("log handler bug") }
func (h panicHandler) WithAttrs([]slog.Attr) slog.Handler      { return h }
func (h panicHandler) WithGroup(string) slog.Handler           { return h }

// TestObserverPanic: an Observer or a logger that panics cannot take a
// request down: every request still gets its normal answer.
func TestObserverPanic(t *testing.T) {
	good := token(t, nil)
	obs := middleware.ObserverFunc(func(context.Context, middleware.Event) { panic("observer bug") })
	hooks := []struct {
		name string
		opt  middleware.Option
	}{
		{"observer", middleware.WithObserver(obs)},
		{"logger", middleware.WithLogger(slog.New(panicHandler{}))},
	}
	tests := []struct {
		name   string
		method string
		target string
		header http.Header
		want   want
	}{
		{"allowed", "GET", "/items", bearer(good), want{200, "", "sub=auth0|alice", ""}},
		{"no token", "GET", "/items", nil, want{401, chMissing, bodyMissing, ""}},
		{"bad token", "GET", "/items", bearer(mint(t, rogueKey, "k1", nil)), want{401, chBadToken, bodyBadToken, ""}},
		{"scope refused", "GET", "/admin", bearer(good), want{403, chScope("admin"), bodyScope, ""}},
	}
	for _, h := range hooks {
		auth := middleware.Authenticate(newVerifier(t, nil), h.opt)
		srv := server(t, routers[0].serve(get("/items", auth), get("/admin", auth, middleware.RequireScopes("admin"))))
		for _, tt := range tests {
			t.Run(h.name+"/"+tt.name, func(t *testing.T) {
				resp, body := call(t, srv, tt.method, tt.target, tt.header)
				checkResponse(t, resp, body, tt.want)
			})
		}
	}
}

// TestObserverPanicLogged: the observer's panic is logged at error level
// through the logger, without the token.
func TestObserverPanicLogged(t *testing.T) {
	var logs lockedBuffer
	good := token(t, nil)
	obs := middleware.ObserverFunc(func(context.Context, middleware.Event) { panic("observer bug") })
	auth := middleware.Authenticate(newVerifier(t, nil), middleware.WithObserver(obs),
		middleware.WithLogger(slog.New(slog.NewTextHandler(&logs, nil))))
	srv := server(t, routers[0].serve(get("/items", auth)))
	resp, body := call(t, srv, "GET", "/items", bearer(good))
	checkResponse(t, resp, body, want{200, "", "sub=auth0|alice", ""})
	got := logs.take()
	if !strings.Contains(got, "level=ERROR") || !strings.Contains(got, "middleware observer") || !strings.Contains(got, "observer bug") {
		t.Errorf("log: got %q, want an error line naming the observer and its panic", got)
	}
	if p, ok := contains(got, longParts(good)...); ok {
		t.Errorf("log holds token part %q", p)
	}
}

// TestJoinObserversMiddleware: a joined observer gives each member every
// request's event, with the request's context, even when one panics.
func TestJoinObserversMiddleware(t *testing.T) {
	if middleware.JoinObservers(nil) != nil {
		t.Error("JoinObservers(nil): got an observer, want nil")
	}
	type key struct{}
	var got []string
	boom := middleware.ObserverFunc(func(context.Context, middleware.Event) { panic("observer bug") })
	rec := middleware.ObserverFunc(func(ctx context.Context, e middleware.Event) {
		if ctx.Value(key{}) == "request" && !e.Start.IsZero() && e.Method == http.MethodGet {
			got = append(got, e.Outcome)
		}
	})
	auth := middleware.Authenticate(newVerifier(t, nil), middleware.WithObserver(middleware.JoinObservers(boom, nil, rec)))
	mark := func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), key{}, "request")))
		})
	}
	srv := server(t, routers[0].serve(get("/items", mark, auth)))
	call(t, srv, "GET", "/items", bearer(token(t, nil)))
	call(t, srv, "GET", "/items", nil)
	if strings.Join(got, ",") != middleware.OutcomeOK+","+middleware.OutcomeMissingToken {
		t.Errorf("got outcomes %v, want ok then missing_token with the request's context", got)
	}
}
