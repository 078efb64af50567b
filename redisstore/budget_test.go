package redisstore

import (
	"context"
	"errors"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/tokengate/tokengate/client"
)

func newBudget(t testing.TB, s *Store, cfg client.BudgetConfig, policy Policy) *Budget {
	t.Helper()
	b, err := s.Budget(BudgetConfig{BudgetConfig: cfg, OnError: policy})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

var usersKey = client.BudgetKey{Tenant: "tenant.example.com", API: "management", Class: "users"}

// TestBudgetSharedSlots: two replicas reserving at once from one budget
// get distinct slots exactly one interval apart on Redis's clock: 40
// reservations at 100 a second span 390 ms.
func TestBudgetSharedSlots(t *testing.T) {
	s := newStore(t, sharedAddr(t), Config{})
	replicas := []*Budget{
		newBudget(t, s, client.BudgetConfig{Rate: 100}, PolicyDefault),
		newBudget(t, s, client.BudgetConfig{Rate: 100}, PolicyDefault),
	}
	var mu sync.Mutex
	var at []int64 // slots, Unix microseconds on Redis's clock
	var wg sync.WaitGroup
	for i := range 40 {
		b := replicas[i%2]
		wg.Go(func() {
			_, _, slot, err := b.reserveAt(context.Background(), usersKey, time.Minute, true)
			if err != nil {
				t.Error(err)
				return
			}
			mu.Lock()
			at = append(at, slot)
			mu.Unlock()
		})
	}
	wg.Wait()
	slices.Sort(at)
	for i := 1; i < len(at); i++ {
		// A slot is at least one interval after the previous one (more
		// when the budget was idle between two reservations).
		if d := at[i] - at[i-1]; d < 10_000 {
			t.Fatalf("slots %d and %d are %d µs apart, want at least 10000", i-1, i, d)
		}
	}
}

// TestBudgetRefusalTakesNothing: a wait longer than the limit is a
// *client.BudgetError at once, and the slot is still free afterwards.
func TestBudgetRefusalTakesNothing(t *testing.T) {
	s := newStore(t, sharedAddr(t), Config{})
	b := newBudget(t, s, client.BudgetConfig{Rate: 1}, PolicyDefault)
	ctx := context.Background()
	if _, _, err := b.reserve(ctx, usersKey, time.Minute, true); err != nil {
		t.Fatal(err)
	}
	for range 3 {
		_, _, err := b.reserve(ctx, usersKey, 100*time.Millisecond, true)
		var be *client.BudgetError
		if !errors.As(err, &be) || be.Wait < 800*time.Millisecond || be.Wait > time.Second {
			t.Fatalf("over the limit: got %v, want a *BudgetError waiting about 1s", err)
		}
	}
	dctx, cancel := context.WithTimeout(ctx, 50*time.Millisecond)
	defer cancel()
	var be *client.BudgetError
	if err := b.Wait(dctx, usersKey); !errors.As(err, &be) {
		t.Errorf("Wait past the deadline: got %v, want *BudgetError", err)
	}
	w, _, err := b.reserve(ctx, usersKey, time.Minute, true)
	if err != nil || w < 800*time.Millisecond || w > time.Second {
		t.Errorf("after refusals: got %v, %v; want the slot 1 s after the first", w, err)
	}
}

// TestBudgetPauseShared: a replica that sees X-RateLimit-Remaining 0 pauses
// the whole fleet until the reset.
func TestBudgetPauseShared(t *testing.T) {
	s := newStore(t, sharedAddr(t), Config{})
	a := newBudget(t, s, client.BudgetConfig{Rate: 100}, PolicyDefault)
	b := newBudget(t, s, client.BudgetConfig{Rate: 100}, PolicyDefault)
	ctx := context.Background()
	a.Pause(ctx, usersKey, time.Now().Add(2*time.Second))
	w, _, err := b.reserve(ctx, usersKey, time.Minute, true)
	if err != nil || w < 1800*time.Millisecond || w > 2*time.Second {
		t.Errorf("the other replica after a pause of 2 s: waits %v, %v", w, err)
	}
}

// TestBudgetClasses: a class with a rate of its own is held to it, and its
// waits do not hold back the tenant's other classes.
func TestBudgetClasses(t *testing.T) {
	s := newStore(t, sharedAddr(t), Config{})
	b := newBudget(t, s, client.BudgetConfig{Rate: 100, Classes: map[string]float64{"users-by-email": 2}}, PolicyDefault)
	ctx := context.Background()
	byEmail := client.BudgetKey{Tenant: usersKey.Tenant, API: "management", Class: "users-by-email"}
	if w, more, err := b.reserve(ctx, byEmail, time.Minute, true); err != nil || w > 5*time.Millisecond || more {
		t.Fatalf("first users-by-email: %v, %v, %v", w, more, err)
	}
	w, more, err := b.reserve(ctx, byEmail, time.Minute, true)
	if err != nil || w < 450*time.Millisecond || !more {
		t.Fatalf("second users-by-email: %v, %v, %v; want about 500ms, then the tenant's slot", w, more, err)
	}
	if w, _, err := b.reserve(ctx, usersKey, time.Minute, true); err != nil || w > 20*time.Millisecond {
		t.Errorf("users after a users-by-email wait: %v, %v; want a slot 10 ms on", w, err)
	}
}

// TestFL5HostileBudgetState: a bucket holding what the script never
// writes (a number far ahead, text, another type) does not stop the
// budget: far-ahead and text states are taken as empty; a key of another
// type is an error answer, and the budget falls back to its local one.
func TestFL5HostileBudgetState(t *testing.T) {
	ctx := context.Background()
	for _, tt := range []struct {
		name  string
		plant func(s *Store, k string) error
	}{
		{"FL5/far-ahead", func(s *Store, k string) error { return s.rdb.Set(ctx, k, "1e300", 0).Err() }},
		{"FL5/text", func(s *Store, k string) error { return s.rdb.Set(ctx, k, "garbage", 0).Err() }},
		{"FL5/negative", func(s *Store, k string) error { return s.rdb.Set(ctx, k, "-99999999999999", 0).Err() }},
		{"FL5/wrong-type", func(s *Store, k string) error { return s.rdb.HSet(ctx, k, "a", "b").Err() }},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s := newStore(t, sharedAddr(t), Config{})
			b := newBudget(t, s, client.BudgetConfig{Rate: 100, MaxWait: time.Second}, PolicyDefault)
			if err := tt.plant(s, s.budgetKey(usersKey.Tenant, usersKey.API, "", false)); err != nil {
				t.Fatal(err)
			}
			dctx, cancel := context.WithTimeout(ctx, 2*time.Second)
			defer cancel()
			start := time.Now()
			if err := b.Wait(dctx, usersKey); err != nil {
				t.Fatalf("Wait: %v", err)
			}
			if d := time.Since(start); d > 500*time.Millisecond {
				t.Errorf("Wait took %v", d)
			}
		})
	}
}
