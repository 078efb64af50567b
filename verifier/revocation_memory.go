package verifier

import (
	"context"
	"sync"
	"time"
)

// Defaults of MemoryRevocationConfig.
const (
	// DefaultRevocationEntries bounds a MemoryRevocationSet: some 100 bytes
	// an entry plus its strings.
	DefaultRevocationEntries = 1 << 16
	// DefaultMaxTokenLifetime is how long an entry is kept after its
	// Before: Auth0's default access-token lifetime (24 h).
	DefaultMaxTokenLifetime = 24 * time.Hour
)

// MemoryRevocationConfig configures NewMemoryRevocationSet. The zero value
// is the default.
type MemoryRevocationConfig struct {
	// MaxEntries is the most revocations held; default
	// DefaultRevocationEntries. A full set refuses new revocations with
	// ErrRevocationSetFull (the caller, a back-channel logout endpoint,
	// answers 5xx and the sender retries) rather than forget one.
	MaxEntries int
	// MaxTokenLifetime is the longest lifetime of the tokens the set
	// refuses (the API's token expiration setting); an entry is kept until
	// its Before plus this, and no longer. Default
	// DefaultMaxTokenLifetime. Shorter than the tokens' lifetime, a revoked
	// token would pass again before it expires.
	MaxTokenLifetime time.Duration
	// Now is the clock; default time.Now.
	Now func() time.Time
}

// MemoryRevocationSet is the in-process RevocationSet: for one process (a
// fleet of replicas needs a shared one). Lookups and revocations cost a map
// operation under a lock; expired entries are dropped as they are met and,
// when the set is full, in one pass. It is safe for concurrent use.
type MemoryRevocationSet struct {
	max      int
	lifetime time.Duration
	now      func() time.Time

	mu sync.Mutex
	m  map[revocationKey]revocationEntry
}

// revocationKey is a struct, not a joined string, so that no issuer and
// subject pair can collide with another.
type revocationKey struct {
	session bool // id is a sid, else a subject
	issuer  string
	id      string
}

type revocationEntry struct {
	before  time.Time
	expires time.Time
}

// NewMemoryRevocationSet returns an empty set.
func NewMemoryRevocationSet(cfg MemoryRevocationConfig) (*MemoryRevocationSet, error) {
	if cfg.MaxEntries < 0 || cfg.MaxTokenLifetime < 0 {
		return nil, configError("negative MaxEntries or MaxTokenLifetime")
	}
	s := &MemoryRevocationSet{max: cfg.MaxEntries, lifetime: cfg.MaxTokenLifetime, now: cfg.Now,
		m: make(map[revocationKey]revocationEntry)}
	if s.max == 0 {
		s.max = DefaultRevocationEntries
	}
	if s.lifetime == 0 {
		s.lifetime = DefaultMaxTokenLifetime
	}
	if s.now == nil {
		s.now = time.Now
	}
	return s, nil
}

// RevokedBefore implements RevocationSet.
func (s *MemoryRevocationSet) RevokedBefore(_ context.Context, issuer, subject, sessionID string) (time.Time, error) {
	now := s.now()
	s.mu.Lock()
	defer s.mu.Unlock()
	before := s.lookup(revocationKey{issuer: issuer, id: subject}, now)
	if sessionID != "" {
		if b := s.lookup(revocationKey{session: true, issuer: issuer, id: sessionID}, now); b.After(before) {
			before = b
		}
	}
	return before, nil
}

func (s *MemoryRevocationSet) lookup(k revocationKey, now time.Time) time.Time {
	e, ok := s.m[k]
	if !ok {
		return time.Time{}
	}
	if !now.Before(e.expires) {
		delete(s.m, k)
		return time.Time{}
	}
	return e.before
}

// Revoke implements RevocationSet.
func (s *MemoryRevocationSet) Revoke(_ context.Context, r Revocation) error {
	now := s.now()
	if err := r.Check(now); err != nil {
		return err
	}
	k := revocationKey{issuer: r.Issuer, id: r.Subject}
	if r.SessionID != "" {
		k = revocationKey{session: true, issuer: r.Issuer, id: r.SessionID}
	}
	e := revocationEntry{before: r.Before, expires: r.Before.Add(s.lifetime)}
	if !now.Before(e.expires) {
		return nil // every token it would refuse has expired
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	old, ok := s.m[k]
	if ok && now.Before(old.expires) {
		if old.before.Before(e.before) {
			s.m[k] = e
		}
		return nil
	}
	if !ok && len(s.m) >= s.max {
		s.sweep(now)
		if len(s.m) >= s.max {
			return ErrRevocationSetFull
		}
	}
	s.m[k] = e
	return nil
}

// sweep drops the expired entries (the set is full: one pass, paid only by
// a revocation that finds it so).
func (s *MemoryRevocationSet) sweep(now time.Time) {
	for k, e := range s.m {
		if !now.Before(e.expires) {
			delete(s.m, k)
		}
	}
}

// Len returns the number of entries held, expired ones not yet dropped
// included.
func (s *MemoryRevocationSet) Len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.m)
}
