package dpop

import (
	"context"
	"fmt"
	"hash/maphash"
	"sync"
	"time"
)

// DefaultMemoryEntries is the default bound of a MemoryStore: at about 50
// bytes an entry, some 50 MiB when full. Proofs stay in the store for about
// Config.Window after they were made (up to twice that), so with the default
// window of 60 s it holds about 17,000 proofs a second on one process.
const DefaultMemoryEntries = 1 << 20

// MemoryConfig configures NewMemoryStore. The zero value is the default.
type MemoryConfig struct {
	// MaxEntries is the most keys the store holds, exactly. Default
	// DefaultMemoryEntries. When it is full of unexpired keys, Add refuses
	// new ones with ErrStoreFull rather than forget one (fail closed).
	MaxEntries int
	// Now is the clock, which must be the Verifier's (New passes its own to
	// the store it makes). Default time.Now.
	Now func() time.Time
}

// MemoryStore is the default ReplayStore: in memory, for one process. Add
// costs O(1) amortized (a hash, one shard's lock, a map operation, and the
// removal of keys whose time has passed, each key once); it is safe for
// concurrent use; it holds at most MaxEntries keys and never removes a key
// before its expiry. A key is kept as a 128-bit keyed hash (two maphash
// seeds drawn per process), so entries have a fixed size whatever the
// key's length, and two keys are mistaken for one with probability 2^-128.
type MemoryStore struct {
	seed1, seed2 maphash.Seed
	now          func() time.Time
	shards       []memShard
}

type memKey [2]uint64

// memShard is one lock's part of the store. Keys are in m with their expiry
// (Unix nanoseconds, inclusive) and, for their removal, in the bucket of the
// second their expiry rounds up to; sweep drops the buckets whose second
// has passed.
type memShard struct {
	mu    sync.Mutex
	max   int
	m     map[memKey]int64
	wheel map[int64][]memKey
	swept int64 // buckets up to this second are gone
	_     [40]byte
}

// NewMemoryStore returns an empty store.
func NewMemoryStore(cfg MemoryConfig) (*MemoryStore, error) {
	if cfg.MaxEntries < 0 {
		return nil, configError("negative MaxEntries")
	}
	max := cfg.MaxEntries
	if max == 0 {
		max = DefaultMemoryEntries
	}
	n := 64
	if max < 64*64 {
		n = 1 // small stores: one shard, so that the bound is not split thin
	}
	s := &MemoryStore{seed1: maphash.MakeSeed(), seed2: maphash.MakeSeed(), now: cfg.Now, shards: make([]memShard, n)}
	if s.now == nil {
		s.now = time.Now
	}
	for i := range s.shards {
		sh := &s.shards[i]
		sh.max = max / n
		if i < max%n {
			sh.max++
		}
		sh.m = make(map[memKey]int64)
		sh.wheel = make(map[int64][]memKey)
	}
	return s, nil
}

// Add implements ReplayStore. A key whose expiry has already passed is
// not recorded.
func (s *MemoryStore) Add(ctx context.Context, key string, expires time.Time) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	k := memKey{maphash.String(s.seed1, key), maphash.String(s.seed2, key)}
	return s.add(k, s.now().UnixNano(), expires.UnixNano())
}

// addProof is Add(ctx, ReplayKey(jkt, jti), expires) at now, for the
// Verifier: the key is hashed in parts (maphash gives the same value as for
// the whole string), with no string built and no second clock read.
func (s *MemoryStore) addProof(ctx context.Context, jkt, jti string, now, expires time.Time) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	var h1, h2 maphash.Hash
	h1.SetSeed(s.seed1)
	h2.SetSeed(s.seed2)
	for _, h := range [...]*maphash.Hash{&h1, &h2} {
		h.WriteString(replayPrefix)
		h.WriteString(jkt)
		h.WriteByte(':')
		h.WriteString(jti)
	}
	return s.add(memKey{h1.Sum64(), h2.Sum64()}, now.UnixNano(), expires.UnixNano())
}

func (s *MemoryStore) add(k memKey, now, exp int64) error {
	if exp < now {
		return nil
	}
	sh := &s.shards[k[0]%uint64(len(s.shards))]
	sh.mu.Lock()
	defer sh.mu.Unlock()
	sh.sweep(now)
	e, found := sh.m[k]
	if found && e >= now {
		return ErrReplay
	}
	if !found && len(sh.m) >= sh.max {
		// Keys that expired during the current second are still held:
		// remove them before refusing.
		sh.sweepCurrent(now)
		if len(sh.m) >= sh.max {
			return ErrStoreFull
		}
	}
	sh.m[k] = exp
	b := ceilSecond(exp)
	sh.wheel[b] = append(sh.wheel[b], k)
	return nil
}

// Len returns the number of keys held, expired ones not yet removed
// included.
func (s *MemoryStore) Len() int {
	n := 0
	for i := range s.shards {
		sh := &s.shards[i]
		sh.mu.Lock()
		n += len(sh.m)
		sh.mu.Unlock()
	}
	return n
}

// String describes the store for logs.
func (s *MemoryStore) String() string {
	max := 0
	for i := range s.shards {
		max += s.shards[i].max
	}
	return fmt.Sprintf("dpop.MemoryStore(%d entries max)", max)
}

// sweep removes the keys whose expiry is before now: every bucket of a
// second that has wholly passed. It walks the seconds since the last sweep,
// or the buckets themselves when there are fewer of them (after a pause),
// so its cost is bounded by the keys it removes plus the buckets it visits.
func (sh *memShard) sweep(now int64) {
	sec := floorDiv(now-1, 1e9) // buckets b with b*1e9 < now
	if sec <= sh.swept {
		return
	}
	if sec-sh.swept > int64(len(sh.wheel)) {
		for b, keys := range sh.wheel {
			if b <= sec {
				sh.drop(keys, now)
				delete(sh.wheel, b)
			}
		}
	} else {
		for b := sh.swept + 1; b <= sec; b++ {
			if keys, ok := sh.wheel[b]; ok {
				sh.drop(keys, now)
				delete(sh.wheel, b)
			}
		}
	}
	sh.swept = sec
}

// sweepCurrent removes the keys of the bucket of the current second that
// have expired, keeping the others in it. Only a full shard needs it.
func (sh *memShard) sweepCurrent(now int64) {
	b := ceilSecond(now)
	keys := sh.wheel[b]
	kept := keys[:0]
	for _, k := range keys {
		if e, ok := sh.m[k]; ok && e < now {
			delete(sh.m, k)
			continue
		}
		kept = append(kept, k)
	}
	if len(kept) == 0 {
		delete(sh.wheel, b)
	} else {
		sh.wheel[b] = kept
	}
}

// drop removes keys that expired before now. A key recorded again after
// it expired is in a later bucket too, with a later expiry, and stays.
func (sh *memShard) drop(keys []memKey, now int64) {
	for _, k := range keys {
		if e, ok := sh.m[k]; ok && e < now {
			delete(sh.m, k)
		}
	}
}

func ceilSecond(ns int64) int64 { return -floorDiv(-ns, 1e9) }

func floorDiv(a, b int64) int64 {
	q := a / b
	if (a%b != 0) && (a < 0) != (b < 0) {
		q--
	}
	return q
}
