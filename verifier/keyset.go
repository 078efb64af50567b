package verifier

import (
	"context"
	"errors"
	"fmt"

	"github.com/tokengate/tokengate/internal/jose"
)

// KeySource gives the verifier its keys. Key returns the key with the given
// kid that accepts alg; kid is "" when the token has none. It returns an
// error wrapping ErrKeyNotFound when no key matches and ErrKeysUnavailable
// when the source has no keys to offer at all (for example a JWKS endpoint
// that never answered). A source may block to refresh its keys, but must
// give up when ctx ends.
//
// Implementations: *KeySet (static), Secret, *jwks.Set and *jwks.Cache.
type KeySource interface {
	Key(ctx context.Context, kid, alg string) (*Key, error)
}

// KeySet is an immutable set of keys, looked up by kid and algorithm without
// locks or allocations. It is the static KeySource, and the snapshot that
// remote key sets publish.
type KeySet struct {
	byID map[string][]*Key
	all  []*Key
}

// MaxKeys bounds a key set (SECURITY.md J6): NewKeySet refuses more keys,
// and jwks refuses a JWKS document with more entries before it parses any.
const MaxKeys = 100

// NewKeySet returns a set of at most MaxKeys keys. It refuses two keys with
// the same kid and the same family (RFC 7517 section 4.5 allows a shared kid
// only across key types), and a set mixing HMAC secrets with public keys.
func NewKeySet(keys ...*Key) (*KeySet, error) {
	if len(keys) > MaxKeys {
		return nil, keyError("%d keys; at most %d", len(keys), MaxKeys)
	}
	s := &KeySet{byID: make(map[string][]*Key, len(keys))}
	var sym, asym bool
	for _, k := range keys {
		if k == nil {
			return nil, errors.New("verifier: nil key in key set")
		}
		if k.Symmetric() {
			sym = true
		} else {
			asym = true
		}
		for _, o := range s.byID[k.id] {
			if o.alg.Family() == k.alg.Family() {
				return nil, keyError("two %s keys share the kid %q", familyName(k.alg.Family()), k.id)
			}
		}
		s.byID[k.id] = append(s.byID[k.id], k)
		s.all = append(s.all, k)
	}
	if sym && asym {
		return nil, keyError("a key set mixes HMAC secrets and public keys")
	}
	return s, nil
}

func familyName(f jose.Family) string {
	switch f {
	case jose.FamilyRSA:
		return "RSA"
	case jose.FamilyEC:
		return "EC"
	case jose.FamilyOKP:
		return "OKP"
	case jose.FamilyHMAC:
		return "HMAC"
	}
	return "unknown"
}

// Key implements KeySource. A token without kid is matched only when exactly
// one key of the set accepts alg (SECURITY.md KD6/KD7: never try several).
func (s *KeySet) Key(_ context.Context, kid, alg string) (*Key, error) {
	a, ok := jose.ParseAlg(alg)
	if !ok {
		return nil, ErrKeyNotFound
	}
	k := s.lookup(kid, a)
	if k == nil {
		return nil, ErrKeyNotFound
	}
	return k, nil
}

// lookup is Key with a parsed algorithm and without a context; nil when no
// key matches.
func (s *KeySet) lookup(kid string, a jose.Alg) *Key {
	if s == nil {
		return nil
	}
	if kid == "" {
		var found *Key
		for _, k := range s.all {
			if k.accepts(a) {
				if found != nil {
					return nil
				}
				found = k
			}
		}
		return found
	}
	for _, k := range s.byID[kid] {
		if k.accepts(a) {
			return k
		}
	}
	return nil
}

// Keys returns the keys of the set, in the order given.
func (s *KeySet) Keys() []*Key {
	if s == nil {
		return nil
	}
	return append([]*Key(nil), s.all...)
}

// Len returns the number of keys.
func (s *KeySet) Len() int {
	if s == nil {
		return 0
	}
	return len(s.all)
}

// Secret returns a KeySource holding one HS256 shared secret, for tokens
// with any kid or none. The secret must be at least 32 bytes, not one
// repeated byte, and not public-key text. Use SecretFor for HS384 and HS512.
func Secret(secret []byte) (KeySource, error) {
	return SecretFor("HS256", secret)
}

// SecretFor is Secret for a chosen HMAC algorithm (HS256, HS384 or HS512);
// the secret must be at least 32, 48 or 64 bytes long. The secret serves that
// algorithm only (SECURITY.md HM5).
func SecretFor(alg string, secret []byte) (KeySource, error) {
	a, ok := jose.ParseAlg(alg)
	if !ok || a.Family() != jose.FamilyHMAC {
		return nil, fmt.Errorf("%w: %q is not an HMAC algorithm", ErrKeyPolicy, alg)
	}
	k, err := NewKey("", alg, secret)
	if err != nil {
		return nil, err
	}
	return secretSource{k}, nil
}

type secretSource struct{ k *Key }

func (s secretSource) Key(_ context.Context, _ string, alg string) (*Key, error) {
	a, ok := jose.ParseAlg(alg)
	if !ok || !s.k.accepts(a) {
		return nil, ErrKeyNotFound
	}
	return s.k, nil
}
