package verifier

import (
	"sync"
	"sync/atomic"

	"github.com/tokengate/tokengate/internal/jose"
)

// The verified-token cache maps the exact token string to its verified
// claims and the key that verified them. Only tokens that passed every check
// are stored; a hit re-checks the time claims and that the key has not been
// retired by its source (SECURITY.md 3.18). Eviction is CLOCK (second
// chance) per shard, so a hit takes a read lock and sets one bit.
//
// The shard capacities add up to the configured size exactly, so the size
// is a bound (SECURITY.md X6). A cache smaller than cacheShards entries
// uses fewer shards (the largest power of two not above its size), so that
// every token can be cached; a cache that small is not one where parallel
// hits on one lock would matter.
type tokenCache struct {
	shards [cacheShards]cacheShard
	mask   uint32 // shards in use - 1
}

const (
	cacheShards   = 16
	maxCachedSize = 4096 // plain tokens above 4 KiB are not cached (VC4); encrypted ones are, up to MaxTokenSize
)

type cacheShard struct {
	mu sync.RWMutex
	// hits counts the hits that returned claims, when the Verifier counts
	// them (Config.Observer set). It sits next to mu, whose reader count
	// every hit writes already, so the add touches no other cache line.
	hits atomic.Uint64
	m    map[string]*cacheEntry
	ring []string
	hand int
	cap  int
}

type cacheEntry struct {
	claims *Claims
	key    *Key
	ref    atomic.Bool
}

// newTokenCache returns a cache of size entries; size must be positive.
func newTokenCache(size int) *tokenCache {
	n := cacheShards
	for n > 1 && n > size {
		n /= 2
	}
	c := &tokenCache{mask: uint32(n - 1)}
	for i := range n {
		per := size / n
		if i < size%n {
			per++
		}
		// The map grows as tokens come; a large CacheSize is not
		// allocated up front.
		c.shards[i].m = make(map[string]*cacheEntry, min(per, 1024))
		c.shards[i].cap = per
	}
	return c
}

// shard picks a shard from the last bytes of the token: the base64url of the
// signature, which is uniformly distributed for tokens that verified.
func (c *tokenCache) shard(token string) *cacheShard {
	var h uint32
	for i := max(0, len(token)-8); i < len(token); i++ {
		h = h*31 + uint32(token[i])
	}
	return &c.shards[h&c.mask]
}

// get returns the entry of token, or nil, and the shard that holds it (for
// its hit count).
func (c *tokenCache) get(token string) (*cacheEntry, *cacheShard) {
	sh := c.shard(token)
	sh.mu.RLock()
	e := sh.m[token]
	sh.mu.RUnlock()
	if e != nil && !e.ref.Load() {
		e.ref.Store(true)
	}
	return e, sh
}

// put caches token; above maxCachedSize only when encrypted (the caller
// bounds it by MaxTokenSize).
func (c *tokenCache) put(token string, claims *Claims, key *Key, encrypted bool) {
	if len(token) > maxCachedSize && !encrypted {
		return
	}
	sh := c.shard(token)
	sh.mu.Lock()
	defer sh.mu.Unlock()
	if _, ok := sh.m[token]; ok {
		return
	}
	e := &cacheEntry{claims: claims, key: key}
	if len(sh.ring) < sh.cap {
		sh.ring = append(sh.ring, token)
		sh.m[token] = e
		return
	}
	// Second chance: skip entries used since the hand last passed, and take
	// a retired key's entry at once.
	for {
		victim := sh.ring[sh.hand]
		ve := sh.m[victim]
		if ve == nil || !ve.ref.Load() || ve.key.retired() {
			delete(sh.m, victim)
			sh.ring[sh.hand] = token
			sh.m[token] = e
			sh.hand = (sh.hand + 1) % len(sh.ring)
			return
		}
		ve.ref.Store(false)
		sh.hand = (sh.hand + 1) % len(sh.ring)
	}
}

// remove drops token if it still maps to e.
func (c *tokenCache) remove(token string, e *cacheEntry) {
	sh := c.shard(token)
	sh.mu.Lock()
	if sh.m[token] == e {
		delete(sh.m, token)
		// The ring slot is reused by the next put that reaches it.
	}
	sh.mu.Unlock()
}

// stats returns the number of cached tokens and the counted hits. It takes
// each shard's read lock in turn: cheap enough for a metrics scrape.
func (c *tokenCache) stats() (entries int, hits uint64) {
	for i := range c.mask + 1 {
		sh := &c.shards[i]
		sh.mu.RLock()
		entries += len(sh.m)
		sh.mu.RUnlock()
		hits += sh.hits.Load()
	}
	return entries, hits
}

// Stats is a point-in-time view of a Verifier's verified-token cache, for
// metrics.
type Stats struct {
	// CacheEntries is the number of cached tokens (0 when the cache is off).
	CacheEntries int
	// CacheHits counts the Verify calls the cache answered with claims,
	// since New. They are counted only when Config.Observer is set, which
	// is told every other outcome but not these: the hottest path then
	// costs one atomic add, no call; without an Observer, nothing.
	CacheHits uint64
}

// Stats returns the verified-token cache's size and hit count. It takes
// each cache shard's read lock in turn: cheap enough for a metrics scrape,
// not meant for the request path.
func (v *Verifier) Stats() Stats {
	if v.cache == nil {
		return Stats{}
	}
	n, hits := v.cache.stats()
	return Stats{CacheEntries: n, CacheHits: hits}
}

// cachesLarge reports whether a token above maxCachedSize may be in the
// cache: an encrypted token (four dots) of at most MaxTokenSize, when
// Decryption is configured. A nested JWE of an Auth0 token with
// permissions is often above 4 KiB, and a miss costs a private-key
// operation.
func (v *Verifier) cachesLarge(token string) bool {
	return v.dec != nil && len(token) <= v.maxSize && jose.CountDots(token) == 4
}
