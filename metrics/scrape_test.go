package metrics_test

import (
	"bufio"
	"context"

	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/tokengate/tokengate/authtest"
	"github.com/tokengate/tokengate/client"
	"github.com/tokengate/tokengate/client/management"
	"github.com/tokengate/tokengate/jwks"
	"github.com/tokengate/tokengate/metrics"
	"github.com/tokengate/tokengate/middleware"
	"github.com/tokengate/tokengate/orgs"
	"github.com/tokengate/tokengate/verifier"
)

// stepClock is a clock (jwks.Config.Now, metrics' Now) that moves only
// when told.
type stepClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *stepClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *stepClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

// get sends a request with an optional bearer token and returns the status.
func get(t *testing.T, hc *http.Client, url, tok string) int {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	if tok != "" {
		req.Header.Set("Authorization", "Bearer "+tok)
	}
	resp, err := hc.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<16))
	resp.Body.Close()
	return resp.StatusCode
}

func mint(t *testing.T, tenant *authtest.Tenant, tok authtest.Token) string {
	t.Helper()
	if tok.Claims == nil {
		tok.Claims = map[string]any{}
	}
	tok.Claims["sub"] = "auth0|alice"
	tok.Claims["aud"] = testAud
	s, err := tenant.Mint(tok)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// scrape reads the exposition text of url into "name{labels}" -> value.
func scrape(t *testing.T, url string) (string, map[string]float64) {
	t.Helper()
	hc := &http.Client{Timeout: 10 * time.Second}
	resp, err := hc.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<22))
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("scrape: got status %d, want 200", resp.StatusCode)
	}
	series := map[string]float64{}
	sc := bufio.NewScanner(strings.NewReader(string(body)))
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		i := strings.LastIndexByte(line, ' ')
		v, err := strconv.ParseFloat(line[i+1:], 64)
		if err != nil {
			t.Fatalf("scrape line %q: %v", line, err)
		}
		series[line[:i]] = v
	}
	return string(body), series
}

// The scripted sequence of the issue: a good token (twice: a miss, then a
// cache hit), an expired token, a token of another organization, unknown
// kids (suppressed by the cooldown, then refetched), a JWKS outage that
// outlasts MaxStale (503), and a 429 from the Management API. The scrape
// through promhttp must show exactly these counts.
func TestScrapeAfterScenario(t *testing.T) {
	tenant := newTenant(t)
	clock := &stepClock{now: time.Unix(1_800_000_000, 0)}
	reg, m := newMetrics(t, metrics.Config{Now: clock.Now})

	// The cache's background loop sleeps on the system clock: with the
	// schedule's delays at least half an hour (jittered backoff included),
	// it never wakes during the test, and every fetch of the scenario is
	// one a lookup asked for: the counts are exact.
	cache, err := jwks.New(jwks.Config{URL: tenant.JWKSURL(), Now: clock.Now, Prefetch: 5 * time.Second,
		MaxStale: time.Hour, MinBackoff: time.Hour, MaxBackoff: time.Hour, Observer: m.JWKSObserver("tenant")})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cache.Close() })
	if err := m.WatchJWKS("tenant", cache); err != nil {
		t.Fatal(err)
	}
	v, err := verifier.New(verifier.Config{Issuer: tenant.Issuer(), Audience: []string{testAud}, Keys: cache,
		Observer: m.VerifierObserver()})
	if err != nil {
		t.Fatal(err)
	}
	m.WatchVerifier(v)

	ok := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "ok") })
	auth := middleware.Authenticate(v, middleware.WithObserver(m.MiddlewareObserver()))
	mux := http.NewServeMux()
	mux.Handle("GET /items/{id}", auth(ok))
	mux.Handle("GET /orgs/{org}/items", auth(orgs.Require(orgs.FromPath("org"), orgs.WithObserver(m.OrgsObserver()))(ok)))
	app := httptest.NewServer(mux)
	defer app.Close()
	hc := &http.Client{Timeout: 10 * time.Second}

	good := mint(t, tenant, authtest.Token{})
	steps := []struct {
		name    string
		path    string
		tok     string
		advance time.Duration
		fault   authtest.Fault
		status  int
	}{
		{"good token, cache miss", "/items/1", good, 0, authtest.NoFault, 200},
		{"good token, cache hit", "/items/2", good, 0, authtest.NoFault, 200},
		{"expired token", "/items/1", mint(t, tenant, authtest.Token{ExpiresIn: -time.Hour}), 0, authtest.NoFault, 401},
		{"other organization", "/orgs/org_b/items", mint(t, tenant, authtest.Token{Claims: map[string]any{"org_id": "org_a"}}), 0, authtest.NoFault, 403},
		{"unknown kid within the cooldown", "/items/1", mint(t, tenant, authtest.Token{Header: map[string]any{"kid": "rotated-1"}}), 0, authtest.NoFault, 401},
		{"unknown kid after the cooldown", "/items/1", mint(t, tenant, authtest.Token{Header: map[string]any{"kid": "rotated-2"}}), 31 * time.Second, authtest.NoFault, 401},
		{"unknown kid, JWKS down, stale keys served", "/items/1", mint(t, tenant, authtest.Token{Header: map[string]any{"kid": "rotated-3"}}), 31 * time.Second, authtest.FaultServerError, 401},
		{"unknown kid, JWKS down past MaxStale", "/items/1", mint(t, tenant, authtest.Token{Header: map[string]any{"kid": "rotated-4"}}), time.Hour, authtest.FaultServerError, 503},
		{"good token, JWKS down past MaxStale", "/items/1", good, 0, authtest.FaultServerError, 503},
	}
	for _, s := range steps {
		clock.Advance(s.advance)
		tenant.SetJWKSFault(s.fault)
		if got := get(t, hc, app.URL+s.path, s.tok); got != s.status {
			t.Fatalf("%s: got status %d, want %d", s.name, got, s.status)
		}
	}

	// A Management API call answered 429 (with Retry-After and the
	// X-RateLimit headers), then 200.
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
	defer api.Close()
	// The wait is Retry-After (1 s) capped by MaxWait: 10 ms.
	mgmt, err := management.New(api.URL, management.Config{Token: "mgmt-token", HTTP: client.Config{Observer: m.ClientObserver(), Backoff: time.Millisecond, MaxWait: 10 * time.Millisecond}})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if _, err := mgmt.Users.Get(ctx, "auth0|alice", nil); err != nil {
		t.Fatalf("management call: %v", err)
	}

	metricsSrv := httptest.NewServer(metrics.Handler(reg))
	defer metricsSrv.Close()
	if err := testutil.ScrapeAndCompare(metricsSrv.URL, strings.NewReader(expectedScrape), deterministic...); err != nil {
		t.Errorf("scrape differs from the expected exposition:\n%v", err)
	}

	body, series := scrape(t, metricsSrv.URL)
	for name, want := range map[string]float64{
		// Histograms: the counts are exact, the buckets depend on timing.
		`tokengate_verification_duration_seconds_count`:                     8, // every verification but the one cache hit
		`tokengate_jwks_fetch_duration_seconds_count{jwks="tenant"}`:        4,
		`tokengate_client_request_duration_seconds_count{api="management"}`: 2,
		// Read from the cache's Stats at scrape time, on the step clock:
		// the last success was 31 s after the start, the scrape is at
		// 62 s + 1 h.
		`tokengate_jwks_refresh_age_seconds{jwks="tenant"}`:  3631,
		`tokengate_jwks_keys{jwks="tenant"}`:                 0,
		`tokengate_jwks_consecutive_failures{jwks="tenant"}`: 2,
	} {
		if got, ok := series[name]; !ok || got != want {
			t.Errorf("%s: got %v (present %v), want %v", name, got, ok, want)
		}
	}
	if got := series[`tokengate_client_rate_limit_wait_seconds_total{api="management"}`]; got != 0.01 {
		t.Errorf("rate-limit wait: got %v s, want 0.01 (Retry-After capped by maxWait)", got)
	}
	var lines []string
	for l := range strings.SplitSeq(body, "\n") {
		if strings.HasPrefix(l, "tokengate_") && !strings.Contains(l, "_bucket{") {
			lines = append(lines, l)
		}
	}
	t.Logf("scrape after the scenario (histogram buckets left out):\n%s", strings.Join(lines, "\n"))

	problems, err := testutil.GatherAndLint(reg)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range problems {
		t.Errorf("promlint: %s: %s", p.Metric, p.Text)
	}
}

// deterministic lists the families compared exactly.
var deterministic = []string{
	"tokengate_verifications_total",
	"tokengate_verifier_cache_hits_total",
	"tokengate_verifier_cache_misses_total",
	"tokengate_verifier_cache_entries",
	"tokengate_jwks_fetches_total",
	"tokengate_jwks_kid_misses_total",
	"tokengate_jwks_keys",
	"tokengate_jwks_consecutive_failures",
	"tokengate_jwks_refresh_age_seconds",
	"tokengate_http_requests_total",
	"tokengate_org_denials_total",
	"tokengate_client_requests_total",
	"tokengate_client_retries_total",
	"tokengate_client_rate_limit_waits_total",
	"tokengate_client_rate_limit_wait_seconds_total",
	"tokengate_client_rate_limit_remaining",
}

var expectedScrape = `
# HELP tokengate_verifications_total Token verifications by result (ok or error) and reason (verifier.Reason of the error).
# TYPE tokengate_verifications_total counter
tokengate_verifications_total{reason="algorithm",result="error"} 0
tokengate_verifications_total{reason="bad_audience",result="error"} 0
tokengate_verifications_total{reason="bad_authorized_party",result="error"} 0
tokengate_verifications_total{reason="bad_issuer",result="error"} 0
tokengate_verifications_total{reason="bad_nonce",result="error"} 0
tokengate_verifications_total{reason="bad_organization",result="error"} 0
tokengate_verifications_total{reason="bad_signature",result="error"} 0
tokengate_verifications_total{reason="bound_token",result="error"} 0
tokengate_verifications_total{reason="canceled",result="error"} 0
tokengate_verifications_total{reason="claims_rejected",result="error"} 0
tokengate_verifications_total{reason="decrypt",result="error"} 0
tokengate_verifications_total{reason="expired",result="error"} 1
tokengate_verifications_total{reason="keys_unavailable",result="error"} 2
tokengate_verifications_total{reason="malformed",result="error"} 0
tokengate_verifications_total{reason="max_age",result="error"} 0
tokengate_verifications_total{reason="missing_claim",result="error"} 0
tokengate_verifications_total{reason="not_yet_valid",result="error"} 0
tokengate_verifications_total{reason="ok",result="ok"} 3
tokengate_verifications_total{reason="other",result="error"} 0
tokengate_verifications_total{reason="revocation_unavailable",result="error"} 0
tokengate_verifications_total{reason="revoked",result="error"} 0
tokengate_verifications_total{reason="timeout",result="error"} 0
tokengate_verifications_total{reason="token_type",result="error"} 0
tokengate_verifications_total{reason="unknown_kid",result="error"} 3
# HELP tokengate_verifier_cache_hits_total Verifications answered by the verified-token cache.
# TYPE tokengate_verifier_cache_hits_total counter
tokengate_verifier_cache_hits_total 1
# HELP tokengate_verifier_cache_misses_total Verifications the verified-token cache did not answer (including every one when the cache is off).
# TYPE tokengate_verifier_cache_misses_total counter
tokengate_verifier_cache_misses_total 8
# HELP tokengate_verifier_cache_entries Tokens in the verified-token caches of the verifiers given to WatchVerifier.
# TYPE tokengate_verifier_cache_entries gauge
tokengate_verifier_cache_entries 1
# HELP tokengate_jwks_fetches_total JWKS fetches by cache name and outcome (ok, not_modified, http_error, network_error, parse_error).
# TYPE tokengate_jwks_fetches_total counter
tokengate_jwks_fetches_total{jwks="tenant",outcome="ok"} 2
tokengate_jwks_fetches_total{jwks="tenant",outcome="not_modified"} 0
tokengate_jwks_fetches_total{jwks="tenant",outcome="http_error"} 2
tokengate_jwks_fetches_total{jwks="tenant",outcome="network_error"} 0
tokengate_jwks_fetches_total{jwks="tenant",outcome="parse_error"} 0
# HELP tokengate_jwks_kid_misses_total Key lookups for a kid not in the key set, by whether they waited for a refetch (refetched) or the cooldown or a Retry-After suppressed it (suppressed).
# TYPE tokengate_jwks_kid_misses_total counter
tokengate_jwks_kid_misses_total{jwks="tenant",result="refetched"} 3
tokengate_jwks_kid_misses_total{jwks="tenant",result="suppressed"} 2
# HELP tokengate_jwks_keys Keys served by the JWKS cache (0 before the first successful fetch and after MaxStale).
# TYPE tokengate_jwks_keys gauge
tokengate_jwks_keys{jwks="tenant"} 0
# HELP tokengate_jwks_consecutive_failures Failed JWKS fetches since the last successful one.
# TYPE tokengate_jwks_consecutive_failures gauge
tokengate_jwks_consecutive_failures{jwks="tenant"} 2
# HELP tokengate_jwks_refresh_age_seconds Seconds since the key set was last fetched or confirmed successfully; +Inf before the first success.
# TYPE tokengate_jwks_refresh_age_seconds gauge
tokengate_jwks_refresh_age_seconds{jwks="tenant"} 3631
# HELP tokengate_http_requests_total Requests through middleware.Authenticate by route path pattern ("unmatched" when no route is known), method ("_OTHER" for non-standard ones), outcome (middleware and orgs outcomes) and the status the auth layer wrote ("" when the request reached the handler, which chose its own; outcome says how it passed: ok, anonymous).
# TYPE tokengate_http_requests_total counter
tokengate_http_requests_total{method="GET",outcome="ok",route="/items/{id}",status=""} 2
tokengate_http_requests_total{method="GET",outcome="invalid_token",route="/items/{id}",status="401"} 4
tokengate_http_requests_total{method="GET",outcome="keys_unavailable",route="/items/{id}",status="503"} 2
tokengate_http_requests_total{method="GET",outcome="org_denied",route="/orgs/{org}/items",status="403"} 1
# HELP tokengate_org_denials_total Requests refused by orgs.Require or orgs.RequireMember, by route path pattern, method and reason (org_missing, org_denied, not_member, org_unavailable, unauthenticated, misconfigured, canceled).
# TYPE tokengate_org_denials_total counter
tokengate_org_denials_total{method="GET",reason="org_denied",route="/orgs/{org}/items"} 1
# HELP tokengate_client_requests_total HTTP attempts of the Auth0 API clients by API ("authentication" or "management"), method and status code ("none" when no answer came).
# TYPE tokengate_client_requests_total counter
tokengate_client_requests_total{api="management",method="GET",status="200"} 1
tokengate_client_requests_total{api="management",method="GET",status="429"} 1
# HELP tokengate_client_retries_total Retries of the Auth0 API clients by API and reason (rate_limited, server_error, network).
# TYPE tokengate_client_retries_total counter
tokengate_client_retries_total{api="management",reason="rate_limited"} 1
# HELP tokengate_client_rate_limit_waits_total Waits of the Auth0 API clients after a 429 answer, by API.
# TYPE tokengate_client_rate_limit_waits_total counter
tokengate_client_rate_limit_waits_total{api="management"} 1
# HELP tokengate_client_rate_limit_wait_seconds_total Seconds the Auth0 API clients waited after 429 answers, by API.
# TYPE tokengate_client_rate_limit_wait_seconds_total counter
tokengate_client_rate_limit_wait_seconds_total{api="management"} 0.01
# HELP tokengate_client_rate_limit_remaining X-RateLimit-Remaining of the latest answer that carried it, by API.
# TYPE tokengate_client_rate_limit_remaining gauge
tokengate_client_rate_limit_remaining{api="management"} 9
`
