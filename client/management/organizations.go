package management

import (
	"context"
	"iter"
	"net/http"
	"net/url"
)

// OrganizationManager calls the /organizations endpoints (Python
// Organizations class).
type OrganizationManager struct{ m *Management }

// List lists organizations (GET /organizations; Python
// Organizations.all_organizations): page is an *Offset (default
// include_totals=true) or a *Checkpoint.
func (r *OrganizationManager) List(ctx context.Context, page Pagination) (*Page[*Organization], error) {
	q := url.Values{}
	paginate(q, page, listDefaults{includeTotals: "true"})
	return list[*Organization](ctx, r.m, request{method: http.MethodGet, path: route("/organizations"), query: q}, "organizations")
}

// All iterates over every organization with checkpoint pagination, from
// start (nil: the first page).
func (r *OrganizationManager) All(ctx context.Context, start *Checkpoint) iter.Seq2[*Organization, error] {
	return walkCheckpoint(ctx, deref(start), func(ctx context.Context, c *Checkpoint) (*Page[*Organization], error) {
		return r.List(ctx, c)
	})
}

// GetByName returns an organization by name (GET /organizations/name/{name};
// Python Organizations.get_organization_by_name).
func (r *OrganizationManager) GetByName(ctx context.Context, name string) (*Organization, error) {
	return call[Organization](ctx, r.m, request{method: http.MethodGet, path: route("/organizations/name/{name}", name)})
}

// Get returns an organization (GET /organizations/{id}; Python
// Organizations.get_organization).
func (r *OrganizationManager) Get(ctx context.Context, id string) (*Organization, error) {
	return call[Organization](ctx, r.m, request{method: http.MethodGet, path: route("/organizations/{id}", id)})
}

// Create creates an organization (POST /organizations; Python
// Organizations.create_organization).
func (r *OrganizationManager) Create(ctx context.Context, org *Organization) (*Organization, error) {
	return call[Organization](ctx, r.m, request{method: http.MethodPost, path: route("/organizations"), body: org})
}

// Update changes an organization (PATCH /organizations/{id}; Python
// Organizations.update_organization).
func (r *OrganizationManager) Update(ctx context.Context, id string, org *Organization) (*Organization, error) {
	return call[Organization](ctx, r.m, request{method: http.MethodPatch, path: route("/organizations/{id}", id), body: org})
}

// Delete deletes an organization (DELETE /organizations/{id}; Python
// Organizations.delete_organization).
func (r *OrganizationManager) Delete(ctx context.Context, id string) error {
	return r.m.do(ctx, request{method: http.MethodDelete, path: route("/organizations/{id}", id)}, nil)
}

// ListConnections lists the connections enabled for an organization
// (GET /organizations/{id}/enabled_connections; Python
// Organizations.all_organization_connections).
func (r *OrganizationManager) ListConnections(ctx context.Context, id string, opts *Offset) (*Page[*EnabledConnection], error) {
	q := url.Values{}
	opts.encode(q, listDefaults{})
	return list[*EnabledConnection](ctx, r.m, request{method: http.MethodGet, path: route("/organizations/{id}/enabled_connections", id), query: q}, "enabled_connections")
}

// AllConnections iterates over ListConnections.
func (r *OrganizationManager) AllConnections(ctx context.Context, id string, opts *Offset) iter.Seq2[*EnabledConnection, error] {
	return walkOffset(ctx, deref(opts), func(ctx context.Context, o *Offset) (*Page[*EnabledConnection], error) {
		return r.ListConnections(ctx, id, o)
	})
}

// GetConnection returns a connection enabled for an organization
// (GET /organizations/{id}/enabled_connections/{connection_id}; Python
// Organizations.get_organization_connection).
func (r *OrganizationManager) GetConnection(ctx context.Context, id, connectionID string) (*EnabledConnection, error) {
	return call[EnabledConnection](ctx, r.m, request{method: http.MethodGet, path: route("/organizations/{id}/enabled_connections/{connection_id}", id, connectionID)})
}

// AddConnection enables a connection for an organization
// (POST /organizations/{id}/enabled_connections; Python
// Organizations.create_organization_connection).
func (r *OrganizationManager) AddConnection(ctx context.Context, id string, conn *EnabledConnection) (*EnabledConnection, error) {
	return call[EnabledConnection](ctx, r.m, request{method: http.MethodPost, path: route("/organizations/{id}/enabled_connections", id), body: conn})
}

// UpdateConnection changes how a connection is enabled for an organization
// (PATCH /organizations/{id}/enabled_connections/{connection_id}; Python
// Organizations.update_organization_connection).
func (r *OrganizationManager) UpdateConnection(ctx context.Context, id, connectionID string, conn *EnabledConnection) (*EnabledConnection, error) {
	return call[EnabledConnection](ctx, r.m, request{method: http.MethodPatch, path: route("/organizations/{id}/enabled_connections/{connection_id}", id, connectionID), body: conn})
}

// RemoveConnection disables a connection for an organization
// (DELETE /organizations/{id}/enabled_connections/{connection_id}; Python
// Organizations.delete_organization_connection).
func (r *OrganizationManager) RemoveConnection(ctx context.Context, id, connectionID string) error {
	return r.m.do(ctx, request{method: http.MethodDelete, path: route("/organizations/{id}/enabled_connections/{connection_id}", id, connectionID)}, nil)
}

// ListMembers lists an organization's members
// (GET /organizations/{id}/members; Python
// Organizations.all_organization_members): page is an *Offset (default
// include_totals=true) or a *Checkpoint. fields {"roles"} (with the
// read:organization_member_roles scope) fills Member.Roles.
func (r *OrganizationManager) ListMembers(ctx context.Context, id string, page Pagination, fields *FieldSelection) (*Page[*Member], error) {
	q := url.Values{}
	paginate(q, page, listDefaults{includeTotals: "true"})
	fields.encode(q)
	return list[*Member](ctx, r.m, request{method: http.MethodGet, path: route("/organizations/{id}/members", id), query: q}, "members")
}

// AllMembers iterates over every member of an organization with checkpoint
// pagination (which the API requires past 1000 members), from start (nil:
// the first page).
func (r *OrganizationManager) AllMembers(ctx context.Context, id string, start *Checkpoint, fields *FieldSelection) iter.Seq2[*Member, error] {
	return walkCheckpoint(ctx, deref(start), func(ctx context.Context, c *Checkpoint) (*Page[*Member], error) {
		return r.ListMembers(ctx, id, c, fields)
	})
}

// AddMembers adds users to an organization (POST /organizations/{id}/members;
// Python Organizations.create_organization_members).
func (r *OrganizationManager) AddMembers(ctx context.Context, id string, userIDs []string) error {
	return r.m.do(ctx, request{method: http.MethodPost, path: route("/organizations/{id}/members", id), body: idList{"members": userIDs}}, nil)
}

// RemoveMembers removes users from an organization
// (DELETE /organizations/{id}/members; Python
// Organizations.delete_organization_members).
func (r *OrganizationManager) RemoveMembers(ctx context.Context, id string, userIDs []string) error {
	return r.m.do(ctx, request{method: http.MethodDelete, path: route("/organizations/{id}/members", id), body: idList{"members": userIDs}}, nil)
}

// ListMemberRoles lists a member's roles in an organization
// (GET /organizations/{id}/members/{user_id}/roles; Python
// Organizations.all_organization_member_roles). Default:
// include_totals=false.
func (r *OrganizationManager) ListMemberRoles(ctx context.Context, id, userID string, opts *Offset) (*Page[*Role], error) {
	q := url.Values{}
	opts.encode(q, listDefaults{includeTotals: "false"})
	return list[*Role](ctx, r.m, request{method: http.MethodGet, path: route("/organizations/{id}/members/{user_id}/roles", id, userID), query: q}, "roles")
}

// AllMemberRoles iterates over ListMemberRoles.
func (r *OrganizationManager) AllMemberRoles(ctx context.Context, id, userID string, opts *Offset) iter.Seq2[*Role, error] {
	return walkOffset(ctx, deref(opts), func(ctx context.Context, o *Offset) (*Page[*Role], error) {
		return r.ListMemberRoles(ctx, id, userID, o)
	})
}

// AssignMemberRoles assigns roles to a member of an organization
// (POST /organizations/{id}/members/{user_id}/roles; Python
// Organizations.create_organization_member_roles).
func (r *OrganizationManager) AssignMemberRoles(ctx context.Context, id, userID string, roleIDs []string) error {
	return r.m.do(ctx, request{method: http.MethodPost, path: route("/organizations/{id}/members/{user_id}/roles", id, userID), body: idList{"roles": roleIDs}}, nil)
}

// RemoveMemberRoles removes roles from a member of an organization
// (DELETE /organizations/{id}/members/{user_id}/roles; Python
// Organizations.delete_organization_member_roles).
func (r *OrganizationManager) RemoveMemberRoles(ctx context.Context, id, userID string, roleIDs []string) error {
	return r.m.do(ctx, request{method: http.MethodDelete, path: route("/organizations/{id}/members/{user_id}/roles", id, userID), body: idList{"roles": roleIDs}}, nil)
}

// ListInvitations lists an organization's invitations
// (GET /organizations/{id}/invitations; Python
// Organizations.all_organization_invitations). Default:
// include_totals=false.
func (r *OrganizationManager) ListInvitations(ctx context.Context, id string, opts *Offset) (*Page[*Invitation], error) {
	q := url.Values{}
	opts.encode(q, listDefaults{includeTotals: "false"})
	return list[*Invitation](ctx, r.m, request{method: http.MethodGet, path: route("/organizations/{id}/invitations", id), query: q}, "invitations")
}

// AllInvitations iterates over ListInvitations.
func (r *OrganizationManager) AllInvitations(ctx context.Context, id string, opts *Offset) iter.Seq2[*Invitation, error] {
	return walkOffset(ctx, deref(opts), func(ctx context.Context, o *Offset) (*Page[*Invitation], error) {
		return r.ListInvitations(ctx, id, o)
	})
}

// GetInvitation returns an invitation
// (GET /organizations/{id}/invitations/{invitation_id}; Python
// Organizations.get_organization_invitation).
func (r *OrganizationManager) GetInvitation(ctx context.Context, id, invitationID string) (*Invitation, error) {
	return call[Invitation](ctx, r.m, request{method: http.MethodGet, path: route("/organizations/{id}/invitations/{invitaton_id}", id, invitationID)})
}

// CreateInvitation invites a user to an organization
// (POST /organizations/{id}/invitations; Python
// Organizations.create_organization_invitation). It carries the
// Auth0-Custom-Domain header when one is configured.
func (r *OrganizationManager) CreateInvitation(ctx context.Context, id string, inv *Invitation) (*Invitation, error) {
	return call[Invitation](ctx, r.m, request{method: http.MethodPost, path: route("/organizations/{id}/invitations", id), body: inv})
}

// DeleteInvitation deletes an invitation
// (DELETE /organizations/{id}/invitations/{invitation_id}; Python
// Organizations.delete_organization_invitation).
func (r *OrganizationManager) DeleteInvitation(ctx context.Context, id, invitationID string) error {
	return r.m.do(ctx, request{method: http.MethodDelete, path: route("/organizations/{id}/invitations/{invitation_id}", id, invitationID)}, nil)
}

// OrganizationClientGrantListOptions are the parameters of
// Organizations.ListClientGrants.
type OrganizationClientGrantListOptions struct {
	Offset   // default: include_totals=false
	Audience string
	ClientID string
	GrantIDs []string // sent as repeated grant_ids parameters (at most 10)
}

// ListClientGrants lists the client grants associated with an organization
// (GET /organizations/{id}/client-grants; Python
// Organizations.get_client_grants).
func (r *OrganizationManager) ListClientGrants(ctx context.Context, id string, opts *OrganizationClientGrantListOptions) (*Page[*ClientGrant], error) {
	v := deref(opts)
	q := url.Values{}
	setString(q, "audience", v.Audience)
	setString(q, "client_id", v.ClientID)
	if len(v.GrantIDs) > 0 {
		q["grant_ids"] = append([]string(nil), v.GrantIDs...)
	}
	v.Offset.encode(q, listDefaults{includeTotals: "false"})
	return list[*ClientGrant](ctx, r.m, request{method: http.MethodGet, path: route("/organizations/{id}/client-grants", id), query: q}, "client_grants")
}

// AllClientGrants iterates over ListClientGrants.
func (r *OrganizationManager) AllClientGrants(ctx context.Context, id string, opts *OrganizationClientGrantListOptions) iter.Seq2[*ClientGrant, error] {
	o := deref(opts)
	return walkOffset(ctx, o.Offset, func(ctx context.Context, page *Offset) (*Page[*ClientGrant], error) {
		o.Offset = *page
		return r.ListClientGrants(ctx, id, &o)
	})
}

// AddClientGrant associates a client grant with an organization
// (POST /organizations/{id}/client-grants; Python
// Organizations.add_client_grant). The answer names the grant grant_id
// (ClientGrant.GrantID).
func (r *OrganizationManager) AddClientGrant(ctx context.Context, id, grantID string) (*ClientGrant, error) {
	body := map[string]string{"grant_id": grantID}
	return call[ClientGrant](ctx, r.m, request{method: http.MethodPost, path: route("/organizations/{id}/client-grants", id), body: body})
}

// RemoveClientGrant removes a client grant from an organization
// (DELETE /organizations/{id}/client-grants/{grant_id}; Python
// Organizations.delete_client_grant).
func (r *OrganizationManager) RemoveClientGrant(ctx context.Context, id, grantID string) error {
	return r.m.do(ctx, request{method: http.MethodDelete, path: route("/organizations/{id}/client-grants/{grant_id}", id, grantID)}, nil)
}
