package orgs

import (
	"container/list"
	"sync"
	"time"
)

// cache is a bounded LRU of answers with an expiry each: the membership
// answers of RequireMember and the answers of WithLookup and WithResolver.
// A hit costs a map lookup under a mutex and no allocation.
type cache[K comparable, V any] struct {
	mu  sync.Mutex
	m   map[K]*list.Element
	lru list.List // of *entry[K, V], most recently used first
	max int
}

type entry[K comparable, V any] struct {
	key     K
	val     V
	expires time.Time
}

func newCache[K comparable, V any](size int) *cache[K, V] {
	return &cache[K, V]{m: make(map[K]*list.Element), max: size}
}

func (c *cache[K, V]) get(k K, now time.Time) (v V, ok bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	el := c.m[k]
	if el == nil {
		return v, false
	}
	e := el.Value.(*entry[K, V])
	if !now.Before(e.expires) {
		c.lru.Remove(el)
		delete(c.m, k)
		return v, false
	}
	c.lru.MoveToFront(el)
	return e.val, true
}

func (c *cache[K, V]) put(k K, v V, expires time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if el := c.m[k]; el != nil {
		e := el.Value.(*entry[K, V])
		e.val, e.expires = v, expires
		c.lru.MoveToFront(el)
		return
	}
	c.m[k] = c.lru.PushFront(&entry[K, V]{key: k, val: v, expires: expires})
	for c.lru.Len() > c.max {
		last := c.lru.Back()
		c.lru.Remove(last)
		delete(c.m, last.Value.(*entry[K, V]).key)
	}
}

func (c *cache[K, V]) len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.lru.Len()
}
