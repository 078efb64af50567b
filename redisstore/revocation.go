package redisstore

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/tokengate/tokengate/verifier"
)

// RevocationConfig configures Store.Revocations. The zero value is the
// default.
type RevocationConfig struct {
	// MaxTokenLifetime is the longest lifetime of the tokens the set
	// refuses (the API's token expiration setting): an entry lives until
	// its Before plus this, and no longer. Default
	// verifier.DefaultMaxTokenLifetime (24 h). Shorter than the tokens'
	// lifetime, a revoked token would pass again before it expires.
	MaxTokenLifetime time.Duration
	// OnError is what RevokedBefore does when Redis cannot be reached:
	// FailClosed (default) returns an error (the verifier refuses the
	// token with ErrRevocationUnavailable: 503); FallBack answers from
	// the revocations made through this replica (Revoke records them here
	// too), missing those made through the others.
	OnError Policy
	// LocalEntries bounds the local copy (verifier.MemoryRevocationSet's
	// MaxEntries); default verifier.DefaultRevocationEntries.
	LocalEntries int
}

// Revocations is the verifier.RevocationSet on Redis: one key per revoked
// subject and per revoked session of an issuer, holding the revocation's
// Before (Unix microseconds), with a time to live until Before plus
// MaxTokenLifetime. A lookup is one round trip (a pipeline of GETs; the
// keys of one issuer share a hash slot); a revocation one script, which
// keeps the later of two Befores.
type Revocations struct {
	s        *Store
	lifetime time.Duration
	policy   Policy
	local    *verifier.MemoryRevocationSet
}

var _ verifier.RevocationSet = (*Revocations)(nil)

// Revocations returns the revocation set of s.
func (s *Store) Revocations(cfg RevocationConfig) (*Revocations, error) {
	p, err := cfg.OnError.resolve(FailClosed)
	if err != nil {
		return nil, err
	}
	if cfg.MaxTokenLifetime < 0 {
		return nil, fmt.Errorf("%w: negative MaxTokenLifetime", ErrConfig)
	}
	r := &Revocations{s: s, lifetime: cfg.MaxTokenLifetime, policy: p}
	if r.lifetime == 0 {
		r.lifetime = verifier.DefaultMaxTokenLifetime
	}
	r.local, err = verifier.NewMemoryRevocationSet(verifier.MemoryRevocationConfig{
		MaxEntries: cfg.LocalEntries, MaxTokenLifetime: r.lifetime, Now: s.now,
	})
	if err != nil {
		return nil, err
	}
	return r, nil
}

// revokeScript sets KEYS[1] to ARGV[1] for ARGV[2] ms unless it holds a
// later instant already (a value that is not a number is replaced).
var revokeScript = redis.NewScript(`
local old = tonumber(redis.call('GET', KEYS[1]))
if not old or old < tonumber(ARGV[1]) then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
end
return 1
`)

// Revoke implements verifier.RevocationSet. A revocation Redis did not
// take is an error whatever the Policy: its sender (a back-channel logout
// endpoint) must answer 5xx so that it is sent again. It is recorded in
// the local copy too.
func (r *Revocations) Revoke(ctx context.Context, rev verifier.Revocation) error {
	now := r.s.now()
	if err := rev.Check(now); err != nil {
		return err
	}
	ttl := rev.Before.Add(r.lifetime).Sub(now)
	if ttl <= 0 {
		return nil // every token it would refuse has expired
	}
	if err := r.local.Revoke(ctx, rev); err != nil && !errors.Is(err, verifier.ErrRevocationSetFull) {
		return err
	}
	sub, sid := r.s.revocationKeys(rev.Issuer, rev.Subject, rev.SessionID)
	key := sub
	if rev.SessionID != "" {
		key = sid
	}
	return r.s.do(ctx, StoreRevocation, "revoke", func(ctx context.Context) error {
		return revokeScript.Run(ctx, r.s.rdb, []string{key}, rev.Before.UnixMicro(), max(ttl.Milliseconds(), 1)).Err()
	})
}

// RevokedBefore implements verifier.RevocationSet. A stored value that is
// not a Unix time in microseconds between 1970 and 9999 is an error: the
// set cannot tell, and the token is refused.
func (r *Revocations) RevokedBefore(ctx context.Context, issuer, subject, sessionID string) (time.Time, error) {
	sub, sid := r.s.revocationKeys(issuer, subject, sessionID)
	keys := make([]string, 0, 2)
	if sub != "" {
		keys = append(keys, sub)
	}
	if sid != "" {
		keys = append(keys, sid)
	}
	if len(keys) == 0 {
		return time.Time{}, nil
	}
	// GETs in one pipeline (one round trip), not MGET: MGET reads a key of
	// another type as absent, GET refuses it.
	vals := make([]any, len(keys))
	err := r.s.do(ctx, StoreRevocation, "lookup", func(ctx context.Context) error {
		cmds, err := r.s.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
			for _, k := range keys {
				p.Get(ctx, k)
			}
			return nil
		})
		if err != nil && !errors.Is(err, redis.Nil) && len(cmds) != len(keys) {
			return err
		}
		for i, c := range cmds {
			v, err := c.(*redis.StringCmd).Result()
			switch {
			case err == nil:
				vals[i] = v
			case !errors.Is(err, redis.Nil): // an absent key is not revoked
				return err
			}
		}
		return nil
	})
	var before time.Time
	if err == nil {
		before, err = latest(vals, len(keys))
	}
	if err != nil {
		if r.policy == FallBack && ctx.Err() == nil {
			r.s.fellBack(ctx, StoreRevocation, "lookup", err)
			return r.local.RevokedBefore(ctx, issuer, subject, sessionID)
		}
		return time.Time{}, err
	}
	return before, nil
}

// maxUnixMicro is 9999-12-31T23:59:59Z in microseconds.
const maxUnixMicro = 253402300799 * 1_000_000

// latest reads the lookup's answer: the latest instant, zero for none.
func latest(vals []any, n int) (time.Time, error) {
	if len(vals) != n {
		return time.Time{}, fmt.Errorf("%w: the lookup answered %d values for %d keys", errAnswer, len(vals), n)
	}
	var best int64
	for _, v := range vals {
		if v == nil {
			continue
		}
		s, ok := v.(string)
		if !ok {
			return time.Time{}, fmt.Errorf("%w: a revocation is not a string", errAnswer)
		}
		us, err := strconv.ParseInt(s, 10, 64)
		if err != nil || us <= 0 || us > maxUnixMicro {
			return time.Time{}, fmt.Errorf("%w: a revocation is not a time", errAnswer)
		}
		best = max(best, us)
	}
	if best == 0 {
		return time.Time{}, nil
	}
	return time.UnixMicro(best), nil
}
