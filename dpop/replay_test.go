package dpop_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tokengate/tokengate/authtest"
	"github.com/tokengate/tokengate/dpop"
)

// TestDP13Replay: a proof is remembered by (key thumbprint, jti) until it
// can no longer pass the iat window; within that time the same proof, or
// another proof of the same key with the same jti, is refused.
func TestDP13Replay(t *testing.T) {
	keys(t)
	tests := []struct {
		name   string
		second func(testing.TB) string
		req    dpop.Request
		want   error
	}{
		{"DP13/same-proof", with(es256, authtest.Proof{ID: "jti-1"}), request(es256), dpop.ErrReplay},
		{"DP13/same-jti-other-claims", with(es256, authtest.Proof{ID: "jti-1", Method: "POST"}), dpop.Request{Method: "POST", URL: apiURL, AccessToken: accessToken, JKT: es256.JKT()}, dpop.ErrReplay},
		{"DP13/same-jti-later-iat", with(es256, authtest.Proof{ID: "jti-1", IssuedAt: now.Add(time.Second)}), request(es256), dpop.ErrReplay},
		{"DP13/other-jti", with(es256, authtest.Proof{ID: "jti-2"}), request(es256), nil},
		{"DP13/same-jti-other-key", with(other, authtest.Proof{ID: "jti-1"}), request(other), nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			v := newVerifier(t, nil)
			first := proof(t, es256, authtest.Proof{ID: "jti-1"})
			if _, err := v.Verify(ctx, first, request(es256)); err != nil {
				t.Fatalf("first proof: %v", err)
			}
			p := tc.second(t)
			_, err := v.Verify(ctx, p, tc.req)
			checkRefusal(t, err, tc.want, p)
		})
	}
}

// TestDP13ReplayUntilWindowEnds: the proof is remembered until iat +
// Window, the last instant it passes; after that it fails on iat, never
// passes again.
func TestDP13ReplayUntilWindowEnds(t *testing.T) {
	keys(t)
	clockNow := now
	store, err := dpop.NewMemoryStore(dpop.MemoryConfig{MaxEntries: 10, Now: func() time.Time { return clockNow }}) // one shard
	if err != nil {
		t.Fatal(err)
	}
	v := newVerifier(t, func(c *dpop.Config) { c.Now = func() time.Time { return clockNow }; c.Replay = store })
	p := proof(t, es256, authtest.Proof{IssuedAt: now})
	if _, err := v.Verify(ctx, p, request(es256)); err != nil {
		t.Fatal(err)
	}
	for _, d := range []time.Duration{time.Second, 59 * time.Second, 60 * time.Second} {
		clockNow = now.Add(d)
		_, err := v.Verify(ctx, p, request(es256))
		checkRefusal(t, err, dpop.ErrReplay, p)
	}
	clockNow = now.Add(60*time.Second + time.Nanosecond)
	_, err = v.Verify(ctx, p, request(es256))
	checkRefusal(t, err, dpop.ErrIssuedAt, p)
	clockNow = now.Add(10 * time.Minute)
	q := proof(t, es256, authtest.Proof{IssuedAt: clockNow})
	if _, err := v.Verify(ctx, q, request(es256)); err != nil {
		t.Fatal(err)
	}
	if n := store.Len(); n != 1 {
		t.Errorf("got %d keys in the store after the first proof expired, want 1 (the first one swept)", n)
	}
}

// TestDP19StoreFull: a full store refuses new proofs (fail closed) and
// never forgets an unexpired one to make room; once proofs expire there is
// room again. A failing or panicking custom store refuses the proof.
func TestDP19StoreFull(t *testing.T) {
	keys(t)
	clockNow := now
	tick := func() time.Time { return clockNow }
	store, err := dpop.NewMemoryStore(dpop.MemoryConfig{MaxEntries: 2, Now: tick})
	if err != nil {
		t.Fatal(err)
	}
	var events []string
	v := newVerifier(t, func(c *dpop.Config) {
		c.Now, c.Replay = tick, store
		c.Observer = observerFunc(func(e dpop.Event) { events = append(events, dpop.Reason(e.Err)) })
	})
	var accepted []string
	for i := range 2 {
		p := proof(t, es256, authtest.Proof{IssuedAt: now})
		if _, err := v.Verify(ctx, p, request(es256)); err != nil {
			t.Fatalf("proof %d: %v", i, err)
		}
		accepted = append(accepted, p)
	}
	p := proof(t, es256, authtest.Proof{})
	_, err = v.Verify(ctx, p, request(es256))
	checkRefusal(t, err, dpop.ErrStoreFull, p)
	t.Run("DP19/unexpired-kept", func(t *testing.T) {
		for _, a := range accepted {
			_, err := v.Verify(ctx, a, request(es256))
			checkRefusal(t, err, dpop.ErrReplay, a)
		}
	})
	t.Run("DP19/room-after-expiry", func(t *testing.T) {
		clockNow = now.Add(61 * time.Second)
		q := proof(t, es256, authtest.Proof{IssuedAt: clockNow})
		if _, err := v.Verify(ctx, q, request(es256)); err != nil {
			t.Fatalf("got %v after the old proofs expired, want room", err)
		}
	})
	t.Run("DP19/counted", func(t *testing.T) {
		want := []string{"ok", "ok", "dpop_store_full", "dpop_replay", "dpop_replay", "ok"}
		if fmt.Sprint(events) != fmt.Sprint(want) {
			t.Errorf("got events %v, want %v", events, want)
		}
	})
	for _, tc := range []struct {
		name  string
		store dpop.ReplayStore
		want  error
	}{
		{"DP19/store-error", storeFunc(func() error { return errors.New("redis: connection refused") }), dpop.ErrStoreUnavailable},
		{"DP19/store-panic", storeFunc(func() error { panic("boom") }), dpop.ErrStoreUnavailable},
		{"DP19/custom-store-full", storeFunc(func() error { return dpop.ErrStoreFull }), dpop.ErrStoreFull},
		{"DP19/custom-store-replay", storeFunc(func() error { return fmt.Errorf("seen: %w", dpop.ErrReplay) }), dpop.ErrReplay},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v := newVerifier(t, func(c *dpop.Config) { c.Replay = tc.store })
			p := proof(t, es256, authtest.Proof{})
			_, err := v.Verify(ctx, p, request(es256))
			checkRefusal(t, err, tc.want, p)
		})
	}
}

type observerFunc func(dpop.Event)

func (f observerFunc) ObserveProof(_ context.Context, e dpop.Event) { f(e) }

type storeFunc func() error

func (f storeFunc) Add(context.Context, string, time.Time) error { return f() }

// TestMemoryStoreConcurrent (go test -race): one key added from many
// goroutines at once passes exactly once; distinct keys up to the bound all
// pass, then every further one is refused while every recorded key stays
// recorded.
func TestMemoryStoreConcurrent(t *testing.T) {
	exp := now.Add(time.Minute)
	t.Run("DP24/one-key-once", func(t *testing.T) {
		s, err := dpop.NewMemoryStore(dpop.MemoryConfig{Now: clock})
		if err != nil {
			t.Fatal(err)
		}
		var ok, replay atomic.Int64
		var wg sync.WaitGroup
		for range 64 {
			wg.Go(func() {
				switch err := s.Add(ctx, "dpop:k:same", exp); err {
				case nil:
					ok.Add(1)
				case dpop.ErrReplay:
					replay.Add(1)
				default:
					t.Error(err)
				}
			})
		}
		wg.Wait()
		if ok.Load() != 1 || replay.Load() != 63 {
			t.Errorf("got %d passes and %d replays, want 1 and 63", ok.Load(), replay.Load())
		}
	})
	t.Run("DP24/bounded-never-evicts", func(t *testing.T) {
		const max = 10000 // sharded (>= 4096)
		s, err := dpop.NewMemoryStore(dpop.MemoryConfig{MaxEntries: max, Now: clock})
		if err != nil {
			t.Fatal(err)
		}
		var added, full atomic.Int64
		var wg sync.WaitGroup
		for g := range 8 {
			wg.Go(func() {
				for i := range 2 * max / 8 {
					switch err := s.Add(ctx, fmt.Sprintf("dpop:k%d:%d", g, i), exp); err {
					case nil:
						added.Add(1)
					case dpop.ErrStoreFull:
						full.Add(1)
					default:
						t.Error(err)
					}
				}
			})
		}
		wg.Wait()
		if n := s.Len(); n > max || int64(n) != added.Load() {
			t.Fatalf("got %d keys held and %d added, want equal and at most %d", n, added.Load(), max)
		}
		if added.Load() < max*9/10 || full.Load() == 0 {
			t.Errorf("got %d added and %d refused of %d, want the store nearly full, then refusals", added.Load(), full.Load(), 2*max)
		}
		// Every key that was added is still there.
		missing := 0
		for g := range 8 {
			for i := range 2 * max / 8 {
				k := fmt.Sprintf("dpop:k%d:%d", g, i)
				if err := s.Add(ctx, k, exp); err == nil {
					missing++ // a key that had been refused now fits: none should
				}
			}
		}
		if missing != 0 {
			t.Errorf("%d keys passed a second time: the store forgot or made room", missing)
		}
	})
}

// TestMemoryStoreExpiry: a key is held until and including its expiry,
// then swept; a key already expired is not recorded.
func TestMemoryStoreExpiry(t *testing.T) {
	clockNow := now
	s, err := dpop.NewMemoryStore(dpop.MemoryConfig{MaxEntries: 1, Now: func() time.Time { return clockNow }})
	if err != nil {
		t.Fatal(err)
	}
	exp := now.Add(1500 * time.Millisecond)
	if err := s.Add(ctx, "a", exp); err != nil {
		t.Fatal(err)
	}
	clockNow = exp
	if err := s.Add(ctx, "a", exp.Add(time.Minute)); err != dpop.ErrReplay {
		t.Errorf("at its expiry: got %v, want ErrReplay", err)
	}
	if err := s.Add(ctx, "b", exp.Add(time.Minute)); err != dpop.ErrStoreFull {
		t.Errorf("at a's expiry: got %v for b, want ErrStoreFull", err)
	}
	clockNow = exp.Add(time.Nanosecond)
	if err := s.Add(ctx, "b", exp.Add(time.Minute)); err != nil {
		t.Errorf("after a's expiry: got %v for b, want room", err)
	}
	if err := s.Add(ctx, "c", clockNow.Add(-time.Second)); err != nil {
		t.Errorf("already expired: got %v, want nil (not recorded)", err)
	}
	canceled, cancel := context.WithCancel(ctx)
	cancel()
	if err := s.Add(canceled, "d", exp); !errors.Is(err, context.Canceled) {
		t.Errorf("canceled context: got %v", err)
	}
}

// TestMemoryStoreKeyAgreement: the key Verify records a proof under is
// ReplayKey(jkt, jti): a store shared with other code sees it there.
func TestMemoryStoreKeyAgreement(t *testing.T) {
	keys(t)
	store, err := dpop.NewMemoryStore(dpop.MemoryConfig{Now: clock})
	if err != nil {
		t.Fatal(err)
	}
	v := newVerifier(t, func(c *dpop.Config) { c.Replay = store })
	got, err := v.Verify(ctx, proof(t, es256, authtest.Proof{ID: "agreed"}), request(es256))
	if err != nil {
		t.Fatal(err)
	}
	if err := store.Add(ctx, dpop.ReplayKey(got.JKT, "agreed"), now.Add(time.Minute)); err != dpop.ErrReplay {
		t.Errorf("Add(ReplayKey(jkt, jti)) after Verify: got %v, want ErrReplay", err)
	}
	if err := store.Add(ctx, dpop.ReplayKey(got.JKT, "other"), now.Add(time.Minute)); err != nil {
		t.Errorf("Add of another jti: got %v, want nil", err)
	}
}
