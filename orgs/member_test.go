package orgs_test

import (
	"context"
	"errors"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tokengate/tokengate/middleware"
	"github.com/tokengate/tokengate/orgs"
)

// checker is a MembershipChecker with switches: members lists "org/user"
// pairs; err fails every call; gate, when set, holds calls until closed.
type checker struct {
	mu      sync.Mutex
	members map[string]bool
	err     error
	panics  bool
	gate    chan struct{}
	calls   atomic.Int32
	sawDL   atomic.Bool // the call's context had a deadline
}

func (c *checker) IsMember(ctx context.Context, org, user string) (bool, error) {
	c.calls.Add(1)
	if _, ok := ctx.Deadline(); ok {
		c.sawDL.Store(true)
	}
	if c.gate != nil {
		select {
		case <-c.gate:
		case <-ctx.Done():
			return false, ctx.Err()
		}
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.panics {
		panic("checker bug")
	}
	if c.err != nil {
		return false, c.err
	}
	return c.members[org+"/"+user], nil
}

func (c *checker) set(f func(c *checker)) { c.mu.Lock(); f(c); c.mu.Unlock() }

// clock is a settable clock.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

func TestRequireMember(t *testing.T) {
	auth := middleware.Authenticate(newVerifier(t))
	alice := bearer(token(t, map[string]any{"org_id": "org_acme"}))
	bob := bearer(token(t, map[string]any{"org_id": "org_acme", "sub": "auth0|bob"}))
	noOrg := bearer(token(t, nil))
	allowed := want{200, "", "sub=auth0|alice org=org_acme", ""}
	notMember := want{403, "", bodyNotMember, ""}
	for _, rt := range routers {
		t.Run(rt.name, func(t *testing.T) {
			c := &checker{members: map[string]bool{"org_acme/auth0|alice": true}}
			clk := &clock{now: testNow}
			srv := server(t, rt.serve("/orgs/{org}/items", auth, orgs.Require(orgs.FromPath("org")),
				orgs.RequireMember(c, orgs.WithNow(clk.Now), orgs.WithCacheTTL(time.Minute, 10*time.Second))))
			step := func(name string, h http.Header, w want, calls int32) {
				t.Helper()
				resp, body := call(t, srv, "/orgs/org_acme/items", h)
				check(t, resp, body, w)
				if got := c.calls.Load(); got != calls {
					t.Errorf("%s: checker calls: got %d, want %d", name, got, calls)
				}
			}
			step("member", alice, allowed, 1)
			step("member, cached", alice, allowed, 1)
			step("not a member", bob, notMember, 2)
			step("not a member, cached", bob, notMember, 2)
			c.set(func(c *checker) { c.members["org_acme/auth0|bob"] = true; delete(c.members, "org_acme/auth0|alice") })
			clk.add(11 * time.Second) // negative entries expire, positive ones not yet
			step("negative TTL over", bob, want{200, "", "sub=auth0|bob org=org_acme", ""}, 3)
			step("positive TTL not over", alice, allowed, 3)
			clk.add(time.Minute) // removal takes effect after the positive TTL
			step("removed member", alice, notMember, 4)
			clk.add(time.Hour)
			c.set(func(c *checker) { c.err = errors.New("management API down") })
			step("checker error fails closed", alice, want{503, "", bodyUnavailable, "10"}, 5)
			step("errors are not cached", alice, want{503, "", bodyUnavailable, "10"}, 6)
			c.set(func(c *checker) { c.err, c.panics = nil, true })
			step("checker panic fails closed", alice, want{503, "", bodyUnavailable, "10"}, 7)
			step("token without org_id, refused by Require", noOrg, want{403, "", bodyDenied, ""}, 7)
			if !c.sawDL.Load() {
				t.Errorf("checker context: got no deadline, want the WithTimeout bound")
			}
		})
	}
}

// TestRequireMemberSingleFlight: concurrent requests for one pair share one
// call; a request whose client goes away does not cancel it for the others.
func TestRequireMemberSingleFlight(t *testing.T) {
	c := &checker{members: map[string]bool{"org_acme/auth0|alice": true}, gate: make(chan struct{})}
	var ev orgEvents
	h := middleware.Authenticate(newVerifier(t))(orgs.RequireMember(c, orgs.WithObserver(&ev))(echo))
	srv := server(t, h)
	alice := token(t, map[string]any{"org_id": "org_acme"})

	// One client gives up while the call is in flight.
	ctx, cancel := context.WithCancel(context.Background())
	req, _ := http.NewRequestWithContext(ctx, "GET", srv.URL+"/", nil)
	req.Header.Set("Authorization", "Bearer "+alice)
	gone := make(chan error, 1)
	go func() {
		resp, err := srv.Client().Do(req)
		if err == nil {
			resp.Body.Close()
		}
		gone <- err
	}()
	for c.calls.Load() == 0 {
		time.Sleep(time.Millisecond)
	}
	const n = 20
	var wg sync.WaitGroup
	statuses := make(chan int, n)
	for range n {
		wg.Go(func() {
			req, _ := http.NewRequest("GET", srv.URL+"/", nil)
			req.Header.Set("Authorization", "Bearer "+alice)
			resp, err := srv.Client().Do(req)
			if err != nil {
				statuses <- 0
				return
			}
			resp.Body.Close()
			statuses <- resp.StatusCode
		})
	}
	cancel()
	if err := <-gone; err == nil {
		t.Errorf("canceled client: got a response, want an error")
	}
	// The server notices the client left and answers that request while
	// the call is still held.
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(5 * time.Millisecond) {
		ev.mu.Lock()
		n := len(ev.org)
		ev.mu.Unlock()
		if n > 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("no event for the canceled request")
		}
	}
	// Requests that have not joined the call yet find its answer in the
	// cache afterwards, so the timing of the others does not matter.
	time.Sleep(20 * time.Millisecond)
	close(c.gate)
	wg.Wait()
	close(statuses)
	for s := range statuses {
		if s != 200 {
			t.Errorf("status: got %d, want 200", s)
		}
	}
	if got := c.calls.Load(); got != 1 {
		t.Errorf("checker calls: got %d, want 1", got)
	}
	o, _ := ev.take()
	var canceled, hits int
	for _, e := range o {
		if e.Outcome == middleware.OutcomeCanceled {
			canceled++
		}
		if e.CacheHit {
			hits++
		}
	}
	if canceled != 1 {
		t.Errorf("canceled events: got %d, want 1 (events %+v)", canceled, o)
	}
	if resp, _ := call(t, srv, "/", bearer(alice)); resp.StatusCode != 200 {
		t.Errorf("after: got %d, want 200", resp.StatusCode)
	}
	if o, _ := ev.take(); len(o) != 1 || !o[0].CacheHit {
		t.Errorf("after: got %+v, want one cache hit", o)
	}
}

func TestRequireMemberTimeout(t *testing.T) {
	c := &checker{gate: make(chan struct{})} // never opens
	defer close(c.gate)
	h := middleware.Authenticate(newVerifier(t))(orgs.RequireMember(c, orgs.WithTimeout(20*time.Millisecond))(echo))
	srv := server(t, h)
	resp, body := call(t, srv, "/", bearer(token(t, map[string]any{"org_id": "org_acme"})))
	check(t, resp, body, want{503, "", bodyUnavailable, "10"})
}

func TestRequireMemberWithoutOrgClaim(t *testing.T) {
	c := &checker{}
	h := middleware.Authenticate(newVerifier(t))(orgs.RequireMember(c)(echo))
	srv := server(t, h)
	resp, body := call(t, srv, "/", bearer(token(t, nil)))
	check(t, resp, body, want{403, "", bodyMissing, ""})
	resp, body = call(t, srv, "/", nil)
	check(t, resp, body, want{401, challengeNoBearer, bodyUnauthorized, ""})
	if n := c.calls.Load(); n != 0 {
		t.Errorf("checker calls: got %d, want 0", n)
	}
}
