package dpop

import (
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/binary"
	"sync/atomic"
	"time"
)

// nonceSource issues and checks stateless server nonces: the nonce of time
// slot n (n = Unix time / lifetime) is base64url(HMAC-SHA256(secret,
// label || n))[:16 bytes]. Nothing is stored: any replica with the same
// secret computes the same nonces. A proof's nonce passes when it is the
// nonce of the current slot, the one before (issued at most two lifetimes
// ago) or the one after (a replica whose clock runs up to one slot ahead).
type nonceSource struct {
	key      []byte
	lifetime int64 // nanoseconds
	slot     atomic.Pointer[nonceSlot]
}

// nonceSlot holds the nonces around one slot, computed once per slot.
type nonceSlot struct {
	n               int64
	prev, cur, next string
}

const nonceLabel = "tokengate dpop nonce v1\x00"

func newNonceSource(secret []byte, lifetime time.Duration) *nonceSource {
	return &nonceSource{key: append([]byte(nil), secret...), lifetime: int64(lifetime)}
}

func (s *nonceSource) nonce(n int64) string {
	m := hmac.New(sha256.New, s.key)
	m.Write([]byte(nonceLabel))
	var b [8]byte
	binary.BigEndian.PutUint64(b[:], uint64(n))
	m.Write(b[:])
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil)[:16])
}

// at returns the nonces around now's slot, computing them when the slot
// changed (racing callers compute the same values).
func (s *nonceSource) at(now time.Time) *nonceSlot {
	n := now.UnixNano() / s.lifetime
	if now.UnixNano() < 0 {
		n-- // floor division before 1970, for a clock that says so
	}
	if sl := s.slot.Load(); sl != nil && sl.n == n {
		return sl
	}
	sl := &nonceSlot{n: n, prev: s.nonce(n - 1), cur: s.nonce(n), next: s.nonce(n + 1)}
	s.slot.Store(sl)
	return sl
}

func (s *nonceSource) current(now time.Time) string { return s.at(now).cur }

// check verifies a proof's nonce. next is the current nonce when the proof
// carried another accepted one (send it back: rotation).
func (s *nonceSource) check(nonce string, present bool, now time.Time) (next string, err error) {
	if !present || nonce == "" {
		return "", fail(ErrNonce, "nonce missing")
	}
	sl := s.at(now)
	switch {
	case equal(nonce, sl.cur):
		return "", nil
	case equal(nonce, sl.prev), equal(nonce, sl.next):
		return sl.cur, nil
	}
	return "", fail(ErrNonce, "nonce stale or wrong")
}

func equal(a, b string) bool { return subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1 }
