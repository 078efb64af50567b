package orgs

import (
	"container/list"
	"sync"
	"time"
)

// memberCache is a bounded LRU of membership answers with an expiry each.
// A hit costs a map lookup under a mutex and no allocation.
type memberCache struct {
	mu  sync.Mutex
	m   map[memberKey]*list.Element
	lru list.List // of *memberEntry, most recently used first
	max int
}

type memberKey struct{ org, user string }

type memberEntry struct {
	key     memberKey
	member  bool
	expires time.Time
}

func newMemberCache(size int) *memberCache {
	return &memberCache{m: make(map[memberKey]*list.Element), max: size}
}

func (c *memberCache) get(k memberKey, now time.Time) (member, ok bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	el := c.m[k]
	if el == nil {
		return false, false
	}
	e := el.Value.(*memberEntry)
	if !now.Before(e.expires) {
		c.lru.Remove(el)
		delete(c.m, k)
		return false, false
	}
	c.lru.MoveToFront(el)
	return e.member, true
}

func (c *memberCache) put(k memberKey, member bool, expires time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if el := c.m[k]; el != nil {
		e := el.Value.(*memberEntry)
		e.member, e.expires = member, expires
		c.lru.MoveToFront(el)
		return
	}
	c.m[k] = c.lru.PushFront(&memberEntry{key: k, member: member, expires: expires})
	for c.lru.Len() > c.max {
		last := c.lru.Back()
		c.lru.Remove(last)
		delete(c.m, last.Value.(*memberEntry).key)
	}
}

func (c *memberCache) len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.lru.Len()
}
