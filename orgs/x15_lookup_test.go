package orgs_test

import (
	"context"
	"fmt"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tokengate/tokengate/middleware"
	"github.com/tokengate/tokengate/orgs"
)

// countingLookup grants org_partner access to every organization listed in
// partners; gate, when set, holds calls until it is closed.
type countingLookup struct {
	partners map[string]bool
	gate     chan struct{}
	calls    atomic.Int32
	entered  chan struct{}
	once     sync.Once
}

func (l *countingLookup) lookup(ctx context.Context, org string) ([]string, error) {
	l.calls.Add(1)
	if l.entered != nil {
		l.once.Do(func() { close(l.entered) })
	}
	if l.gate != nil {
		select {
		case <-l.gate:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	if l.partners[org] {
		return []string{"org_partner"}, nil
	}
	return nil, nil
}

// TestX15LookupSingleFlight: 50 concurrent requests about one organization
// make one WithLookup call; its answer is cached for the later ones.
func TestX15LookupSingleFlight(t *testing.T) {
	l := &countingLookup{partners: map[string]bool{"org_acme": true}, gate: make(chan struct{}), entered: make(chan struct{})}
	srv := server(t, routers[0].serve("/orgs/{org}/items", middleware.Authenticate(newVerifier(t)),
		orgs.Require(orgs.FromPath("org"), orgs.WithLookup(l.lookup))))
	partner := token(t, map[string]any{"org_id": "org_partner"})
	const n = 50
	statuses := make(chan int, n)
	var wg sync.WaitGroup
	for range n {
		wg.Go(func() {
			req, _ := http.NewRequest("GET", srv.URL+"/orgs/org_acme/items", nil)
			req.Header.Set("Authorization", "Bearer "+partner)
			c := *srv.Client()
			c.Timeout = 10 * time.Second
			resp, err := c.Do(req)
			if err != nil {
				statuses <- 0
				return
			}
			resp.Body.Close()
			statuses <- resp.StatusCode
		})
	}
	<-l.entered
	time.Sleep(20 * time.Millisecond) // let more requests join; the count does not depend on it
	close(l.gate)
	wg.Wait()
	close(statuses)
	for s := range statuses {
		if s != 200 {
			t.Errorf("status: got %d, want 200", s)
		}
	}
	if got := l.calls.Load(); got != 1 {
		t.Errorf("lookup calls: got %d, want 1", got)
	}
}

// TestX15LookupCacheBounded: a client naming ever new organizations makes
// one call per name, and the cache keeps at most WithCacheSize answers,
// least recently used evicted first; denials are cached too.
func TestX15LookupCacheBounded(t *testing.T) {
	const size = 8
	l := &countingLookup{partners: map[string]bool{}}
	clk := &clock{now: testNow}
	srv := server(t, routers[0].serve("/orgs/{org}/items", middleware.Authenticate(newVerifier(t)),
		orgs.Require(orgs.FromPath("org"), orgs.WithLookup(l.lookup), orgs.WithCacheSize(size), orgs.WithNow(clk.Now))))
	other := bearer(token(t, map[string]any{"org_id": "org_other"}))
	denied := want{403, "", bodyDenied, ""}
	const names = 200
	for i := range names {
		resp, body := call(t, srv, fmt.Sprintf("/orgs/org_%d/items", i), other)
		check(t, resp, body, denied)
	}
	if got := l.calls.Load(); got != names {
		t.Fatalf("lookup calls: got %d, want %d", got, names)
	}
	for i := names - size; i < names; i++ { // the most recent answers are cached
		resp, body := call(t, srv, fmt.Sprintf("/orgs/org_%d/items", i), other)
		check(t, resp, body, denied)
	}
	if got := l.calls.Load(); got != names {
		t.Errorf("lookup calls after repeating the last %d: got %d, want %d", size, got, names)
	}
	resp, body := call(t, srv, "/orgs/org_0/items", other) // evicted long ago
	check(t, resp, body, denied)
	if got := l.calls.Load(); got != names+1 {
		t.Errorf("lookup calls after an evicted name: got %d, want %d", got, names+1)
	}
	clk.add(orgs.DefaultNegativeTTL) // denials expire
	resp, body = call(t, srv, fmt.Sprintf("/orgs/org_%d/items", names-1), other)
	check(t, resp, body, denied)
	if got := l.calls.Load(); got != names+2 {
		t.Errorf("lookup calls after the negative TTL: got %d, want %d", got, names+2)
	}
}
