package client

import (
	"context"
	"errors"
	"fmt"
	"math"
	"sync"
	"time"

	"github.com/tokengate/tokengate/internal/httpx"
)

// BudgetConfig configures a rate budget: NewLocalBudget, and the shared
// budgets of other packages (redisstore), which take the same fields.
type BudgetConfig struct {
	// Rate is the requests per second one tenant's API allows (all its
	// endpoints together): every request takes from it. Required; at most
	// 1,000,000.
	Rate float64
	// Classes adds limits per endpoint class (BudgetKey.Class), in
	// requests per second: a request of a listed class takes from its
	// class and from Rate. Auth0 documents such limits for a few
	// Management API endpoints (users-by-email, jobs, ...).
	Classes map[string]float64
	// Burst is how many requests may go at once after a quiet time, at
	// least 1; 0 means 1: requests are spaced evenly, 1/Rate apart.
	Burst int
	// Replicas divides every rate: the share of one of that many replicas
	// that take from one limit without shared state. A shared budget uses
	// it for its local fallback. 0 means 1.
	Replicas int
	// MaxWait is the longest a request waits for its turn: one that would
	// wait longer fails at once with a *BudgetError. It also bounds how far
	// ahead a Pause is believed. 0 means 60 s.
	MaxWait time.Duration
	// Now is the clock; default time.Now.
	Now func() time.Time
}

// Bounds of BudgetConfig.
const (
	maxBudgetRate         = 1e6
	minBudgetRate         = 1e-3
	defaultBudgetMaxWait  = 60 * time.Second
	maxBudgetClasses      = 256
	maxBudgetBurst        = 1 << 20
	maxBudgetReplicas     = 1 << 16
	budgetErrPrefix       = "auth0 client: BudgetConfig: "
	defaultBudgetReplicas = 1
)

// Limits is a BudgetConfig checked and resolved: the interval between two
// requests of the tenant and of each class, the burst tolerance and the
// longest wait. Shared budgets compute with it.
type Limits struct {
	// Interval is 1/Rate (÷ Replicas applied when asked, see Local).
	Interval time.Duration
	// Classes maps a class to its interval.
	Classes map[string]time.Duration
	// Burst is BudgetConfig.Burst resolved (at least 1).
	Burst int
	// MaxWait is BudgetConfig.MaxWait resolved.
	MaxWait time.Duration
	// Replicas is BudgetConfig.Replicas resolved (at least 1).
	Replicas int
}

// Resolve checks c and returns its Limits: Rate positive and finite,
// between 0.001 and 1,000,000 a second, as each class rate; Burst and
// Replicas not negative; MaxWait not negative.
func (c BudgetConfig) Resolve() (Limits, error) {
	l := Limits{Burst: c.Burst, MaxWait: c.MaxWait, Replicas: c.Replicas}
	iv, err := interval("Rate", c.Rate)
	if err != nil {
		return Limits{}, err
	}
	l.Interval = iv
	if len(c.Classes) > maxBudgetClasses {
		return Limits{}, fmt.Errorf(budgetErrPrefix+"at most %d classes", maxBudgetClasses)
	}
	if len(c.Classes) > 0 {
		l.Classes = make(map[string]time.Duration, len(c.Classes))
		for name, r := range c.Classes {
			if l.Classes[name], err = interval(fmt.Sprintf("Classes[%q]", name), r); err != nil {
				return Limits{}, err
			}
		}
	}
	switch {
	case c.Burst < 0 || c.Burst > maxBudgetBurst:
		return Limits{}, fmt.Errorf(budgetErrPrefix+"Burst %d outside 0..%d", c.Burst, maxBudgetBurst)
	case c.Replicas < 0 || c.Replicas > maxBudgetReplicas:
		return Limits{}, fmt.Errorf(budgetErrPrefix+"Replicas %d outside 0..%d", c.Replicas, maxBudgetReplicas)
	case c.MaxWait < 0:
		return Limits{}, errors.New(budgetErrPrefix + "negative MaxWait")
	}
	if l.Burst == 0 {
		l.Burst = 1
	}
	if l.Replicas == 0 {
		l.Replicas = defaultBudgetReplicas
	}
	if l.MaxWait == 0 {
		l.MaxWait = defaultBudgetMaxWait
	}
	return l, nil
}

func interval(name string, rate float64) (time.Duration, error) {
	if math.IsNaN(rate) || rate < minBudgetRate || rate > maxBudgetRate {
		return 0, fmt.Errorf(budgetErrPrefix+"%s %v outside %v..%v requests per second", name, rate, minBudgetRate, maxBudgetRate)
	}
	return time.Duration(float64(time.Second) / rate), nil
}

// Local returns the limits of one of Replicas replicas: every interval
// multiplied by Replicas.
func (l Limits) Local() Limits {
	if l.Replicas <= 1 {
		return l
	}
	n := time.Duration(l.Replicas)
	out := l
	out.Interval *= n // at most 1000 s × 65536: no overflow
	if l.Classes != nil {
		out.Classes = make(map[string]time.Duration, len(l.Classes))
		for k, v := range l.Classes {
			out.Classes[k] = v * n
		}
	}
	out.Replicas = 1
	return out
}

// LocalBudget is the in-process RateBudget: a GCRA (generic cell rate
// algorithm, the token bucket as a schedule) per tenant and per configured
// class, in memory. A request is given the earliest instant at which every
// bucket it takes from allows it, and waits until then; its slot is taken
// at once, so that callers are served in order and nobody polls. Safe for
// concurrent use.
type LocalBudget struct {
	l   Limits
	now func() time.Time

	mu      sync.Mutex
	buckets map[BudgetKey]*gcra
}

// gcra is one bucket: tat is the theoretical arrival time of the next
// request, as in RFC 2697's terms; a request may go at tat - (Burst-1)·T.
type gcra struct{ tat time.Time }

// NewLocalBudget returns a LocalBudget for cfg, at Rate ÷ Replicas.
func NewLocalBudget(cfg BudgetConfig) (*LocalBudget, error) {
	l, err := cfg.Resolve()
	if err != nil {
		return nil, err
	}
	b := &LocalBudget{l: l.Local(), now: cfg.Now, buckets: make(map[BudgetKey]*gcra)}
	if b.now == nil {
		b.now = time.Now
	}
	return b, nil
}

// Wait implements RateBudget. A request of a class with a limit of its
// own that must wait for its class takes its class's slot first and the
// tenant's once that wait is over, so that its wait does not hold back the
// tenant's other requests.
func (b *LocalBudget) Wait(ctx context.Context, key BudgetKey) error {
	limit := b.l.MaxWait
	if d, ok := ctx.Deadline(); ok {
		limit = min(limit, time.Until(d))
	}
	wait, more, err := b.reserve(key, limit, true)
	if err != nil {
		return err
	}
	if err := httpx.Sleep(ctx, wait); err != nil || !more {
		return err
	}
	if wait, _, err = b.reserve(key, limit-wait, false); err != nil {
		return err
	}
	return httpx.Sleep(ctx, wait)
}

// reserve takes the next slot of key and returns how long to wait for it
// (0: at once), or a *BudgetError, taking nothing, when that would be more
// than limit (itself at most MaxWait). With class false, or when key's
// class has no limit of its own, it takes from the tenant's bucket only
// (or from both when the class is not the later of the two); when the
// class's slot is the later, it takes that slot only and more is true:
// the tenant's slot is to be taken once the wait is over.
func (b *LocalBudget) reserve(key BudgetKey, limit time.Duration, class bool) (wait time.Duration, more bool, err error) {
	limit = min(limit, b.l.MaxWait)
	now := b.now()
	b.mu.Lock()
	defer b.mu.Unlock()
	tenant, cb := b.pair(key)
	if !class {
		cb = nil
	}
	wt := b.due(tenant, b.l.Interval, now)
	wc := time.Duration(0)
	if cb != nil {
		wc = b.due(cb, b.l.Classes[key.Class], now)
	}
	wait = max(wt, wc)
	if wait > limit {
		return 0, false, &BudgetError{Key: key, Wait: wait}
	}
	at := now.Add(wait)
	if cb != nil {
		take(cb, b.l.Classes[key.Class], at)
		if wc > wt {
			return wait, true, nil
		}
	}
	take(tenant, b.l.Interval, at)
	return wait, false, nil
}

// Pause implements RateBudget: until is believed up to MaxWait ahead. It
// pauses the class's bucket when the class has a limit of its own (the 429
// came from it, or from the tenant's: the class is paused either way),
// else the tenant's.
func (b *LocalBudget) Pause(_ context.Context, key BudgetKey, until time.Time) {
	now := b.now()
	if !until.After(now) {
		return
	}
	until = now.Add(min(until.Sub(now), b.l.MaxWait))
	b.mu.Lock()
	defer b.mu.Unlock()
	tenant, class := b.pair(key)
	bk, iv := tenant, b.l.Interval
	if class != nil {
		bk, iv = class, b.l.Classes[key.Class]
	}
	// Next allowed at until: tat - tolerance = until.
	if t := until.Add(tolerance(iv, b.l.Burst)); t.After(bk.tat) {
		bk.tat = t
	}
}

// pair returns the tenant's bucket and, when key's class has a limit, the
// class's; both are made on first use. Classes without a limit share the
// tenant's bucket, so the map holds at most (classes + 1) × tenants.
func (b *LocalBudget) pair(key BudgetKey) (tenant, class *gcra) {
	get := func(k BudgetKey) *gcra {
		g := b.buckets[k]
		if g == nil {
			g = &gcra{}
			b.buckets[k] = g
		}
		return g
	}
	class = nil
	if _, ok := b.l.Classes[key.Class]; ok && key.Class != "" {
		class = get(key)
	}
	tenant = get(BudgetKey{Tenant: key.Tenant, API: key.API})
	return tenant, class
}

// due is how long a request arriving at now waits in g.
func (b *LocalBudget) due(g *gcra, iv time.Duration, now time.Time) time.Duration {
	allow := g.tat.Add(-tolerance(iv, b.l.Burst))
	if !allow.After(now) {
		return 0
	}
	return allow.Sub(now)
}

// take records a request sent at at in g.
func take(g *gcra, iv time.Duration, at time.Time) {
	if at.After(g.tat) {
		g.tat = at
	}
	g.tat = g.tat.Add(iv)
}

// tolerance is the burst tolerance τ = (burst-1)·T of GCRA, bounded so
// that it cannot overflow.
func tolerance(iv time.Duration, burst int) time.Duration {
	if burst <= 1 {
		return 0
	}
	if iv > math.MaxInt64/time.Duration(burst) {
		return math.MaxInt64 / 2
	}
	return iv * time.Duration(burst-1)
}
