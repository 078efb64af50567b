package management

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"github.com/tokengate/tokengate/client"
)

// OrgResolver tells the org_id of the organization that has a name now,
// from the Management API (GET /organizations/name/{name}, scope
// read:organizations), for orgs.WithResolver (it has the method of
// orgs.OrgResolver; this package does not import orgs):
//
//	orgs.Require(orgs.FromPath("org"), orgs.WithResolver(&management.OrgResolver{Management: m}))
//
// A name no organization has (404) is "" with a nil error; any other
// failure, and an answer for another name or without an id, is an error,
// which the caller must treat as "cannot tell". It is safe for concurrent
// use; callers cache answers.
type OrgResolver struct {
	Management *Management
}

// OrgID returns the id of the organization named name, or "" when there is
// none.
func (r *OrgResolver) OrgID(ctx context.Context, name string) (string, error) {
	if r == nil || r.Management == nil {
		return "", errors.New("management: OrgResolver without a Management client")
	}
	if name == "" {
		return "", ErrEmptyParameter
	}
	org, err := r.Management.Organizations.GetByName(ctx, name)
	var apiErr *client.Error
	if errors.As(err, &apiErr) && apiErr.StatusCode == http.StatusNotFound {
		return "", nil
	}
	if err != nil {
		return "", err
	}
	if org.ID == "" || org.Name != name {
		return "", fmt.Errorf("management: GET /organizations/name answered for %q with id %q, want the organization named %q", org.Name, org.ID, name)
	}
	return org.ID, nil
}
