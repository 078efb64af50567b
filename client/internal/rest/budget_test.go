package rest

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/tokengate/tokengate/client"
	"github.com/tokengate/tokengate/internal/hook"
)

// budgetRecorder is a client.RateBudget that records its calls.
type budgetRecorder struct {
	mu     sync.Mutex
	waits  []client.BudgetKey
	pauses []time.Time
	err    error
	panics bool
}

func (b *budgetRecorder) Wait(_ context.Context, k client.BudgetKey) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.panics {
		panic("budget bug")
	}
	b.waits = append(b.waits, k)
	return b.err
}

func (b *budgetRecorder) Pause(_ context.Context, _ client.BudgetKey, until time.Time) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.panics {
		panic("budget bug")
	}
	b.pauses = append(b.pauses, until)
}

// TestBudgetBeforeEveryAttempt: the budget is asked before the first
// attempt and before each retry, with the tenant, API and class; a 429
// pauses it until the answer's reset.
func TestBudgetBeforeEveryAttempt(t *testing.T) {
	now := time.Unix(1_800_000_000, 0)
	srv, n := counting(t, func(i int, w http.ResponseWriter, _ *http.Request) {
		if i == 1 {
			tooMany(w, map[string]string{"X-RateLimit-Reset": strconv.FormatInt(now.Unix()+3, 10), "Retry-After": "0"})
			return
		}
		w.Header().Set("X-RateLimit-Remaining", "7")
		w.WriteHeader(http.StatusOK)
	})
	b := &budgetRecorder{}
	c := newTestClient(t, srv.URL, client.Config{Budget: b, Now: func() time.Time { return now }})
	if _, err := c.Do(context.Background(), &Request{Path: "/api/v2/users", Class: "users"}, nil); err != nil {
		t.Fatalf("Do: %v", err)
	}
	u, _ := url.Parse(srv.URL)
	want := client.BudgetKey{Tenant: u.Host, API: "management", Class: "users"}
	if got := n.Load(); got != 2 {
		t.Fatalf("attempts: got %d, want 2", got)
	}
	if len(b.waits) != 2 || b.waits[0] != want || b.waits[1] != want {
		t.Errorf("budget waits: got %v, want %v twice", b.waits, want)
	}
	// Retry-After 0 says nothing about the limit: no pause from it. The
	// 429 had Retry-After, which wins; it was 0, so no pause at all.
	if len(b.pauses) != 0 {
		t.Errorf("pauses: got %v, want none (Retry-After 0)", b.pauses)
	}
}

// TestBudgetLearns: an answer that says the limit is spent pauses the
// budget until its reset; FL9: a reset two days ahead is clamped to 24 h
// before any arithmetic (and the budget bounds it further), one 2^40 s
// ahead is garbage and ignored.
func TestBudgetLearns(t *testing.T) {
	now := time.Unix(1_800_000_000, 0)
	for _, tt := range []struct {
		name    string
		status  int
		headers map[string]string
		want    []time.Duration
	}{
		{"remaining-zero", 200, map[string]string{"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": strconv.FormatInt(now.Unix()+3, 10)}, []time.Duration{3 * time.Second}},
		{"remaining-some", 200, map[string]string{"X-RateLimit-Remaining": "4", "X-RateLimit-Reset": strconv.FormatInt(now.Unix()+3, 10)}, nil},
		{"remaining-zero-no-reset", 200, map[string]string{"X-RateLimit-Remaining": "0"}, nil},
		{"429-reset", 429, map[string]string{"X-RateLimit-Reset": strconv.FormatInt(now.Unix()+2, 10)}, []time.Duration{2 * time.Second}},
		{"429-retry-after", 429, map[string]string{"Retry-After": "5", "X-RateLimit-Reset": strconv.FormatInt(now.Unix()+2, 10)}, []time.Duration{5 * time.Second}},
		{"FL9/reset-2^40", 200, map[string]string{"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": strconv.FormatInt(now.Unix()+1<<40, 10)}, nil}, // beyond year 9999: garbage
		{"FL9/reset-two-days", 200, map[string]string{"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": strconv.FormatInt(now.Unix()+2*86400, 10)}, []time.Duration{24 * time.Hour}},
		{"FL9/reset-past", 200, map[string]string{"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "1"}, nil},
		{"FL9/remaining-negative", 200, map[string]string{"X-RateLimit-Remaining": "-1", "X-RateLimit-Reset": strconv.FormatInt(now.Unix()+3, 10)}, nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			srv, _ := counting(t, func(_ int, w http.ResponseWriter, _ *http.Request) {
				for k, v := range tt.headers {
					w.Header().Set(k, v)
				}
				w.WriteHeader(tt.status)
			})
			b := &budgetRecorder{}
			c := newTestClient(t, srv.URL, client.Config{Budget: b, Now: func() time.Time { return now }, MaxRetries: client.NoRetries})
			c.Do(context.Background(), &Request{Path: "/x"}, nil)
			var got []time.Duration
			for _, p := range b.pauses {
				got = append(got, p.Sub(now))
			}
			if len(got) != len(tt.want) || (len(got) > 0 && got[0] != tt.want[0]) {
				t.Errorf("pauses: got %v, want %v", got, tt.want)
			}
		})
	}
}

// TestBudgetRefusal: a budget that refuses, or panics, fails the request
// before anything is sent; the *BudgetError is found with errors.As.
func TestBudgetRefusal(t *testing.T) {
	for _, tt := range []struct {
		name   string
		b      *budgetRecorder
		target func(error) bool
	}{
		{"refused", &budgetRecorder{err: &client.BudgetError{Wait: time.Hour}}, func(err error) bool {
			var be *client.BudgetError
			return errors.As(err, &be) && be.Wait == time.Hour
		}},
		{"panic", &budgetRecorder{panics: true}, func(err error) bool { return errors.Is(err, hook.ErrPanic) }},
	} {
		t.Run(tt.name, func(t *testing.T) {
			srv, n := counting(t, func(_ int, w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusOK) })
			c := newTestClient(t, srv.URL, client.Config{Budget: tt.b})
			_, err := c.Do(context.Background(), &Request{Path: "/x"}, nil)
			if !tt.target(err) {
				t.Errorf("Do: got %v", err)
			}
			if got := n.Load(); got != 0 {
				t.Errorf("requests sent: got %d, want 0", got)
			}
		})
	}
}
