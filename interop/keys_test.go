package interop

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tokengate/tokengate/jwks"
)

// remoteKeys is the provider's JWKS as an API would hold it: discovered
// from the issuer with jwks.Discover and served by a jwks.Cache, with the
// JWKS requests counted on the wire.
type remoteKeys struct {
	*jwks.Cache
	URL  string
	wire *countingTransport
	log  *cacheLog
}

// Fetches is the number of JWKS requests the Cache has made.
func (k *remoteKeys) Fetches() int64 { return k.wire.n.Load() }

// newRemoteKeys discovers the provider's jwks_uri and starts a jwks.Cache
// on it, waiting for the first fetch. now is the Cache's clock (its
// cooldown and refresh schedule); nil means the system clock. Everything
// else is the jwks default (30 s cooldown). The Cache is closed when the
// test ends.
func newRemoteKeys(t *testing.T, now func() time.Time) *remoteKeys {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), requestTimeout)
	defer cancel()
	// The client we pass to Discover and New: its RoundTripper counts the
	// requests for the JWKS path (set once discovery named it).
	tr := &http.Transport{Proxy: nil, MaxIdleConns: 4, IdleConnTimeout: 30 * time.Second}
	t.Cleanup(tr.CloseIdleConnections)
	ct := &countingTransport{base: tr}
	hc := &http.Client{Timeout: requestTimeout, Transport: ct}

	jwksURL, err := jwks.Discover(ctx, issuer, hc, jwks.SameOrigin())
	if err != nil {
		t.Fatalf("jwks.Discover(%s): %v", issuer, err)
	}
	u, err := url.Parse(jwksURL)
	if err != nil {
		t.Fatalf("jwks_uri %q: %v", jwksURL, err)
	}
	ct.path.Store(&u.Path)

	log := &cacheLog{}
	cache, err := jwks.New(jwks.Config{
		URL:        jwksURL,
		HTTPClient: hc,
		Prefetch:   requestTimeout, // fail here, not in the first Verify, if the keys cannot be had
		Now:        now,
		Observer:   log,
	})
	if err != nil {
		t.Fatalf("jwks.New(%s): %v", jwksURL, err)
	}
	t.Cleanup(func() { _ = cache.Close() })
	rk := &remoteKeys{Cache: cache, URL: jwksURL, wire: ct, log: log}
	t.Logf("jwks.Discover: jwks_uri %s; jwks.New: %d keys", jwksURL, cache.Stats().Keys)
	rk.logEvents(t)
	return rk
}

// countingTransport counts requests to one path (the JWKS).
type countingTransport struct {
	base http.RoundTripper
	path atomic.Pointer[string]
	n    atomic.Int64
}

func (c *countingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	if p := c.path.Load(); p != nil && r.URL.Path == *p {
		c.n.Add(1)
	}
	return c.base.RoundTrip(r)
}

// cacheLog is the Cache's jwks.Observer: it keeps a line per fetch and
// per kid miss, for the tests to log where they happen (see logEvents).
type cacheLog struct {
	mu    sync.Mutex
	lines []string
}

func (l *cacheLog) add(line string) {
	l.mu.Lock()
	l.lines = append(l.lines, line)
	l.mu.Unlock()
}

func (l *cacheLog) ObserveFetch(_ context.Context, e jwks.FetchEvent) {
	l.add(fmt.Sprintf("jwks fetch: outcome=%s status=%d keys=%d", e.Outcome, e.StatusCode, e.Keys))
}

func (l *cacheLog) ObserveKidMiss(_ context.Context, e jwks.KidMissEvent) {
	if e.Refetched {
		l.add("jwks kid miss: waited for a refetch")
	} else {
		l.add("jwks kid miss: refetch suppressed (cooldown)")
	}
}

// logEvents logs what the Cache reported since the last call. Repeated
// lines are counted, not repeated.
func (k *remoteKeys) logEvents(t *testing.T) {
	t.Helper()
	k.log.mu.Lock()
	lines := k.log.lines
	k.log.lines = nil
	k.log.mu.Unlock()
	for i := 0; i < len(lines); {
		j := i + 1
		for j < len(lines) && lines[j] == lines[i] {
			j++
		}
		if j-i > 1 {
			t.Logf("%s (x%d)", lines[i], j-i)
		} else {
			t.Log(lines[i])
		}
		i = j
	}
}

// fakeClock is a jwks.Config.Now that moves only when told: the rotation
// test steps over the Cache's 30 s cooldown without waiting for it.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func newFakeClock() *fakeClock { return &fakeClock{now: time.Now()} }

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Advance moves the clock by d.
func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}
