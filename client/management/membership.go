package management

import (
	"context"
	"errors"
	"net/http"

	"github.com/tokengate/tokengate/client"
)

// MembershipLookup chooses the endpoint a MembershipChecker asks.
type MembershipLookup int

const (
	// ByUserOrganizations lists the user's organizations
	// (GET /users/{id}/organizations, scope read:users and
	// read:organizations): one request for any user in at most 100
	// organizations, whatever the size of the organization. The default.
	ByUserOrganizations MembershipLookup = iota
	// ByOrganizationMembers walks the organization's members with
	// checkpoint pagination (GET /organizations/{id}/members?fields=user_id,
	// scope read:organization_members): one request per 100 members, so
	// use it only for small organizations or when the token lacks the
	// scopes of ByUserOrganizations.
	ByOrganizationMembers
)

// MembershipChecker answers whether a user is a member of an organization
// from the Management API, for orgs.RequireMember (it has the method of
// orgs.MembershipChecker; this package does not import orgs):
//
//	orgs.RequireMember(&management.MembershipChecker{Management: m})
//
// Organization and user IDs are compared exactly. A user or organization
// the API does not know (404) is not a member; any other failure is an
// error, which the caller must treat as "cannot tell", never as "no". The
// API's membership endpoints are eventually consistent: a change may take a
// moment to show. It is safe for concurrent use; callers cache answers.
type MembershipChecker struct {
	Management *Management
	// Lookup is ByUserOrganizations unless set.
	Lookup MembershipLookup
}

// errNoManagement is returned by IsMember on a checker without a client.
var errNoManagement = errors.New("management: MembershipChecker without a Management client")

// membershipPageSize is the largest page the API serves.
const membershipPageSize = 100

// IsMember reports whether userID is a member of the organization orgID.
func (c *MembershipChecker) IsMember(ctx context.Context, orgID, userID string) (bool, error) {
	if c == nil || c.Management == nil {
		return false, errNoManagement
	}
	if orgID == "" || userID == "" {
		return false, ErrEmptyParameter
	}
	var found bool
	var err error
	switch c.Lookup {
	case ByOrganizationMembers:
		start, fields := &Checkpoint{Take: membershipPageSize}, &FieldSelection{Fields: []string{"user_id"}}
		found, err = first(c.Management.Organizations.AllMembers(ctx, orgID, start, fields), func(m *Member) bool { return m.UserID == userID })
	default:
		opts := &Offset{PerPage: membershipPageSize}
		found, err = first(c.Management.Users.AllOrganizations(ctx, userID, opts), func(o *Organization) bool { return o.ID == orgID })
	}
	var apiErr *client.Error
	if errors.As(err, &apiErr) && apiErr.StatusCode == http.StatusNotFound {
		return false, nil // no such user or organization: no membership
	}
	return found, err
}

// first walks seq until match holds (true), the end (false) or an error.
func first[T any](seq func(func(T, error) bool), match func(T) bool) (bool, error) {
	for v, err := range seq {
		if err != nil {
			return false, err
		}
		if match(v) {
			return true, nil
		}
	}
	return false, nil
}
