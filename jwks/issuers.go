package jwks

import (
	"container/list"
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"

	"github.com/tokengate/tokengate/internal/hook"
	"github.com/tokengate/tokengate/verifier"
)

// DefaultMaxIssuers is IssuersConfig.MaxIssuers by default.
const DefaultMaxIssuers = 100

// IssuersConfig configures NewIssuers.
type IssuersConfig struct {
	// Allow is the allow list: whether the token issuer iss may be used
	// for the request of ctx (verifier.RequestFromContext gives what the
	// server established about it: the host it was sent to, its path).
	// Required. It is asked first, on every verification (cache hits
	// included): keep it fast, a map lookup. An issuer it refuses costs
	// no discovery and no fetch, and the token is refused (401). An error
	// fails the verification as keys unavailable (503), not as a bad
	// token: a tenant directory that is down is an outage.
	Allow func(ctx context.Context, iss string) (bool, error)
	// MaxIssuers bounds the issuers whose key sets are held: past it, the
	// least recently used one is evicted, its Cache closed and its keys
	// retired (the tokens they verified leave the verifiers' caches), and
	// it is discovered again if it comes back. Default
	// DefaultMaxIssuers; negative is an error.
	MaxIssuers int
	// Cache configures the Cache of each issuer (timeouts, refresh, body
	// cap, HTTP client, logger, observer, clock). Its URL must be empty:
	// discovery finds it. The HTTP client also serves the discovery.
	Cache Config
	// SameOrigin makes discovery refuse a jwks_uri that is not on the
	// issuer's origin (see the DiscoverOption of that name).
	SameOrigin bool
}

// Issuers is a verifier.IssuerResolver for issuers known at run time:
// many custom domains, or an API of many tenants (Config.Resolver of
// package verifier). An issuer that Allow accepts for a request has its
// keys discovered on first use (Discover, then New), under one flight per
// issuer, and kept in a Cache of its own, at most MaxIssuers of them
// (least recently used evicted). Each issuer's Cache serves its keys only:
// a token is never verified with another issuer's keys. A discovery that
// failed is not retried before Cache.Cooldown (default 30 s); lookups fail
// with verifier.ErrKeysUnavailable meanwhile. Close stops every Cache.
type Issuers struct {
	allow      func(context.Context, string) (bool, error)
	max        int
	cfg        Config
	sameOrigin bool
	set        settings // cfg resolved: the clock and the cooldown

	ctx    context.Context // lifetime of discoveries; canceled by Close
	cancel context.CancelFunc

	mu      sync.Mutex
	entries map[string]*list.Element // of *issuerKeys
	lru     *list.List               // front: most recently used
	closed  bool

	// slots holds one token per open Cache: a discovery takes one before
	// New, closeCache gives it back, so that never more than max Caches
	// are open, even while evicted ones are being closed.
	slots chan struct{}

	live        atomic.Int64 // Caches open
	discoveries atomic.Uint64
	evictions   atomic.Uint64
}

// NewIssuers checks cfg and returns an Issuers. It fetches nothing until
// a token of an allowed issuer comes.
func NewIssuers(cfg IssuersConfig) (*Issuers, error) {
	switch {
	case cfg.Allow == nil:
		return nil, configError("IssuersConfig.Allow is required")
	case cfg.MaxIssuers < 0:
		return nil, configError("negative MaxIssuers")
	case cfg.Cache.URL != "":
		return nil, configError("IssuersConfig.Cache.URL must be empty: discovery finds each issuer's")
	}
	s, err := cfg.Cache.settings()
	if err != nil {
		return nil, err
	}
	r := &Issuers{
		allow:      cfg.Allow,
		max:        cfg.MaxIssuers,
		cfg:        cfg.Cache,
		sameOrigin: cfg.SameOrigin,
		set:        s,
		entries:    map[string]*list.Element{},
		lru:        list.New(),
	}
	if r.max == 0 {
		r.max = DefaultMaxIssuers
	}
	r.slots = make(chan struct{}, r.max)
	r.ctx, r.cancel = context.WithCancel(context.Background())
	return r, nil
}

var _ verifier.IssuerResolver = (*Issuers)(nil)

// Resolve implements verifier.IssuerResolver: it asks Allow, then returns
// the key source of iss (created empty on first use: the keys are
// discovered when a lookup needs them). Errors wrap verifier.ErrIssuer for
// an issuer not allowed; an error of Allow (or its panic) is returned
// wrapped, and means keys unavailable.
func (r *Issuers) Resolve(ctx context.Context, iss string) (verifier.KeySource, error) {
	ok, err := hook.Call(func() (bool, error) { return r.allow(ctx, iss) })
	if err != nil {
		return nil, fmt.Errorf("jwks: issuer allow list: %w", err)
	}
	if !ok {
		return nil, fmt.Errorf("%w: not allowed for this request", verifier.ErrIssuer)
	}
	return r.keysOf(iss)
}

// keysOf returns the entry of iss, most recently used, creating it (and
// evicting the least recently used entry past max) when needed.
func (r *Issuers) keysOf(iss string) (*issuerKeys, error) {
	r.mu.Lock()
	if r.closed {
		r.mu.Unlock()
		return nil, fmt.Errorf("%w: jwks: Issuers closed", verifier.ErrKeysUnavailable)
	}
	if el, ok := r.entries[iss]; ok {
		r.lru.MoveToFront(el)
		r.mu.Unlock()
		return el.Value.(*issuerKeys), nil
	}
	k := &issuerKeys{r: r, iss: iss}
	r.entries[iss] = r.lru.PushFront(k)
	var evicted []*issuerKeys
	for r.lru.Len() > r.max {
		el := r.lru.Back()
		v := el.Value.(*issuerKeys)
		r.lru.Remove(el)
		delete(r.entries, v.iss)
		evicted = append(evicted, v)
	}
	r.mu.Unlock()
	for _, v := range evicted {
		r.evictions.Add(1)
		v.evict()
	}
	return k, nil
}

// IssuersStats is a point-in-time view of an Issuers.
type IssuersStats struct {
	// Issuers is the number of issuers held (at most MaxIssuers).
	Issuers int
	// KeySets is the number of open Caches, one per held issuer whose
	// keys were discovered (at most MaxIssuers).
	KeySets int
	// Discoveries counts the discoveries started; Evictions the issuers
	// evicted to stay within MaxIssuers.
	Discoveries, Evictions uint64
}

// Stats returns the current counts.
func (r *Issuers) Stats() IssuersStats {
	r.mu.Lock()
	n := r.lru.Len()
	r.mu.Unlock()
	return IssuersStats{Issuers: n, KeySets: int(r.live.Load()), Discoveries: r.discoveries.Load(), Evictions: r.evictions.Load()}
}

// Close stops every Cache and any discovery in flight; later lookups fail
// with verifier.ErrKeysUnavailable. It is idempotent and returns nil.
func (r *Issuers) Close() error {
	r.mu.Lock()
	if r.closed {
		r.mu.Unlock()
		return nil
	}
	r.closed = true
	all := make([]*issuerKeys, 0, r.lru.Len())
	for el := r.lru.Front(); el != nil; el = el.Next() {
		all = append(all, el.Value.(*issuerKeys))
	}
	r.entries, r.lru = nil, list.New()
	r.mu.Unlock()
	r.cancel()
	for _, k := range all {
		k.evict()
	}
	return nil
}

var errEvicted = errors.New("jwks: issuer evicted")
