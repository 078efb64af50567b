package dpop

import (
	"crypto/sha256"
	"hash/maphash"
	"sync/atomic"
	"unsafe"

	"github.com/tokengate/tokengate/internal/jose"
)

// A client signs every proof with one key under one header: the header
// segment of its proofs is the same bytes each time. The header cache maps that
// segment to its checked result (alg, key, thumbprint), so that a repeated
// header costs a hash and a comparison instead of base64 decoding, strict
// JSON parsing, the typ and alg checks, a key import, the key policy and a
// thumbprint. Only headers that passed every check are cached; the result
// is a function of the segment's exact bytes (canonical base64url) and of
// this Verifier's configuration, so a hit is what a parse would give.
//
// The hash cache does the same for ath: the SHA-256 of an access token the
// client presents on each of its requests.
//
// Both are direct-mapped (a fixed array of slots, a later entry replaces an
// earlier one in its slot): bounded, lock-free, and wrong only in the safe
// direction (a miss recomputes). Entries above maxCachedInput bytes are
// never cached, which bounds the memory: 2 × 256 × 4 KiB.
type caches struct {
	seed    maphash.Seed
	headers [cacheSlots]atomic.Pointer[headerEntry]
	hashes  [cacheSlots]atomic.Pointer[hashEntry]
}

const (
	cacheSlots     = 256
	maxCachedInput = 4 << 10
)

// proofHeader is a header that passed: its alg and key.
type proofHeader struct {
	alg jose.Alg
	key *proofKey
}

type headerEntry struct {
	seg string
	h   proofHeader
}

type hashEntry struct {
	token string
	sum   [sha256.Size]byte
}

func (c *caches) header(seg string) (proofHeader, bool) {
	if len(seg) > maxCachedInput {
		return proofHeader{}, false
	}
	if e := c.headers[maphash.String(c.seed, seg)%cacheSlots].Load(); e != nil && e.seg == seg {
		return e.h, true
	}
	return proofHeader{}, false
}

func (c *caches) putHeader(seg string, h proofHeader) {
	if len(seg) <= maxCachedInput {
		c.headers[maphash.String(c.seed, seg)%cacheSlots].Store(&headerEntry{seg: cloneString(seg), h: h})
	}
}

// tokenHash returns the SHA-256 of token.
func (c *caches) tokenHash(token string) [sha256.Size]byte {
	if len(token) > maxCachedInput {
		return sha256.Sum256(bytesOf(token))
	}
	slot := &c.hashes[maphash.String(c.seed, token)%cacheSlots]
	if e := slot.Load(); e != nil && e.token == token {
		return e.sum
	}
	e := &hashEntry{token: cloneString(token), sum: sha256.Sum256(bytesOf(token))}
	slot.Store(e)
	return e.sum
}

// cloneString copies s, so that a cache entry does not keep alive the
// request buffer s was cut from.
func cloneString(s string) string { return string(append([]byte(nil), s...)) }

// bytesOf views s as bytes without copying; the bytes are only read.
func bytesOf(s string) []byte { return unsafe.Slice(unsafe.StringData(s), len(s)) }
