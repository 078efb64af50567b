package redisstore

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tokengate/tokengate/client/management"
)

func newTokens(t testing.TB, s *Store, cfg TokenConfig) *Tokens {
	t.Helper()
	tk, err := s.Tokens(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return tk
}

// TestTokensOneFetchForTheFleet: 8 replicas starting at once, each with its
// own Management client, fetch one token between them and all use it.
func TestTokensOneFetchForTheFleet(t *testing.T) {
	s := newStore(t, sharedAddr(t), Config{})
	a := newFakeAuth0(t, time.Hour, 0, 0)
	tokens := newTokens(t, s, TokenConfig{})
	var wg sync.WaitGroup
	for range 8 {
		m := newReplica(t, a, tokens, nil)
		wg.Go(func() {
			for range 10 {
				if _, err := m.Users.Get(context.Background(), "auth0|1", nil); err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
	c := a.counts()
	if len(c.fetches) != 1 {
		t.Errorf("token fetches by 8 replicas: got %d, want 1", len(c.fetches))
	}
	if got := c.byToken["m2m-1"]; got != 80 {
		t.Errorf("calls with the fleet's token: got %d, want 80", got)
	}
}

// TestFL6InvalidateOnceAcrossReplicas: the API starts refusing the fleet's
// token; each of 4 replicas sees a 401 once, and the fleet fetches one new
// token, not four.
func TestFL6InvalidateOnceAcrossReplicas(t *testing.T) {
	s := newStore(t, sharedAddr(t), Config{})
	a := newFakeAuth0(t, time.Hour, 0, 0)
	tokens := newTokens(t, s, TokenConfig{})
	rec := &keyRecorder{TokenStore: tokens}
	var ms []*management.Management
	for range 4 {
		ms = append(ms, newReplica(t, a, rec, nil))
	}
	ctx := context.Background()
	for _, m := range ms {
		if _, err := m.Users.Get(ctx, "auth0|1", nil); err != nil {
			t.Fatal(err)
		}
	}
	a.refuse("m2m-1")
	for _, m := range ms {
		if _, err := m.Users.Get(ctx, "auth0|1", nil); err != nil {
			t.Fatalf("after the 401: %v", err)
		}
	}
	c := a.counts()
	if len(c.fetches) != 2 || c.n401 != 4 || c.byToken["m2m-2"] != 4 {
		t.Errorf("fetches %d, 401s %d, calls with the new token %d; want 2, 4, 4", len(c.fetches), c.n401, c.byToken["m2m-2"])
	}
	// A stale invalidation (a replica late with its 401) keeps the new one.
	key := rec.key.Load().(string)
	if err := tokens.Invalidate(ctx, key, "m2m-1"); err != nil {
		t.Fatal(err)
	}
	tk, _ := s.tokenKeys(key)
	if v, err := s.rdb.Get(ctx, tk).Result(); err != nil || v != "m2m-2" {
		t.Errorf("after a stale Invalidate: stored %q, %v; want m2m-2", v, err)
	}
}

// keyRecorder is a TokenStore that remembers the key management asks for.
type keyRecorder struct {
	management.TokenStore
	key atomic.Value
}

func (k *keyRecorder) Token(ctx context.Context, key string, fetch func(context.Context) (management.StoredToken, error)) (management.StoredToken, error) {
	k.key.Store(key)
	return k.TokenStore.Token(ctx, key, fetch)
}

// TestFL4LockExpiry: a replica that takes the lock and stalls (or dies)
// holds the others back for LockTTL only; then one of them fetches. The
// stalled replica's late release does not remove the new holder's lock.
func TestFL4LockExpiry(t *testing.T) {
	s := newStore(t, sharedAddr(t), Config{})
	tokens := newTokens(t, s, TokenConfig{LockTTL: 300 * time.Millisecond})
	ctx := context.Background()
	const key = "management https://tenant.example.com https://tenant.example.com/api/v2/ app"
	tk, lk := s.tokenKeys(key)

	// Replica A takes the lock, then stalls without storing a token.
	res, err := getOrLock.Run(ctx, s.rdb, []string{tk, lk}, "replica-a", 300).Slice()
	if a, err2 := parseGetOrLock(res); err != nil || err2 != nil || a.kind != answerLocked {
		t.Fatalf("replica A's lock: %v, %v, %v", res, err, err2)
	}
	// Replica B waits, then fetches once A's lock has expired.
	var fetches atomic.Int32
	start := time.Now()
	st, err := tokens.Token(ctx, key, func(context.Context) (management.StoredToken, error) {
		fetches.Add(1)
		// While B holds the lock, A wakes up and releases "its" lock.
		if n, err := deleteIfEqual.Run(ctx, s.rdb, []string{lk}, "replica-a").Int(); err != nil || n != 0 {
			t.Errorf("A's late release: deleted %d, %v; want 0", n, err)
		}
		if v, err := s.rdb.Get(ctx, lk).Result(); err != nil || v == "replica-a" {
			t.Errorf("lock during B's fetch: %q, %v; want B's", v, err)
		}
		return management.StoredToken{Value: "tok-b", RefreshAt: time.Now().Add(time.Hour)}, nil
	})
	if err != nil || st.Value != "tok-b" || fetches.Load() != 1 {
		t.Fatalf("B: got %+v, %v after %d fetches; want tok-b after 1", st, err, fetches.Load())
	}
	if d := time.Since(start); d < 250*time.Millisecond {
		t.Errorf("B fetched after %v, before A's lock expired", d)
	}
	// B released its lock and stored the token for all.
	if n, _ := s.rdb.Exists(ctx, lk).Result(); n != 0 {
		t.Error("B's lock left behind")
	}
	st, err = tokens.Token(ctx, key, func(context.Context) (management.StoredToken, error) {
		t.Error("a third fetch")
		return management.StoredToken{}, errors.New("no")
	})
	if err != nil || st.Value != "tok-b" || st.RefreshAt.Before(time.Now().Add(59*time.Minute)) {
		t.Errorf("the stored token: %+v, %v", st, err)
	}
}

// TestTokensHerdAtRefresh: when the shared token reaches its refresh point,
// 16 replicas asking at once cause one fetch; the others wait for it.
func TestTokensHerdAtRefresh(t *testing.T) {
	s := newStore(t, sharedAddr(t), Config{})
	tokens := newTokens(t, s, TokenConfig{})
	const key = "herd"
	var fetches atomic.Int32
	fetch := func(context.Context) (management.StoredToken, error) {
		n := fetches.Add(1)
		time.Sleep(30 * time.Millisecond) // a real /oauth/token takes a while
		return management.StoredToken{Value: "tok-" + string(rune('0'+n)), RefreshAt: time.Now().Add(time.Hour)}, nil
	}
	var wg sync.WaitGroup
	for range 16 {
		wg.Go(func() {
			st, err := tokens.Token(context.Background(), key, fetch)
			if err != nil || st.Value != "tok-1" {
				t.Errorf("got %+v, %v; want tok-1", st, err)
			}
		})
	}
	wg.Wait()
	if got := fetches.Load(); got != 1 {
		t.Errorf("fetches: got %d, want 1", got)
	}
}

// TestFL5HostileTokenEntries: what another program left under the token's
// key (a token with a line break, a key of another type, a token stored
// without a time to live) never reaches a request: the store falls back
// to a fetch of its own (FallBack) or fails (FailClosed), and a token with
// no time to live is used for one request only.
func TestFL5HostileTokenEntries(t *testing.T) {
	ctx := context.Background()
	const key = "hostile"
	for _, tt := range []struct {
		name    string
		plant   func(s *Store, tk string) error
		policy  Policy
		want    string // the token returned; "" for an error
		refresh bool   // RefreshAt set
	}{
		{"FL5/line-break", func(s *Store, tk string) error { return s.rdb.Set(ctx, tk, "evil\r\nX-Injected: 1", time.Hour).Err() }, FallBack, "fetched", true},
		{"FL5/line-break-fail-closed", func(s *Store, tk string) error { return s.rdb.Set(ctx, tk, "evil\r\nX: 1", time.Hour).Err() }, FailClosed, "", false},
		{"FL5/empty", func(s *Store, tk string) error { return s.rdb.Set(ctx, tk, "", time.Hour).Err() }, FallBack, "fetched", true},
		{"FL5/wrong-type", func(s *Store, tk string) error { return s.rdb.LPush(ctx, tk, "x").Err() }, FallBack, "fetched", true},
		{"FL5/no-ttl", func(s *Store, tk string) error { return s.rdb.Set(ctx, tk, "forever", 0).Err() }, FallBack, "forever", false},
		{"FL5/lock-wrong-type", func(s *Store, tk string) error { return s.rdb.LPush(ctx, tk+":lock", "x").Err() }, FallBack, "fetched", true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s := newStore(t, sharedAddr(t), Config{})
			tokens := newTokens(t, s, TokenConfig{OnError: tt.policy})
			tk, _ := s.tokenKeys(key)
			if err := tt.plant(s, tk); err != nil {
				t.Fatal(err)
			}
			st, err := tokens.Token(ctx, key, func(context.Context) (management.StoredToken, error) {
				return management.StoredToken{Value: "fetched", RefreshAt: time.Now().Add(time.Hour)}, nil
			})
			if st.Value != tt.want || (tt.want == "") != (err != nil) || tt.refresh != !st.RefreshAt.IsZero() {
				t.Errorf("got %+v, %v; want %q (RefreshAt set: %v)", st, err, tt.want, tt.refresh)
			}
		})
	}
}
