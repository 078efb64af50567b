package rest

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tokengate/tokengate/client"
)

type spanKey struct{}

// hookRecorder is an Observer and a RequestHook: it adds headers before
// each attempt (some the request already has, one invalid), and marks the
// attempt's context.
type hookRecorder struct {
	recorder
	mu       sync.Mutex
	outgoing []client.OutgoingRequest
	seen     []http.Header // the Header each StartRequest was given
	marks    []any         // the mark on each ObserveRequest's context
	panics   bool
	detach   bool // return a context that is not the caller's
}

func (h *hookRecorder) StartRequest(ctx context.Context, r *client.OutgoingRequest) context.Context {
	h.mu.Lock()
	h.outgoing = append(h.outgoing, *r)
	h.seen = append(h.seen, r.Header.Clone())
	h.mu.Unlock()
	if h.panics {
		panic("hook bug")
	}
	r.Header.Set("Traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01")
	r.Header.Set("Authorization", "Bearer stolen")
	r.Header.Set("Content-Type", "text/evil")
	r.Header["Bad Name"] = []string{"x"}
	r.Header["X-Bad-Value"] = []string{"a\r\nInjected: yes"}
	if h.detach {
		ctx = context.Background()
	}
	return context.WithValue(ctx, spanKey{}, r.Attempt)
}

func (h *hookRecorder) ObserveRequest(ctx context.Context, e client.RequestEvent) {
	h.mu.Lock()
	h.marks = append(h.marks, ctx.Value(spanKey{}))
	h.mu.Unlock()
	h.recorder.ObserveRequest(ctx, e)
}

// TestRequestHook: before each attempt the hook learns the method, the
// route template, the host, the attempt and the wait before it; its
// headers are sent, the attempt's ObserveRequest gets its context.
func TestRequestHook(t *testing.T) {
	var mu sync.Mutex
	var got []http.Header
	srv, _ := counting(t, func(n int, w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		got = append(got, r.Header.Clone())
		mu.Unlock()
		if n == 1 {
			w.Header().Set("Retry-After", "0")
			w.WriteHeader(http.StatusTooManyRequests)
			return
		}
		w.Write([]byte(`{}`))
	})
	h := &hookRecorder{}
	c := newTestClient(t, srv.URL, client.Config{Observer: h})
	_, err := c.Do(context.Background(), &Request{
		Method: http.MethodPatch, Path: "/api/v2/users/auth0%7C123", Route: "/api/v2/users/{id}",
		JSON: map[string]any{"x": 1}, Header: http.Header{"Authorization": {"Bearer real-token"}},
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	u, _ := url.Parse(srv.URL)
	if len(h.outgoing) != 2 {
		t.Fatalf("got %d StartRequest calls, want 2", len(h.outgoing))
	}
	for i, o := range h.outgoing {
		if o.API != "management" || o.Method != http.MethodPatch || o.Route != "/api/v2/users/{id}" || o.Host != u.Host || o.Attempt != i+1 {
			t.Errorf("attempt %d: got %+v", i+1, o)
		}
	}
	if o := h.outgoing[1]; o.RetryReason != client.ReasonRateLimited || o.Wait < 0 {
		t.Errorf("second attempt: got reason %q wait %v, want rate_limited", o.RetryReason, o.Wait)
	}
	for i, m := range h.marks {
		if m != i+1 {
			t.Errorf("ObserveRequest %d: got context mark %v, want the attempt's (%d)", i+1, m, i+1)
		}
	}
	for i, e := range h.requests {
		if e.Route != "/api/v2/users/{id}" || e.Host != u.Host || e.Start.IsZero() {
			t.Errorf("event %d: got %+v, want the route template, the host and a start", i+1, e)
		}
	}
	if len(h.retries) != 1 || h.retries[0].Route != "/api/v2/users/{id}" || h.retries[0].Attempt != 1 {
		t.Errorf("retries: got %+v, want one after attempt 1 with the route", h.retries)
	}
	for i, hd := range got {
		if hd.Get("Traceparent") == "" {
			t.Errorf("attempt %d: no traceparent sent", i+1)
		}
	}
	t.Run("HK2/no-replace-no-read", func(t *testing.T) {
		for i, hd := range got {
			if hd.Get("Authorization") != "Bearer real-token" || hd.Get("Content-Type") != "application/json" {
				t.Errorf("attempt %d: the hook replaced a header of the request: %v", i+1, hd)
			}
			if hd.Get("Injected") != "" || hd.Get("X-Bad-Value") != "" {
				t.Errorf("attempt %d: an invalid header was sent: %v", i+1, hd)
			}
		}
		for i, seen := range h.seen {
			if len(seen) != 0 {
				t.Errorf("attempt %d: the hook was given headers %v, want none (it never sees credentials)", i+1, seen)
			}
		}
		for _, e := range h.requests {
			if strings.Contains(e.Route, "auth0") {
				t.Errorf("event route %q holds a path value", e.Route)
			}
		}
	})
}

// TestHK2RequestHookCannotDetach: a hook that returns a context detached
// from the caller's cannot keep the request alive past the caller's
// cancellation; a panicking hook costs the attempt its headers only.
func TestHK2RequestHookCannotDetach(t *testing.T) {
	srv, _ := counting(t, func(n int, w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-time.After(5 * time.Second):
		}
	})
	h := &hookRecorder{detach: true}
	c := newTestClient(t, srv.URL, client.Config{Observer: h, MaxRetries: client.NoRetries})
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	start := time.Now()
	if _, err := c.Do(ctx, &Request{Path: "/slow"}, nil); err == nil {
		t.Fatal("got nil error, want the caller's deadline")
	}
	if d := time.Since(start); d > 4*time.Second {
		t.Fatalf("the request outlived the caller's deadline: %v", d)
	}
	if len(h.marks) != 1 || h.marks[0] != 1 {
		t.Errorf("got marks %v, want the hook's context on the attempt's event", h.marks)
	}

	var sent http.Header
	ok, _ := counting(t, func(n int, w http.ResponseWriter, r *http.Request) { sent = r.Header.Clone() })
	p := &hookRecorder{panics: true}
	c = newTestClient(t, ok.URL, client.Config{Observer: p})
	if _, err := c.Do(context.Background(), &Request{Path: "/x"}, nil); err != nil {
		t.Fatalf("a panicking hook failed the request: %v", err)
	}
	if sent.Get("Traceparent") != "" || len(p.requests) != 1 || p.marks[0] != nil {
		t.Errorf("panicking hook: sent %v, events %d, mark %v; want no hook header and the caller's context", sent, len(p.requests), p.marks)
	}
}

// TestJoinObserversClient: a joined observer calls every member, and runs
// the RequestHooks among them in order, each on the context of the one
// before, into one header set.
func TestJoinObserversClient(t *testing.T) {
	if client.JoinObservers(nil) != nil {
		t.Error("JoinObservers(nil): got an observer, want nil")
	}
	plain := &recorder{}
	h := &hookRecorder{}
	j := client.JoinObservers(plain, nil, h)
	if _, ok := j.(client.RequestHook); !ok {
		t.Fatal("a join with a RequestHook is not a RequestHook")
	}
	if _, ok := client.JoinObservers(plain, &recorder{}).(client.RequestHook); ok {
		t.Error("a join without a RequestHook is one")
	}
	srv, _ := counting(t, func(n int, w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Traceparent") == "" {
			w.WriteHeader(http.StatusBadRequest)
		}
	})
	c := newTestClient(t, srv.URL, client.Config{Observer: j})
	if _, err := c.Do(context.Background(), &Request{Path: "/x"}, nil); err != nil {
		t.Fatal(err)
	}
	if len(plain.requests) != 1 || len(h.requests) != 1 || h.marks[0] != 1 {
		t.Errorf("got %d and %d events, mark %v; want one each and the hook's context", len(plain.requests), len(h.requests), h.marks)
	}
}
