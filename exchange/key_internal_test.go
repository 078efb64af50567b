package exchange

import (
	"testing"
	"time"

	"github.com/tokengate/tokengate/verifier"
)

// TestCacheKeyNoCollision (OB9): callers and targets crafted so that a
// naive concatenation of the key's parts would collide get distinct keys.
func TestCacheKeyNoCollision(t *testing.T) {
	type tc struct {
		name string
		c    verifier.Claims
		r    Request
	}
	base := verifier.Claims{Issuer: "https://t/", Subject: "auth0|a", AuthorizedParty: "app"}
	with := func(f func(c *verifier.Claims)) verifier.Claims { c := base; f(&c); return c }
	cases := []tc{
		{"base", base, Request{Audience: "https://d"}},
		{"sub_org_shift", with(func(c *verifier.Claims) { c.Subject, c.OrgID = "auth0|a1", "" }), Request{Audience: "https://d"}},
		{"org_from_sub", with(func(c *verifier.Claims) { c.Subject, c.OrgID = "auth0|a", "1" }), Request{Audience: "https://d"}},
		{"iss_sub_shift", with(func(c *verifier.Claims) { c.Issuer, c.Subject = "https://t/auth0|a", "" }), Request{Audience: "https://d"}},
		{"azp_client_id", with(func(c *verifier.Claims) { c.AuthorizedParty, c.ClientID = "", "app2" }), Request{Audience: "https://d"}},
		{"audience_as_connection", base, Request{Connection: "https://d"}},
		{"audience_scope_shift", base, Request{Audience: "https://d", Scope: "x"}},
		{"audience_scope_shift2", base, Request{Audience: "https://dx"}},
		{"scope_org_shift", base, Request{Audience: "https://d", Organization: "x"}},
		{"perm_one", with(func(c *verifier.Claims) { c.Permissions = []string{"a b"} }), Request{Audience: "https://d"}},
		{"perm_two", with(func(c *verifier.Claims) { c.Permissions = []string{"a", "b"} }), Request{Audience: "https://d"}},
		{"scope_two", with(func(c *verifier.Claims) { c.Scope = []string{"a", "b"} }), Request{Audience: "https://d"}},
		{"length_digits", with(func(c *verifier.Claims) { c.Subject = "7:auth0|a" }), Request{Audience: "https://d"}},
		{"actor", with(func(c *verifier.Claims) { c.Actor = &verifier.Actor{Subject: "agent"} }), Request{Audience: "https://d"}},
		{"actor_token", base, Request{Audience: "https://d", ActorToken: "t1", ActorTokenType: "x"}},
		{"actor_token2", base, Request{Audience: "https://d", ActorToken: "t2", ActorTokenType: "x"}},
	}
	seen := map[string]string{}
	for _, c := range cases {
		k := cacheKey(&c.c, &c.r)
		if other, dup := seen[k]; dup {
			t.Errorf("%s and %s share the key %q", c.name, other, k)
		}
		seen[k] = c.name
	}
	// Order and repeats of scope and permissions are not a different caller.
	a := with(func(c *verifier.Claims) { c.Scope = []string{"b", "a", "a"} })
	b := with(func(c *verifier.Claims) { c.Scope = []string{"a", "b"} })
	if cacheKey(&a, &Request{Audience: "d"}) != cacheKey(&b, &Request{Audience: "d"}) {
		t.Error("the same scope set in another order gave another key")
	}
}

// TestCacheBounded (OB9): the cache holds at most its size, dropping the
// least recently used.
func TestCacheBounded(t *testing.T) {
	c := newCache(2)
	now := testNow()
	for _, k := range []string{"a", "b", "c"} {
		c.put(k, &Token{AccessToken: k}, now.Add(1e9))
	}
	if c.len() != 2 || c.get("a", now) != nil || c.get("c", now) == nil {
		t.Fatalf("got %d entries, a kept %v, want 2 without a", c.len(), c.get("a", now) != nil)
	}
	if c.get("c", now.Add(1e9)) != nil {
		t.Error("an entry was returned at its deadline")
	}
}

func testNow() time.Time { return time.Unix(1_800_000_000, 0) }
