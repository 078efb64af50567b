package jwks

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/big"

	"github.com/lestrrat-go/jwx/v3/jwk"
	"github.com/tokengate/tokengate/internal/strictjson"
	"github.com/tokengate/tokengate/verifier"
)

// Bounds of a key set.
const (
	// DefaultMaxBodySize caps a JWKS document (Parse, and a Cache's
	// responses by default): 1 MiB.
	DefaultMaxBodySize = 1 << 20
	// maxRSABytes refuses moduli above 8192 bits before they become a
	// big.Int (verifier.NewKey enforces the same bound).
	maxRSABytes = 1024
	// reportLen cuts attacker-chosen strings kept in DroppedKey.
	reportLen = 64
)

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
// (SECURITY-CASES M7: symmetric keys never come from a URL).
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

// rawKey is one entry of "keys" as it stands in the document, and whether
// it repeats a member name (at any depth inside it).
type rawKey struct {
	raw json.RawMessage
	dup bool
}

// scanJWKS reads a JWKS document with the strict scanner of
// internal/strictjson and returns the entries of its "keys" array. It
// refuses the document for syntax, invalid UTF-8, depth, trailing data and
// duplicate member names outside those entries (D6); an entry that repeats
// a name is returned marked, so that only that key is dropped. Then it
// checks the structure: a non-empty "keys" array of at most verifier.MaxKeys
// entries.
func scanJWKS(data []byte) ([]rawKey, error) {
	s := strictjson.NewScanner(data)
	switch s.Peek() {
	case strictjson.Object:
	case strictjson.Invalid:
		return nil, jsonError(strictjson.ErrSyntax)
	default:
		return nil, setError("top level is not a JSON object")
	}
	if err := s.BeginObject(); err != nil {
		return nil, jsonError(err)
	}
	var (
		m       strictjson.Members
		list    []rawKey
		n       int // entries of "keys", also past verifier.MaxKeys
		hasKeys bool
		isArray bool
	)
	for {
		name, ok, err := s.NextMember(&m)
		if err != nil {
			return nil, jsonError(err)
		}
		if !ok {
			break
		}
		if string(name) != "keys" || s.Peek() != strictjson.Array {
			hasKeys = hasKeys || string(name) == "keys"
			if err := s.Skip(); err != nil {
				return nil, jsonError(err)
			}
			continue
		}
		hasKeys, isArray = true, true
		if err := s.BeginArray(); err != nil {
			return nil, jsonError(err)
		}
		for {
			more, err := s.NextElement()
			if err != nil {
				return nil, jsonError(err)
			}
			if !more {
				break
			}
			raw, err := s.SkipRaw()
			dup := errors.Is(err, strictjson.ErrDuplicate)
			if err != nil && !dup {
				return nil, jsonError(err)
			}
			// Count every entry, keep no more than the limit allows.
			if n++; n <= verifier.MaxKeys {
				list = append(list, rawKey{raw, dup})
			}
		}
	}
	if err := s.End(); err != nil {
		return nil, jsonError(err)
	}
	switch {
	case !hasKeys:
		return nil, setError(`no "keys" member`)
	case !isArray:
		return nil, setError(`"keys" is not an array`)
	case n == 0:
		return nil, setError(`"keys" is empty`)
	case n > verifier.MaxKeys:
		return nil, setError("%d keys; at most %d", n, verifier.MaxKeys)
	}
	return list, nil
}

// jsonError refuses a set that is not strict JSON.
func jsonError(err error) error {
	if errors.Is(err, strictjson.ErrDuplicate) {
		return setError("duplicate member name outside the keys")
	}
	return setError("%v", err)
}

// entry is one parsed element of "keys": its kid and kty (for reports and
// the duplicate-kid rule), and either a key or the reason it was dropped.
type entry struct {
	kid, kty string
	key      *verifier.Key
	reason   string
	private  bool
}

// Members that only private or symmetric keys have (RFC 7518 section 6).
var privateMembers = []string{"d", "p", "q", "dp", "dq", "qi", "oth", "k"}

// Members of the other key types; their presence makes a key ambiguous
// (SECURITY-CASES M4, "kty RSA with EC members").
var foreignMembers = map[string][]string{
	"RSA": {"crv", "x", "y"},
	"EC":  {"n", "e"},
	"OKP": {"n", "e", "y"},
	"oct": {"n", "e", "crv", "x", "y"},
}

func parseKey(raw json.RawMessage, dup, remote bool) (e entry) {
	if first(raw) != '{' {
		e.reason = "not a JSON object"
		return e
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil {
		e.reason = err.Error()
		return e
	}
	kid, _, kidErr := str(m, "kid")
	kty, hasKty, ktyErr := str(m, "kty")
	e.kid, e.kty = kid, kty
	switch {
	case dup:
		e.reason = "duplicate member names in the key"
	case ktyErr != nil:
		e.reason = ktyErr.Error()
	case !hasKty:
		e.reason = "kty missing"
	case kidErr != nil:
		e.reason = kidErr.Error()
	case foreignMembers[kty] == nil:
		e.reason = fmt.Sprintf("unsupported kty %s", quote(kty))
	}
	if e.reason != "" {
		return e
	}
	for _, name := range privateMembers {
		if _, ok := m[name]; ok && (name != "k" || kty != "oct") {
			e.reason, e.private = fmt.Sprintf("private key member %q present", name), true
			return e
		}
	}
	if kty == "oct" && remote {
		e.reason = "symmetric (oct) key from a URL"
		return e
	}
	key, err := buildKey(raw, m, kid, kty)
	if err != nil {
		e.reason = err.Error()
		return e
	}
	e.key = key
	return e
}

func buildKey(raw json.RawMessage, m map[string]json.RawMessage, kid, kty string) (*verifier.Key, error) {
	for _, name := range foreignMembers[kty] {
		if _, ok := m[name]; ok {
			return nil, fmt.Errorf("member %q does not belong to a %s key", name, kty)
		}
	}
	if err := checkUse(m); err != nil {
		return nil, err
	}
	crv, _, err := str(m, "crv")
	if err != nil {
		return nil, err
	}
	algName, hasAlg, err := str(m, "alg")
	if err != nil {
		return nil, err
	}
	alg, err := bindAlg(kty, crv, algName, hasAlg)
	if err != nil {
		return nil, err
	}
	var pub any
	switch kty {
	case "RSA":
		pub, err = rsaKey(m)
	case "EC":
		pub, err = ecKey(m, crv)
	case "OKP":
		var x []byte
		if x, err = b64Member(m, "x"); err == nil && len(x) != ed25519.PublicKeySize {
			err = fmt.Errorf("x is %d bytes; want %d", len(x), ed25519.PublicKeySize)
		}
		pub = ed25519.PublicKey(x)
	case "oct":
		pub, err = b64Member(m, "k")
	}
	if err != nil {
		return nil, err
	}
	if err := checkX509(m, pub); err != nil {
		return nil, err
	}
	if kty != "oct" {
		if err := crossCheck(raw, pub); err != nil {
			return nil, err
		}
	}
	return verifier.NewKey(kid, alg, pub)
}

// crossCheck has lestrrat-go/jwx/v3 build the same public key from the JWK
// and refuses the key unless both decoders agree. Our decoding above is the
// strict one (jwx v3 guesses among the four base64 variants and strips
// leading zero octets of n and e); the second opinion catches any parser
// differential between the two on the material that survives the policy.
func crossCheck(raw json.RawMessage, pub any) error {
	k, err := jwk.ParseKey(raw)
	if err != nil {
		return fmt.Errorf("key refused by jwx: %v", err)
	}
	var other any
	if err := jwk.Export(k, &other); err != nil {
		return fmt.Errorf("key refused by jwx: %v", err)
	}
	type equaler interface{ Equal(crypto.PublicKey) bool }
	if e, ok := pub.(equaler); !ok || !e.Equal(other) {
		return errors.New("key material differs between decoders")
	}
	return nil
}

// checkUse applies RFC 7517 sections 4.2 and 4.3 as a policy: use, when
// present, is "sig"; key_ops, when present, holds "verify", nothing but
// signature operations, and no duplicates.
func checkUse(m map[string]json.RawMessage) error {
	use, hasUse, err := str(m, "use")
	if err != nil {
		return err
	}
	if hasUse && use != "sig" {
		return fmt.Errorf("use %s is not sig", quote(use))
	}
	raw, ok := m["key_ops"]
	if !ok {
		return nil
	}
	if first(raw) != '[' {
		return errors.New("key_ops is not an array")
	}
	var ops []json.RawMessage
	if err := json.Unmarshal(raw, &ops); err != nil {
		return err
	}
	seen := make(map[string]bool, len(ops))
	for _, o := range ops {
		var op string
		if first(o) != '"' || json.Unmarshal(o, &op) != nil {
			return errors.New("key_ops holds a non-string")
		}
		if seen[op] {
			return fmt.Errorf("key_ops lists %s twice", quote(op))
		}
		seen[op] = true
		if op != "verify" && op != "sign" {
			return fmt.Errorf("key_ops %s is not a signature operation", quote(op))
		}
	}
	if !seen["verify"] {
		return errors.New("key_ops lacks verify")
	}
	return nil
}

// bindAlg returns the one algorithm the key is bound to.
func bindAlg(kty, crv, alg string, hasAlg bool) (string, error) {
	var allowed []string
	switch kty {
	case "RSA":
		allowed = []string{"RS256", "RS384", "RS512", "PS256", "PS384", "PS512"}
	case "EC":
		ca, ok := curveAlg[crv]
		if !ok {
			return "", fmt.Errorf("unsupported curve %s", quote(crv))
		}
		allowed = []string{ca}
	case "OKP":
		if crv != "Ed25519" {
			return "", fmt.Errorf("unsupported OKP curve %s", quote(crv))
		}
		allowed = []string{"EdDSA", "Ed25519"}
	case "oct":
		if !hasAlg {
			return "", errors.New("an oct key must name its alg")
		}
		allowed = []string{"HS256", "HS384", "HS512"}
	}
	if !hasAlg {
		return allowed[0], nil
	}
	for _, a := range allowed {
		if alg == a {
			return a, nil
		}
	}
	return "", fmt.Errorf("alg %s does not fit a %s key", quote(alg), kty+crvSuffix(crv))
}

func crvSuffix(crv string) string {
	if crv == "" {
		return ""
	}
	return " on " + cut(crv)
}

var curveAlg = map[string]string{"P-256": "ES256", "P-384": "ES384", "P-521": "ES512"}

func rsaKey(m map[string]json.RawMessage) (*rsa.PublicKey, error) {
	n, err := b64Member(m, "n")
	if err != nil {
		return nil, err
	}
	e, err := b64Member(m, "e")
	if err != nil {
		return nil, err
	}
	switch {
	case len(n) == 0 || len(e) == 0:
		return nil, errors.New("n or e is empty")
	case n[0] == 0 || e[0] == 0:
		return nil, errors.New("n or e has a leading zero octet (not minimal Base64urlUInt)")
	case len(n) > maxRSABytes:
		return nil, fmt.Errorf("n longer than %d bits", maxRSABytes*8)
	case len(e) > 4:
		return nil, errors.New("e longer than 4 octets")
	}
	var ev uint64
	for _, b := range e {
		ev = ev<<8 | uint64(b)
	}
	if ev > math.MaxInt32 {
		return nil, errors.New("e larger than 2^31-1")
	}
	return &rsa.PublicKey{N: new(big.Int).SetBytes(n), E: int(ev)}, nil
}

func ecKey(m map[string]json.RawMessage, crv string) (*ecdsa.PublicKey, error) {
	var curve elliptic.Curve
	switch crv {
	case "P-256":
		curve = elliptic.P256()
	case "P-384":
		curve = elliptic.P384()
	case "P-521":
		curve = elliptic.P521()
	}
	size := (curve.Params().BitSize + 7) / 8
	x, err := b64Member(m, "x")
	if err != nil {
		return nil, err
	}
	y, err := b64Member(m, "y")
	if err != nil {
		return nil, err
	}
	if len(x) != size || len(y) != size {
		return nil, fmt.Errorf("x and y are %d and %d bytes; want %d each", len(x), len(y), size)
	}
	pt := make([]byte, 0, 1+2*size)
	pt = append(append(append(pt, 4), x...), y...)
	// ParseUncompressedPublicKey refuses points off the curve, the point at
	// infinity and coordinates >= p (crypto/ecdh underneath).
	pub, err := ecdsa.ParseUncompressedPublicKey(curve, pt)
	if err != nil {
		return nil, fmt.Errorf("EC point refused: %v", err)
	}
	return pub, nil
}

// str returns the string member name; ok is false when it is absent, err
// set when it is present but not a string (null included).
func str(m map[string]json.RawMessage, name string) (s string, ok bool, err error) {
	raw, ok := m[name]
	if !ok {
		return "", false, nil
	}
	if first(raw) != '"' {
		return "", true, fmt.Errorf("%s is not a string", name)
	}
	if err := json.Unmarshal(raw, &s); err != nil {
		return "", true, err
	}
	return s, true, nil
}

// b64Member decodes a required base64url member canonically: only the
// URL alphabet (Go's decoder skips CR and LF), no padding, no non-zero
// trailing bits.
func b64Member(m map[string]json.RawMessage, name string) ([]byte, error) {
	s, ok, err := str(m, name)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, fmt.Errorf("%s missing", name)
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-' || c == '_') {
			return nil, fmt.Errorf("%s is not unpadded base64url", name)
		}
	}
	b, err := base64.RawURLEncoding.Strict().DecodeString(s)
	if err != nil {
		return nil, fmt.Errorf("%s is not canonical base64url", name)
	}
	return b, nil
}

// first returns the first byte of a JSON value, or 0.
func first(raw json.RawMessage) byte {
	for _, c := range raw {
		switch c {
		case ' ', '\t', '\n', '\r':
			continue
		}
		return c
	}
	return 0
}

// cut bounds an attacker-chosen string kept for reports.
func cut(s string) string {
	if len(s) > reportLen {
		return s[:reportLen]
	}
	return s
}

// quote escapes and bounds an attacker-chosen string for a message.
func quote(s string) string {
	if len(s) > reportLen {
		return fmt.Sprintf("%q...", s[:reportLen])
	}
	return fmt.Sprintf("%q", s)
}
