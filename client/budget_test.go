package client_test

import (
	"context"
	"errors"
	"math"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/tokengate/tokengate/client"
)

var budgetT0 = time.Unix(1_800_000_000, 0)

// fixedClock returns a clock stopped at *now.
func fixedClock(now *time.Time) func() time.Time { return func() time.Time { return *now } }

func newBudget(t *testing.T, cfg client.BudgetConfig) (*client.LocalBudget, *time.Time) {
	t.Helper()
	now := budgetT0
	cfg.Now = fixedClock(&now)
	b, err := client.NewLocalBudget(cfg)
	if err != nil {
		t.Fatalf("NewLocalBudget: %v", err)
	}
	return b, &now
}

var users = client.BudgetKey{Tenant: "tenant.example.com", API: "management", Class: "users"}

// TestLocalBudgetSchedule: the waits a LocalBudget hands out, on a stopped
// clock: even spacing, bursts, classes on top of the tenant's rate, the
// share of one replica.
func TestLocalBudgetSchedule(t *testing.T) {
	ms := time.Millisecond
	roles := client.BudgetKey{Tenant: users.Tenant, API: "management", Class: "roles"}
	other := client.BudgetKey{Tenant: "other.example.com", API: "management", Class: "users"}
	tests := []struct {
		name string
		cfg  client.BudgetConfig
		keys []client.BudgetKey
		want []time.Duration
	}{
		{"even", client.BudgetConfig{Rate: 10}, []client.BudgetKey{users, users, users, roles}, []time.Duration{0, 100 * ms, 200 * ms, 300 * ms}},
		{"burst", client.BudgetConfig{Rate: 10, Burst: 3}, []client.BudgetKey{users, users, users, users, users}, []time.Duration{0, 0, 0, 100 * ms, 200 * ms}},
		// A class with a limit of its own waits for its class first, then
		// for the tenant; its wait does not hold the other classes back.
		{"class", client.BudgetConfig{Rate: 100, Classes: map[string]float64{"users": 2}}, []client.BudgetKey{users, roles, users, roles}, []time.Duration{0, 10 * ms, 500 * ms, 20 * ms}},
		{"replicas", client.BudgetConfig{Rate: 200, Replicas: 4}, []client.BudgetKey{users, users, users}, []time.Duration{0, 20 * ms, 40 * ms}},
		{"tenants-apart", client.BudgetConfig{Rate: 1}, []client.BudgetKey{users, other, users}, []time.Duration{0, 0, time.Second}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, _ := newBudget(t, tt.cfg)
			var got []time.Duration
			for _, k := range tt.keys {
				w, _, err := client.Reserve(b, k, time.Minute, true)
				if err != nil {
					t.Fatalf("Reserve(%v): %v", k, err)
				}
				got = append(got, w)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("waits: got %v, want %v", got, tt.want)
			}
		})
	}
	t.Run("class-then-tenant", func(t *testing.T) {
		b, now := newBudget(t, client.BudgetConfig{Rate: 100, Classes: map[string]float64{"users": 2}})
		for i, want := range []struct {
			wait time.Duration
			more bool
		}{{0, false}, {500 * ms, true}} {
			w, more, err := client.Reserve(b, users, time.Minute, true)
			if err != nil || w != want.wait || more != want.more {
				t.Fatalf("users #%d: got %v, %v, %v; want %v, %v", i+1, w, more, err, want.wait, want.more)
			}
		}
		*now = now.Add(500 * ms) // the class's wait is over: the tenant's slot
		if w, more, err := client.Reserve(b, users, time.Minute, false); err != nil || w != 0 || more {
			t.Errorf("tenant slot after the class wait: got %v, %v, %v; want 0", w, more, err)
		}
	})
}

// TestLocalBudgetRefusals: a wait longer than MaxWait or than the context
// allows is a *BudgetError at once, and takes nothing from the budget.
func TestLocalBudgetRefusals(t *testing.T) {
	b, _ := newBudget(t, client.BudgetConfig{Rate: 1, MaxWait: 1500 * time.Millisecond})
	for range 2 {
		if _, _, err := client.Reserve(b, users, time.Hour, true); err != nil {
			t.Fatal(err)
		}
	}
	_, _, err := client.Reserve(b, users, time.Hour, true) // would wait 2 s > MaxWait
	var be *client.BudgetError
	if !errors.As(err, &be) || be.Wait != 2*time.Second || be.Key != users {
		t.Fatalf("over MaxWait: got %v, want *BudgetError waiting 2s", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	start := time.Now()
	if err := b.Wait(ctx, users); !errors.As(err, &be) {
		t.Fatalf("wait beyond the deadline: got %v, want *BudgetError", err)
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("a refused Wait waited %v", d)
	}
	// Nothing was taken: the next slot is still 2 s ahead.
	if _, _, err := client.Reserve(b, users, time.Hour, true); !errors.As(err, &be) || be.Wait != 2*time.Second {
		t.Errorf("after refusals: got %v; want a refusal waiting 2s", err)
	}
}

// TestLocalBudgetWaitCanceled: a Wait ends with its context.
func TestLocalBudgetWaitCanceled(t *testing.T) {
	b, err := client.NewLocalBudget(client.BudgetConfig{Rate: 0.01}) // one per 100 s
	if err != nil {
		t.Fatal(err)
	}
	if err := b.Wait(context.Background(), users); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	errc := make(chan error, 1)
	go func() { errc <- b.Wait(ctx, client.BudgetKey{Tenant: users.Tenant, API: users.API}) }()
	cancel()
	select {
	case err := <-errc:
		var be *client.BudgetError
		if !errors.Is(err, context.Canceled) && !errors.As(err, &be) {
			t.Errorf("canceled Wait: got %v, want context.Canceled or a refusal", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Wait did not end with its context")
	}
}

// TestFL9PauseBounded: Pause (an answer's X-RateLimit-Reset) holds the
// budget until then, but is believed only up to MaxWait ahead; a reset in
// the past or 2^40 s ahead changes nothing harmful.
func TestFL9PauseBounded(t *testing.T) {
	tests := []struct {
		name  string
		until time.Duration // after now
		want  time.Duration
	}{
		{"FL9/two-seconds", 2 * time.Second, 2 * time.Second},
		{"FL9/past", -time.Hour, 0},
		{"FL9/far-future", time.Duration(math.MaxInt64), 10 * time.Second},
		{"FL9/2^33s", time.Duration(1<<33) * time.Second, 10 * time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, now := newBudget(t, client.BudgetConfig{Rate: 100, Burst: 5, MaxWait: 10 * time.Second})
			until := now.Add(tt.until) // Time.Add saturates
			b.Pause(context.Background(), users, until)
			w, _, err := client.Reserve(b, users, time.Hour, true)
			if err != nil || w != tt.want {
				t.Errorf("after Pause: got %v, %v; want %v", w, err, tt.want)
			}
		})
	}
}

// TestLocalBudgetConcurrent: 64 goroutines reserving at one instant get 64
// different slots, one interval apart.
func TestLocalBudgetConcurrent(t *testing.T) {
	b, _ := newBudget(t, client.BudgetConfig{Rate: 1000})
	var mu sync.Mutex
	var got []time.Duration
	var wg sync.WaitGroup
	for range 64 {
		wg.Go(func() {
			w, _, err := client.Reserve(b, users, time.Minute, true)
			if err != nil {
				t.Error(err)
			}
			mu.Lock()
			got = append(got, w)
			mu.Unlock()
		})
	}
	wg.Wait()
	slices.Sort(got)
	for i, w := range got {
		if w != time.Duration(i)*time.Millisecond {
			t.Fatalf("slot %d: got %v, want %v", i, w, time.Duration(i)*time.Millisecond)
		}
	}
}

func TestBudgetConfigErrors(t *testing.T) {
	for _, tt := range []struct {
		name string
		cfg  client.BudgetConfig
	}{
		{"zero rate", client.BudgetConfig{}},
		{"negative rate", client.BudgetConfig{Rate: -1}},
		{"NaN rate", client.BudgetConfig{Rate: math.NaN()}},
		{"infinite rate", client.BudgetConfig{Rate: math.Inf(1)}},
		{"huge rate", client.BudgetConfig{Rate: 1e7}},
		{"tiny rate", client.BudgetConfig{Rate: 1e-6}},
		{"NaN class", client.BudgetConfig{Rate: 1, Classes: map[string]float64{"users": math.NaN()}}},
		{"negative burst", client.BudgetConfig{Rate: 1, Burst: -1}},
		{"negative replicas", client.BudgetConfig{Rate: 1, Replicas: -1}},
		{"negative max wait", client.BudgetConfig{Rate: 1, MaxWait: -time.Second}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := client.NewLocalBudget(tt.cfg); err == nil {
				t.Errorf("NewLocalBudget(%+v): got nil error", tt.cfg)
			}
		})
	}
}
