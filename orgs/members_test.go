package orgs_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/tokengate/tokengate/orgs"
)

// TestMembers: RequireMember's membership check without net/http, for
// other transports: answers cached per pair with their TTLs, concurrent
// callers share one call, errors and panics are errors and never cached, a
// checker that hangs is cut at the timeout.
func TestMembers(t *testing.T) {
	c := &checker{members: map[string]bool{"org_acme/auth0|alice": true}}
	clk := &clock{now: testNow}
	m := orgs.NewMembers(c, orgs.WithNow(clk.Now), orgs.WithCacheTTL(time.Minute, 10*time.Second))
	ctx := context.Background()
	check := func(name, org, user string, wantMember, wantHit bool, wantCalls int32) {
		t.Helper()
		member, hit, err := m.Check(ctx, org, user)
		if err != nil || member != wantMember || hit != wantHit || c.calls.Load() != wantCalls {
			t.Errorf("%s: got member=%v hit=%v err=%v calls=%d, want %v %v <nil> %d", name, member, hit, err, c.calls.Load(), wantMember, wantHit, wantCalls)
		}
	}
	check("first", "org_acme", "auth0|alice", true, false, 1)
	check("cached", "org_acme", "auth0|alice", true, true, 1)
	check("not a member", "org_acme", "auth0|bob", false, false, 2)
	check("negative cached", "org_acme", "auth0|bob", false, true, 2)
	clk.add(11 * time.Second)
	check("negative expired", "org_acme", "auth0|bob", false, false, 3)

	c.set(func(c *checker) { c.err = errors.New("management API down") })
	if _, _, err := m.Check(ctx, "org_other", "auth0|alice"); err == nil {
		t.Errorf("checker error: got nil, want an error")
	}
	c.set(func(c *checker) { c.err, c.panics = nil, true })
	if _, _, err := m.Check(ctx, "org_other", "auth0|alice"); err == nil {
		t.Errorf("checker panic: got nil, want an error")
	}
	c.set(func(c *checker) { c.panics = false })
	check("errors not cached", "org_other", "auth0|alice", false, false, 6)

	// Concurrent callers of one pair share one call.
	gated := &checker{members: map[string]bool{"org_acme/auth0|carol": true}, gate: make(chan struct{})}
	gm := orgs.NewMembers(gated)
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if ok, _, err := gm.Check(ctx, "org_acme", "auth0|carol"); !ok || err != nil {
				t.Errorf("shared call: got %v, %v, want true, nil", ok, err)
			}
		}()
	}
	for gated.calls.Load() == 0 {
		time.Sleep(time.Millisecond)
	}
	close(gated.gate)
	wg.Wait()
	if n := gated.calls.Load(); n != 1 {
		t.Errorf("calls for 8 concurrent checks: got %d, want 1", n)
	}

	// A checker that never answers: cut at the timeout, as a deadline.
	hung := &checker{gate: make(chan struct{})}
	defer close(hung.gate)
	hm := orgs.NewMembers(hung, orgs.WithTimeout(20*time.Millisecond))
	if _, _, err := hm.Check(ctx, "org_acme", "auth0|dave"); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("hung checker: got %v, want an error wrapping context.DeadlineExceeded", err)
	}
}
