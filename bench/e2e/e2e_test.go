package e2e_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/tokengate/tokengate/bench"
	"github.com/tokengate/tokengate/bench/e2e"
)

// setup is built once: keys, the RS256 fixture and a set of distinct valid
// tokens (clients repeat their tokens; 64 users do here).
type setup struct {
	f      *bench.Fixture
	tokens []string
}

var fixture = sync.OnceValues(func() (*setup, error) {
	keys, err := bench.NewKeys()
	if err != nil {
		return nil, err
	}
	now := time.Now()
	f, err := bench.NewFixture(bench.RS256, keys, now)
	if err != nil {
		return nil, err
	}
	s := &setup{f: f}
	for i := range 64 {
		c := bench.GoodClaims(now)
		c.Subject = fmt.Sprintf("auth0|user%03d", i)
		tok, err := keys.Token(bench.RS256, c)
		if err != nil {
			return nil, err
		}
		s.tokens = append(s.tokens, tok)
	}
	return s, nil
})

func mustSetup(tb testing.TB) *setup {
	tb.Helper()
	s, err := fixture()
	if err != nil {
		tb.Fatal(err)
	}
	return s
}

func status(t *testing.T, url, token string) int {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	c := &http.Client{Timeout: 5 * time.Second}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// TestServers: every server answers the good tokens; the protected ones
// refuse expired, wrong-audience and missing tokens.
func TestServers(t *testing.T) {
	s := mustSetup(t)
	for _, srv := range e2e.Servers() {
		t.Run("server="+srv.Name, func(t *testing.T) {
			h, err := srv.New(s.f)
			if err != nil {
				t.Fatal(err)
			}
			ts := httptest.NewServer(h)
			defer ts.Close()
			if got := status(t, ts.URL, s.f.Good); got != http.StatusOK {
				t.Errorf("good token: got %d, want 200", got)
			}
			if got := status(t, ts.URL, s.tokens[7]); got != http.StatusOK {
				t.Errorf("token of user 7: got %d, want 200", got)
			}
			if !srv.Protected {
				return
			}
			for name, tok := range map[string]string{"expired": s.f.Expired, "wrong-audience": s.f.WrongAudience} {
				if got := status(t, ts.URL, tok); got != http.StatusUnauthorized {
					t.Errorf("%s token: got %d, want 401", name, got)
				}
			}
			// go-jwt-middleware v2 answers 400 to a request without a token.
			if got := status(t, ts.URL, ""); got != http.StatusUnauthorized && got != http.StatusBadRequest {
				t.Errorf("no token: got %d, want 401 (or 400)", got)
			}
		})
	}
}

func TestRunCountsAndPercentiles(t *testing.T) {
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
		wantRequests int
		wantFailures int
	}{
		{"all good", e2e.Load{URL: ts.URL, Tokens: s.tokens, Requests: 200, Concurrency: 4}, 200, 0},
		{"no token: every answer is a failure", e2e.Load{URL: ts.URL, Requests: 50, Concurrency: 4}, 0, 50},
		{"expected 401", e2e.Load{URL: ts.URL, Requests: 50, WantStatus: http.StatusUnauthorized}, 50, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := e2e.Run(context.Background(), tt.load)
			if err != nil {
				t.Fatal(err)
			}
			if res.Requests != tt.wantRequests || res.Failures != tt.wantFailures {
				t.Errorf("got %d requests, %d failures; want %d, %d", res.Requests, res.Failures, tt.wantRequests, tt.wantFailures)
			}
			if res.Requests > 0 && (res.P50 <= 0 || res.P99 < res.P50 || res.RPS() <= 0) {
				t.Errorf("got p50 %v, p99 %v, %v req/s; want 0 < p50 <= p99 and req/s > 0", res.P50, res.P99, res.RPS())
			}
		})
	}
}

func TestRunRefusesOtherHosts(t *testing.T) {
	for _, u := range []string{"http://192.0.2.1:8080/", "http://example.com/", "http://10.0.0.1/"} {
		_, err := e2e.Run(context.Background(), e2e.Load{URL: u, Requests: 1})
		if !errors.Is(err, e2e.ErrNotLoopback) {
			t.Errorf("%s: got %v, want ErrNotLoopback", u, err)
		}
	}
	if _, err := e2e.Run(context.Background(), e2e.Load{URL: "http://127.0.0.1:1/", Requests: 0}); err == nil {
		t.Errorf("Requests 0: got nil error, want one")
	}
}

// BenchmarkHTTP drives each server with b.N requests from 16 connections.
// ns/op is the inverse of the throughput of client and server together (they
// share the machine, as wrk and the server would); req/s and p99-ns are
// reported as extra metrics.
func BenchmarkHTTP(b *testing.B) {
	s := mustSetup(b)
	for _, srv := range e2e.Servers() {
		b.Run("server="+srv.Name, func(b *testing.B) {
			h, err := srv.New(s.f)
			if err != nil {
				b.Fatal(err)
			}
			ts := httptest.NewServer(h)
			defer ts.Close()
			ctx := context.Background()
			// Warm up: connections open, every token seen once.
			if _, err := e2e.Run(ctx, e2e.Load{URL: ts.URL, Tokens: s.tokens, Requests: len(s.tokens)}); err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			b.ResetTimer()
			res, err := e2e.Run(ctx, e2e.Load{URL: ts.URL, Tokens: s.tokens, Requests: b.N, Timeout: 5 * time.Minute})
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
