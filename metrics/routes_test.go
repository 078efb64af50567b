package metrics_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/go-chi/chi/v5"

	"github.com/tokengate/tokengate/metrics"
	"github.com/tokengate/tokengate/middleware"
	"github.com/tokengate/tokengate/orgs"
)

// routeCase is one request and the labels of the one series it must add to
// tokengate_http_requests_total.
type routeCase struct {
	name, method, path string
	tok                string
	want               string // `method="...",outcome="...",route="...",status="..."`
}

// checkRouteLabels sends each case to h and checks the series it counted.
func checkRouteLabels(t *testing.T, h func(mx *metrics.Metrics) http.Handler, cases []routeCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			reg, mx := newMetrics(t, metrics.Config{})
			app := httptest.NewServer(h(mx))
			defer app.Close()
			req, err := http.NewRequest(c.method, app.URL+c.path, nil)
			if err != nil {
				t.Fatal(err)
			}
			if c.tok != "" {
				req.Header.Set("Authorization", "Bearer "+c.tok)
			}
			resp, err := app.Client().Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			ms := httptest.NewServer(metrics.Handler(reg))
			defer ms.Close()
			_, series := scrape(t, ms.URL)
			var got []string
			for k, v := range series {
				if strings.HasPrefix(k, "tokengate_http_requests_total{") && v > 0 {
					got = append(got, k)
				}
			}
			want := "tokengate_http_requests_total{" + c.want + "}"
			if len(got) != 1 || got[0] != want {
				t.Errorf("series: got %q, want [%q]", got, want)
			}
		})
	}
}

// TestRouteLabelsChi: with chi, refusals carry the full route pattern and
// the method, whether Authenticate is mounted with r.Use on the root router
// (before routing), with r.Use inside r.Route (before the subrouter routes),
// or per route with r.With; requests let through carry the same labels with
// status "". A path no route matches is "unmatched" on the root router and
// the mount pattern inside a subrouter; a method chi does not know is
// "_OTHER".
func TestRouteLabelsChi(t *testing.T) {
	tenant := newTenant(t)
	good := tenant.AccessToken("auth0|alice", testAud)
	ok := http.HandlerFunc(func(http.ResponseWriter, *http.Request) {})
	h := func(mx *metrics.Metrics) http.Handler {
		auth := middleware.Authenticate(staticVerifier(t, tenant, nil), middleware.WithObserver(mx.MiddlewareObserver()))
		r := chi.NewRouter()
		r.Group(func(r chi.Router) {
			r.Use(auth)
			r.Get("/items/{id}", ok)
			r.Delete("/items/{id}", ok)
		})
		r.Route("/api", func(r chi.Router) {
			r.Use(auth)
			r.Get("/things/{id}", ok)
			r.Route("/deep", func(r chi.Router) { r.Post("/{x}", ok) })
		})
		r.With(auth).Post("/orders", ok)
		return r
	}
	checkRouteLabels(t, h, []routeCase{
		{"group/refused", "GET", "/items/1", "", `method="GET",outcome="missing_token",route="/items/{id}",status="401"`},
		{"group/passed", "GET", "/items/1", good, `method="GET",outcome="ok",route="/items/{id}",status=""`},
		{"group/other-method", "DELETE", "/items/1", "", `method="DELETE",outcome="missing_token",route="/items/{id}",status="401"`},
		{"subrouter/refused", "GET", "/api/things/7", "", `method="GET",outcome="missing_token",route="/api/things/{id}",status="401"`},
		{"subrouter/passed", "GET", "/api/things/7", good, `method="GET",outcome="ok",route="/api/things/{id}",status=""`},
		{"subrouter/nested", "POST", "/api/deep/9", "", `method="POST",outcome="missing_token",route="/api/deep/{x}",status="401"`},
		{"subrouter/no-route", "GET", "/api/nothing", "", `method="GET",outcome="missing_token",route="/api/*",status="401"`},
		{"with/refused", "POST", "/orders", "", `method="POST",outcome="missing_token",route="/orders",status="401"`},
	})

	rootUse := func(mx *metrics.Metrics) http.Handler {
		auth := middleware.Authenticate(staticVerifier(t, tenant, nil), middleware.WithObserver(mx.MiddlewareObserver()))
		r := chi.NewRouter()
		r.Use(auth)
		r.Get("/items/{id}", ok)
		r.Route("/api", func(r chi.Router) { r.Get("/things/{id}", ok) })
		return r
	}
	checkRouteLabels(t, rootUse, []routeCase{
		{"root-use/refused", "GET", "/items/1", "", `method="GET",outcome="missing_token",route="/items/{id}",status="401"`},
		{"root-use/refused-mounted", "GET", "/api/things/1", "", `method="GET",outcome="missing_token",route="/api/things/{id}",status="401"`},
		{"root-use/passed", "GET", "/items/1", good, `method="GET",outcome="ok",route="/items/{id}",status=""`},
		{"root-use/no-route", "GET", "/nothing/here", "", `method="GET",outcome="missing_token",route="unmatched",status="401"`},
		{"root-use/unknown-method", "BREW", "/items/1", "", `method="_OTHER",outcome="missing_token",route="unmatched",status="401"`},
	})
}

// TestRouteLabelsServeMux: with http.ServeMux, Authenticate wrapped around
// each pattern's handler gives refusals and passes the pattern's path (the
// method of a "GET /x" pattern goes to the method label, as chi's); an
// Authenticate wrapped around the whole mux runs before the mux matched
// any pattern: its refusals are "unmatched" (documented: wrap per pattern).
func TestRouteLabelsServeMux(t *testing.T) {
	tenant := newTenant(t)
	good := tenant.AccessToken("auth0|alice", testAud)
	other := tenant.AccessToken("auth0|alice", testAud) // no org_id: refused by orgs.Require
	ok := http.HandlerFunc(func(http.ResponseWriter, *http.Request) {})
	perPattern := func(mx *metrics.Metrics) http.Handler {
		auth := middleware.Authenticate(staticVerifier(t, tenant, nil), middleware.WithObserver(mx.MiddlewareObserver()))
		mux := http.NewServeMux()
		mux.Handle("GET /items/{id}", auth(ok))
		mux.Handle("/any/{id}", auth(ok))
		mux.Handle("GET /orgs/{org}/items", auth(orgs.Require(orgs.FromPath("org"))(ok)))
		return mux
	}
	checkRouteLabels(t, perPattern, []routeCase{
		{"per-pattern/refused", "GET", "/items/1", "", `method="GET",outcome="missing_token",route="/items/{id}",status="401"`},
		{"per-pattern/passed", "GET", "/items/1", good, `method="GET",outcome="ok",route="/items/{id}",status=""`},
		{"per-pattern/head", "HEAD", "/items/1", "", `method="HEAD",outcome="missing_token",route="/items/{id}",status="401"`},
		{"per-pattern/no-method-pattern", "PUT", "/any/1", "", `method="PUT",outcome="missing_token",route="/any/{id}",status="401"`},
		{"per-pattern/unknown-method", "BREW", "/any/1", "", `method="_OTHER",outcome="missing_token",route="/any/{id}",status="401"`},
		{"per-pattern/org-refused", "GET", "/orgs/org_a/items", other, `method="GET",outcome="org_denied",route="/orgs/{org}/items",status="403"`},
	})
	wholeMux := func(mx *metrics.Metrics) http.Handler {
		auth := middleware.Authenticate(staticVerifier(t, tenant, nil), middleware.WithObserver(mx.MiddlewareObserver()))
		mux := http.NewServeMux()
		mux.Handle("GET /items/{id}", ok)
		return auth(mux)
	}
	checkRouteLabels(t, wholeMux, []routeCase{
		{"whole-mux/refused", "GET", "/items/1", "", `method="GET",outcome="missing_token",route="unmatched",status="401"`},
	})
}
