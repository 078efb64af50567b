package redisstore

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/tokengate/tokengate/client"
	"github.com/tokengate/tokengate/internal/httpx"
)

// BudgetConfig configures Store.Budget: the rates of client.BudgetConfig,
// shared by the fleet, and what to do when Redis cannot be reached.
type BudgetConfig struct {
	// BudgetConfig holds the fleet's rates. Rate and Classes are the
	// tenant's limits for the whole fleet; Replicas is how many replicas
	// share them, used only by the local fallback, which spends Rate ÷
	// Replicas (0 or 1: the whole Rate, which a fleet of several would
	// exceed during an outage); Burst, MaxWait and Now apply to both.
	client.BudgetConfig
	// OnError is what Wait does when Redis cannot be reached: FallBack
	// (default) waits on the local budget, FailClosed returns a
	// *client.BudgetError.
	OnError Policy
}

// Budget is the client.RateBudget on Redis: a GCRA per tenant and API (and
// per endpoint class that has a rate of its own) whose state, the
// theoretical arrival time of the next request, is one key per bucket,
// read and advanced by one Lua script per request (one round trip), on
// the clock of Redis (TIME), so that the replicas' clocks do not matter.
// A request that must wait is told how long, once, and sleeps; nobody
// polls.
type Budget struct {
	s      *Store
	l      client.Limits
	local  *client.LocalBudget
	policy Policy
}

var _ client.RateBudget = (*Budget)(nil)

// Budget returns the shared rate budget of s.
func (s *Store) Budget(cfg BudgetConfig) (*Budget, error) {
	p, err := cfg.OnError.resolve(FallBack)
	if err != nil {
		return nil, err
	}
	l, err := cfg.Resolve()
	if err != nil {
		return nil, err
	}
	local, err := client.NewLocalBudget(cfg.BudgetConfig)
	if err != nil {
		return nil, err
	}
	return &Budget{s: s, l: l, local: local, policy: p}, nil
}

// reserveScript takes the next slot of the tenant's bucket (KEYS[1]) and,
// when given, the class's (KEYS[2]). ARGV: the longest wait allowed, then
// for the tenant and the class their interval and burst tolerance, then the
// furthest ahead a legitimate state can be (a state beyond it was not
// written by this script: it is taken as empty), all in microseconds. The
// answer is {granted, wait, more, at}: more is 1 when only the class's slot
// was taken, its wait being the longer (the tenant's is taken after it);
// at is the slot, on Redis's clock (for tests and debugging).
var reserveScript = redis.NewScript(`
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local limit, ahead = tonumber(ARGV[1]), tonumber(ARGV[6])
local function load(key)
  local tat = tonumber(redis.call('GET', key))
  if not tat or tat < now or tat > now + ahead then tat = now end
  return tat
end
local function due(tat, tau)
  local w = tat - tau - now
  if w < 0 then return 0 end
  return w
end
local function save(key, tat, at, iv)
  if at > tat then tat = at end
  tat = tat + iv
  redis.call('SET', key, string.format('%d', tat), 'PX', math.floor((tat - now) / 1000) + 1000)
end
local tatT = load(KEYS[1])
local wt = due(tatT, tonumber(ARGV[3]))
local tatC, wc = 0, 0
if #KEYS > 1 then
  tatC = load(KEYS[2])
  wc = due(tatC, tonumber(ARGV[5]))
end
local wait = wt
if wc > wait then wait = wc end
if wait > limit then return {0, wait, 0, 0} end
local at = now + wait
if #KEYS > 1 then
  save(KEYS[2], tatC, at, tonumber(ARGV[4]))
  if wc > wt then return {1, wait, 1, at} end
end
save(KEYS[1], tatT, at, tonumber(ARGV[2]))
return {1, wait, 0, at}
`)

// pauseScript holds the bucket KEYS[1] until ARGV[1] µs from now (on
// Redis's clock), plus the burst tolerance ARGV[2], unless it is held
// longer already; ARGV[3] is as reserveScript's ARGV[6].
var pauseScript = redis.NewScript(`
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local u = now + tonumber(ARGV[1]) + tonumber(ARGV[2])
local tat = tonumber(redis.call('GET', KEYS[1]))
if not tat or tat > now + tonumber(ARGV[3]) or u > tat then
  redis.call('SET', KEYS[1], string.format('%d', u), 'PX', math.floor((u - now) / 1000) + 1000)
end
return 1
`)

// Wait implements client.RateBudget.
func (b *Budget) Wait(ctx context.Context, key client.BudgetKey) error {
	limit := b.l.MaxWait
	if d, ok := ctx.Deadline(); ok {
		limit = min(limit, time.Until(d))
	}
	wait, more, err := b.reserve(ctx, key, limit, true)
	if err != nil {
		return b.fallback(ctx, key, err)
	}
	if err := httpx.Sleep(ctx, wait); err != nil || !more {
		return err
	}
	if wait, _, err = b.reserve(ctx, key, limit-wait, false); err != nil {
		return b.fallback(ctx, client.BudgetKey{Tenant: key.Tenant, API: key.API}, err)
	}
	return httpx.Sleep(ctx, wait)
}

// fallback answers a Wait that Redis could not: a *client.BudgetError
// (a refusal of the shared budget, or FailClosed), else the local budget.
func (b *Budget) fallback(ctx context.Context, key client.BudgetKey, err error) error {
	var be *client.BudgetError
	if errors.As(err, &be) {
		return be
	}
	if b.policy == FailClosed || ctx.Err() != nil {
		return &client.BudgetError{Key: key, Err: err}
	}
	b.s.fellBack(ctx, StoreBudget, "reserve", err)
	return b.local.Wait(ctx, key)
}

// micro is d in microseconds, at least 0.
func micro(d time.Duration) int64 { return max(d.Microseconds(), 0) }

// reserve runs reserveScript for key (its class too when class is set and
// the class has a rate) and returns the wait, clamped to [0, limit].
func (b *Budget) reserve(ctx context.Context, key client.BudgetKey, limit time.Duration, class bool) (time.Duration, bool, error) {
	wait, more, _, err := b.reserveAt(ctx, key, limit, class)
	return wait, more, err
}

// reserveAt is reserve, also returning the slot on Redis's clock (Unix
// microseconds).
func (b *Budget) reserveAt(ctx context.Context, key client.BudgetKey, limit time.Duration, class bool) (time.Duration, bool, int64, error) {
	if limit < 0 { // the context's deadline has passed
		return 0, false, 0, &client.BudgetError{Key: key, Err: context.DeadlineExceeded}
	}
	keys := []string{b.s.budgetKey(key.Tenant, key.API, "", false)}
	civ, hasClass := b.l.Classes[key.Class]
	hasClass = hasClass && class && key.Class != ""
	if hasClass {
		keys = append(keys, b.s.budgetKey(key.Tenant, key.API, key.Class, true))
	}
	tau := b.tolerance(b.l.Interval)
	ahead := b.l.MaxWait + 2*max(b.l.Interval, civ) + max(tau, b.tolerance(civ))
	var res []int64
	err := b.s.do(ctx, StoreBudget, "reserve", func(ctx context.Context) error {
		var err error
		res, err = reserveScript.Run(ctx, b.s.rdb, keys, micro(limit),
			micro(b.l.Interval), micro(tau), micro(civ), micro(b.tolerance(civ)), micro(ahead)).Int64Slice()
		return err
	})
	if err != nil {
		return 0, false, 0, err
	}
	if len(res) != 4 {
		return 0, false, 0, fmt.Errorf("%w: the budget script answered %d values", errAnswer, len(res))
	}
	// The answer is clamped before use: a wait outside [0, limit] is not
	// one the script can give.
	wait := time.Duration(min(max(res[1], 0), int64(limit/time.Microsecond))) * time.Microsecond
	if res[0] != 1 {
		return 0, false, 0, &client.BudgetError{Key: key, Wait: time.Duration(min(max(res[1], 0), int64(24*time.Hour/time.Microsecond))) * time.Microsecond}
	}
	return wait, res[2] == 1 && hasClass, res[3], nil
}

func (b *Budget) tolerance(iv time.Duration) time.Duration {
	if b.l.Burst <= 1 || iv <= 0 {
		return 0
	}
	return iv * time.Duration(b.l.Burst-1) // at most 1000 s × 2^20: no overflow
}

// Pause implements client.RateBudget: the class's bucket when the class
// has a rate of its own, else the tenant's, is held until until, believed
// up to MaxWait ahead. The local budget is paused too, for the time Redis
// may be down.
func (b *Budget) Pause(ctx context.Context, key client.BudgetKey, until time.Time) {
	b.local.Pause(ctx, key, until)
	d := min(until.Sub(b.s.now()), b.l.MaxWait)
	if d <= 0 {
		return
	}
	k, iv := b.s.budgetKey(key.Tenant, key.API, "", false), b.l.Interval
	if civ, ok := b.l.Classes[key.Class]; ok && key.Class != "" {
		k, iv = b.s.budgetKey(key.Tenant, key.API, key.Class, true), civ
	}
	ahead := b.l.MaxWait + 2*iv + b.tolerance(iv)
	b.s.do(ctx, StoreBudget, "pause", func(ctx context.Context) error {
		return pauseScript.Run(ctx, b.s.rdb, []string{k}, micro(d), micro(b.tolerance(iv)), micro(ahead)).Err()
	})
}
