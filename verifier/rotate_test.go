package verifier_test

import (
	"testing"

	"github.com/tokengate/tokengate/verifier"
)

// TestF5NextKeySet: NextKeySet is the one rotation path of the key sources
// (jwks, authtest). A key equal to one of the previous set keeps the
// previous *Key, so the tokens it verified stay cached; a key of the
// previous set that is not carried over is retired, so the tokens it
// verified leave the verified-token cache at once (SECURITY.md F5, VC2);
// a refused set retires nothing.
func TestF5NextKeySet(t *testing.T) {
	loadKeys()
	// fresh returns a new *Key for the same material, as each JWKS refresh
	// parses one.
	fresh := func(kid string, pub any) *verifier.Key { return key(kid, "RS256", pub) }
	next := func(t *testing.T, prev *verifier.KeySet, keys ...*verifier.Key) *verifier.KeySet {
		t.Helper()
		s, err := verifier.NextKeySet(prev, keys...)
		if err != nil {
			t.Fatalf("NextKeySet: got %v, want nil", err)
		}
		return s
	}
	// setup verifies (and caches) a token of k1 and one of k2.
	setup := func(t *testing.T) (v *verifier.Verifier, rec *recorder, src *rotatingSource, tok1, tok2 string) {
		rec = &recorder{}
		src = &rotatingSource{}
		src.cur.Store(next(t, nil, fresh("k1", rsaPub()), fresh("k2", &rsaKey2.PublicKey)))
		v = newVerifier(t, verifier.Config{Keys: src, Observer: rec})
		tok1 = rs(claims(nil))(t)
		tok2 = signed("RS256", rsaPriv2, hdr("RS256", "k2"), claims(nil))(t)
		verifyStep(t, v, rec, tok1, nil, false)
		verifyStep(t, v, rec, tok2, nil, false)
		return v, rec, src, tok1, tok2
	}

	t.Run("equal-key-carried-over", func(t *testing.T) {
		v, rec, src, tok1, tok2 := setup(t)
		prev := src.cur.Load()
		k3 := key("k3", "ES256", &ecKey.PublicKey)
		s := next(t, prev, fresh("k1", rsaPub()), fresh("k2", &rsaKey2.PublicKey), k3)
		got, want := s.Keys(), prev.Keys()
		if len(got) != 3 || got[0] != want[0] || got[1] != want[1] || got[2] != k3 {
			t.Fatalf("keys: got %p, want the previous k1 and k2 (%p) and the new k3 (%p)", got, want, k3)
		}
		src.cur.Store(s)
		verifyStep(t, v, rec, tok1, nil, true)
		verifyStep(t, v, rec, tok2, nil, true)
	})
	t.Run("removed-key-retired", func(t *testing.T) {
		v, rec, src, tok1, tok2 := setup(t)
		src.cur.Store(next(t, src.cur.Load(), fresh("k2", &rsaKey2.PublicKey)))
		verifyStep(t, v, rec, tok1, errKid, false)
		verifyStep(t, v, rec, tok2, nil, true)
	})
	t.Run("same-kid-new-material", func(t *testing.T) {
		v, rec, src, tok1, _ := setup(t)
		src.cur.Store(next(t, src.cur.Load(), fresh("k1", &rsaKey2.PublicKey), fresh("k2", &rsaKey2.PublicKey)))
		verifyStep(t, v, rec, tok1, errSig, false)
	})
	t.Run("no-keys-retires-all", func(t *testing.T) {
		v, rec, src, tok1, tok2 := setup(t)
		src.cur.Store(next(t, src.cur.Load()))
		verifyStep(t, v, rec, tok1, errKid, false)
		verifyStep(t, v, rec, tok2, errKid, false)
	})
	t.Run("refused-set-retires-nothing", func(t *testing.T) {
		v, rec, src, tok1, tok2 := setup(t)
		if _, err := verifier.NextKeySet(src.cur.Load(), fresh("k3", rsaPub()), fresh("k3", &rsaKey2.PublicKey)); err == nil {
			t.Fatal("NextKeySet with two RSA keys of one kid: got nil, want an error")
		}
		verifyStep(t, v, rec, tok1, nil, true)
		verifyStep(t, v, rec, tok2, nil, true)
	})
	t.Run("retired-key-not-carried-over", func(t *testing.T) {
		_, _, src, _, _ := setup(t)
		prev := src.cur.Load()
		next(t, prev) // retires k1 and k2
		k1 := fresh("k1", rsaPub())
		if got := next(t, prev, k1).Keys(); got[0] != k1 {
			t.Fatalf("k1: got %p, want the new key %p, not the retired one", got[0], k1)
		}
	})
	t.Run("keys-not-aliased", func(t *testing.T) {
		_, _, src, _, _ := setup(t)
		prev := src.cur.Load()
		keys := []*verifier.Key{fresh("k1", rsaPub())}
		next(t, prev, keys...)
		if keys[0] == prev.Keys()[0] {
			t.Fatal("NextKeySet wrote the carried-over key into the caller's slice")
		}
	})
}
