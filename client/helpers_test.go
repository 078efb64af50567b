package client

import (
	"context"
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

// newTestClient builds a Client with fast retries for srvURL.
func newTestClient(t *testing.T, srvURL string, opts ...Option) *Client {
	t.Helper()
	all := append([]Option{WithBackoff(time.Millisecond, 20*time.Millisecond)}, opts...)
	c, err := New(srvURL, all...)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return c
}

// recorder is an Observer that keeps its events.
type recorder struct {
	mu       sync.Mutex
	requests []RequestEvent
	retries  []RetryEvent
}

func (r *recorder) ObserveRequest(e RequestEvent) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.requests = append(r.requests, e)
}

func (r *recorder) ObserveRetry(e RetryEvent) {
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
