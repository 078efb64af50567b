package metrics_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tokengate/tokengate/authtest"
	"github.com/tokengate/tokengate/client"
	"github.com/tokengate/tokengate/client/management"
	"github.com/tokengate/tokengate/jwks"
	"github.com/tokengate/tokengate/metrics"
	"github.com/tokengate/tokengate/middleware"
	"github.com/tokengate/tokengate/orgs"
	"github.com/tokengate/tokengate/verifier"
)

// readmeSeries is what README.md's "Watch it" lists, each with the series
// (name and a label set it must carry, "" for any) that shows it.
var readmeSeries = []struct{ listed, series string }{
	{"tokengate_verifications_total{result,reason}", `tokengate_verifications_total{reason="ok",result="ok"}`},
	{"verification latency", "tokengate_verification_duration_seconds_count"},
	{"verified-token cache hits", "tokengate_verifier_cache_hits_total"},
	{"verified-token cache misses", "tokengate_verifier_cache_misses_total"},
	{"verified-token cache entries", "tokengate_verifier_cache_entries"},
	{"JWKS fetches by outcome", `tokengate_jwks_fetches_total{`},
	{"JWKS fetch latency", `tokengate_jwks_fetch_duration_seconds_count{jwks="auth0"}`},
	{"keys loaded", `tokengate_jwks_keys{jwks="auth0"}`},
	{"refresh age", `tokengate_jwks_refresh_age_seconds{jwks="auth0"}`},
	{"kid-miss refetches", `tokengate_jwks_kid_misses_total{jwks="auth0",result="refetched"}`},
	{"suppressed kid misses", `tokengate_jwks_kid_misses_total{jwks="auth0",result="suppressed"}`},
	{"tokengate_http_requests_total{route,method,outcome,status}", `tokengate_http_requests_total{method="GET",outcome="org_denied",route="/orgs/{org}/items",status="403"}`},
	{"org denials", `tokengate_org_denials_total{method="GET",reason="org_denied",route="/orgs/{org}/items"}`},
	{"API client requests", `tokengate_client_requests_total{api="management",method="GET",status="200"}`},
	{"API client retries", `tokengate_client_retries_total{api="management",`},
	{"rate-limit waits", `tokengate_client_rate_limit_waits_total{api="management"}`},
	{"remaining budget", `tokengate_client_rate_limit_remaining{api="management"}`},
}

// TestReadmeMetricsSnippet runs the setup of README.md's "Watch it"
// snippet, line for line (the "..." filled with a local tenant and a fake
// Management API), sends the requests that make each listed series count
// (a good token twice, unknown kids, another organization, a 429 then a
// 200 from the Management API), and checks that the scrape holds every
// series the README lists.
func TestReadmeMetricsSnippet(t *testing.T) {
	tenant := newTenant(t)
	u := tenant.JWKSURL()
	domain := fakeManagementAPI(t)

	// The snippet.
	reg := metrics.NewRegistry()
	mx, err := metrics.New(reg, metrics.Config{})
	if err != nil {
		t.Fatal(err)
	}
	keys, err := jwks.New(jwks.Config{URL: u, Observer: mx.JWKSObserver("auth0")})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { keys.Close() })
	err = mx.WatchJWKS("auth0", keys)
	if err != nil {
		t.Fatal(err)
	}
	v, err := verifier.New(verifier.Config{Issuer: tenant.Issuer(), Audience: []string{testAud}, Keys: keys, Observer: mx.VerifierObserver()})
	if err != nil {
		t.Fatal(err)
	}
	mx.WatchVerifier(v)
	auth := middleware.Authenticate(v, middleware.WithObserver(mx.MiddlewareObserver()))
	org := orgs.Require(orgs.FromPath("org"), orgs.WithObserver(mx.OrgsObserver()))
	m, err := management.New(domain, management.Config{Token: "mgmt-token", HTTP: client.Config{Observer: mx.ClientObserver(), Backoff: time.Millisecond, MaxWait: 10 * time.Millisecond}})
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	items := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "items") })
	mux.Handle("GET /orgs/{org}/items", auth(org(items)))
	mux.Handle("GET /metrics", metrics.Handler(reg))
	// End of the snippet.

	app := httptest.NewServer(mux)
	defer app.Close()
	hc := &http.Client{Timeout: 10 * time.Second}
	good := mint(t, tenant, authtest.Token{Claims: map[string]any{"org_id": "org_a"}})
	for _, s := range []struct {
		path, tok string
		status    int
	}{
		{"/orgs/org_a/items", good, 200},
		{"/orgs/org_a/items", good, 200}, // a cache hit
		{"/orgs/org_b/items", good, 403},
		{"/orgs/org_a/items", mint(t, tenant, authtest.Token{Header: map[string]any{"kid": "rotated-1"}}), 401}, // refetched
		{"/orgs/org_a/items", mint(t, tenant, authtest.Token{Header: map[string]any{"kid": "rotated-2"}}), 401}, // suppressed: cooldown
	} {
		if got := get(t, hc, app.URL+s.path, s.tok); got != s.status {
			t.Fatalf("GET %s: got %d, want %d", s.path, got, s.status)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if _, err := m.Users.Get(ctx, "auth0|alice", nil); err != nil {
		t.Fatalf("management call: %v", err)
	}

	_, series := scrape(t, app.URL+"/metrics")
	for _, s := range readmeSeries {
		found := false
		for k := range series {
			if k == s.series || strings.HasSuffix(s.series, "{") && strings.HasPrefix(k, s.series) ||
				strings.HasSuffix(s.series, ",") && strings.HasPrefix(k, s.series) {
				found = true
				break
			}
		}
		if !found {
			t.Errorf("README lists %q: got no series %s in the scrape", s.listed, s.series)
		}
	}
}

// fakeManagementAPI answers the first call 429 (Retry-After and the
// X-RateLimit headers) and the others 200 with a user.
func fakeManagementAPI(t *testing.T) string {
	var calls atomic.Int32
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if calls.Add(1) == 1 {
			w.Header().Set("Retry-After", "1")
			w.Header().Set("X-RateLimit-Limit", "10")
			w.Header().Set("X-RateLimit-Remaining", "0")
			w.Header().Set("X-RateLimit-Reset", strconv.FormatInt(time.Now().Unix()+1, 10))
			w.WriteHeader(http.StatusTooManyRequests)
			io.WriteString(w, `{"statusCode":429,"error":"Too Many Requests","message":"Global limit has been reached","errorCode":"too_many_requests"}`)
			return
		}
		w.Header().Set("X-RateLimit-Remaining", "9")
		io.WriteString(w, `{"user_id":"auth0|alice"}`)
	}))
	t.Cleanup(api.Close)
	return api.URL
}
