package orgs

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"golang.org/x/sync/singleflight"

	"github.com/tokengate/tokengate/middleware"
)

// MembershipChecker answers whether a user is a member of an organization,
// from the source of truth (the Auth0 Management API's organization members,
// a database). An error means "cannot tell", never "no".
type MembershipChecker interface {
	IsMember(ctx context.Context, orgID, userID string) (bool, error)
}

// RequireMember returns middleware that lets a request through only when
// checker confirms that the token's subject (sub) is a member of the token's
// organization (org_id), so that a member removed from an organization loses
// access before their token expires. Answers are cached per (org_id, sub)
// (WithCacheTTL, WithCacheSize), and concurrent requests for the same pair
// share one IsMember call (WithTimeout bounds it).
//
// It checks the token's own organization: put Require before it to bind
// that organization to the route. No claims: 401. A token without org_id or
// sub: 403 (OutcomeMissing). Not a member: 403 (OutcomeNotMember). An
// IsMember error or panic: 503 with Retry-After (OutcomeUnavailable), not
// cached. It panics if checker is nil or an option is invalid.
func RequireMember(checker MembershipChecker, opts ...Option) func(http.Handler) http.Handler {
	if checker == nil {
		panic("orgs: RequireMember needs a MembershipChecker")
	}
	cfg := newConfig("RequireMember", true, opts)
	m := &members{checker: checker, cfg: cfg, cache: newMemberCache(cfg.cacheSize)}
	return func(next http.Handler) http.Handler {
		if next == nil {
			panic("orgs: RequireMember given a nil handler")
		}
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			ctx := r.Context()
			claims, ok := middleware.ClaimsFromContext(ctx)
			if !ok {
				if middleware.IsPreflight(ctx) {
					next.ServeHTTP(w, r)
					return
				}
				cfg.refuse(w, r, &errUnauthenticated, nil, false)
				return
			}
			if claims.OrgID == "" || claims.Subject == "" {
				cfg.refuse(w, r, &errMissing, nil, false)
				return
			}
			member, hit, err := m.isMember(ctx, claims.OrgID, claims.Subject)
			switch {
			case err != nil:
				cfg.refuse(w, r, failure(ctx), err, hit)
			case !member:
				cfg.refuse(w, r, &errNotMember, nil, hit)
			default:
				cfg.allowed(r, hit)
				next.ServeHTTP(w, r)
			}
		})
	}
}

type members struct {
	checker MembershipChecker
	cfg     *config
	cache   *memberCache
	group   singleflight.Group
}

// isMember answers from the cache, or from one IsMember call shared by every
// request asking the same question. A caller whose context ends stops
// waiting; the call goes on for the others, bounded by the timeout.
func (m *members) isMember(ctx context.Context, org, user string) (member, hit bool, err error) {
	if member, ok := m.cache.get(memberKey{org, user}, m.cfg.now()); ok {
		return member, true, nil
	}
	// Length-prefixed, so that no two (org, user) pairs share a key.
	key := strconv.Itoa(len(org)) + ":" + org + user
	ch := m.group.DoChan(key, func() (any, error) {
		return m.fetch(context.WithoutCancel(ctx), org, user)
	})
	select {
	case res := <-ch:
		if res.Err != nil {
			return false, false, res.Err
		}
		return res.Val.(bool), false, nil
	case <-ctx.Done():
		return false, false, ctx.Err()
	}
}

func (m *members) fetch(ctx context.Context, org, user string) (member bool, err error) {
	ctx, cancel := context.WithTimeout(ctx, m.cfg.timeout)
	defer cancel()
	// singleflight re-panics a DoChan panic on a goroutine of its own, which
	// would end the process: a broken checker must fail closed instead.
	defer func() {
		if p := recover(); p != nil {
			member, err = false, fmt.Errorf("orgs: MembershipChecker panicked: %v", p)
		}
	}()
	member, err = m.checker.IsMember(ctx, org, user)
	if err != nil {
		return false, err
	}
	ttl := m.cfg.negativeTTL
	if member {
		ttl = m.cfg.positiveTTL
	}
	if ttl > 0 {
		// The strings alias the token's claims: clone them for the cache.
		m.cache.put(memberKey{strings.Clone(org), strings.Clone(user)}, member, m.cfg.now().Add(ttl))
	}
	return member, nil
}
