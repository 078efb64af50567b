package exchange

import (
	"container/list"
	"crypto/sha256"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/tokengate/tokengate/verifier"
)

// cacheKey is who asks and for what: the caller (iss, sub, org_id, azp,
// the incoming token's scope and permissions, its act chain), the target
// (audience or connection, scope, organization, login hint) and the actor
// token's hash. Each part is written with its length first, so that no two
// different tuples give the same key, whatever their values contain
// (TestCacheKeyNoCollision).
func cacheKey(c *verifier.Claims, r *Request) string {
	var b strings.Builder
	add := func(s string) {
		b.WriteString(strconv.Itoa(len(s)))
		b.WriteByte(':')
		b.WriteString(s)
	}
	addList := func(l []string) {
		l = slices.Clone(l)
		slices.Sort(l)
		l = slices.Compact(l)
		b.WriteString(strconv.Itoa(len(l)))
		b.WriteByte('[')
		for _, s := range l {
			add(s)
		}
	}
	add(c.Issuer)
	add(c.Subject)
	add(c.OrgID)
	party := c.AuthorizedParty
	if party == "" {
		party = c.ClientID
	}
	add(party)
	addList(c.Scope)
	addList(c.Permissions)
	n := 0
	for a := c.Actor; a != nil; a = a.Actor {
		add(a.Issuer)
		add(a.Subject)
		add(a.ClientID)
		n++
	}
	add(strconv.Itoa(n))
	if r.Connection != "" {
		add("connection")
		add(r.Connection)
	} else {
		add("audience")
		add(r.Audience)
	}
	add(r.Scope)
	add(r.Organization)
	add(r.LoginHint)
	add(r.ActorTokenType)
	if r.ActorToken != "" {
		h := sha256.Sum256([]byte(r.ActorToken))
		add(string(h[:]))
	} else {
		add("")
	}
	return b.String()
}

// cache is a bounded LRU of exchanged tokens, each kept until its own
// deadline (expiry minus the margin, at most MaxTTL after receipt).
type cache struct {
	max int
	mu  sync.Mutex
	m   map[string]*list.Element
	lru list.List // front: most recently used
}

type entry struct {
	key      string
	tok      *Token
	deadline time.Time
}

func newCache(max int) *cache { return &cache{max: max, m: make(map[string]*list.Element)} }

func (c *cache) get(key string, now time.Time) *Token {
	c.mu.Lock()
	defer c.mu.Unlock()
	el, ok := c.m[key]
	if !ok {
		return nil
	}
	e := el.Value.(*entry)
	if !now.Before(e.deadline) {
		c.lru.Remove(el)
		delete(c.m, key)
		return nil
	}
	c.lru.MoveToFront(el)
	return e.tok
}

func (c *cache) put(key string, tok *Token, deadline time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.m[key]; ok {
		e := el.Value.(*entry)
		e.tok, e.deadline = tok, deadline
		c.lru.MoveToFront(el)
		return
	}
	for c.lru.Len() >= c.max {
		old := c.lru.Back()
		c.lru.Remove(old)
		delete(c.m, old.Value.(*entry).key)
	}
	c.m[key] = c.lru.PushFront(&entry{key: key, tok: tok, deadline: deadline})
}

func (c *cache) len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.lru.Len()
}
