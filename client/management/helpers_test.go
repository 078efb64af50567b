package management

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// testToken is the static token of newTestManagement.
const testToken = "test-token"

// newServer starts an httptest server answering with h.
func newServer(t *testing.T, h http.HandlerFunc) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv
}

// newTestManagement returns a client for srv with cfg, plus the static
// token testToken when cfg names no token source, and fast retries when
// cfg.HTTP sets no backoff.
func newTestManagement(t *testing.T, srv *httptest.Server, cfg Config) *Management {
	t.Helper()
	if cfg.tokenKind() == "none" {
		cfg.Token = testToken
	}
	if cfg.HTTP.Backoff == 0 && cfg.HTTP.MaxWait == 0 {
		cfg.HTTP.Backoff, cfg.HTTP.MaxWait = time.Millisecond, 20*time.Millisecond
	}
	m, err := New(srv.URL, cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return m
}

// fakeFetcher is a tokenFetcher handing out numbered tokens.
type fakeFetcher struct {
	mu        sync.Mutex
	calls     atomic.Int32
	lifetime  time.Duration
	err       error
	delay     time.Duration
	audiences []string
}

func (f *fakeFetcher) clientCredentials(ctx context.Context, audience string) (string, time.Duration, error) {
	n := f.calls.Add(1)
	f.mu.Lock()
	f.audiences = append(f.audiences, audience)
	err, delay := f.err, f.delay
	f.mu.Unlock()
	if delay > 0 {
		select {
		case <-time.After(delay):
		case <-ctx.Done():
			return "", 0, ctx.Err()
		}
	}
	if err != nil {
		return "", 0, err
	}
	return "cc-token-" + string(rune('0'+n)), f.lifetime, nil
}

// newWithFetcher is New with f fetching client-credentials tokens (cfg
// then needs no token source).
func newWithFetcher(domain string, f tokenFetcher, cfg Config) (*Management, error) {
	return newManagement(domain, cfg, f)
}

// fakeClock is a settable clock.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}
