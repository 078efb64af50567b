package orgs_test

import (
	"context"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/go-chi/chi/v5"
	chimw "github.com/go-chi/chi/v5/middleware"

	"github.com/tokengate/tokengate/middleware"
	"github.com/tokengate/tokengate/orgs"
)

// TestX13DeadlineIsUnavailable: a server-side deadline that ends during a
// membership check or a lookup is an outage of that check (503 with
// Retry-After, org_unavailable), not a client that went away (499).
func TestX13DeadlineIsUnavailable(t *testing.T) {
	const d = 20 * time.Millisecond
	blockingLookup := func(ctx context.Context, _ string) ([]string, error) {
		<-ctx.Done()
		return nil, ctx.Err()
	}
	tok := bearer(token(t, map[string]any{"org_id": "org_acme"}))
	tests := []struct {
		name   string
		target string
		chain  []mw
	}{
		{"membership check", "/orgs/org_acme/items", []mw{orgs.Require(orgs.FromPath("org")), orgs.RequireMember(&checker{gate: make(chan struct{})})}},
		{"lookup", "/orgs/org_globex/items", []mw{orgs.Require(orgs.FromPath("org"), orgs.WithLookup(blockingLookup))}},
	}
	timeouts := []struct {
		name string
		mw   mw
	}{
		{"context deadline", func(next http.Handler) http.Handler {
			return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				ctx, cancel := context.WithTimeout(r.Context(), d)
				defer cancel()
				next.ServeHTTP(w, r.WithContext(ctx))
			})
		}},
		{"chi middleware.Timeout", chimw.Timeout(d)},
	}
	for _, tt := range tests {
		for _, to := range timeouts {
			t.Run(tt.name+"/"+to.name, func(t *testing.T) {
				var ev orgEvents
				r := chi.NewRouter()
				r.Use(to.mw)
				chain := append([]mw{middleware.Authenticate(newVerifier(t), middleware.WithObserver(&ev))}, tt.chain...)
				r.With(chain...).Get("/orgs/{org}/items", echo)
				srv := quietServer(t, r)
				resp, body := call(t, srv, tt.target, tok)
				check(t, resp, body, want{503, "", bodyUnavailable, "10"})
				_, req := ev.take()
				if len(req) != 1 || req[0].Outcome != orgs.OutcomeUnavailable || req[0].Status != 503 {
					t.Errorf("request events: got %+v, want one %s with status 503", req, orgs.OutcomeUnavailable)
				}
			})
		}
	}
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
