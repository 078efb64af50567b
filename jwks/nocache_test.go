package jwks_test

import (
	"errors"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tokengate/tokengate/jwks"
	"github.com/tokengate/tokengate/verifier"
)

// cdn is a shared cache in front of a JWKS origin: it serves its stored
// copy (and answers If-None-Match from it) unless the request says
// Cache-Control: no-cache, when it goes to the origin and stores the new
// answer, as RFC 9111 section 5.2.1.4 asks.
type cdn struct {
	mu       sync.Mutex
	origin   string // the origin's current body
	stored   string // the cache's copy
	requests []http.Header
}

func etagOf(body string) string { return `"` + string(rune('a'+len(body)%26)) + `"` }

func (c *cdn) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	c.mu.Lock()
	c.requests = append(c.requests, r.Header.Clone())
	if strings.Contains(strings.ToLower(r.Header.Get("Cache-Control")), "no-cache") || c.stored == "" {
		c.stored = c.origin
	}
	body := c.stored
	c.mu.Unlock()
	w.Header().Set("ETag", etagOf(body))
	if r.Header.Get("If-None-Match") == etagOf(body) {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write([]byte(body))
}

func (c *cdn) rotate(body string) { c.mu.Lock(); c.origin = body; c.mu.Unlock() }

func (c *cdn) headers() []http.Header {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]http.Header(nil), c.requests...)
}

// TestFH11UnknownKidBypassesCaches: the fetch an unknown kid causes asks
// caches on the way to revalidate (Cache-Control: no-cache) and sends no
// If-None-Match, so a CDN that holds the set from before a rotation cannot
// keep the new key from the verifier; scheduled refreshes send neither
// no-cache nor give up their ETag (SECURITY.md 3.28).
func TestFH11UnknownKidBypassesCaches(t *testing.T) {
	loadKeys()
	c := &cdn{origin: doc(rsaJWK("k1", &rsaKey.PublicKey))}
	srv := newJWKSServer(t, "")
	srv.setHandler(c.ServeHTTP)
	clock := newFakeClock()
	keys := newCache(t, srv.URL, clock, nil)
	c.rotate(doc(rsaJWK("k1", &rsaKey.PublicKey), rsaJWK("k2", &rsaKey2.PublicKey)))
	clock.Advance(jwks.DefaultCooldown + time.Second)

	// A token of the new key: the lookup's fetch goes through to the origin.
	k, err := lookup(keys, "k2", "RS256")
	if err != nil || k.ID() != "k2" {
		t.Fatalf("lookup of the rotated key: got %v, %v; want k2", k, err)
	}
	// A scheduled refresh: the stored copy is fine, with its ETag.
	clock.Advance(jwks.DefaultRefreshInterval)
	waitFor(t, "the scheduled refresh", func() bool { return len(c.headers()) >= 3 })

	h := c.headers()
	for i, want := range []struct {
		noCache, etag bool
	}{{false, false}, {true, false}, {false, true}} {
		gotNoCache := h[i].Get("Cache-Control") == "no-cache"
		gotETag := h[i].Get("If-None-Match") != ""
		if gotNoCache != want.noCache || gotETag != want.etag {
			t.Errorf("request %d: Cache-Control %q, If-None-Match %q; want no-cache %v, If-None-Match %v",
				i, h[i].Get("Cache-Control"), h[i].Get("If-None-Match"), want.noCache, want.etag)
		}
	}
	if _, err := lookup(keys, "k3", "RS256"); !errors.Is(err, verifier.ErrKeyNotFound) {
		t.Errorf("unknown kid within the cooldown: got %v, want ErrKeyNotFound", err)
	}
}
