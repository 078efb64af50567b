package jose

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/hmac"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/sha512"
	"hash"
	"sync"
	"unsafe"
)

// The PSS salt length is pinned to the hash size (RFC 7518 section 3.5);
// rsa.PSSSaltLengthAuto would accept signatures with other salt lengths.
var (
	pss256 = &rsa.PSSOptions{SaltLength: 32, Hash: crypto.SHA256}
	pss384 = &rsa.PSSOptions{SaltLength: 48, Hash: crypto.SHA384}
	pss512 = &rsa.PSSOptions{SaltLength: 64, Hash: crypto.SHA512}
)

// bytesOf views s as a byte slice without copying. The slice is only ever
// read (hashed), never written or retained.
func bytesOf(s string) []byte {
	return unsafe.Slice(unsafe.StringData(s), len(s))
}

// VerifyRSA checks an RS* or PS* signature over input.
func VerifyRSA(alg Alg, pub *rsa.PublicKey, input string, sig []byte) bool {
	if pub == nil || len(sig) != pub.Size() {
		return false
	}
	msg := bytesOf(input)
	switch alg {
	case RS256:
		d := sha256.Sum256(msg)
		return rsa.VerifyPKCS1v15(pub, crypto.SHA256, d[:], sig) == nil
	case RS384:
		d := sha512.Sum384(msg)
		return rsa.VerifyPKCS1v15(pub, crypto.SHA384, d[:], sig) == nil
	case RS512:
		d := sha512.Sum512(msg)
		return rsa.VerifyPKCS1v15(pub, crypto.SHA512, d[:], sig) == nil
	case PS256:
		d := sha256.Sum256(msg)
		return rsa.VerifyPSS(pub, crypto.SHA256, d[:], sig, pss256) == nil
	case PS384:
		d := sha512.Sum384(msg)
		return rsa.VerifyPSS(pub, crypto.SHA384, d[:], sig, pss384) == nil
	case PS512:
		d := sha512.Sum512(msg)
		return rsa.VerifyPSS(pub, crypto.SHA512, d[:], sig, pss512) == nil
	}
	return false
}

// ECSize is the byte length of one coordinate (and of R and of S) for the
// ES* algorithms.
func ECSize(alg Alg) int {
	switch alg {
	case ES256:
		return 32
	case ES384:
		return 48
	case ES512:
		return 66
	}
	return 0
}

// VerifyEC checks an ES* signature: exactly R||S, each of the curve's
// coordinate size (RFC 7518 section 3.4), both in [1, n-1]. The curve of the
// key must already have been matched to alg.
func VerifyEC(alg Alg, pub *ecdsa.PublicKey, input string, sig []byte) bool {
	size := ECSize(alg)
	if pub == nil || size == 0 || len(sig) != 2*size {
		return false
	}
	var digest []byte
	msg := bytesOf(input)
	switch alg {
	case ES256:
		d := sha256.Sum256(msg)
		digest = d[:]
	case ES384:
		d := sha512.Sum384(msg)
		digest = d[:]
	case ES512:
		d := sha512.Sum512(msg)
		digest = d[:]
	}
	// Re-encode R||S as the DER SEQUENCE that VerifyASN1 takes; this avoids
	// two big.Int allocations per verification. Zero values are rejected here;
	// values >= n are rejected by crypto/ecdsa. The buffer comes from a pool
	// because crypto/ecdsa lets it escape.
	buf := derPool.Get().(*[derMax]byte)
	defer derPool.Put(buf)
	der, ok := derSignature(buf[:0], sig[:size], sig[size:])
	if !ok {
		return false
	}
	return ecdsa.VerifyASN1(pub, digest, der)
}

// derMax is the largest DER ECDSA signature we build: P-521 R and S of 66
// bytes, each with a possible leading zero, plus the headers.
const derMax = 2*67 + 8

var derPool = sync.Pool{New: func() any { return new([derMax]byte) }}

func derSignature(dst, r, s []byte) ([]byte, bool) {
	r = trimZeros(r)
	s = trimZeros(s)
	if len(r) == 0 || len(s) == 0 {
		return nil, false
	}
	rl, sl := intLen(r), intLen(s)
	body := 2 + rl + 2 + sl
	dst = append(dst, 0x30)
	if body >= 0x80 {
		dst = append(dst, 0x81)
	}
	dst = append(dst, byte(body))
	dst = appendInt(dst, r, rl)
	dst = appendInt(dst, s, sl)
	return dst, true
}

func trimZeros(b []byte) []byte {
	for len(b) > 0 && b[0] == 0 {
		b = b[1:]
	}
	return b
}

func intLen(b []byte) int {
	if b[0]&0x80 != 0 {
		return len(b) + 1
	}
	return len(b)
}

func appendInt(dst, b []byte, n int) []byte {
	dst = append(dst, 0x02, byte(n))
	if n > len(b) {
		dst = append(dst, 0)
	}
	return append(dst, b...)
}

// VerifyEd25519 checks an Ed25519 signature (RFC 8032: S < L is enforced by
// crypto/ed25519).
func VerifyEd25519(pub ed25519.PublicKey, input string, sig []byte) bool {
	if len(pub) != ed25519.PublicKeySize || len(sig) != ed25519.SignatureSize {
		return false
	}
	return ed25519.Verify(pub, bytesOf(input), sig)
}

// HMACKey is a shared secret bound to one HS* algorithm. It keeps a pool of
// keyed MAC states so that a verification does not re-derive the padded keys.
type HMACKey struct {
	alg  Alg
	pool sync.Pool
}

// NewHMACKey binds secret to alg. The caller has applied the key policy.
func NewHMACKey(alg Alg, secret []byte) *HMACKey {
	var h func() hash.Hash
	switch alg {
	case HS256:
		h = sha256.New
	case HS384:
		h = sha512.New384
	case HS512:
		h = sha512.New
	default:
		return nil
	}
	k := append([]byte(nil), secret...)
	hk := &HMACKey{alg: alg}
	hk.pool.New = func() any { return &macState{h: hmac.New(h, k)} }
	return hk
}

// macState is a keyed MAC with room for its sum, so that Sum does not
// allocate (a buffer on the stack would escape through the hash.Hash call).
type macState struct {
	h   hash.Hash
	sum [64]byte
}

// Verify checks sig, in constant time, against the MAC of input.
func (k *HMACKey) Verify(input string, sig []byte) bool {
	if len(sig) != k.alg.HashSize() {
		return false
	}
	m := k.pool.Get().(*macState)
	m.h.Reset()
	m.h.Write(bytesOf(input))
	ok := hmac.Equal(m.h.Sum(m.sum[:0]), sig)
	k.pool.Put(m)
	return ok
}

// Sign returns the MAC of input; used by tests and by authtest-like minting
// code inside this module only through the public Key API.
func (k *HMACKey) Sign(input []byte) []byte {
	m := k.pool.Get().(*macState)
	m.h.Reset()
	m.h.Write(input)
	out := m.h.Sum(nil)
	k.pool.Put(m)
	return out
}
