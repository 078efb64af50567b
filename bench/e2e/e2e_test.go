package e2e_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tokengate/tokengate/bench"
	"github.com/tokengate/tokengate/bench/e2e"
)

// setup is built once: keys, the RS256 fixture and the distinct valid tokens.
var setup = sync.OnceValues(func() (*e2e.Setup, error) {
	return e2e.NewSetup(e2e.DefaultTokens, time.Now())
})

func mustSetup(tb testing.TB) *e2e.Setup {
	tb.Helper()
	s, err := setup()
	if err != nil {
		tb.Fatal(err)
	}
	return s
}

func serve(tb testing.TB, srv e2e.Server, f *bench.Fixture) *httptest.Server {
	tb.Helper()
	h, err := srv.New(f)
	if err != nil {
		tb.Fatalf("server %s: %v", srv.Name, err)
	}
	ts := httptest.NewServer(h)
	tb.Cleanup(ts.Close)
	return ts
}

// TestServers: every server answers the good tokens with 200; the protected
// ones answer 401 to expired, wrong-audience and missing tokens; the
// tokengate chain answers 403 on another organization's path (e2e.Check,
// which cmd/e2e also runs before any server is timed).
func TestServers(t *testing.T) {
	s := mustSetup(t)
	names := map[string]bool{}
	for _, srv := range e2e.Servers() {
		names[srv.Name] = true
		t.Run("server="+srv.Name, func(t *testing.T) {
			ts := serve(t, srv, s.Fixture)
			if err := e2e.Check(context.Background(), ts.Client(), ts.URL, srv, s); err != nil {
				t.Error(err)
			}
		})
	}
	for _, want := range []string{e2e.NameBare, e2e.NameTokengate, e2e.NameTokengateChain, e2e.NameTokengateNoCache,
		e2e.NameGoJWTMiddleware3, e2e.NameGoJWTMiddleware2} {
		if !names[want] {
			t.Errorf("Servers() lacks %q", want)
		}
	}
}

// TestServersStatuses pins the statuses of tokengate's servers exactly (Check
// allows go-jwt-middleware v2's 400 for a missing token).
func TestServersStatuses(t *testing.T) {
	s := mustSetup(t)
	tests := []struct {
		server, name, token, org string
		want                     int
	}{
		{e2e.NameTokengate, "good", s.Fixture.Good, s.Org, http.StatusOK},
		{e2e.NameTokengate, "expired", s.Fixture.Expired, s.Org, http.StatusUnauthorized},
		{e2e.NameTokengate, "wrong audience", s.Fixture.WrongAudience, s.Org, http.StatusUnauthorized},
		{e2e.NameTokengate, "no token", "", s.Org, http.StatusUnauthorized},
		{e2e.NameTokengate, "other org, no org check", s.Fixture.Good, e2e.OtherOrg, http.StatusOK},
		{e2e.NameTokengateNoCache, "good", s.Tokens[3], s.Org, http.StatusOK},
		{e2e.NameTokengateNoCache, "expired", s.Fixture.Expired, s.Org, http.StatusUnauthorized},
		{e2e.NameTokengateChain, "good", s.Tokens[5], s.Org, http.StatusOK},
		{e2e.NameTokengateChain, "expired", s.Fixture.Expired, s.Org, http.StatusUnauthorized},
		{e2e.NameTokengateChain, "wrong audience", s.Fixture.WrongAudience, s.Org, http.StatusUnauthorized},
		{e2e.NameTokengateChain, "wrong org", s.Fixture.Good, e2e.OtherOrg, http.StatusForbidden},
		{e2e.NameTokengateChain, "wrong org, no token", "", e2e.OtherOrg, http.StatusUnauthorized},
		{e2e.NameBare, "no token", "", s.Org, http.StatusOK},
	}
	servers := map[string]*httptest.Server{}
	for _, srv := range e2e.Servers() {
		servers[srv.Name] = serve(t, srv, s.Fixture)
	}
	for _, tt := range tests {
		t.Run(tt.server+"/"+tt.name, func(t *testing.T) {
			ts := servers[tt.server]
			req, err := http.NewRequest(http.MethodGet, ts.URL+e2e.Path(tt.org), nil)
			if err != nil {
				t.Fatal(err)
			}
			if tt.token != "" {
				req.Header.Set("Authorization", "Bearer "+tt.token)
			}
			resp, err := ts.Client().Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != tt.want {
				t.Errorf("got %d, want %d", resp.StatusCode, tt.want)
			}
		})
	}
}

// TestCheckCatchesWrongServers: Check must fail a server that does not do
// what its description says, or it proves nothing.
func TestCheckCatchesWrongServers(t *testing.T) {
	s := mustSetup(t)
	bare := e2e.Servers()[0]
	refuseAll := e2e.Server{Name: "refuse-all", New: func(*bench.Fixture) (http.Handler, error) {
		return http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusUnauthorized) }), nil
	}}
	tests := []struct {
		name string
		srv  e2e.Server
		want []string
	}{
		{"bare claiming to be protected", e2e.Server{Name: "x", Protected: true, New: bare.New}, []string{
			"expired token: got 200, want 401", "wrong-audience token: got 200, want 401", "no token: got 200, want 401 or 400"}},
		{"bare claiming to check orgs", e2e.Server{Name: "x", ChecksOrg: true, New: bare.New}, []string{
			"another organization's path: got 200, want 403"}},
		{"refusing everything", refuseAll, []string{"good token: got 401, want 200", "token of the set: got 401, want 200"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ts := serve(t, tt.srv, s.Fixture)
			err := e2e.Check(context.Background(), ts.Client(), ts.URL, tt.srv, s)
			if err == nil {
				t.Fatalf("got nil error, want %q", tt.want)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("got %q, want it to contain %q", err, w)
				}
			}
		})
	}
}

func TestRun(t *testing.T) {
	s := mustSetup(t)
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") == "" {
			w.WriteHeader(http.StatusUnauthorized)
		}
	}))
	defer ts.Close()
	tests := []struct {
		name         string
		load         e2e.Load
		wantRequests int // -1: any positive number
		wantFailures int
	}{
		{"request count", e2e.Load{URL: ts.URL, Tokens: s.Tokens, Requests: 256, Concurrency: 4}, 256, 0},
		{"duration", e2e.Load{URL: ts.URL, Tokens: s.Tokens[:2], Duration: 200 * time.Millisecond, Concurrency: 4}, -1, 0},
		{"both: the count first", e2e.Load{URL: ts.URL, Tokens: s.Tokens, Requests: 30, Duration: time.Minute, Concurrency: 2}, 30, 0},
		{"default concurrency", e2e.Load{URL: ts.URL, Tokens: s.Tokens, Requests: 100}, 100, 0},
		{"no token: every answer is a failure", e2e.Load{URL: ts.URL, Requests: 50, Concurrency: 4}, 0, 50},
		{"expected 401", e2e.Load{URL: ts.URL, Requests: 50, WantStatus: http.StatusUnauthorized}, 50, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := e2e.Run(context.Background(), tt.load)
			if err != nil {
				t.Fatal(err)
			}
			if tt.wantRequests >= 0 && res.Requests != tt.wantRequests || tt.wantRequests < 0 && res.Requests <= 0 {
				t.Errorf("requests: got %d, want %d (-1: any positive)", res.Requests, tt.wantRequests)
			}
			if res.Failures != tt.wantFailures {
				t.Errorf("failures: got %d, want %d", res.Failures, tt.wantFailures)
			}
			if res.Requests > 0 && (res.P50 <= 0 || res.P99 < res.P50 || res.RPS() <= 0) {
				t.Errorf("got p50 %v, p99 %v, %v req/s; want 0 < p50 <= p99 and req/s > 0", res.P50, res.P99, res.RPS())
			}
			conc := tt.load.Concurrency
			if conc == 0 {
				conc = e2e.DefaultConcurrency()
			}
			// Keep-alive: about one connection per worker (the Transport
			// replaces one now and then under CPU load), far fewer than
			// one per request.
			if most := conc + (res.Requests+res.Failures)/20; res.Conns < 1 || res.Conns > most {
				t.Errorf("connections: got %d, want 1..%d (keep-alive)", res.Conns, most)
			}
			if tt.load.Duration > 0 && tt.load.Requests == 0 && (res.Elapsed < tt.load.Duration || res.Elapsed > tt.load.Duration+5*time.Second) {
				t.Errorf("elapsed: got %v, want about %v", res.Elapsed, tt.load.Duration)
			}
		})
	}
}

// TestRunRotatesTokens: the tokens go out round-robin, each as often as the
// others.
func TestRunRotatesTokens(t *testing.T) {
	s := mustSetup(t)
	var mu sync.Mutex
	seen := map[string]int{}
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		seen[r.Header.Get("Authorization")]++
		mu.Unlock()
	}))
	defer ts.Close()
	if _, err := e2e.Run(context.Background(), e2e.Load{URL: ts.URL, Tokens: s.Tokens, Requests: 4 * len(s.Tokens), Concurrency: 8}); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(seen) != len(s.Tokens) {
		t.Errorf("distinct Authorization headers: got %d, want %d", len(seen), len(s.Tokens))
	}
	for i, tok := range s.Tokens {
		if n := seen["Bearer "+tok]; n != 4 {
			t.Errorf("token %d: got %d requests, want 4", i, n)
		}
	}
}

func TestRunRefuses(t *testing.T) {
	tests := []struct {
		name string
		load e2e.Load
		want error // nil: any error
	}{
		{"public address", e2e.Load{URL: "http://192.0.2.1:8080/", Requests: 1}, e2e.ErrNotLoopback},
		{"host name", e2e.Load{URL: "http://example.com/", Requests: 1}, e2e.ErrNotLoopback},
		{"private address", e2e.Load{URL: "http://10.0.0.1/", Requests: 1}, e2e.ErrNotLoopback},
		{"https", e2e.Load{URL: "https://127.0.0.1/", Requests: 1}, e2e.ErrNotLoopback},
		{"no bound", e2e.Load{URL: "http://127.0.0.1:1/"}, nil},
		{"negative requests", e2e.Load{URL: "http://127.0.0.1:1/", Requests: -1}, nil},
		{"duration too long", e2e.Load{URL: "http://127.0.0.1:1/", Duration: time.Hour}, nil},
		{"timeout too long", e2e.Load{URL: "http://127.0.0.1:1/", Requests: 1, Timeout: time.Hour}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := e2e.Run(context.Background(), tt.load)
			switch {
			case err == nil:
				t.Errorf("got nil error, want one")
			case tt.want != nil && !errors.Is(err, tt.want):
				t.Errorf("got %v, want %v", err, tt.want)
			}
		})
	}
}

func TestBenchLine(t *testing.T) {
	r := e2e.Result{Requests: 20000, Failures: 1, Elapsed: 2 * time.Second, P50: 300 * time.Microsecond, P99: 2 * time.Millisecond}
	got := r.BenchLine("go-jwt-middleware-v2", "go")
	want := "BenchmarkE2E/server=go-jwt-middleware-v2/driver=go\t20000\t100000 ns/op\t10000.0 req/s\t300000 p50-ns\t2000000 p99-ns\t1 failures"
	if got != want {
		t.Errorf("got  %q\nwant %q", got, want)
	}
}

// BenchmarkHTTP drives each server, in this process, with b.N requests
// from e2e.DefaultConcurrency() keep-alive connections, the tokens
// round-robin. It is the quick look (and what CI runs once); bench/run.sh
// measures with client and server in separate processes (cmd/e2e, wrk).
// ns/op is the inverse of the throughput of client and server together;
// req/s and p99-ns are reported as extra metrics.
func BenchmarkHTTP(b *testing.B) {
	s := mustSetup(b)
	for _, srv := range e2e.Servers() {
		b.Run("server="+srv.Name, func(b *testing.B) {
			ts := serve(b, srv, s.Fixture)
			u := ts.URL + e2e.Path(s.Org)
			ctx := context.Background()
			// Warm up: connections open, every token seen once.
			if _, err := e2e.Run(ctx, e2e.Load{URL: u, Tokens: s.Tokens, Requests: len(s.Tokens)}); err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			b.ResetTimer()
			res, err := e2e.Run(ctx, e2e.Load{URL: u, Tokens: s.Tokens, Requests: b.N, Timeout: 5 * time.Minute})
			b.StopTimer()
			if err != nil {
				b.Fatal(err)
			}
			if res.Failures > 0 {
				b.Fatalf("%d of %d requests failed", res.Failures, b.N)
			}
			b.ReportMetric(res.RPS(), "req/s")
			b.ReportMetric(float64(res.P99.Nanoseconds()), "p99-ns")
		})
	}
}
