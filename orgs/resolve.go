package orgs

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/tokengate/tokengate/verifier"
)

// OrgResolver tells the org_id of the organization that carries a name
// now, from the source of truth (the Auth0 Management API's
// GET /organizations/name/{name}, a database). It returns "" and a nil error
// when no organization has that name; an error means "cannot tell".
type OrgResolver interface {
	OrgID(ctx context.Context, name string) (string, error)
}

// WithResolver ties organization names to ids. Names can be
// changed and reused: once an organization is renamed and another one takes
// its name, a token issued earlier to the first still carries the name in
// org_name until it expires, and would match the route of the second. With
// r, a route that names its organization by name (anything but "org_..."
// in any ASCII case) is resolved to the org_id that carries the name now,
// and a token matching the name must also have that org_id; the resolved
// id is Checked's Org.ID, and RequireMember placed after Require checks
// membership of that organization.
//
// r receives the name lower-cased, as it is compared with org_name. Its
// answers are cached per name (WithCacheTTL: an id is a positive answer,
// "" a negative one; WithCacheSize), concurrent requests for one name share
// one call, and WithTimeout bounds the wait. The positive TTL bounds how
// long a renamed organization's old tokens keep matching the name. An
// error, a panic or a timeout answers 503 with Retry-After; an unknown name
// or another org_id answers 403. Allow entries are not resolved: give them
// as ids.
func WithResolver(r OrgResolver) Option {
	return requireOption(func(c *config) { c.resolver = r })
}

// errRenamed is the cause of a refusal of a token whose org_name matches the
// route but whose org_id is not the id that carries the name now.
var errRenamed = fmt.Errorf("%w: org_name matches, but org_id is not the id of the organization that has the name now", verifier.ErrOrganization)

// newNames puts the cache and single-flight in front of r.
func newNames(r OrgResolver, cfg *config) *answers[string, string] {
	return &answers[string, string]{
		cache: newCache[string, string](cfg.cacheSize),
		fetch: func(ctx context.Context, name string) (string, error) {
			id, err := r.OrgID(ctx, name)
			return strings.Clone(id), err // may alias a whole response body
		},
		flight: func(name string) string { return name },
		clone:  strings.Clone,
		ttl: func(id string) time.Duration {
			if id != "" {
				return cfg.positiveTTL
			}
			return cfg.negativeTTL
		},
		timeout: cfg.timeout,
		now:     cfg.now,
	}
}
