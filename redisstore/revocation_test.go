package redisstore

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/tokengate/tokengate/authtest"
	"github.com/tokengate/tokengate/verifier"
)

// newTenant starts an authtest tenant: real keys, real tokens.
func newTenant(t testing.TB) *authtest.Tenant {
	t.Helper()
	tn, err := authtest.NewTenant(authtest.Config{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(tn.Close)
	return tn
}

// apiReplica is one replica's verifier, with the shared revocation set.
func apiReplica(t testing.TB, tn *authtest.Tenant, set verifier.RevocationSet) *verifier.Verifier {
	t.Helper()
	v, err := verifier.New(verifier.Config{Issuer: tn.Issuer(), Audience: []string{"https://api.example.com"}, Keys: tn.KeySet(), Revocations: set})
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func newRevocations(t testing.TB, s *Store, cfg RevocationConfig) *Revocations {
	t.Helper()
	r, err := s.Revocations(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// TestFL2RevokedAcrossReplicas: a subject, or a session, revoked through
// one replica is refused by another replica's verifier at once, cache hit
// included; tokens issued after the revocation pass.
func TestFL2RevokedAcrossReplicas(t *testing.T) {
	s := newStore(t, sharedAddr(t), Config{})
	tn := newTenant(t)
	set := newRevocations(t, s, RevocationConfig{})
	a, b := apiReplica(t, tn, set), apiReplica(t, tn, set)
	ctx := context.Background()
	iat := time.Now().Add(-time.Minute).Unix()
	alice, err := tn.Mint(authtest.Token{Claims: map[string]any{"sub": "auth0|alice", "aud": "https://api.example.com", "sid": "s-1", "iat": iat}})
	if err != nil {
		t.Fatal(err)
	}
	bob, err := tn.Mint(authtest.Token{Claims: map[string]any{"sub": "auth0|bob", "aud": "https://api.example.com", "sid": "s-2", "iat": iat}})
	if err != nil {
		t.Fatal(err)
	}
	for _, tok := range []string{alice, bob} {
		if _, err := b.Verify(ctx, tok); err != nil {
			t.Fatalf("before revocation: %v", err) // now cached on b
		}
	}
	if err := set.Revoke(ctx, verifier.Revocation{Issuer: tn.Issuer(), Subject: "auth0|alice", Before: time.Now()}); err != nil {
		t.Fatal(err)
	}
	if err := set.Revoke(ctx, verifier.Revocation{Issuer: tn.Issuer(), SessionID: "s-2", Before: time.Now()}); err != nil {
		t.Fatal(err)
	}
	for name, tok := range map[string]string{"FL2/subject": alice, "FL2/session": bob} {
		if _, err := b.Verify(ctx, tok); !errors.Is(err, verifier.ErrRevoked) {
			t.Errorf("%s on the other replica (cache hit): got %v, want ErrRevoked", name, err)
		}
	}
	time.Sleep(1100 * time.Millisecond) // iat has a resolution of a second
	fresh, err := tn.Mint(authtest.Token{Claims: map[string]any{"sub": "auth0|alice", "aud": "https://api.example.com"}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.Verify(ctx, fresh); err != nil {
		t.Errorf("a token issued after the revocation: %v", err)
	}
}

// TestFL10RevocationTTL: an entry lives until its Before plus the longest
// token lifetime, and no longer; a later revocation is kept over an
// earlier one.
func TestFL10RevocationTTL(t *testing.T) {
	s := newStore(t, sharedAddr(t), Config{})
	set := newRevocations(t, s, RevocationConfig{MaxTokenLifetime: time.Hour})
	ctx := context.Background()
	before := time.Now().Add(-10 * time.Minute)
	if err := set.Revoke(ctx, verifier.Revocation{Issuer: "iss", Subject: "sub", Before: before}); err != nil {
		t.Fatal(err)
	}
	if err := set.Revoke(ctx, verifier.Revocation{Issuer: "iss", Subject: "sub", Before: before.Add(-time.Minute)}); err != nil {
		t.Fatal(err)
	}
	key, _ := s.revocationKeys("iss", "sub", "")
	pttl, err := s.rdb.PTTL(ctx, key).Result()
	if err != nil || pttl > 50*time.Minute || pttl < 49*time.Minute {
		t.Errorf("time to live: %v, %v; want about 50 min (Before + 1 h)", pttl, err)
	}
	got, err := set.RevokedBefore(ctx, "iss", "sub", "")
	if err != nil || !got.Equal(before.Truncate(time.Microsecond)) {
		t.Errorf("RevokedBefore: %v, %v; want %v", got, err, before)
	}
	// Long past: nothing stored.
	if err := set.Revoke(ctx, verifier.Revocation{Issuer: "iss", Subject: "old", Before: time.Now().Add(-2 * time.Hour)}); err != nil {
		t.Fatal(err)
	}
	if k, _ := s.revocationKeys("iss", "old", ""); s.rdb.Exists(ctx, k).Val() != 0 {
		t.Error("a revocation older than the longest token lifetime was stored")
	}
	if err := set.Revoke(ctx, verifier.Revocation{Issuer: "iss", Subject: "x", Before: time.Now().Add(time.Hour)}); err == nil {
		t.Error("Before an hour ahead: got nil, want an error")
	}
}

// TestFL5HostileRevocations: a stored revocation that is not a time is
// refused (the set cannot tell: the token is refused with
// ErrRevocationUnavailable), never read as "not revoked".
func TestFL5HostileRevocations(t *testing.T) {
	ctx := context.Background()
	for _, tt := range []struct {
		name  string
		plant func(s *Store, k string) error
	}{
		{"FL5/text", func(s *Store, k string) error { return s.rdb.Set(ctx, k, "not-a-time", 0).Err() }},
		{"FL5/negative", func(s *Store, k string) error { return s.rdb.Set(ctx, k, "-5", 0).Err() }},
		{"FL5/year-10000", func(s *Store, k string) error { return s.rdb.Set(ctx, k, "253402300800000000", 0).Err() }},
		{"FL5/wrong-type", func(s *Store, k string) error { return s.rdb.LPush(ctx, k, "1").Err() }},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s := newStore(t, sharedAddr(t), Config{})
			tn := newTenant(t)
			set := newRevocations(t, s, RevocationConfig{})
			// The session's key is planted; the subject's is absent.
			_, k := s.revocationKeys(tn.Issuer(), "auth0|alice", "s-1")
			if err := tt.plant(s, k); err != nil {
				t.Fatal(err)
			}
			tok, err := tn.Mint(authtest.Token{Claims: map[string]any{"sub": "auth0|alice", "aud": "https://api.example.com", "sid": "s-1"}})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := apiReplica(t, tn, set).Verify(ctx, tok); !errors.Is(err, verifier.ErrRevocationUnavailable) {
				t.Errorf("got %v, want ErrRevocationUnavailable", err)
			}
		})
	}
}
