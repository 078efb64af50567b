package redisstore

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tokengate/tokengate/authtest"
	"github.com/tokengate/tokengate/dpop"
)

const apiURL = "https://api.example.com/items"

// dpopReplica is one replica's DPoP verifier with the shared replay store.
func dpopReplica(t testing.TB, store dpop.ReplayStore) *dpop.Verifier {
	t.Helper()
	v, err := dpop.New(dpop.Config{Replay: store})
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// proofFor returns a proof of a GET of apiURL bound to token, and the
// request to check it against.
func proofFor(t testing.TB, key *authtest.DPoPKey, token string) (string, dpop.Request) {
	t.Helper()
	p, err := key.Proof(authtest.Proof{URL: apiURL, AccessToken: token})
	if err != nil {
		t.Fatal(err)
	}
	return p, dpop.Request{Method: "GET", URL: apiURL, AccessToken: token, JKT: key.JKT()}
}

func newReplay(t testing.TB, s *Store, cfg ReplayConfig) *Replay {
	t.Helper()
	r, err := s.Replay(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// TestFL1ReplayAcrossReplicas: a proof that passed on one replica is
// refused on every other (and on the first), through one shared store;
// 32 replicas given the same proof at once let it through exactly once.
func TestFL1ReplayAcrossReplicas(t *testing.T) {
	s := newStore(t, sharedAddr(t), Config{})
	store := newReplay(t, s, ReplayConfig{})
	key, err := authtest.NewDPoPKey("ES256")
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	a, b := dpopReplica(t, store), dpopReplica(t, store)
	proof, req := proofFor(t, key, "access-token-1")
	if _, err := a.Verify(ctx, proof, req); err != nil {
		t.Fatalf("first use on replica A: %v", err)
	}
	for name, v := range map[string]*dpop.Verifier{"FL1/replica-b": b, "FL1/replica-a": a} {
		if _, err := v.Verify(ctx, proof, req); !errors.Is(err, dpop.ErrReplay) {
			t.Errorf("%s: got %v, want ErrReplay", name, err)
		}
	}
	// A fresh proof of the same key passes.
	proof2, req2 := proofFor(t, key, "access-token-1")
	if _, err := b.Verify(ctx, proof2, req2); err != nil {
		t.Errorf("another proof on replica B: %v", err)
	}

	proof3, req3 := proofFor(t, key, "access-token-1")
	var passed atomic.Int32
	var wg sync.WaitGroup
	for range 32 {
		v := dpopReplica(t, store)
		wg.Go(func() {
			if _, err := v.Verify(ctx, proof3, req3); err == nil {
				passed.Add(1)
			} else if !errors.Is(err, dpop.ErrReplay) {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if got := passed.Load(); got != 1 {
		t.Errorf("one proof at 32 replicas at once: passed %d times, want 1", got)
	}
}

// TestReplayRecordExpires: a record lives until the proof's window ends,
// on this replica's clock, and no longer.
func TestReplayRecordExpires(t *testing.T) {
	s := newStore(t, sharedAddr(t), Config{})
	store := newReplay(t, s, ReplayConfig{})
	ctx := context.Background()
	if err := store.Add(ctx, "dpop:k:1", time.Now().Add(300*time.Millisecond)); err != nil {
		t.Fatal(err)
	}
	if err := store.Add(ctx, "dpop:k:1", time.Now().Add(300*time.Millisecond)); !errors.Is(err, dpop.ErrReplay) {
		t.Fatalf("second Add: got %v, want ErrReplay", err)
	}
	pttl, err := s.rdb.PTTL(ctx, s.replayKey("dpop:k:1")).Result()
	if err != nil || pttl <= 0 || pttl > 300*time.Millisecond {
		t.Errorf("time to live: %v, %v; want in (0, 300ms]", pttl, err)
	}
	time.Sleep(pttl + 50*time.Millisecond)
	if err := store.Add(ctx, "dpop:k:1", time.Now().Add(time.Minute)); err != nil {
		t.Errorf("Add after expiry: %v", err)
	}
}
