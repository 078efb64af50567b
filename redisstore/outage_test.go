package redisstore

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tokengate/tokengate/authtest"
	"github.com/tokengate/tokengate/client"
	"github.com/tokengate/tokengate/client/management"
	"github.com/tokengate/tokengate/dpop"
	"github.com/tokengate/tokengate/verifier"
)

// eventLog is an Observer that keeps the events.
type eventLog struct {
	mu     sync.Mutex
	events []Event
}

func (l *eventLog) ObserveStore(_ context.Context, e Event) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.events = append(l.events, e)
}

func (l *eventLog) fallbacks(store string) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	n := 0
	for _, e := range l.events {
		if e.Store == store && e.Fallback {
			n++
		}
	}
	return n
}

// syncBuffer is a bytes.Buffer for a logger used by several goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestFL3RedisDown: with Redis killed, the token store and the budget
// fall back to this process and the replay store and the revocation set
// fail closed (their defaults), each the other way round when configured
// so; a revocation is refused rather than lost; the outage shows in the
// Observer and in the log; and Redis back, the stores use it again.
func TestFL3RedisDown(t *testing.T) {
	srv := startServer(t, 0)
	obs := &eventLog{}
	var logs syncBuffer
	s := newStore(t, srv.addr(), Config{Observer: obs, RetryInterval: 100 * time.Millisecond,
		Logger: slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelInfo}))})
	ctx := context.Background()
	tn := newTenant(t)
	key, err := authtest.NewDPoPKey("ES256")
	if err != nil {
		t.Fatal(err)
	}
	revShared := newRevocations(t, s, RevocationConfig{})
	revLocal := newRevocations(t, s, RevocationConfig{OnError: FallBack})
	// Revoked before the outage, through this replica.
	for _, set := range []*Revocations{revShared, revLocal} {
		if err := set.Revoke(ctx, verifier.Revocation{Issuer: tn.Issuer(), Subject: "auth0|mallory", Before: time.Now()}); err != nil {
			t.Fatal(err)
		}
	}
	mallory, _ := tn.Mint(authtest.Token{Claims: map[string]any{"sub": "auth0|mallory", "aud": "https://api.example.com", "iat": time.Now().Add(-time.Minute).Unix()}})
	alice, _ := tn.Mint(authtest.Token{Claims: map[string]any{"sub": "auth0|alice", "aud": "https://api.example.com"}})

	srv.stop() // Redis killed

	fetch := func(context.Context) (management.StoredToken, error) {
		return management.StoredToken{Value: "local-token", RefreshAt: time.Now().Add(time.Hour)}, nil
	}
	t.Run("FL3/token-falls-back", func(t *testing.T) {
		st, err := newTokens(t, s, TokenConfig{}).Token(ctx, "k", fetch)
		if err != nil || st.Value != "local-token" {
			t.Errorf("got %+v, %v; want the local fetch", st, err)
		}
	})
	t.Run("FL3/token-fail-closed", func(t *testing.T) {
		_, err := newTokens(t, s, TokenConfig{OnError: FailClosed}).Token(ctx, "k", fetch)
		if !errors.Is(err, ErrUnavailable) {
			t.Errorf("got %v, want ErrUnavailable", err)
		}
	})
	t.Run("FL3/budget-falls-back", func(t *testing.T) {
		b := newBudget(t, s, client.BudgetConfig{Rate: 100, Replicas: 4}, PolicyDefault)
		for range 2 {
			if err := b.Wait(ctx, usersKey); err != nil {
				t.Errorf("Wait: %v", err)
			}
		}
	})
	t.Run("FL3/budget-fail-closed", func(t *testing.T) {
		b := newBudget(t, s, client.BudgetConfig{Rate: 100}, FailClosed)
		var be *client.BudgetError
		if err := b.Wait(ctx, usersKey); !errors.As(err, &be) || !errors.Is(err, ErrUnavailable) {
			t.Errorf("got %v, want a *BudgetError wrapping ErrUnavailable", err)
		}
	})
	t.Run("FL3/replay-fails-closed", func(t *testing.T) {
		v := dpopReplica(t, newReplay(t, s, ReplayConfig{}))
		proof, req := proofFor(t, key, "tok")
		if _, err := v.Verify(ctx, proof, req); !errors.Is(err, dpop.ErrStoreUnavailable) {
			t.Errorf("got %v, want ErrStoreUnavailable (503)", err)
		}
	})
	t.Run("FL3/replay-falls-back", func(t *testing.T) {
		v := dpopReplica(t, newReplay(t, s, ReplayConfig{OnError: FallBack}))
		proof, req := proofFor(t, key, "tok")
		if _, err := v.Verify(ctx, proof, req); err != nil {
			t.Fatalf("first use: %v", err)
		}
		if _, err := v.Verify(ctx, proof, req); !errors.Is(err, dpop.ErrReplay) {
			t.Errorf("replay on the same replica: got %v, want ErrReplay", err)
		}
	})
	t.Run("FL3/revocation-fails-closed", func(t *testing.T) {
		v := apiReplica(t, tn, revShared)
		for _, tok := range []string{alice, mallory} {
			if _, err := v.Verify(ctx, tok); !errors.Is(err, verifier.ErrRevocationUnavailable) || !errors.Is(err, verifier.ErrKeysUnavailable) {
				t.Errorf("got %v, want ErrRevocationUnavailable (503)", err)
			}
		}
	})
	t.Run("FL3/revocation-falls-back", func(t *testing.T) {
		v := apiReplica(t, tn, revLocal)
		if _, err := v.Verify(ctx, mallory); !errors.Is(err, verifier.ErrRevoked) {
			t.Errorf("revoked through this replica: got %v, want ErrRevoked", err)
		}
		if _, err := v.Verify(ctx, alice); err != nil {
			t.Errorf("not revoked: %v", err)
		}
	})
	t.Run("FL3/revoke-refused", func(t *testing.T) {
		for _, set := range []*Revocations{revShared, revLocal} {
			if err := set.Revoke(ctx, verifier.Revocation{Issuer: tn.Issuer(), Subject: "x", Before: time.Now()}); !errors.Is(err, ErrUnavailable) {
				t.Errorf("Revoke while Redis is down: got %v, want ErrUnavailable (the sender must retry)", err)
			}
		}
	})
	if obs.fallbacks(StoreToken) == 0 || obs.fallbacks(StoreBudget) == 0 || obs.fallbacks(StoreReplay) == 0 || obs.fallbacks(StoreRevocation) == 0 {
		t.Errorf("fallbacks observed: token %d, budget %d, replay %d, revocation %d; want each > 0",
			obs.fallbacks(StoreToken), obs.fallbacks(StoreBudget), obs.fallbacks(StoreReplay), obs.fallbacks(StoreRevocation))
	}
	if !strings.Contains(logs.String(), "Redis unavailable") {
		t.Errorf("log: %q, want a line saying Redis is unavailable", logs.String())
	}

	srv.restart(t) // Redis back, empty
	time.Sleep(150 * time.Millisecond)
	tokens := newTokens(t, s, TokenConfig{})
	n := 0
	counted := func(ctx context.Context) (management.StoredToken, error) { n++; return fetch(ctx) }
	var st management.StoredToken
	for range 2 {
		if st, err = tokens.Token(ctx, "k", counted); err != nil {
			break
		}
	}
	if err != nil || n != 1 || st.Value != "local-token" {
		t.Errorf("after Redis is back: %d fetches for 2 calls (%v); want 1: the token is shared again", n, err)
	}
	if !strings.Contains(logs.String(), "Redis answers again") {
		t.Errorf("log: %q, want a line saying Redis answers again", logs.String())
	}
}

// TestFL7SlowRedis: a Redis that accepts connections and never answers
// (the process stopped) costs each operation at most Timeout; then, for
// RetryInterval, nothing waits for it at all; no call hangs.
func TestFL7SlowRedis(t *testing.T) {
	srv := startServer(t, 0)
	s := newStore(t, srv.addr(), Config{Timeout: 100 * time.Millisecond, RetryInterval: time.Second})
	replay := newReplay(t, s, ReplayConfig{})
	budget := newBudget(t, s, client.BudgetConfig{Rate: 1000}, PolicyDefault)
	ctx := context.Background()
	if err := replay.Add(ctx, "dpop:warm:1", time.Now().Add(time.Minute)); err != nil {
		t.Fatal(err) // a connection in the pool
	}
	srv.freeze()
	defer srv.thaw()

	var wg sync.WaitGroup
	var mu sync.Mutex
	var slowest time.Duration
	start := time.Now()
	for i := range 32 {
		wg.Go(func() {
			t0 := time.Now()
			var err error
			if i%2 == 0 {
				err = replay.Add(ctx, "dpop:k:"+string(rune('a'+i)), time.Now().Add(time.Minute))
			} else {
				err = budget.Wait(ctx, usersKey) // falls back: no error
			}
			d := time.Since(t0)
			mu.Lock()
			slowest = max(slowest, d)
			mu.Unlock()
			if i%2 == 0 && !errors.Is(err, ErrUnavailable) {
				t.Errorf("replay Add on a stopped Redis: got %v, want ErrUnavailable", err)
			}
			if i%2 == 1 && err != nil {
				t.Errorf("budget Wait on a stopped Redis: %v", err)
			}
		})
	}
	wg.Wait()
	if slowest > time.Second || time.Since(start) > 2*time.Second {
		t.Errorf("slowest call on a stopped Redis: %v (all: %v); want about Timeout", slowest, time.Since(start))
	}
	// Marked down: the next calls do not wait for it.
	t0 := time.Now()
	for range 100 {
		replay.Add(ctx, "dpop:k:z", time.Now().Add(time.Minute))
	}
	if d := time.Since(t0); d > 500*time.Millisecond {
		t.Errorf("100 calls while Redis is marked down took %v", d)
	}
}
