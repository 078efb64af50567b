package orgs

import (
	"context"
	"fmt"
)

// Members is RequireMember's membership check without net/http, for other
// transports (the grpcauth module's interceptors): the same bounded cache
// of answers per (organization, user) with the TTLs of WithCacheTTL,
// concurrent checks of one pair sharing one IsMember call, each caller
// waiting at most WithTimeout, and a checker's panic or error never
// cached. It is safe for concurrent use; build it once.
type Members struct {
	answers *answers[memberKey, bool]
}

// NewMembers returns the cached, single-flight membership check of checker,
// configured by the cache options of RequireMember (WithCacheTTL,
// WithCacheSize, WithTimeout, WithNow). WithObserver and WithLogger have no
// effect here: the caller reports what Check answered. It panics if checker
// is nil or an option is invalid, as RequireMember does.
func NewMembers(checker MembershipChecker, opts ...MemberOption) *Members {
	if checker == nil {
		panic("orgs: NewMembers needs a MembershipChecker")
	}
	return &Members{answers: newMembers(checker, newMemberConfig(opts))}
}

// Check answers whether userID is a member of orgID, from the cache when
// it can (hit). An error means "cannot tell", never "no": the checker
// failed or panicked (an error wrapping hook.ErrPanic's text), no answer
// came within the timeout (an error wrapping context.DeadlineExceeded), or
// ctx ended first. Answer such requests as unavailable, not as refused.
func (m *Members) Check(ctx context.Context, orgID, userID string) (member, hit bool, err error) {
	if orgID == "" || userID == "" {
		return false, false, fmt.Errorf("orgs: membership check without an organization or a user")
	}
	return m.answers.get(ctx, memberKey{orgID, userID})
}
