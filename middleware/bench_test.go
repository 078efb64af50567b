package middleware_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/go-chi/chi/v5"

	"github.com/tokengate/tokengate/middleware"
	"github.com/tokengate/tokengate/orgs"
)

// BenchmarkChain measures the whole chain (Authenticate + RequireScopes +
// orgs.Require) per request with a repeat token (a verified-token cache
// hit), next to the same handler without it: directly, behind
// http.ServeMux and behind chi. A recorder and one prepared request keep
// the network out of the measure.
func BenchmarkChain(b *testing.B) {
	v := newVerifier(b, nil)
	tok := token(b, map[string]any{"org_id": "org_acme"})
	noContent := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusNoContent) })
	chain := func(h http.Handler) http.Handler {
		return middleware.Authenticate(v)(middleware.RequireScopes("read:items")(orgs.Require(orgs.FromPath("org"))(h)))
	}
	chainObserved := func(h http.Handler) http.Handler {
		obs := middleware.ObserverFunc(func(context.Context, middleware.Event) {})
		return middleware.Authenticate(v, middleware.WithObserver(obs))(middleware.RequireScopes("read:items")(orgs.Require(orgs.FromPath("org"))(h)))
	}
	mux := func(wrap func(http.Handler) http.Handler) http.Handler {
		m := http.NewServeMux()
		m.Handle("GET /orgs/{org}/items", wrap(noContent))
		return m
	}
	chiRouter := func(wrap func(http.Handler) http.Handler) http.Handler {
		r := chi.NewRouter()
		r.Route("/orgs/{org}", func(r chi.Router) { r.Handle("/items", wrap(noContent)) })
		return r
	}
	identity := func(h http.Handler) http.Handler { return h }
	cases := []struct {
		name string
		h    http.Handler
	}{
		{"direct/bare", noContent},
		{"direct/chain", chain(noContent)},
		{"direct/chain+observer", chainObserved(noContent)},
		{"ServeMux/bare", mux(identity)},
		{"ServeMux/chain", mux(chain)},
		{"chi/bare", chiRouter(identity)},
		{"chi/chain", chiRouter(chain)},
		{"chi/chain+observer", chiRouter(chainObserved)},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			req := httptest.NewRequest(http.MethodGet, "/orgs/org_acme/items", nil)
			req.Header.Set("Authorization", "Bearer "+tok)
			req.SetPathValue("org", "org_acme") // what a router would have set, for "direct"
			rec := httptest.NewRecorder()
			c.h.ServeHTTP(rec, req) // warm the verified-token cache
			if rec.Code != http.StatusNoContent {
				b.Fatalf("status: got %d, want 204", rec.Code)
			}
			b.ReportAllocs()
			for b.Loop() {
				c.h.ServeHTTP(rec, req)
			}
		})
	}
}

// TestChainAllocs pins the allocations of the chain on a cache hit: the
// request's state (its context) and the request copy that carries it.
func TestChainAllocs(t *testing.T) {
	v := newVerifier(t, nil)
	tok := token(t, map[string]any{"org_id": "org_acme"})
	h := middleware.Authenticate(v)(middleware.RequireScopes("read:items")(orgs.Require(orgs.FromPath("org"))(
		http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))))
	req := httptest.NewRequest(http.MethodGet, "/orgs/org_acme/items", nil)
	req.Header.Set("Authorization", "Bearer "+tok)
	req.SetPathValue("org", "org_acme")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if n := testing.AllocsPerRun(100, func() { h.ServeHTTP(rec, req) }); n > 2 {
		t.Errorf("allocations per request: got %v, want at most 2", n)
	}
}
