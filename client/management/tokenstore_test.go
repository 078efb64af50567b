package management

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tokengate/tokengate/client"
	"github.com/tokengate/tokengate/internal/hook"
)

// mapStore is a TokenStore in one process, as a shared store behaves: one
// fetch at a time under a lock, compare-and-delete on Invalidate. The
// real shared store (Redis) is tested in the redisstore module.
type mapStore struct {
	mu      sync.Mutex
	fetchMu sync.Mutex
	tokens  map[string]StoredToken
	keys    []string
	now     func() time.Time
}

func (s *mapStore) Token(ctx context.Context, key string, fetch func(context.Context) (StoredToken, error)) (StoredToken, error) {
	s.fetchMu.Lock() // the fleet's lock
	defer s.fetchMu.Unlock()
	s.mu.Lock()
	s.keys = append(s.keys, key)
	st, ok := s.tokens[key]
	s.mu.Unlock()
	if ok && s.now().Before(st.RefreshAt) {
		return st, nil
	}
	st, err := fetch(ctx)
	if err != nil {
		return StoredToken{}, err
	}
	s.mu.Lock()
	s.tokens[key] = st
	s.mu.Unlock()
	return st, nil
}

func (s *mapStore) Invalidate(_ context.Context, key, value string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if st, ok := s.tokens[key]; ok && st.Value == value {
		delete(s.tokens, key)
	}
	return nil
}

// fleet returns n Management clients of one tenant sharing store, each
// with its own cache, all fetching through f; the API rejects the tokens
// reject says.
func fleet(t *testing.T, n int, store TokenStore, f *fakeFetcher, clock *fakeClock, reject func(string) bool) ([]*Management, *atomic.Int32) {
	t.Helper()
	var calls atomic.Int32
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		tok, _ := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		if reject != nil && reject(tok) {
			w.WriteHeader(http.StatusUnauthorized)
			io.WriteString(w, `{"statusCode":401,"error":"Unauthorized","message":"Invalid token"}`)
			return
		}
		io.WriteString(w, `{"user_id":"auth0|1"}`)
	})
	var ms []*Management
	for range n {
		m, err := newWithFetcher(srv.URL, f, Config{TokenStore: store, HTTP: client.Config{Now: clock.Now, MaxRetries: client.NoRetries}})
		if err != nil {
			t.Fatal(err)
		}
		ms = append(ms, m)
	}
	return ms, &calls
}

// TestTokenStoreSharedByReplicas: replicas with one store fetch one token
// per lifetime between them, under one key naming the tenant and
// audience.
func TestTokenStoreSharedByReplicas(t *testing.T) {
	clock := &fakeClock{now: time.Unix(1_800_000_000, 0)}
	store := &mapStore{tokens: map[string]StoredToken{}, now: clock.Now}
	f := &fakeFetcher{lifetime: time.Hour}
	ms, _ := fleet(t, 4, store, f, clock, nil)
	ctx := context.Background()
	for range 3 {
		for _, m := range ms {
			if _, err := m.Users.Get(ctx, "a", nil); err != nil {
				t.Fatal(err)
			}
		}
	}
	if got := f.calls.Load(); got != 1 {
		t.Errorf("token fetches by 4 replicas: got %d, want 1", got)
	}
	if got := len(store.keys); got != 4 {
		t.Errorf("store lookups: got %d, want 4 (one per replica, then each its own cache)", got)
	}
	if k := store.keys[0]; !strings.Contains(k, ms[0].rest.BaseURL()+"/api/v2/") {
		t.Errorf("store key %q does not name the audience", k)
	}
	clock.Add(59*time.Minute + time.Second) // past the refresh point of a 1 h token
	for _, m := range ms {
		m.Users.Get(ctx, "a", nil)
	}
	if got := f.calls.Load(); got != 2 {
		t.Errorf("token fetches after the refresh point: got %d, want 2", got)
	}
}

// TestFL6InvalidateFleetWideOnce: the API refuses the fleet's token; every
// replica sees a 401, and one new token is fetched for all of them.
func TestFL6InvalidateFleetWideOnce(t *testing.T) {
	clock := &fakeClock{now: time.Unix(1_800_000_000, 0)}
	store := &mapStore{tokens: map[string]StoredToken{}, now: clock.Now}
	f := &fakeFetcher{lifetime: time.Hour}
	var revoked atomic.Bool
	ms, _ := fleet(t, 4, store, f, clock, func(tok string) bool { return revoked.Load() && tok == "cc-token-1" })
	ctx := context.Background()
	for _, m := range ms {
		if _, err := m.Users.Get(ctx, "a", nil); err != nil {
			t.Fatal(err)
		}
	}
	revoked.Store(true)
	for _, m := range ms {
		if _, err := m.Users.Get(ctx, "a", nil); err != nil {
			t.Fatalf("after the 401: %v", err)
		}
	}
	if got := f.calls.Load(); got != 2 {
		t.Errorf("token fetches: got %d, want 2 (one new token for the fleet)", got)
	}
}

// hostileStore answers what it is told to.
type hostileStore struct {
	st     StoredToken
	err    error
	panics bool
}

func (h hostileStore) Token(context.Context, string, func(context.Context) (StoredToken, error)) (StoredToken, error) {
	if h.panics {
		panic("store bug")
	}
	return h.st, h.err
}
func (h hostileStore) Invalidate(context.Context, string, string) error {
	if h.panics {
		panic("store bug")
	}
	return h.err
}

// TestFL5HostileTokenStore: whatever a store answers, no request goes out
// with something that is not a token, and no answer is believed for longer
// than a token can live.
func TestFL5HostileTokenStore(t *testing.T) {
	now := time.Unix(1_800_000_000, 0)
	for _, tt := range []struct {
		name    string
		store   hostileStore
		wantErr error
	}{
		{"FL5/empty", hostileStore{st: StoredToken{Value: "", RefreshAt: now.Add(time.Hour)}}, ErrToken},
		{"FL5/header-injection", hostileStore{st: StoredToken{Value: "tok\r\nX-Evil: 1", RefreshAt: now.Add(time.Hour)}}, ErrToken},
		{"FL5/space", hostileStore{st: StoredToken{Value: "a b", RefreshAt: now.Add(time.Hour)}}, ErrToken},
		{"FL5/error", hostileStore{err: errors.New("store down")}, ErrToken},
		{"FL5/panic", hostileStore{panics: true}, hook.ErrPanic},
		{"FL5/refresh-far-ahead", hostileStore{st: StoredToken{Value: "tok", RefreshAt: now.Add(100 * 365 * 24 * time.Hour)}}, nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			clock := &fakeClock{now: now}
			var sent atomic.Int32
			srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
				sent.Add(1)
				io.WriteString(w, `{}`)
			})
			m, err := newWithFetcher(srv.URL, &fakeFetcher{lifetime: time.Hour}, Config{TokenStore: tt.store, HTTP: client.Config{Now: clock.Now}})
			if err != nil {
				t.Fatal(err)
			}
			_, err = m.Users.Get(context.Background(), "a", nil)
			if !errors.Is(err, tt.wantErr) || (tt.wantErr == nil) != (err == nil) {
				t.Fatalf("got %v, want %v", err, tt.wantErr)
			}
			if tt.wantErr != nil && sent.Load() != 0 {
				t.Errorf("requests sent: got %d, want 0", sent.Load())
			}
			if tt.wantErr == nil {
				e := m.tokens.(*cachedToken).cur.Load()
				if e == nil || e.refreshAt.After(now.Add(maxTokenLifetime)) {
					t.Errorf("cached until %v, want at most %v", e, now.Add(maxTokenLifetime))
				}
			}
		})
	}
}

func TestTokenStoreNeedsCredentials(t *testing.T) {
	_, err := New("tenant.example.com", Config{Token: "static", TokenStore: &mapStore{}})
	if err == nil {
		t.Error("TokenStore with a static Token: got nil error")
	}
}
