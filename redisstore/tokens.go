package redisstore

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/tokengate/tokengate/client/management"
	"github.com/tokengate/tokengate/internal/httpx"
)

// DefaultLockTTL is how long a replica may hold the lock of a token fetch
// by default: ten times a slow /oauth/token answer.
const DefaultLockTTL = 10 * time.Second

// maxStoredLifetime bounds how long a token read from Redis is believed
// (its time to live there), as management bounds token lifetimes: 30 days.
const maxStoredLifetime = 30 * 24 * time.Hour

// Polling of a replica that waits for another's fetch: the first wait and
// the longest one. A fetch on a local network takes a few milliseconds to
// a few hundred.
const (
	firstPoll = 10 * time.Millisecond
	maxPoll   = 100 * time.Millisecond
)

// TokenConfig configures Store.Tokens. The zero value is the default.
type TokenConfig struct {
	// LockTTL is how long the replica that fetches a token holds the lock
	// that keeps the others waiting; default DefaultLockTTL. A replica
	// that dies holding it stops nobody for longer; one whose fetch takes
	// longer may see a second replica fetch too (never more at once). The
	// others wait for the token at most LockTTL plus Timeout, then act as
	// when Redis is down.
	LockTTL time.Duration
	// OnError is what Token does when Redis cannot be reached: FallBack
	// (default) fetches a token for this replica alone, FailClosed fails.
	OnError Policy
}

// Tokens is the management.TokenStore on Redis: a token under
// "{prefix}token:{digest}" with a time to live until its RefreshAt, read by
// every replica; a lock beside it, taken with SET NX PX by the replica that
// fetches. Each step is one round trip (a Lua script): get the token or
// take the lock; store the token and release the lock; compare and delete
// on Invalidate.
type Tokens struct {
	s       *Store
	lockTTL time.Duration
	policy  Policy
}

var _ management.TokenStore = (*Tokens)(nil)

// Tokens returns the token store of s.
func (s *Store) Tokens(cfg TokenConfig) (*Tokens, error) {
	p, err := cfg.OnError.resolve(FallBack)
	if err != nil {
		return nil, err
	}
	if cfg.LockTTL < 0 {
		return nil, fmt.Errorf("%w: negative LockTTL", ErrConfig)
	}
	t := &Tokens{s: s, lockTTL: cfg.LockTTL, policy: p}
	if t.lockTTL == 0 {
		t.lockTTL = DefaultLockTTL
	}
	t.lockTTL = max(t.lockTTL, time.Millisecond)
	return t, nil
}

// getOrLock returns {1, token, pttl} when the token is there, else takes
// the lock and returns {2}, else (another holds it) {0, lock pttl}.
var getOrLock = redis.NewScript(`
local v = redis.call('GET', KEYS[1])
if v then return {1, v, redis.call('PTTL', KEYS[1])} end
if redis.call('SET', KEYS[2], ARGV[1], 'NX', 'PX', ARGV[2]) then return {2} end
return {0, redis.call('PTTL', KEYS[2])}
`)

// storeToken stores the token for ARGV[3] ms (not at all when 0) and
// releases the lock if it is still this replica's.
var storeToken = redis.NewScript(`
if tonumber(ARGV[3]) > 0 then redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3]) end
if redis.call('GET', KEYS[2]) == ARGV[1] then redis.call('DEL', KEYS[2]) end
return 1
`)

// deleteIfEqual deletes KEYS[1] if its value is ARGV[1]: the release of a
// lock that may have passed to another replica, and Invalidate.
var deleteIfEqual = redis.NewScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`)

// Token implements management.TokenStore.
func (t *Tokens) Token(ctx context.Context, key string, fetch func(context.Context) (management.StoredToken, error)) (management.StoredToken, error) {
	tk, lk := t.s.tokenKeys(key)
	id, err := lockID()
	if err != nil {
		return management.StoredToken{}, err
	}
	deadline := time.Now().Add(t.lockTTL + t.s.timeout)
	poll := firstPoll
	for {
		var res []any
		err := t.s.do(ctx, StoreToken, "get", func(ctx context.Context) error {
			var err error
			res, err = getOrLock.Run(ctx, t.s.rdb, []string{tk, lk}, id, t.lockTTL.Milliseconds()).Slice()
			return err
		})
		var a lockAnswer
		if err == nil {
			a, err = parseGetOrLock(res)
		}
		if err != nil {
			return t.fallback(ctx, err, fetch)
		}
		switch a.kind {
		case answerToken:
			st := management.StoredToken{Value: a.value}
			if a.pttl > 0 {
				st.RefreshAt = t.s.now().Add(min(a.pttl, maxStoredLifetime))
			} // no time to live: use it once (management does), never forever
			return st, nil
		case answerLocked:
			return t.fetchAndStore(ctx, tk, lk, id, fetch)
		}
		// Another replica fetches: wait for its token, a little longer
		// each time, never past its lock.
		if time.Now().After(deadline) {
			return t.fallback(ctx, errors.New("redisstore: no token stored by the replica holding the lock in time"), fetch)
		}
		wait := poll
		if a.pttl > 0 {
			wait = min(wait, a.pttl)
		}
		if err := httpx.Sleep(ctx, wait); err != nil {
			return management.StoredToken{}, err
		}
		poll = min(2*poll, maxPoll)
	}
}

// fetchAndStore fetches the token while holding the lock, stores it until
// its RefreshAt and releases the lock (one round trip). A failed fetch
// releases the lock at once, so that another replica may try.
func (t *Tokens) fetchAndStore(ctx context.Context, tk, lk, id string, fetch func(context.Context) (management.StoredToken, error)) (management.StoredToken, error) {
	st, err := fetch(ctx)
	if err != nil {
		t.s.do(ctx, StoreToken, "release", func(ctx context.Context) error {
			return deleteIfEqual.Run(ctx, t.s.rdb, []string{lk}, id).Err()
		})
		return management.StoredToken{}, err
	}
	ttl := max(st.RefreshAt.Sub(t.s.now()).Milliseconds(), 0)
	// A failure to store is not the caller's: the token is good, the
	// others fetch their own once the lock expires.
	t.s.do(ctx, StoreToken, "store", func(ctx context.Context) error {
		return storeToken.Run(ctx, t.s.rdb, []string{tk, lk}, id, st.Value, ttl).Err()
	})
	return st, nil
}

// Invalidate implements management.TokenStore: compare and delete.
func (t *Tokens) Invalidate(ctx context.Context, key, value string) error {
	tk, _ := t.s.tokenKeys(key)
	return t.s.do(ctx, StoreToken, "invalidate", func(ctx context.Context) error {
		return deleteIfEqual.Run(ctx, t.s.rdb, []string{tk}, value).Err()
	})
}

func (t *Tokens) fallback(ctx context.Context, cause error, fetch func(context.Context) (management.StoredToken, error)) (management.StoredToken, error) {
	if t.policy == FailClosed || ctx.Err() != nil {
		return management.StoredToken{}, cause
	}
	t.s.fellBack(ctx, StoreToken, "get", cause)
	return fetch(ctx)
}

type answerKind int

const (
	answerHeld answerKind = iota
	answerToken
	answerLocked
)

type lockAnswer struct {
	kind  answerKind
	value string
	pttl  time.Duration
}

// errAnswer is wrapped by errors about answers of Redis that the scripts
// cannot have given: another program wrote the keys, or Redis is not
// Redis. They are treated as an unreachable Redis (the store's Policy).
var errAnswer = errors.New("redisstore: unexpected answer from Redis")

// parseGetOrLock reads getOrLock's answer, refusing any other shape.
func parseGetOrLock(res []any) (lockAnswer, error) {
	bad := func(what string) (lockAnswer, error) { return lockAnswer{}, fmt.Errorf("%w: %s", errAnswer, what) }
	if len(res) == 0 {
		return bad("empty")
	}
	kind, ok := res[0].(int64)
	if !ok {
		return bad("kind is not an integer")
	}
	pttl := func(v any) time.Duration {
		n, _ := v.(int64)
		if n <= 0 || n > int64(maxStoredLifetime/time.Millisecond) {
			if n > 0 {
				return maxStoredLifetime
			}
			return 0
		}
		return time.Duration(n) * time.Millisecond
	}
	switch {
	case kind == 1 && len(res) == 3:
		v, ok := res[1].(string)
		if !ok || !headerToken(v) {
			return bad("the stored token is not a token")
		}
		return lockAnswer{kind: answerToken, value: v, pttl: pttl(res[2])}, nil
	case kind == 2 && len(res) == 1:
		return lockAnswer{kind: answerLocked}, nil
	case kind == 0 && len(res) == 2:
		// Locks are always set with a time to live: one without (PTTL -1)
		// was not set by a replica, and would hold the fleet back forever.
		if n, _ := res[1].(int64); n == -1 {
			return bad("a lock without a time to live")
		}
		return lockAnswer{kind: answerHeld, pttl: pttl(res[1])}, nil
	}
	return bad("unknown shape")
}

// headerToken reports whether v can be sent as a bearer token: not empty,
// printable ASCII without spaces (what management accepts from a store).
func headerToken(v string) bool {
	if v == "" {
		return false
	}
	for i := 0; i < len(v); i++ {
		if c := v[i]; c <= ' ' || c >= 0x7f {
			return false
		}
	}
	return true
}

// lockID is a random value that names this attempt's lock, so that a
// replica whose lock expired never releases another's.
func lockID() (string, error) {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", err
	}
	return hex.EncodeToString(b[:]), nil
}
