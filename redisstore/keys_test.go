package redisstore

import (
	"context"
	"errors"
	"testing"
)

// TestFL11KeysDoNotCollide: parts crafted to run into each other give
// different keys (the digest covers each part's length), and the kinds of
// keys never share a name.
func TestFL11KeysDoNotCollide(t *testing.T) {
	s := &Store{prefix: "p:"}
	pairs := [][2][]string{
		{{"ab", "c"}, {"a", "bc"}},
		{{"https://idp.example.com/auth0|", "alice"}, {"https://idp.example.com/", "auth0|alice"}},
		{{"", "x"}, {"x", ""}},
		{{"a\x00", "b"}, {"a", "\x00b"}},
	}
	for _, p := range pairs {
		if digest(p[0]...) == digest(p[1]...) {
			t.Errorf("digest(%q) == digest(%q)", p[0], p[1])
		}
	}
	sub, _ := s.revocationKeys("iss", "x", "")
	_, sid := s.revocationKeys("iss", "", "x")
	tok, lock := s.tokenKeys("x")
	seen := map[string]bool{}
	for _, k := range []string{sub, sid, tok, lock, s.replayKey("x"), s.budgetKey("x", "", "", false), s.budgetKey("x", "", "", true)} {
		if seen[k] {
			t.Errorf("key %q used twice", k)
		}
		seen[k] = true
	}
}

// TestFL12CheckEviction: Store.Check refuses a Redis that may evict keys
// before they expire, and passes one with noeviction.
func TestFL12CheckEviction(t *testing.T) {
	srv := startServer(t, 0)
	s := newStore(t, srv.addr(), Config{})
	ctx := context.Background()
	if err := s.Check(ctx); err != nil {
		t.Fatalf("noeviction: %v", err)
	}
	if err := s.rdb.ConfigSet(ctx, "maxmemory-policy", "allkeys-lru").Err(); err != nil {
		t.Fatal(err)
	}
	if err := s.Check(ctx); !errors.Is(err, ErrEviction) {
		t.Errorf("allkeys-lru: got %v, want ErrEviction", err)
	}
	srv.stop()
	if err := s.Check(ctx); !errors.Is(err, ErrUnavailable) {
		t.Errorf("Redis down: got %v, want ErrUnavailable", err)
	}
}
