package orgs

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/tokengate/tokengate/internal/routecheck"
	"github.com/tokengate/tokengate/middleware"
)

// MembershipChecker answers whether a user is a member of an organization,
// from the source of truth (the Auth0 Management API's organization members,
// a database). An error means "cannot tell", never "no".
type MembershipChecker interface {
	IsMember(ctx context.Context, orgID, userID string) (bool, error)
}

// RequireMember returns middleware that lets a request through only when
// checker confirms that the token's subject (sub) is a member of the
// organization, so that a member removed from an organization loses access
// before their token expires. The organization is the route's, as Require
// checked it, when its id is known there (an id in the route, or a name
// that WithResolver resolved) and the token is of it; otherwise (no Require
// before it, a name without a resolver, a token that Allow or WithLookup let
// in) it is the token's own org_id.
//
// Answers are cached per (organization, sub) (WithCacheTTL, WithCacheSize),
// and concurrent requests for the same pair share one IsMember call.
// WithTimeout bounds how long each request waits for it, also when the
// checker ignores its context (a database driver may): the request is then
// answered 503 and the next one starts a new call; an answer that comes
// later is neither used nor cached.
//
// Put Require before it to bind the organization to the route. No
// Authenticate before it: 500, logged once, as for Require. Anonymous: 401. No organization id or no sub: 403 (OutcomeMissing). Not a member:
// 403 (OutcomeNotMember). An IsMember error, panic or timeout: 503 with
// Retry-After (OutcomeUnavailable), not cached. It panics if checker is nil
// or an option is invalid.
func RequireMember(checker MembershipChecker, opts ...MemberOption) func(http.Handler) http.Handler {
	if checker == nil {
		panic("orgs: RequireMember needs a MembershipChecker")
	}
	cfg := newMemberConfig(opts)
	m := newMembers(checker, cfg)
	guard := routecheck.NewUnmounted("orgs.RequireMember")
	return func(next http.Handler) http.Handler {
		if next == nil {
			panic("orgs: RequireMember given a nil handler")
		}
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			t0 := cfg.start()
			if !cfg.mounted(w, r, t0, guard) {
				return
			}
			ctx := r.Context()
			claims, ok := middleware.ClaimsFromContext(ctx)
			if !ok {
				cfg.refuse(w, r, t0, &errUnauthenticated, nil, false)
				return
			}
			org := claims.OrgID
			if c, ok := Checked(ctx); ok && !c.Granted && c.ID != "" {
				org = c.ID // the route's organization, resolved
			}
			if org == "" || claims.Subject == "" {
				cfg.refuse(w, r, t0, &errMissing, nil, false)
				return
			}
			member, hit, err := m.get(ctx, memberKey{org, claims.Subject})
			switch {
			case err != nil:
				cfg.refuse(w, r, t0, failure(ctx), err, hit)
			case !member:
				cfg.refuse(w, r, t0, &errNotMember, nil, hit)
			default:
				cfg.allowed(r, t0, hit)
				next.ServeHTTP(w, r)
			}
		})
	}
}

type memberKey struct{ org, user string }

// newMembers builds the cached, single-flight membership check.
func newMembers(checker MembershipChecker, cfg *config) *answers[memberKey, bool] {
	return &answers[memberKey, bool]{
		cache: newCache[memberKey, bool](cfg.cacheSize),
		fetch: func(ctx context.Context, k memberKey) (bool, error) {
			return checker.IsMember(ctx, k.org, k.user)
		},
		// Length-prefixed, so that no two (org, user) pairs share a key.
		flight: func(k memberKey) string { return strconv.Itoa(len(k.org)) + ":" + k.org + k.user },
		// The strings alias the token's claims: the cache keeps copies.
		clone: func(k memberKey) memberKey { return memberKey{strings.Clone(k.org), strings.Clone(k.user)} },
		ttl: func(member bool) time.Duration {
			if member {
				return cfg.positiveTTL
			}
			return cfg.negativeTTL
		},
		timeout: cfg.timeout,
		now:     cfg.now,
	}
}
