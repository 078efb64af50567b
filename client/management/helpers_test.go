package management

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tokengate/tokengate/client"
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

// newTestManagement returns a client for srv with a static token, fast
// retries and the extra options.
func newTestManagement(t *testing.T, srv *httptest.Server, opts ...Option) *Management {
	t.Helper()
	all := append([]Option{
		WithToken(testToken),
		WithClientOptions(client.Config{Backoff: time.Millisecond, MaxWait: 20 * time.Millisecond}),
	}, opts...)
	m, err := New(srv.URL, all...)
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

// withFetcher makes New use f for client credentials.
func withFetcher(f tokenFetcher) Option {
	return func(c *config) { c.fetcher = f }
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
