package authtest

import (
	"fmt"
	"strings"
)

// memberKey names one membership: an organization ID and a user subject.
type memberKey struct{ org, subject string }

// RemoveMember removes a user from an organization while the tenant runs,
// as DELETE /api/v2/organizations/{id}/members does on Auth0. From then on
// the Management API reads (members, member roles, the user's
// organizations) and the token endpoint no longer see the membership.
// Tokens issued before stay valid until they expire, as Auth0's do: that is
// what a live membership check (orgs.RequireMember) is for. Its cache
// trusts a "member" answer for 30 s: give it orgs.WithCacheTTL(0, 0) in
// tests, so that the request right after RemoveMember is refused.
//
// org is an organization ID or name; user is a User.ID or a subject
// ("auth0|alice"). An unknown organization or user, or a user who is not
// (or no longer) a member, is an error wrapping ErrNotFound. A removed
// membership cannot be restored.
func (t *Tenant) RemoveMember(org, user string) error {
	o := t.dir.org(org)
	if o == nil {
		return fmt.Errorf("%w: organization %q", ErrNotFound, org)
	}
	u := t.dir.bySubject[user]
	if u == nil && !strings.Contains(user, "|") {
		u = t.dir.bySubject["auth0|"+user]
	}
	if u == nil {
		return fmt.Errorf("%w: user %q", ErrNotFound, user)
	}
	if _, ok := t.member(u, o.ID); !ok {
		if _, removed := t.removed.Load(memberKey{o.ID, u.subject}); removed {
			return fmt.Errorf("%w: user %q was already removed from %q", ErrNotFound, user, org)
		}
		return fmt.Errorf("%w: user %q is not a member of %q", ErrNotFound, user, org)
	}
	if _, loaded := t.removed.LoadOrStore(memberKey{o.ID, u.subject}, struct{}{}); loaded {
		return fmt.Errorf("%w: user %q was already removed from %q", ErrNotFound, user, org)
	}
	return nil
}

// member returns u's roles in the organization orgID and whether u is a
// member of it now: configured and not removed since.
func (t *Tenant) member(u *user, orgID string) ([]*Role, bool) {
	roles, ok := u.orgRoles[orgID]
	if !ok {
		return nil, false
	}
	if _, removed := t.removed.Load(memberKey{orgID, u.subject}); removed {
		return nil, false
	}
	if _, pending := t.pending.Load(memberKey{orgID, u.subject}); pending {
		return nil, false // invited, not a member until the invitation is accepted
	}
	return roles, true
}
