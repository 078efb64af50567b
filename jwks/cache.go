package jwks

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/tokengate/tokengate/verifier"
)

// Cache is a remote key set: the JWKS at one URL, fetched with the key
// policy of Parse (minus oct keys), kept fresh in the background, and
// refetched when a token names an unknown kid. It implements
// verifier.KeySource. Make it with New and stop it with Close.
//
// A lookup of a known kid reads an immutable snapshot through an atomic
// pointer, with a clock read for MaxStale: no lock, no allocation, no
// network. Misses share one fetch in flight (single-flight), each caller
// waiting at most until its own context ends; no lock is held across
// network I/O.
//
// Keys are refreshed in the background at 80% of their freshness lifetime
// (Config.RefreshInterval says how it is read from the response), retried
// with backoff after failures (Config.MinBackoff). A response's ETag is
// sent back as If-None-Match, and a 304 confirms the keys held. Each new
// set is published through verifier.NextKeySet: a key equal to a current
// one keeps its *verifier.Key, so tokens in the verifiers' caches stay
// cached, and a key that disappears is retired, so the tokens it verified
// leave those caches at once.
type Cache struct {
	url    string
	cfg    settings
	client *http.Client
	tr     *http.Transport // our own transport, or nil
	rc     *fetcher
	ctx    context.Context // the cache's lifetime; canceled by Close
	cancel context.CancelFunc
	wg     sync.WaitGroup
	kick   chan struct{} // wakes the refresh loop after a fetch
	// after is the refresh loop's timer: time.After, or a fake clock's
	// in the package's tests (newCache).
	after func(time.Duration) <-chan time.Time
	once  sync.Once

	errNotFound, errSuppressed error

	snap atomic.Pointer[snapshot]

	mu          sync.Mutex // guards the fields below; never held across I/O
	flight      *flight
	closed      bool
	lastStart   time.Time // start of the latest fetch
	lastSuccess time.Time
	next        time.Time // next background fetch
	retryUntil  time.Time // no fetch before (Retry-After)
	failures    int
	lastErr     error
	etag        string
	// stale: the last keys were withdrawn after MaxStale, and none came
	// since (for the error of lookups).
	stale bool
	// reported is the misconfiguration last logged at Error while no keys
	// were held ("": none since the last success).
	reported string
}

// snapshot is one published key set. It never changes; a refresh
// publishes a new one.
type snapshot struct {
	set     *verifier.KeySet
	keys    []*verifier.Key
	expires time.Time // last confirmation + MaxStale
}

// flight is one fetch in progress; done is closed after its result is
// applied.
type flight struct{ done chan struct{} }

// New validates cfg and starts a Cache: the first fetch begins at once, in
// the background unless cfg.Prefetch is set. The Cache runs until Close.
func New(cfg Config) (*Cache, error) { return newCache(cfg, time.After) }

// newCache is New with the refresh loop's timer given: the package's tests
// pass a fake clock's, which fires when the fake Now passes it.
func newCache(cfg Config, after func(time.Duration) <-chan time.Time) (*Cache, error) {
	s, err := cfg.settings()
	if err != nil {
		return nil, err
	}
	if cfg.URL == "" {
		return nil, configError("URL is required")
	}
	if _, err := checkURL(cfg.URL); err != nil {
		return nil, err
	}
	client, tr, err := httpClient(cfg.HTTPClient, s.fetchTimeout)
	if err != nil {
		return nil, err
	}
	// The root of the cache's own goroutines and requests; New has no
	// caller context to inherit, and Close cancels it.
	ctx, cancel := context.WithCancel(context.Background())
	c := &Cache{
		url:           cfg.URL,
		cfg:           s,
		client:        client,
		tr:            tr,
		ctx:           ctx,
		cancel:        cancel,
		kick:          make(chan struct{}, 1),
		after:         after,
		errNotFound:   fmt.Errorf("%w in the key set of %s", verifier.ErrKeyNotFound, cfg.URL),
		errSuppressed: fmt.Errorf("%w in the key set of %s (refetch suppressed by the cooldown)", verifier.ErrKeyNotFound, cfg.URL),
	}
	if c.rc, err = newFetcher(ctx, c, client); err != nil {
		cancel()
		return nil, err
	}
	c.mu.Lock()
	f := c.startLocked(s.now(), fetchScheduled)
	c.mu.Unlock()
	c.wg.Add(1)
	go c.loop()
	if cfg.Prefetch > 0 {
		t := time.NewTimer(cfg.Prefetch)
		defer t.Stop()
		select {
		case <-f.done:
		case <-t.C:
		}
		if c.snap.Load() == nil {
			err := c.unavailable()
			c.Close()
			return nil, err
		}
	}
	return c, nil
}

// Key implements verifier.KeySource. A known kid is answered from the
// current snapshot. An unknown kid (or no keys at all) starts a fetch, or
// joins the one in flight, unless one started less than Cooldown ago or a
// Retry-After forbids it; the caller waits for it at most until ctx ends.
// A known kid with another algorithm, or a token without kid, never causes
// a fetch. Errors wrap verifier.ErrKeyNotFound, verifier.ErrKeysUnavailable
// (no keys yet, or keys older than MaxStale), or ctx's error.
func (c *Cache) Key(ctx context.Context, kid, alg string) (*verifier.Key, error) {
	if s := c.snap.Load(); s != nil && c.cfg.now().Before(s.expires) {
		if k, err := s.set.Key(ctx, kid, alg); err == nil {
			return k, nil
		}
	}
	return c.miss(ctx, kid, alg)
}

func (c *Cache) miss(ctx context.Context, kid, alg string) (*verifier.Key, error) {
	s := c.live()
	if s != nil {
		if k, err := s.set.Key(ctx, kid, alg); err == nil {
			return k, nil // published since the fast path looked
		}
		if kid == "" || s.hasKid(kid) {
			return nil, c.errNotFound
		}
	}
	f := c.demand()
	if f == nil {
		// No fetch in flight: one may have finished since live() looked
		// (it publishes and clears c.flight under c.mu, and its start is
		// what suppresses ours), and its snapshot may hold the kid.
		if now := c.live(); now != s {
			s = now
			if s != nil {
				if k, err := s.set.Key(ctx, kid, alg); err == nil {
					return k, nil
				}
			}
		}
	}
	c.observeKidMiss(ctx, KidMissEvent{URL: c.url, Refetched: f != nil})
	if f == nil {
		if s == nil {
			return nil, c.unavailable()
		}
		return nil, c.errSuppressed
	}
	select {
	case <-f.done:
	case <-ctx.Done():
		return nil, fmt.Errorf("jwks: waiting for a key refresh: %w", ctx.Err())
	}
	if s = c.live(); s == nil {
		return nil, c.unavailable()
	}
	if k, err := s.set.Key(ctx, kid, alg); err == nil {
		return k, nil
	}
	return nil, c.errNotFound
}

func (s *snapshot) hasKid(kid string) bool {
	for _, k := range s.keys {
		if k.ID() == kid {
			return true
		}
	}
	return false
}

// live returns the current snapshot, or nil when there is none or it is
// older than MaxStale (which it then retires).
func (c *Cache) live() *snapshot {
	s := c.snap.Load()
	if s == nil || c.cfg.now().Before(s.expires) {
		return s
	}
	c.expire(s)
	return nil
}

// expire withdraws s after MaxStale: lookups fail closed, and tokens its
// keys verified leave the verifiers' caches (verifier.NextKeySet retires
// the keys).
func (c *Cache) expire(s *snapshot) {
	c.mu.Lock()
	if c.snap.Load() != s {
		c.mu.Unlock()
		return
	}
	c.snap.Store(nil)
	c.etag = ""
	c.stale = true
	c.mu.Unlock()
	_, _ = verifier.NextKeySet(s.set) // no successor keys: retires all of s
	c.logf(slog.LevelError, "jwks: keys older than MaxStale withdrawn; failing closed until a fetch succeeds",
		slog.String("url", c.url), slog.Duration("max_stale", c.cfg.maxStale))
}

// unavailable is the error of a lookup without keys: what is wrong, said
// once (the FetchError names the URL, the status and content type, and a
// URL that serves no key set).
func (c *Cache) unavailable() error {
	c.mu.Lock()
	err, stale := c.lastErr, c.stale
	c.mu.Unlock()
	switch {
	case stale && err != nil:
		return fmt.Errorf("%w: keys older than MaxStale withdrawn: %w", verifier.ErrKeysUnavailable, err)
	case stale:
		return fmt.Errorf("%w: keys from %s older than MaxStale withdrawn", verifier.ErrKeysUnavailable, c.url)
	case err != nil:
		return fmt.Errorf("%w: %w", verifier.ErrKeysUnavailable, err)
	}
	return fmt.Errorf("%w: no keys from %s yet", verifier.ErrKeysUnavailable, c.url)
}

// Close stops the background refresh and every goroutine the Cache started,
// cancels a fetch in flight, and closes idle connections of its own
// transport. Afterwards lookups are answered from the last snapshot (until
// MaxStale) and never fetch. Close is idempotent and returns nil.
func (c *Cache) Close() error {
	c.once.Do(func() {
		c.mu.Lock()
		c.closed = true
		c.mu.Unlock()
		c.cancel()
		c.wg.Wait()
		c.rc.close(c.cfg.fetchTimeout)
		if c.tr != nil {
			c.tr.CloseIdleConnections()
		}
	})
	return nil
}

// Stats is a point-in-time view of a Cache, for health checks and metrics.
type Stats struct {
	// Keys is the number of keys served; 0 before the first success and
	// after MaxStale.
	Keys int
	// LastSuccess is when keys were last fetched or confirmed (zero: never).
	LastSuccess time.Time
	// LastAttempt is when the latest fetch started.
	LastAttempt time.Time
	// NextRefresh is when the next background fetch is due.
	NextRefresh time.Time
	// Failures counts consecutive failed fetches.
	Failures int
	// LastError is the latest failure (a *FetchError) since the last
	// success, or nil.
	LastError error
}

// Stats returns the cache's current state.
func (c *Cache) Stats() Stats {
	now := c.cfg.now()
	c.mu.Lock()
	defer c.mu.Unlock()
	st := Stats{LastSuccess: c.lastSuccess, LastAttempt: c.lastStart, NextRefresh: c.next, Failures: c.failures, LastError: c.lastErr}
	if s := c.snap.Load(); s != nil && now.Before(s.expires) {
		st.Keys = len(s.keys)
	}
	return st
}

// withdraw retires the keys of a closed Cache and stops serving them, as
// MaxStale does: Issuers evicts an issuer so.
func (c *Cache) withdraw() {
	c.mu.Lock()
	s := c.snap.Load()
	c.snap.Store(nil)
	c.mu.Unlock()
	if s != nil {
		_, _ = verifier.NextKeySet(s.set) // no successor keys: retires all of s
	}
}
