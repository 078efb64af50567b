package redisstore

import (
	"context"
	"errors"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/tokengate/tokengate/dpop"
)

// ReplayConfig configures Store.Replay. The zero value is the default.
type ReplayConfig struct {
	// OnError is what Add does when Redis cannot be reached: FailClosed
	// (default) refuses the proof (dpop answers 503 with Retry-After,
	// ErrStoreUnavailable); FallBack records it in a dpop.MemoryStore of
	// this process, so that a proof replayed on another replica passes once
	// there during the outage.
	OnError Policy
	// Local configures the MemoryStore of FallBack.
	Local dpop.MemoryConfig
}

// Replay is the dpop.ReplayStore on Redis: SET key NX PX ttl, one round
// trip, atomic across the fleet; the key is "{prefix}replay:" and a 128-bit
// digest of dpop's key. Records are never dropped before they expire, given
// a Redis that does not evict (see Store.Check).
type Replay struct {
	s      *Store
	policy Policy
	local  *dpop.MemoryStore // FallBack only
}

var _ dpop.ReplayStore = (*Replay)(nil)

// Replay returns the replay store of s.
func (s *Store) Replay(cfg ReplayConfig) (*Replay, error) {
	p, err := cfg.OnError.resolve(FailClosed)
	if err != nil {
		return nil, err
	}
	r := &Replay{s: s, policy: p}
	if p == FallBack {
		if r.local, err = dpop.NewMemoryStore(cfg.Local); err != nil {
			return nil, err
		}
	}
	return r, nil
}

// Add implements dpop.ReplayStore. The time to live is expires less now on
// this replica's clock (at least 1 ms), so Redis's clock does not matter.
func (r *Replay) Add(ctx context.Context, key string, expires time.Time) error {
	ttl := max(expires.Sub(r.s.now()), time.Millisecond)
	k := r.s.replayKey(key)
	var added bool
	err := r.s.do(ctx, StoreReplay, "add", func(ctx context.Context) error {
		var err error
		added, err = r.s.rdb.SetNX(ctx, k, "1", ttl).Result()
		if errors.Is(err, redis.Nil) {
			return nil
		}
		return err
	})
	switch {
	case err == nil && added:
		return nil
	case err == nil:
		return dpop.ErrReplay
	case r.policy == FallBack && ctx.Err() == nil:
		r.s.fellBack(ctx, StoreReplay, "add", err)
		return r.local.Add(ctx, key, expires)
	}
	return err
}
