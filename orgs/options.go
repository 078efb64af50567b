package orgs

import (
	"context"
	"fmt"
	"log/slog"
	"time"
)

// Option configures Require: Allow, WithLookup, WithResolver, and every
// SharedOption. It is checked when Require is built; an invalid value (a
// nil Option, an empty Allow entry) panics then, never per request.
type Option interface{ applyRequire(*config) }

// MemberOption configures RequireMember: every SharedOption. The options of
// Require alone (Allow, WithLookup, WithResolver) are not MemberOptions, so
// giving one to RequireMember does not compile.
type MemberOption interface{ applyMember(*config) }

// SharedOption configures Require and RequireMember alike: the caches of
// remote answers (WithCacheTTL, WithCacheSize, WithTimeout, WithNow) and
// the reports (WithObserver, WithLogger).
type SharedOption interface {
	Option
	MemberOption
}

// requireOption is an Option of Require only.
type requireOption func(*config)

func (o requireOption) applyRequire(c *config) { o(c) }

// sharedOption is a SharedOption.
type sharedOption func(*config)

func (o sharedOption) applyRequire(c *config) { o(c) }
func (o sharedOption) applyMember(c *config)  { o(c) }

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

// WithObserver has o told the result of every check: an Event of bounded
// labels (outcome, status, route pattern, cache use; never the
// organization), which package metrics counts.
func WithObserver(o Observer) SharedOption {
	return sharedOption(func(c *config) { c.observer = o })
}

// WithLogger has l told every refusal (Require and RequireMember) at the
// level middleware.WithLogger uses for it: denials (org_missing,
// org_denied, not_member) at Info, a lookup or membership check that
// failed (503) at Warn with its error, a request without claims or whose
// client went away at Debug. The line carries the outcome, status, route
// pattern, whether the answers came from a cache and, for denials, the
// organization mismatch as the verifier words it (both organizations
// quoted and cut); never the token. Requests let through are not logged.
// Default: no logging.
func WithLogger(l *slog.Logger) SharedOption {
	return sharedOption(func(c *config) { c.logger = l })
}

// WithCacheTTL sets how long a positive and a negative answer is trusted
// (defaults DefaultPositiveTTL and DefaultNegativeTTL): RequireMember's
// membership answers ("member" is positive), and Require's WithLookup and
// WithResolver answers (a non-empty list, an id are positive). The positive
// TTL bounds how long a removed member or partner keeps access. A zero TTL
// does not cache that kind of answer; a negative one panics.
func WithCacheTTL(positive, negative time.Duration) SharedOption {
	return sharedOption(func(c *config) { c.positiveTTL, c.negativeTTL = positive, negative })
}

// WithCacheSize bounds each cache of answers (default DefaultCacheSize
// entries, least recently used evicted first): RequireMember's membership
// cache, and Require's caches of WithLookup and WithResolver answers. A
// size outside [1, 4194304] panics.
func WithCacheSize(n int) SharedOption {
	return sharedOption(func(c *config) { c.cacheSize = n })
}

// WithTimeout bounds each IsMember call of RequireMember and each
// WithLookup or WithResolver call of Require (default DefaultTimeout): its
// context carries that deadline, and no request waits longer for it, even
// when the callee ignores its context. The call is shared by all requests
// waiting for the same answer and is not canceled when one of them goes
// away; a request that waited the whole timeout is answered 503 and drops
// the call, so that the next request starts a new one. A duration that is
// not positive panics.
func WithTimeout(d time.Duration) SharedOption {
	return sharedOption(func(c *config) { c.timeout = d })
}

// WithNow sets the clock that decides when cached answers expire (default
// time.Now); tests give a clock they move.
func WithNow(now func() time.Time) SharedOption {
	return sharedOption(func(c *config) { c.now = now })
}

// newRequireConfig applies the options of Require and checks the result.
func newRequireConfig(opts []Option) *config {
	c := defaultConfig()
	for _, o := range opts {
		if o == nil {
			panic("orgs: nil Option")
		}
		o.applyRequire(c)
	}
	for _, org := range c.allow {
		if org == "" {
			panic("orgs: Allow with an empty organization")
		}
	}
	return c.check()
}

// newMemberConfig applies the options of RequireMember and checks the
// result.
func newMemberConfig(opts []MemberOption) *config {
	c := defaultConfig()
	for _, o := range opts {
		if o == nil {
			panic("orgs: nil MemberOption")
		}
		o.applyMember(c)
	}
	return c.check()
}

func defaultConfig() *config {
	return &config{positiveTTL: DefaultPositiveTTL, negativeTTL: DefaultNegativeTTL,
		cacheSize: DefaultCacheSize, timeout: DefaultTimeout, now: time.Now}
}

// check panics on a value no request could be served with.
func (c *config) check() *config {
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
