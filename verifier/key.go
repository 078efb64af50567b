package verifier

import (
	"bytes"
	"crypto"
	"crypto/ecdh"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rsa"
	"crypto/subtle"
	"errors"
	"fmt"
	"sync/atomic"

	"github.com/tokengate/tokengate/internal/jose"
)

// Key is a verification key bound to exactly one algorithm (RFC 8725
// section 3.1): an RSA, EC or Ed25519 public key, or an HMAC secret. Keys are
// made with NewKey, which applies the key policy; a Key never changes
// afterwards, except that NextKeySet retires it when a key source's next
// set drops it.
type Key struct {
	id     string
	alg    jose.Alg
	pub    crypto.PublicKey // *rsa.PublicKey, *ecdsa.PublicKey, ed25519.PublicKey; nil for secrets
	secret *jose.HMACKey
	raw    []byte // the secret, kept only for equal

	// withdrawn is set by retire: the verified-token cache no longer
	// answers for the tokens the key verified.
	withdrawn atomic.Bool
}

// Key policy bounds.
const (
	minRSABits = 2048
	maxRSABits = 8192 // CPU bound per verification (R5)
	minRSAExp  = 1<<16 + 1
	maxRSAExp  = 1<<31 - 1
	maxKeyID   = 256
)

// Errors of key construction. They are configuration errors, not token
// errors, so they are plain errors wrapping ErrKeyPolicy.
var ErrKeyPolicy = errors.New("verifier: key refused by policy")

func keyError(format string, a ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrKeyPolicy}, a...)...)
}

// NewKey binds key to the algorithm alg under the identifier kid (which may
// be empty). key is a *rsa.PublicKey, *ecdsa.PublicKey, ed25519.PublicKey or,
// for HS256/384/512, a []byte secret.
//
// Policy: RSA moduli of 2048 to 8192 bits, odd, with an odd public exponent
// in (2^16, 2^31-1], and no ROCA fingerprint; EC points on the curve that alg
// names (P-256 for ES256, P-384 for ES384, P-521 for ES512); Ed25519 keys of
// 32 bytes that are not of small order, for "EdDSA" or "Ed25519"; HMAC
// secrets at least as long as the hash, not all one byte, and not public-key
// text (PEM, JWK or SSH). Private keys are refused: use their public half.
func NewKey(kid, alg string, key any) (*Key, error) {
	a, ok := jose.ParseAlg(alg)
	if !ok {
		return nil, keyError("unsupported algorithm %q", alg)
	}
	if len(kid) > maxKeyID {
		return nil, keyError("kid longer than %d bytes", maxKeyID)
	}
	k := &Key{id: kid, alg: a}
	switch pub := key.(type) {
	case *rsa.PublicKey:
		if a.Family() != jose.FamilyRSA {
			return nil, keyError("RSA key cannot be used with %s", alg)
		}
		if err := checkRSA(pub); err != nil {
			return nil, err
		}
		k.pub = pub
	case *ecdsa.PublicKey:
		if a.Family() != jose.FamilyEC {
			return nil, keyError("EC key cannot be used with %s", alg)
		}
		if err := checkEC(a, pub); err != nil {
			return nil, err
		}
		k.pub = pub
	case ed25519.PublicKey:
		if a.Family() != jose.FamilyOKP {
			return nil, keyError("Ed25519 key cannot be used with %s", alg)
		}
		if err := checkEd25519(pub); err != nil {
			return nil, err
		}
		k.pub = ed25519.PublicKey(bytes.Clone(pub))
	case []byte:
		if a.Family() != jose.FamilyHMAC {
			return nil, keyError("a secret cannot be used with %s", alg)
		}
		if err := checkSecret(a, pub); err != nil {
			return nil, err
		}
		k.raw = bytes.Clone(pub)
		k.secret = jose.NewHMACKey(a, pub)
	case *rsa.PrivateKey, *ecdsa.PrivateKey, ed25519.PrivateKey:
		return nil, keyError("private key given; pass its public key")
	default:
		return nil, keyError("unsupported key type %T", key)
	}
	return k, nil
}

// ID returns the key identifier (kid).
func (k *Key) ID() string { return k.id }

// Algorithm returns the one algorithm the key is bound to.
func (k *Key) Algorithm() string { return k.alg.String() }

// Public returns the public key, or nil for an HMAC secret.
func (k *Key) Public() crypto.PublicKey { return k.pub }

// Symmetric reports whether k is an HMAC secret.
func (k *Key) Symmetric() bool { return k.secret != nil }

// retire marks k as withdrawn by its key source: tokens it verified stop
// being served from the verified-token cache at once. It cannot be undone.
func (k *Key) retire() { k.withdrawn.Store(true) }

// retired reports whether retire was called.
func (k *Key) retired() bool { return k.withdrawn.Load() }

// equal reports whether k and o have the same kid, algorithm and key
// material (a secret compared in constant time), so that NextKeySet can
// carry a key over from one set to the next.
func (k *Key) equal(o *Key) bool {
	if k == nil || o == nil {
		return k == o
	}
	if k.id != o.id || k.alg != o.alg {
		return false
	}
	if k.secret != nil || o.secret != nil {
		return k.secret != nil && o.secret != nil && subtle.ConstantTimeCompare(k.raw, o.raw) == 1
	}
	type equaler interface{ Equal(crypto.PublicKey) bool }
	e, ok := k.pub.(equaler)
	return ok && e.Equal(o.pub)
}

// accepts reports whether a token whose header names a may be verified with
// k. EdDSA and Ed25519 are two names of one algorithm for an Ed25519 key
// (RFC 9864); every other algorithm must match exactly.
func (k *Key) accepts(a jose.Alg) bool {
	if a == k.alg {
		return true
	}
	return k.alg.Family() == jose.FamilyOKP && a.Family() == jose.FamilyOKP
}

// verify checks sig over input with k under alg a (already matched).
func (k *Key) verify(a jose.Alg, input string, sig []byte) bool {
	switch pub := k.pub.(type) {
	case *rsa.PublicKey:
		return jose.VerifyRSA(a, pub, input, sig)
	case *ecdsa.PublicKey:
		return jose.VerifyEC(a, pub, input, sig)
	case ed25519.PublicKey:
		return jose.VerifyEd25519(pub, input, sig)
	}
	if k.secret != nil {
		return k.secret.Verify(input, sig)
	}
	return false
}

func checkRSA(pub *rsa.PublicKey) error {
	if pub == nil || pub.N == nil || pub.N.Sign() <= 0 {
		return keyError("RSA modulus missing")
	}
	bits := pub.N.BitLen()
	if bits < minRSABits || bits > maxRSABits {
		return keyError("RSA modulus of %d bits; want %d to %d", bits, minRSABits, maxRSABits)
	}
	if pub.N.Bit(0) == 0 {
		return keyError("RSA modulus is even")
	}
	if pub.E < minRSAExp || pub.E > maxRSAExp || pub.E%2 == 0 {
		return keyError("RSA public exponent %d; want an odd value in (2^16, 2^31-1]", pub.E)
	}
	if rocaFingerprint(pub.N) {
		return keyError("RSA modulus has the ROCA fingerprint (CVE-2017-15361)")
	}
	return nil
}

func checkEC(a jose.Alg, pub *ecdsa.PublicKey) error {
	var want elliptic.Curve
	var ec ecdh.Curve
	switch a {
	case jose.ES256:
		want, ec = elliptic.P256(), ecdh.P256()
	case jose.ES384:
		want, ec = elliptic.P384(), ecdh.P384()
	case jose.ES512:
		want, ec = elliptic.P521(), ecdh.P521()
	}
	//lint:ignore SA1019 the nil check on X/Y guards (*ecdsa.PublicKey).Bytes, which panics on a nil coordinate; no other API can tell
	if pub == nil || pub.X == nil || pub.Y == nil {
		return keyError("EC point missing") // (*ecdsa.PublicKey).Bytes would panic
	}
	if pub.Curve == nil || pub.Curve != want {
		return keyError("EC key is not on the curve %s requires", a)
	}
	// crypto/ecdh refuses points off the curve, the point at infinity and
	// coordinates >= p (the CVE-2022-23806 class).
	enc, err := pub.Bytes()
	if err != nil {
		return keyError("EC point invalid: %v", err)
	}
	if _, err := ec.NewPublicKey(enc); err != nil {
		return keyError("EC point invalid: %v", err)
	}
	return nil
}

func checkEd25519(pub ed25519.PublicKey) error {
	if len(pub) != ed25519.PublicKeySize {
		return keyError("Ed25519 key of %d bytes; want 32", len(pub))
	}
	if smallOrderEd25519(pub) {
		return keyError("Ed25519 key of small order")
	}
	return nil
}

func checkSecret(a jose.Alg, s []byte) error {
	if len(s) < a.HashSize() {
		return keyError("%s secret of %d bytes; want at least %d", a, len(s), a.HashSize())
	}
	same := true
	for _, b := range s[1:] {
		if b != s[0] {
			same = false
			break
		}
	}
	if same {
		return keyError("%s secret is one repeated byte", a)
	}
	if publicKeyText(s) {
		return keyError("%s secret looks like public key text", a)
	}
	return nil
}

// publicKeyText reports whether s looks like public-key material: a PEM
// block anywhere (openssl writes "Bag Attributes" lines before it, editors
// a byte order mark), a JWK or JWK Set however it is laid out (a "kty"
// member anywhere), any JSON object, or an OpenSSH public key. Such a
// "secret" is public; refusing it prevents a self-inflicted key confusion
// (SECURITY.md HM4, KC1, X5). Random secrets, and their base64 or hex
// text, contain none of these.
func publicKeyText(s []byte) bool {
	if bytes.Contains(s, []byte("-----BEGIN")) || bytes.Contains(s, []byte(`"kty"`)) {
		return true
	}
	t := bytes.TrimSpace(bytes.TrimPrefix(bytes.TrimSpace(s), []byte("\ufeff")))
	if rest, ok := bytes.CutPrefix(t, []byte("{")); ok && bytes.HasPrefix(bytes.TrimLeft(rest, " \t\r\n"), []byte(`"`)) {
		return true
	}
	return bytes.HasPrefix(t, []byte("ssh-")) || bytes.HasPrefix(t, []byte("ecdsa-sha2-"))
}
