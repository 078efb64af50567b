package orgs

import (
	"context"
	"fmt"
	"log/slog"
	"time"
)

// Option configures Require or RequireMember. Each Option says which of the
// two it applies to; giving one to the other panics when the middleware is
// built, as do invalid values.
type Option struct {
	name   string
	member bool // applies to RequireMember (else to Require)
	both   bool
	apply  func(*config)
}

type config struct {
	allow    []string
	lookup   func(ctx context.Context, org string) ([]string, error)
	resolver OrgResolver
	observer Observer
	logger   *slog.Logger

	positiveTTL, negativeTTL time.Duration
	cacheSize                int
	timeout                  time.Duration
	now                      func() time.Time
}

// Defaults of the caches of RequireMember and Require.
const (
	DefaultPositiveTTL = 30 * time.Second // how long a "member" answer is trusted
	DefaultNegativeTTL = 10 * time.Second // how long a "not a member" answer is trusted
	DefaultCacheSize   = 10000            // answers per cache
	DefaultTimeout     = 5 * time.Second  // bound on one IsMember or lookup call
	maxCacheSize       = 1 << 22
)

// Allow also lets tokens of any of orgs through (Require only), whatever
// organization the Source names: a support organization that may act on
// every tenant, or a route that several organizations share. Each entry
// follows the same rule as the Source's value ("org_" in any ASCII case →
// org_id exactly; anything else lower-cased and compared exactly with
// org_name; see verifier.IsOrganizationID).
func Allow(orgs ...string) Option {
	return Option{name: "Allow", apply: func(c *config) { c.allow = append(c.allow, orgs...) }}
}

// WithLookup has fn list further organizations whose tokens may access the
// route's organization (Require only): parent or partner organizations from
// a database, for example. It is called only when the token is not of the
// route's organization nor in Allow; an error or a panic answers 503 (fail
// closed). The route's organization is client input, so fn is not called per
// request: its answers are cached per organization (WithCacheTTL: a
// non-empty list is a positive answer, an empty one a negative answer;
// WithCacheSize), concurrent requests about one organization share one
// call, and WithTimeout bounds the wait. A client that names ever new
// organizations still causes one call per name, at most one at a time per
// name.
func WithLookup(fn func(ctx context.Context, routeOrg string) ([]string, error)) Option {
	return Option{name: "WithLookup", apply: func(c *config) { c.lookup = fn }}
}

// WithObserver has o told the result of every check.
func WithObserver(o Observer) Option {
	return Option{name: "WithObserver", both: true, apply: func(c *config) { c.observer = o }}
}

// WithLogger has l told every refusal (Require and RequireMember): denials
// (org_missing, org_denied, not_member) at Info, a lookup or membership
// check that failed (503) at Warn with its error, a request without claims
// or whose client went away at Debug. The line carries the outcome, status,
// route pattern and, for denials, the organization mismatch as the verifier
// words it (both organizations quoted and cut); never the token. Requests
// let through are not logged. Default: no logging.
func WithLogger(l *slog.Logger) Option {
	return Option{name: "WithLogger", both: true, apply: func(c *config) { c.logger = l }}
}

// WithCacheTTL sets how long a positive and a negative answer is trusted
// (defaults DefaultPositiveTTL and DefaultNegativeTTL): RequireMember's
// membership answers ("member" is positive), and Require's WithLookup answers
// (a non-empty list is positive). The positive TTL bounds how long a removed
// member or partner keeps access. A zero TTL does not cache that kind of
// answer.
func WithCacheTTL(positive, negative time.Duration) Option {
	return Option{name: "WithCacheTTL", both: true, apply: func(c *config) {
		c.positiveTTL, c.negativeTTL = positive, negative
	}}
}

// WithCacheSize bounds each cache of answers (default DefaultCacheSize
// entries, least recently used evicted first): RequireMember's membership
// cache, and Require's cache of WithLookup answers.
func WithCacheSize(n int) Option {
	return Option{name: "WithCacheSize", both: true, apply: func(c *config) { c.cacheSize = n }}
}

// WithTimeout bounds each IsMember call of RequireMember and each
// WithLookup call of Require (default DefaultTimeout): its
// context carries that deadline, and no request waits longer for it, even
// when the checker ignores its context. The call is shared by all requests
// waiting for the same answer and is not canceled when one of them goes
// away; a request that waited the whole timeout is answered 503 and drops
// the call, so that the next request starts a new one.
func WithTimeout(d time.Duration) Option {
	return Option{name: "WithTimeout", both: true, apply: func(c *config) { c.timeout = d }}
}

// WithNow sets the clock that decides when cached answers expire (default
// time.Now); tests give a clock they move.
func WithNow(now func() time.Time) Option {
	return Option{name: "WithNow", both: true, apply: func(c *config) { c.now = now }}
}

func newConfig(fn string, member bool, opts []Option) *config {
	c := &config{positiveTTL: DefaultPositiveTTL, negativeTTL: DefaultNegativeTTL,
		cacheSize: DefaultCacheSize, timeout: DefaultTimeout, now: time.Now}
	for _, o := range opts {
		if o.apply == nil {
			panic("orgs: zero Option")
		}
		if !o.both && o.member != member {
			panic(fmt.Sprintf("orgs: %s does not apply to %s", o.name, fn))
		}
		o.apply(c)
	}
	for _, org := range c.allow {
		if org == "" {
			panic("orgs: Allow with an empty organization")
		}
	}
	switch {
	case c.positiveTTL < 0 || c.negativeTTL < 0:
		panic("orgs: negative cache TTL")
	case c.cacheSize <= 0 || c.cacheSize > maxCacheSize:
		panic(fmt.Sprintf("orgs: cache size %d outside [1, %d]", c.cacheSize, maxCacheSize))
	case c.timeout <= 0:
		panic("orgs: WithTimeout needs a positive duration")
	case c.now == nil:
		panic("orgs: WithNow(nil)")
	}
	return c
}
