package verifier_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/tokengate/tokengate/verifier"
)

// countingSet wraps a RevocationSet and counts lookups, so tests can see
// that cache hits consult it too.
type countingSet struct {
	verifier.RevocationSet
	mu      sync.Mutex
	lookups int
	err     error // returned instead of asking the set
	panics  bool
}

func (c *countingSet) RevokedBefore(ctx context.Context, iss, sub, sid string) (time.Time, error) {
	c.mu.Lock()
	c.lookups++
	c.mu.Unlock()
	if c.panics {
		panic("revocation set bug")
	}
	if c.err != nil {
		return time.Time{}, c.err
	}
	return c.RevocationSet.RevokedBefore(ctx, iss, sub, sid)
}

func (c *countingSet) count() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.lookups
}

func newRevocations(t *testing.T) *verifier.MemoryRevocationSet {
	t.Helper()
	s, err := verifier.NewMemoryRevocationSet(verifier.MemoryRevocationConfig{Now: func() time.Time { return testNow }})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestFL2RevokedOnEveryVerify: with a revocation set configured, every
// Verify consults it, cache hits included, and refuses a token issued
// before its subject's or its session's revocation.
func TestFL2RevokedOnEveryVerify(t *testing.T) {
	loadKeys()
	ctx := context.Background()
	iat := testNow.Add(-time.Minute)
	tokenFor := func(over map[string]any) string {
		return sign(t, "RS256", rsaKey, hdr("RS256", "k1"), claims(over))
	}
	tests := []struct {
		name    string
		revoke  []verifier.Revocation
		token   map[string]any
		wantErr error
	}{
		{"FL2/none", nil, nil, nil},
		{"FL2/subject", []verifier.Revocation{{Issuer: testIss, Subject: "auth0|alice", Before: testNow}}, nil, verifier.ErrRevoked},
		{"FL2/subject-before-iat", []verifier.Revocation{{Issuer: testIss, Subject: "auth0|alice", Before: iat.Add(-time.Second)}}, nil, nil},
		{"FL2/subject-at-iat", []verifier.Revocation{{Issuer: testIss, Subject: "auth0|alice", Before: iat}}, nil, nil},
		{"FL2/subject-just-after-iat", []verifier.Revocation{{Issuer: testIss, Subject: "auth0|alice", Before: iat.Add(time.Millisecond)}}, nil, verifier.ErrRevoked},
		{"FL2/other-subject", []verifier.Revocation{{Issuer: testIss, Subject: "auth0|bob", Before: testNow}}, nil, nil},
		{"FL2/other-issuer", []verifier.Revocation{{Issuer: "https://other.example.com/", Subject: "auth0|alice", Before: testNow}}, nil, nil},
		{"FL2/session", []verifier.Revocation{{Issuer: testIss, SessionID: "s1", Before: testNow}}, map[string]any{"sid": "s1"}, verifier.ErrRevoked},
		{"FL2/other-session", []verifier.Revocation{{Issuer: testIss, SessionID: "s2", Before: testNow}}, map[string]any{"sid": "s1"}, nil},
		{"FL2/session-without-sid", []verifier.Revocation{{Issuer: testIss, SessionID: "s1", Before: testNow}}, nil, nil},
		{"FL2/subject-with-sid", []verifier.Revocation{{Issuer: testIss, Subject: "auth0|alice", Before: testNow}}, map[string]any{"sid": "s1"}, verifier.ErrRevoked},
		{"FL2/no-iat", []verifier.Revocation{{Issuer: testIss, Subject: "auth0|alice", Before: iat.Add(-time.Hour)}}, map[string]any{"iat": nil}, verifier.ErrRevoked},
		{"FL2/sid-not-a-string", nil, map[string]any{"sid": 7}, verifier.ErrMalformed},
		// A subject whose name is the issuer's suffix must not collide.
		{"FL2/no-key-collision", []verifier.Revocation{{Issuer: testIss + "auth0|", Subject: "alice", Before: testNow}}, nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			set := &countingSet{RevocationSet: newRevocations(t)}
			for _, r := range tt.revoke {
				if err := set.Revoke(ctx, r); err != nil {
					t.Fatalf("Revoke: %v", err)
				}
			}
			v := newVerifier(t, verifier.Config{Revocations: set})
			tok := tokenFor(tt.token)
			for i, what := range []string{"first verify", "cache hit"} {
				_, err := v.Verify(ctx, tok)
				if !errors.Is(err, tt.wantErr) || (tt.wantErr == nil) != (err == nil) {
					t.Fatalf("%s: got %v, want %v", what, err, tt.wantErr)
				}
				if got, want := set.count(), i+1; tt.wantErr != verifier.ErrMalformed && got != want {
					t.Fatalf("%s: revocation lookups got %d, want %d", what, got, want)
				}
			}
		})
	}
}

// TestFL2RevokedAfterCached: a token verified and cached, then revoked, is
// refused on its next verification (a cache hit), and by a Typed too.
func TestFL2RevokedAfterCached(t *testing.T) {
	loadKeys()
	ctx := context.Background()
	set := newRevocations(t)
	v := newVerifier(t, verifier.Config{Revocations: set})
	tok := sign(t, "RS256", rsaKey, hdr("RS256", "k1"), claims(map[string]any{"sid": "s9"}))
	type custom struct{}
	typed, err := verifier.NewTyped(v, verifier.TypedConfig[custom]{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := v.Verify(ctx, tok); err != nil {
		t.Fatalf("before revocation: %v", err)
	}
	if err := set.Revoke(ctx, verifier.Revocation{Issuer: testIss, SessionID: "s9", Before: testNow}); err != nil {
		t.Fatal(err)
	}
	if _, err := v.Verify(ctx, tok); !errors.Is(err, verifier.ErrRevoked) {
		t.Errorf("cache hit after revocation: got %v, want ErrRevoked", err)
	}
	_, _, err = typed.Verify(ctx, tok)
	if !errors.Is(err, verifier.ErrRevoked) {
		t.Errorf("Typed after revocation: got %v, want ErrRevoked", err)
	}
	if got := verifier.Reason(fmt.Errorf("wrapped: %w", err)); got != "revoked" {
		t.Errorf("Reason: got %q, want revoked", got)
	}
}

// TestFL3RevocationUnavailable: a set that fails or panics refuses the
// token with ErrRevocationUnavailable, which is also ErrKeysUnavailable
// (HTTP layers answer 503 with Retry-After), on a miss and on a cache hit.
func TestFL3RevocationUnavailable(t *testing.T) {
	loadKeys()
	ctx := context.Background()
	for _, tt := range []struct {
		name   string
		err    error
		panics bool
	}{
		{"FL3/error", errors.New("redis: connection refused"), false},
		{"FL3/deadline", context.DeadlineExceeded, false},
		{"FL3/panic", nil, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			set := &countingSet{RevocationSet: newRevocations(t)}
			v := newVerifier(t, verifier.Config{Revocations: set})
			tok := sign(t, "RS256", rsaKey, hdr("RS256", "k1"), claims(nil))
			if _, err := v.Verify(ctx, tok); err != nil {
				t.Fatalf("set up: %v", err) // cached now
			}
			set.err, set.panics = tt.err, tt.panics
			for _, what := range []string{"cache hit", "again"} {
				c, err := v.Verify(ctx, tok)
				if c != nil || !errors.Is(err, verifier.ErrRevocationUnavailable) || !errors.Is(err, verifier.ErrKeysUnavailable) {
					t.Fatalf("%s: got %v, %v; want no claims, ErrRevocationUnavailable wrapping ErrKeysUnavailable", what, c, err)
				}
				if got := verifier.Reason(err); got != "revocation_unavailable" {
					t.Errorf("%s: Reason got %q, want revocation_unavailable", what, got)
				}
			}
		})
	}
}

// TestFL10RevocationSetBounds: entries last until Before plus the longest
// token lifetime and no longer; Before in the future or zero is refused; a
// full set refuses a revocation rather than forget one.
func TestFL10RevocationSetBounds(t *testing.T) {
	ctx := context.Background()
	now := testNow
	clock := func() time.Time { return now }
	set, err := verifier.NewMemoryRevocationSet(verifier.MemoryRevocationConfig{MaxEntries: 2, MaxTokenLifetime: time.Hour, Now: clock})
	if err != nil {
		t.Fatal(err)
	}
	rev := func(sub string, before time.Time) error {
		return set.Revoke(ctx, verifier.Revocation{Issuer: testIss, Subject: sub, Before: before})
	}
	t.Run("FL10/future-before", func(t *testing.T) {
		if err := rev("a", now.Add(2*time.Minute)); err == nil {
			t.Error("Before 2 min ahead: got nil, want an error")
		}
	})
	t.Run("FL10/zero-before", func(t *testing.T) {
		if err := rev("a", time.Time{}); err == nil {
			t.Error("zero Before: got nil, want an error")
		}
	})
	t.Run("FL10/empty-subject-and-session", func(t *testing.T) {
		if err := set.Revoke(ctx, verifier.Revocation{Issuer: testIss, Before: now}); err == nil {
			t.Error("no Subject and no SessionID: got nil, want an error")
		}
	})
	t.Run("FL10/later-wins", func(t *testing.T) {
		if err := rev("a", now.Add(-time.Minute)); err != nil {
			t.Fatal(err)
		}
		if err := rev("a", now.Add(-2*time.Minute)); err != nil { // an earlier one does not move it back
			t.Fatal(err)
		}
		got, err := set.RevokedBefore(ctx, testIss, "a", "")
		if err != nil || !got.Equal(now.Add(-time.Minute)) {
			t.Errorf("RevokedBefore: got %v, %v; want %v", got, err, now.Add(-time.Minute))
		}
	})
	t.Run("FL10/full", func(t *testing.T) {
		if err := rev("b", now); err != nil {
			t.Fatal(err)
		}
		if err := rev("c", now); !errors.Is(err, verifier.ErrRevocationSetFull) {
			t.Fatalf("third entry in a set of 2: got %v, want ErrRevocationSetFull", err)
		}
		if got, _ := set.RevokedBefore(ctx, testIss, "a", ""); got.IsZero() {
			t.Error("a full set forgot an entry")
		}
	})
	t.Run("FL10/expiry", func(t *testing.T) {
		now = now.Add(time.Hour - time.Minute - time.Second) // a is kept until its Before + 1 h
		if got, _ := set.RevokedBefore(ctx, testIss, "a", ""); got.IsZero() {
			t.Error("entry gone before Before + MaxTokenLifetime")
		}
		now = now.Add(2 * time.Second)
		if got, _ := set.RevokedBefore(ctx, testIss, "a", ""); !got.IsZero() {
			t.Errorf("entry after Before + MaxTokenLifetime: got %v, want none", got)
		}
		if err := rev("c", now); err != nil { // room again
			t.Errorf("after expiry: %v", err)
		}
	})
}
