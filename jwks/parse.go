package jwks

import (
	"context"

	"github.com/tokengate/tokengate/verifier"
)

// DefaultMaxBodySize caps a JWKS document (Parse, and a Cache's responses
// by default): 1 MiB.
const DefaultMaxBodySize = 1 << 20

// Set is a static key set parsed from a JWKS document by Parse. It is
// immutable and implements verifier.KeySource.
type Set struct {
	keys    *verifier.KeySet
	dropped []DroppedKey
}

// DroppedKey describes an entry of a JWKS that was not used, and why.
type DroppedKey struct {
	// Index is the position in the "keys" array.
	Index int
	// Kid and Kty are the entry's kid and kty, cut to 64 bytes; "" when
	// absent or not strings.
	Kid, Kty string
	// Reason says why, without key material.
	Reason string
	// Private reports private key members (d, p, q, dp, dq, qi, oth, or k
	// outside an oct key): a publisher leaking its private key is a
	// security event (RFC 7517 section 9.2).
	Private bool
}

// Parse reads a JWKS document (RFC 7517 section 5) with tokengate's key
// policy and returns the keys it accepts as a static key set.
//
// The document must be strict JSON (UTF-8, no duplicate or case-folded
// duplicate member names at any depth, nothing after the object) with a
// non-empty "keys" array of at most verifier.MaxKeys (100) entries, and at
// most 1 MiB. Duplicate names inside one key drop that key; anywhere else
// they refuse the set.
//
// Each entry is kept only if it passes the key policy; otherwise it is
// skipped and reported by (*Set).Dropped, and the other keys are kept:
//   - kty is RSA, EC (crv P-256, P-384, P-521), OKP (crv Ed25519) or oct;
//     other kty values and curves are skipped;
//   - use, when present, is "sig"; key_ops, when present, holds "verify",
//     only signature operations, and no duplicates;
//   - alg, when present, fits the key (RS256..PS512 for RSA, the curve's
//     ES256/ES384/ES512 for EC, EdDSA or Ed25519 for OKP, HS256..HS512 for
//     oct) and the key is bound to exactly that algorithm. When absent, an
//     EC key gets its curve's algorithm, an OKP key EdDSA, and an RSA key
//     RS256 (what Auth0 and most providers sign with; publish alg to bind
//     an RSA key to PS256 or RS512). An oct key must name its alg;
//   - n and e are minimal base64url (no leading zero octet), EC x and y are
//     exactly the coordinate size, every base64url value is canonical and
//     unpadded, members of another key type are absent, and no private
//     member is present;
//   - x5c, x5t and x5t#S256, when present, agree with the key (RFC 7517
//     sections 4.7 to 4.9): x5c is a non-empty array of at most 10
//     standard-base64 (not base64url) DER certificates whose first holds
//     the key; x5t and x5t#S256 are the base64url SHA-1 and SHA-256 of
//     that certificate's DER (20 and 32 bytes even without x5c). The
//     chain is not verified: a key is trusted for its channel, never for
//     a certificate;
//   - verifier.NewKey accepts the key (RSA 2048 to 8192 bits, odd exponent
//     in (2^16, 2^31-1], no ROCA fingerprint; EC point on the curve;
//     Ed25519 not of small order; HMAC secret at least the hash size).
//
// The set is refused when no key is usable, when two entries of one kty
// share a kid (a kid may be shared across key types), and when it mixes oct
// and asymmetric keys. A static set is the application's own configuration,
// so it may hold oct keys; a Cache never takes them from a URL.
func Parse(data []byte) (*Set, error) {
	if len(data) > DefaultMaxBodySize {
		return nil, setError("document of %d bytes; at most %d", len(data), DefaultMaxBodySize)
	}
	p, err := parseSet(data, false)
	if err != nil {
		return nil, err
	}
	return &Set{keys: p.set, dropped: p.dropped}, nil
}

// Key implements verifier.KeySource.
func (s *Set) Key(ctx context.Context, kid, alg string) (*verifier.Key, error) {
	return s.keys.Key(ctx, kid, alg)
}

// Keys returns the accepted keys in document order.
func (s *Set) Keys() []*verifier.Key { return s.keys.Keys() }

// Len returns the number of accepted keys.
func (s *Set) Len() int { return s.keys.Len() }

// Dropped returns the entries that were skipped, in document order.
func (s *Set) Dropped() []DroppedKey { return append([]DroppedKey(nil), s.dropped...) }

// parsed is the result of parseSet.
type parsed struct {
	set     *verifier.KeySet
	keys    []*verifier.Key
	dropped []DroppedKey
}

// parseSet applies the document and key policy. remote drops oct keys
// (SECURITY.md M7: symmetric keys never come from a URL).
func parseSet(data []byte, remote bool) (*parsed, error) {
	list, err := scanJWKS(data)
	if err != nil {
		return nil, err
	}
	p := &parsed{}
	type typedKid struct{ kty, kid string }
	seen := make(map[typedKid]bool, len(list))
	for i, k := range list {
		e := parseKey(k.raw, k.dup, remote)
		switch e.kty {
		case "RSA", "EC", "OKP", "oct":
			// Two entries of one type with one kid are ambiguous even when
			// one of them is unusable: refuse rather than guess (J1).
			tk := typedKid{e.kty, e.kid}
			if seen[tk] {
				return nil, setError("two %s keys share the kid %s", e.kty, quote(e.kid))
			}
			seen[tk] = true
		}
		if e.reason != "" {
			p.dropped = append(p.dropped, DroppedKey{Index: i, Kid: cut(e.kid), Kty: cut(e.kty), Reason: e.reason, Private: e.private})
			continue
		}
		p.keys = append(p.keys, e.key)
	}
	if len(p.keys) == 0 {
		return nil, setError("no usable key among %d (first: %s)", len(list), p.dropped[0].Reason)
	}
	p.set, err = verifier.NewKeySet(p.keys...)
	if err != nil {
		return nil, setError("%v", err)
	}
	return p, nil
}
