package redisstore

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync/atomic"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/tokengate/tokengate/internal/hook"
)

// Defaults of Config.
const (
	// DefaultTimeout bounds each operation: one round trip to Redis,
	// normally well under a millisecond on a local network.
	DefaultTimeout = 100 * time.Millisecond
	// DefaultRetryInterval is how long the stores leave Redis alone after
	// a failure before they try it again.
	DefaultRetryInterval = time.Second
	// DefaultPrefix starts every key.
	DefaultPrefix = "tokengate:"
)

// Config configures New. Client is required; the zero value of every other
// field is the documented default.
type Config struct {
	// Client is the connection to Redis (go-redis v9): a *redis.Client, a
	// *redis.ClusterClient, a *redis.Ring or any redis.UniversalClient.
	// For the first three, New requires ContextTimeoutEnabled in their
	// options, so that Timeout bounds every operation, reads and writes
	// included. Every script keeps its keys in one hash slot.
	Client redis.UniversalClient
	// Prefix starts every key the stores write; default DefaultPrefix.
	// Applications that share a Redis give each theirs.
	Prefix string
	// Timeout bounds every operation, from the request for a connection to
	// the answer; default DefaultTimeout. A store whose operation runs out
	// of it acts as when Redis is down (its Policy).
	Timeout time.Duration
	// RetryInterval is how long after a failed operation the stores act as
	// if Redis were down, without asking it, so that an outage costs one
	// timeout per interval and not one per request; default
	// DefaultRetryInterval. Then the next operation tries Redis again.
	RetryInterval time.Duration
	// Observer, when set, is told about every operation (the Metrics of
	// this package implement it). A panic in it is stopped and logged.
	Observer Observer
	// Logger, when set, receives a line at Warn when Redis stops
	// answering and at Info when it answers again, and at Debug each
	// operation a store answered without Redis. Keys and values are never
	// logged. Default: no logging.
	Logger *slog.Logger
	// Now is the clock of expiry computations on this side (the budget's
	// time comes from Redis TIME); default time.Now.
	Now func() time.Time
}

// Policy says what a store does when Redis cannot be reached or does not
// answer in time.
type Policy uint8

const (
	// PolicyDefault is the store's default: FallBack for the token store
	// and the budget, FailClosed for the replay store and the revocation
	// set.
	PolicyDefault Policy = iota
	// FallBack answers from this process: the token store fetches a token
	// of its own, the budget waits on a LocalBudget at the configured rate
	// ÷ Replicas, the replay store records proofs in a dpop.MemoryStore
	// (a proof replayed on another replica then passes once there), the
	// revocation set answers from the revocations made through this
	// replica.
	FallBack
	// FailClosed fails the operation: the token store returns an error
	// (the API call fails with management.ErrToken), the budget a
	// *client.BudgetError, the replay store an error (dpop answers 503,
	// ErrStoreUnavailable), the revocation set an error (the verifier
	// answers 503, verifier.ErrRevocationUnavailable).
	FailClosed
)

func (p Policy) resolve(def Policy) (Policy, error) {
	switch p {
	case PolicyDefault:
		return def, nil
	case FallBack, FailClosed:
		return p, nil
	}
	return 0, fmt.Errorf("redisstore: unknown Policy %d", p)
}

// Store is a connection to Redis from which the four stores are made: Tokens
// (management.TokenStore), Budget (client.RateBudget), Replay
// (dpop.ReplayStore) and Revocations (verifier.RevocationSet). They share
// its timeout and its view of whether Redis is up. Safe for concurrent use.
type Store struct {
	rdb     redis.UniversalClient
	prefix  string
	timeout time.Duration
	retry   time.Duration
	obs     Observer
	log     *slog.Logger
	now     func() time.Time

	// downUntil is when Redis is to be tried again after a failure (Unix
	// nanoseconds of the wall clock; 0: up).
	downUntil atomic.Int64
}

// ErrUnavailable is wrapped by the errors of operations that Redis did not
// answer: it failed, timed out, or failed less than RetryInterval ago.
var ErrUnavailable = errors.New("redisstore: Redis unavailable")

// ErrConfig is wrapped by every configuration error.
var ErrConfig = errors.New("redisstore: invalid configuration")

// New checks cfg and returns a Store. It does not contact Redis: Check does.
func New(cfg Config) (*Store, error) {
	if cfg.Client == nil {
		return nil, fmt.Errorf("%w: Client is required", ErrConfig)
	}
	if !contextTimeouts(cfg.Client) {
		return nil, fmt.Errorf("%w: the client's options must set ContextTimeoutEnabled, so that Timeout bounds every read and write", ErrConfig)
	}
	if cfg.Timeout < 0 || cfg.RetryInterval < 0 {
		return nil, fmt.Errorf("%w: negative Timeout or RetryInterval", ErrConfig)
	}
	s := &Store{rdb: cfg.Client, prefix: cfg.Prefix, timeout: cfg.Timeout, retry: cfg.RetryInterval,
		obs: cfg.Observer, log: cfg.Logger, now: cfg.Now}
	if s.prefix == "" {
		s.prefix = DefaultPrefix
	}
	if s.timeout == 0 {
		s.timeout = DefaultTimeout
	}
	if s.retry == 0 {
		s.retry = DefaultRetryInterval
	}
	if s.now == nil {
		s.now = time.Now
	}
	return s, nil
}

func contextTimeouts(c redis.UniversalClient) bool {
	switch c := c.(type) {
	case *redis.Client:
		return c.Options().ContextTimeoutEnabled
	case *redis.ClusterClient:
		return c.Options().ContextTimeoutEnabled
	case *redis.Ring:
		return c.Options().ContextTimeoutEnabled
	}
	return true // another implementation: its documentation applies
}

// ErrEviction is returned by Check when Redis may evict keys before they
// expire.
var ErrEviction = errors.New("redisstore: Redis may evict unexpired keys (maxmemory-policy is not noeviction): a replay record or a revocation could be lost")

// Check pings Redis and reads its maxmemory-policy: with any policy but
// noeviction, Redis may drop a key before it expires when memory runs short,
// and a dropped replay record lets a replayed proof pass, a dropped
// revocation a revoked token (ErrEviction). With noeviction a full Redis
// refuses writes instead, and the stores fail closed. A Redis that does not
// allow CONFIG GET (some managed services) passes with a line at Warn. Call
// it at start-up.
func (s *Store) Check(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	if err := s.rdb.Ping(ctx).Err(); err != nil {
		return fmt.Errorf("%w: %w", ErrUnavailable, err)
	}
	res, err := s.rdb.ConfigGet(ctx, "maxmemory-policy").Result()
	if err != nil {
		if s.log != nil {
			s.log.LogAttrs(ctx, slog.LevelWarn, "redisstore: cannot read maxmemory-policy; make sure it is noeviction", slog.String("error", err.Error()))
		}
		return nil
	}
	if p := res["maxmemory-policy"]; p != "" && !strings.EqualFold(p, "noeviction") {
		return fmt.Errorf("%w (maxmemory-policy %s)", ErrEviction, p)
	}
	return nil
}

// down reports whether Redis failed less than RetryInterval ago.
func (s *Store) down() bool {
	u := s.downUntil.Load()
	return u != 0 && time.Now().UnixNano() < u
}

// do runs one operation of store on Redis: at once ErrUnavailable when
// Redis is down, else f under Timeout. A failure to reach Redis (not an
// answer: a network error, a timeout) marks it down for RetryInterval;
// redis.Nil and errors of the caller's context do not.
func (s *Store) do(ctx context.Context, store, op string, f func(ctx context.Context) error) error {
	if s.down() {
		s.observe(ctx, Event{Store: store, Op: op, Err: ErrUnavailable})
		return ErrUnavailable
	}
	start := time.Now()
	octx, cancel := context.WithTimeout(ctx, s.timeout)
	err := f(octx)
	cancel()
	d := time.Since(start)
	switch {
	case err == nil || errors.Is(err, redis.Nil):
		s.up(ctx)
	case ctx.Err() != nil:
		// The caller gave up: not Redis's fault.
		err = fmt.Errorf("redisstore: %s %s: %w", store, op, err)
	case isAnswer(err):
		// Redis answered with an error (a script refusing a value it
		// cannot read): it is up, the data is not.
		s.up(ctx)
		err = fmt.Errorf("redisstore: %s %s: %w", store, op, err)
	default:
		s.markDown(ctx, err)
		err = fmt.Errorf("%w: %s %s: %w", ErrUnavailable, store, op, err)
	}
	s.observe(ctx, Event{Store: store, Op: op, Err: err, Duration: d})
	return err
}

// isAnswer reports whether err is an error reply of Redis.
func isAnswer(err error) bool {
	var re redis.Error
	return errors.As(err, &re) && !errors.Is(err, context.DeadlineExceeded)
}

func (s *Store) markDown(ctx context.Context, err error) {
	next := time.Now().Add(s.retry).UnixNano()
	if old := s.downUntil.Swap(next); old == 0 && s.log != nil {
		s.log.LogAttrs(ctx, slog.LevelWarn, "redisstore: Redis unavailable; the stores follow their Policy",
			slog.Duration("retry_in", s.retry), slog.String("error", err.Error()))
	}
}

func (s *Store) up(ctx context.Context) {
	if s.downUntil.Load() != 0 && s.downUntil.Swap(0) != 0 && s.log != nil {
		s.log.LogAttrs(ctx, slog.LevelInfo, "redisstore: Redis answers again")
	}
}

// fellBack reports an operation answered without Redis.
func (s *Store) fellBack(ctx context.Context, store, op string, cause error) {
	s.observe(ctx, Event{Store: store, Op: op, Err: cause, Fallback: true})
	if s.log != nil && s.log.Enabled(ctx, slog.LevelDebug) {
		s.log.LogAttrs(ctx, slog.LevelDebug, "redisstore: answered without Redis",
			slog.String("store", store), slog.String("op", op), slog.String("error", cause.Error()))
	}
}

func (s *Store) observe(ctx context.Context, e Event) {
	if s.obs == nil {
		return
	}
	defer hook.Recover(s.log, "redisstore observer")
	s.obs.ObserveStore(ctx, e)
}
