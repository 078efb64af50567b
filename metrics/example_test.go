package metrics_test

import (
	"bufio"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"time"

	"github.com/tokengate/tokengate/authtest"
	"github.com/tokengate/tokengate/jwks"
	"github.com/tokengate/tokengate/metrics"
	"github.com/tokengate/tokengate/middleware"
	"github.com/tokengate/tokengate/verifier"
)

// Wire metrics into a JWKS cache and a verifier, verify a token twice (a
// cache miss, then a hit) and a malformed one, and read the counters
// through /metrics.
func Example() {
	tenant, err := authtest.NewTenant(authtest.Config{}) // a local Auth0-like issuer
	if err != nil {
		panic(err)
	}
	defer tenant.Close()

	reg := metrics.NewRegistry()
	m, err := metrics.New(reg, metrics.Config{})
	if err != nil {
		panic(err)
	}
	// One hook and one watch per component.
	keys, err := jwks.New(jwks.Config{URL: tenant.JWKSURL(), Prefetch: 5 * time.Second,
		Observer: m.JWKSObserver("tenant")})
	if err != nil {
		panic(err)
	}
	defer keys.Close()
	if err := m.WatchJWKS("tenant", keys); err != nil {
		panic(err)
	}
	v, err := verifier.New(verifier.Config{
		Issuer:   tenant.Issuer(),
		Audience: []string{"https://api.example.com"},
		Keys:     keys,
		Observer: m.VerifierObserver(),
	})
	if err != nil {
		panic(err)
	}
	m.WatchVerifier(v)
	// middleware.WithObserver(m.MiddlewareObserver()), orgs.WithObserver(m.OrgsObserver())
	// and the clients' observer option (m.ClientObserver()) likewise.

	tok := tenant.AccessToken("auth0|alice", "https://api.example.com")
	ctx := context.Background()
	v.Verify(ctx, tok)
	v.Verify(ctx, tok)
	v.Verify(ctx, "not-a-token")

	srv := httptest.NewServer(metrics.Handler(reg))
	defer srv.Close()
	printSeries(srv.URL, `tokengate_verifications_total{reason="ok"`, `tokengate_verifications_total{reason="malformed"`,
		"tokengate_verifier_cache_")
	// Output:
	// tokengate_verifications_total{reason="malformed",result="error"} 1
	// tokengate_verifications_total{reason="ok",result="ok"} 2
	// tokengate_verifier_cache_entries 1
	// tokengate_verifier_cache_hits_total 1
	// tokengate_verifier_cache_misses_total 2
}

// Count the requests of a protected route by its pattern, never its path.
func ExampleMetrics_MiddlewareObserver() {
	tenant, err := authtest.NewTenant(authtest.Config{})
	if err != nil {
		panic(err)
	}
	defer tenant.Close()
	reg := metrics.NewRegistry()
	m, err := metrics.New(reg, metrics.Config{})
	if err != nil {
		panic(err)
	}
	v, err := verifier.New(verifier.Config{Issuer: tenant.Issuer(), Audience: []string{"https://api.example.com"},
		Keys: tenant.KeySet(), Observer: m.VerifierObserver()})
	if err != nil {
		panic(err)
	}

	auth := middleware.Authenticate(v, middleware.WithObserver(m.MiddlewareObserver()))
	mux := http.NewServeMux()
	mux.Handle("GET /items/{id}", auth(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {})))
	mux.Handle("GET /metrics", metrics.Handler(reg))
	srv := httptest.NewServer(mux)
	defer srv.Close()

	tok := tenant.AccessToken("auth0|alice", "https://api.example.com")
	for _, path := range []string{"/items/1", "/items/2"} {
		req, _ := http.NewRequest(http.MethodGet, srv.URL+path, nil)
		req.Header.Set("Authorization", "Bearer "+tok)
		resp, err := srv.Client().Do(req)
		if err != nil {
			panic(err)
		}
		resp.Body.Close()
	}
	req, _ := http.NewRequest(http.MethodGet, srv.URL+"/items/3", nil)
	resp, err := srv.Client().Do(req) // no token
	if err != nil {
		panic(err)
	}
	resp.Body.Close()

	printSeries(srv.URL+"/metrics", "tokengate_http_requests_total{")
	// Output:
	// tokengate_http_requests_total{method="GET",outcome="missing_token",route="/items/{id}",status="401"} 1
	// tokengate_http_requests_total{method="GET",outcome="ok",route="/items/{id}",status=""} 2
}

// printSeries scrapes url and prints the series lines starting with one of
// prefixes.
func printSeries(url string, prefixes ...string) {
	hc := &http.Client{Timeout: 10 * time.Second}
	resp, err := hc.Get(url)
	if err != nil {
		panic(err)
	}
	defer resp.Body.Close()
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		for _, p := range prefixes {
			if strings.HasPrefix(sc.Text(), p) {
				fmt.Println(sc.Text())
				break
			}
		}
	}
}
