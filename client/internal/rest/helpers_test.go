package rest

import (
	"context"
	"github.com/tokengate/tokengate/client"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// counting starts a server that counts requests and answers with h.
func counting(t *testing.T, h func(n int, w http.ResponseWriter, r *http.Request)) (*httptest.Server, *atomic.Int32) {
	t.Helper()
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h(int(n.Add(1)), w, r)
	}))
	t.Cleanup(srv.Close)
	return srv, &n
}

// newTestClient builds a Client of the "management" API for srvURL with
// cfg, whose backoff is made fast when it is not set.
func newTestClient(t *testing.T, srvURL string, cfg client.Config) *Client {
	t.Helper()
	if cfg.Backoff == 0 && cfg.MaxWait == 0 {
		cfg.Backoff, cfg.MaxWait = time.Millisecond, 20*time.Millisecond
	}
	c, err := New(srvURL, "management", cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return c
}

// recorder is an client.Observer that keeps its events.
type recorder struct {
	mu       sync.Mutex
	requests []client.RequestEvent
	retries  []client.RetryEvent
}

func (r *recorder) ObserveRequest(_ context.Context, e client.RequestEvent) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.requests = append(r.requests, e)
}

func (r *recorder) ObserveRetry(_ context.Context, e client.RetryEvent) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.retries = append(r.retries, e)
}

func ctxTimeout(t *testing.T, d time.Duration) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), d)
	t.Cleanup(cancel)
	return ctx
}

func ptr[T any](v T) *T { return &v }
