package management

import (
	"context"
	"iter"
	"net/http"
	"net/url"
)

// ClientGrant lets an application call an API with the client credentials
// grant (GET /client-grants), also the body of ClientGrants.Create and
// ClientGrants.Update.
type ClientGrant struct {
	ID       string   `json:"id,omitempty"`
	ClientID string   `json:"client_id,omitempty"`
	Audience string   `json:"audience,omitempty"`
	Scope    []string `json:"scope,omitzero"`
	// OrganizationUsage is deny, allow or require.
	OrganizationUsage    string `json:"organization_usage,omitempty"`
	AllowAnyOrganization *bool  `json:"allow_any_organization,omitempty"`
	IsSystem             *bool  `json:"is_system,omitempty"`
	SubjectType          string `json:"subject_type,omitempty"`
	// GrantID is the grant's ID in the answers of the organization client
	// grant endpoints, which name it so.
	GrantID string `json:"grant_id,omitempty"`
	Extra   Object `json:"-"`
	empty   emptyMembers
}

func (g *ClientGrant) UnmarshalJSON(b []byte) error {
	type plain ClientGrant
	return unmarshalModel(b, (*plain)(g), &g.Extra, &g.empty)
}

func (g ClientGrant) MarshalJSON() ([]byte, error) {
	type plain ClientGrant
	return marshalModel((*plain)(&g), g.Extra, g.empty)
}

// ClientGrantManager calls the /client-grants endpoints (Python
// ClientGrants class).
type ClientGrantManager struct{ m *Management }

// ClientGrantListOptions are the parameters of ClientGrants.List.
type ClientGrantListOptions struct {
	Offset               // default: include_totals=false
	Audience             string
	ClientID             string
	AllowAnyOrganization *bool
}

// List lists client grants (GET /client-grants; Python ClientGrants.all).
func (r *ClientGrantManager) List(ctx context.Context, opts *ClientGrantListOptions) (*Page[*ClientGrant], error) {
	v := deref(opts)
	q := url.Values{}
	setString(q, "audience", v.Audience)
	v.Offset.encode(q, listDefaults{includeTotals: "false"})
	setString(q, "client_id", v.ClientID)
	setBool(q, "allow_any_organization", v.AllowAnyOrganization)
	return list[*ClientGrant](ctx, r.m, request{method: http.MethodGet, path: route("/client-grants"), query: q}, "client_grants")
}

// All iterates over List.
func (r *ClientGrantManager) All(ctx context.Context, opts *ClientGrantListOptions) iter.Seq2[*ClientGrant, error] {
	o := deref(opts)
	return walkOffset(ctx, o.Offset, func(ctx context.Context, page *Offset) (*Page[*ClientGrant], error) {
		o.Offset = *page
		return r.List(ctx, &o)
	})
}

// Create creates a client grant (POST /client-grants; Python
// ClientGrants.create).
func (r *ClientGrantManager) Create(ctx context.Context, g *ClientGrant) (*ClientGrant, error) {
	return call[ClientGrant](ctx, r.m, request{method: http.MethodPost, path: route("/client-grants"), body: g})
}

// Delete deletes a client grant (DELETE /client-grants/{id}; Python
// ClientGrants.delete).
func (r *ClientGrantManager) Delete(ctx context.Context, id string) error {
	return r.m.do(ctx, request{method: http.MethodDelete, path: route("/client-grants/{id}", id)}, nil)
}

// Update changes a client grant (PATCH /client-grants/{id}; Python
// ClientGrants.update).
func (r *ClientGrantManager) Update(ctx context.Context, id string, g *ClientGrant) (*ClientGrant, error) {
	return call[ClientGrant](ctx, r.m, request{method: http.MethodPatch, path: route("/client-grants/{id}", id), body: g})
}

// ListOrganizations lists the organizations a client grant is associated
// with (GET /client-grants/{id}/organizations; Python
// ClientGrants.get_organizations): page is an *Offset (default
// include_totals=false) or a *Checkpoint.
func (r *ClientGrantManager) ListOrganizations(ctx context.Context, id string, page Pagination) (*Page[*Organization], error) {
	q := url.Values{}
	paginate(q, page, listDefaults{includeTotals: "false"})
	return list[*Organization](ctx, r.m, request{method: http.MethodGet, path: route("/client-grants/{id}/organizations", id), query: q}, "organizations")
}

// AllOrganizations iterates over ListOrganizations with checkpoint
// pagination from start (nil: the first page).
func (r *ClientGrantManager) AllOrganizations(ctx context.Context, id string, start *Checkpoint) iter.Seq2[*Organization, error] {
	return walkCheckpoint(ctx, deref(start), func(ctx context.Context, c *Checkpoint) (*Page[*Organization], error) {
		return r.ListOrganizations(ctx, id, c)
	})
}
