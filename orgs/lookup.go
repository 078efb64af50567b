package orgs

import (
	"context"
	"slices"
	"strings"
	"time"
)

// WithLookup has fn list further organizations whose tokens may access the
// route's organization: parent or partner organizations from a database,
// for example. It is called only when the token is not of the route's
// organization nor in Allow; an error or a panic answers 503 (fail
// closed). The route's organization is client input, so fn is not called
// per request: its answers are cached per organization (WithCacheTTL: a
// non-empty list is a positive answer, an empty one a negative answer;
// WithCacheSize), concurrent requests about one organization share one
// call, and WithTimeout bounds the wait. A client that names ever new
// organizations still causes one call per name, at most one at a time per
// name.
func WithLookup(fn func(ctx context.Context, routeOrg string) ([]string, error)) Option {
	return requireOption(func(c *config) { c.lookup = fn })
}

// newLookups puts the cache and single-flight in front of WithLookup: the
// route's organization is client input, so without them every request
// could make a call. A non-empty list is a positive answer (WithCacheTTL).
func newLookups(cfg *config) *answers[string, []string] {
	lookup := cfg.lookup
	return &answers[string, []string]{
		cache: newCache[string, []string](cfg.cacheSize),
		fetch: func(ctx context.Context, org string) ([]string, error) {
			more, err := lookup(ctx, org)
			return slices.Clone(more), err // kept: not the caller's to change later
		},
		flight: func(org string) string { return org },
		clone:  strings.Clone,
		ttl: func(more []string) time.Duration {
			if len(more) > 0 {
				return cfg.positiveTTL
			}
			return cfg.negativeTTL
		},
		timeout: cfg.timeout,
		now:     cfg.now,
	}
}
