package redisstore

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
)

// digest names a key part by the SHA-256 of its parts, each preceded by
// its length, cut to 128 bits (32 hex digits): keys have a bounded size
// whatever the input (a jti, a subject, a URL), hold no identifier in
// clear text, and no two lists of parts share a digest (the lengths keep
// ("ab", "c") apart from ("a", "bc")).
func digest(parts ...string) string {
	h := sha256.New()
	var n [8]byte
	for _, p := range parts {
		binary.BigEndian.PutUint64(n[:], uint64(len(p)))
		h.Write(n[:])
		h.Write([]byte(p))
	}
	var sum [sha256.Size]byte
	return hex.EncodeToString(h.Sum(sum[:0])[:16])
}

// Keys. The part between braces is a Redis Cluster hash tag: the keys one
// script touches share it, so they are in one hash slot.

func (s *Store) tokenKeys(key string) (token, lock string) {
	base := s.prefix + "token:{" + digest(key) + "}"
	return base, base + ":lock"
}

func (s *Store) budgetKey(tenant, api, class string, hasClass bool) string {
	base := s.prefix + "budget:{" + digest(tenant, api) + "}"
	if !hasClass {
		return base
	}
	return base + ":" + digest(class)
}

func (s *Store) replayKey(key string) string { return s.prefix + "replay:" + digest(key) }

func (s *Store) revocationKeys(issuer, subject, sessionID string) (sub, sid string) {
	base := s.prefix + "revoked:{" + digest(issuer) + "}"
	if subject != "" {
		sub = base + ":sub:" + digest(subject)
	}
	if sessionID != "" {
		sid = base + ":sid:" + digest(sessionID)
	}
	return sub, sid
}
