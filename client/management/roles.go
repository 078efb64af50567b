package management

import (
	"context"
	"iter"
	"net/http"
	"net/url"
)

// RoleManager calls the /roles endpoints (Python Roles class).
type RoleManager struct{ m *Management }

// RoleListOptions are the parameters of Roles.List.
type RoleListOptions struct {
	Offset            // defaults: page=0, per_page=25, include_totals=true
	NameFilter string // case-insensitive substring of the name
}

// roleListDefaults are those of the Python Roles lists.
func roleListDefaults() listDefaults {
	return listDefaults{page: true, perPage: 25, includeTotals: "true"}
}

// List lists roles (GET /roles; Python Roles.list).
func (r *RoleManager) List(ctx context.Context, opts *RoleListOptions) (*Page[*Role], error) {
	v := deref(opts)
	q := url.Values{}
	v.Offset.encode(q, roleListDefaults())
	setString(q, "name_filter", v.NameFilter)
	return list[*Role](ctx, r.m, request{method: http.MethodGet, path: route("/roles"), query: q}, "roles")
}

// All iterates over List.
func (r *RoleManager) All(ctx context.Context, opts *RoleListOptions) iter.Seq2[*Role, error] {
	o := deref(opts)
	return walkOffset(ctx, o.Offset, func(ctx context.Context, page *Offset) (*Page[*Role], error) {
		o.Offset = *page
		return r.List(ctx, &o)
	})
}

// Create creates a role (POST /roles; Python Roles.create).
func (r *RoleManager) Create(ctx context.Context, role *Role) (*Role, error) {
	return call[Role](ctx, r.m, request{method: http.MethodPost, path: route("/roles"), body: role})
}

// Get returns a role (GET /roles/{id}; Python Roles.get).
func (r *RoleManager) Get(ctx context.Context, id string) (*Role, error) {
	return call[Role](ctx, r.m, request{method: http.MethodGet, path: route("/roles/{id}", id)})
}

// Delete deletes a role (DELETE /roles/{id}; Python Roles.delete).
func (r *RoleManager) Delete(ctx context.Context, id string) error {
	return r.m.do(ctx, request{method: http.MethodDelete, path: route("/roles/{id}", id)}, nil)
}

// Update changes a role (PATCH /roles/{id}; Python Roles.update).
func (r *RoleManager) Update(ctx context.Context, id string, role *Role) (*Role, error) {
	return call[Role](ctx, r.m, request{method: http.MethodPatch, path: route("/roles/{id}", id), body: role})
}

// ListUsers lists the users who have a role (GET /roles/{id}/users; Python
// Roles.list_users): page is an *Offset (defaults: page=0, per_page=25,
// include_totals=true) or a *Checkpoint.
func (r *RoleManager) ListUsers(ctx context.Context, id string, page Pagination) (*Page[*User], error) {
	q := url.Values{}
	paginate(q, page, roleListDefaults())
	return list[*User](ctx, r.m, request{method: http.MethodGet, path: route("/roles/{id}/users", id), query: q}, "users")
}

// AllUsers iterates over every user who has a role, with checkpoint
// pagination from start (nil: the first page).
func (r *RoleManager) AllUsers(ctx context.Context, id string, start *Checkpoint) iter.Seq2[*User, error] {
	return walkCheckpoint(ctx, deref(start), func(ctx context.Context, c *Checkpoint) (*Page[*User], error) {
		return r.ListUsers(ctx, id, c)
	})
}

// AssignUsers gives a role to users (POST /roles/{id}/users; Python
// Roles.add_users).
func (r *RoleManager) AssignUsers(ctx context.Context, id string, userIDs []string) error {
	return r.m.do(ctx, request{method: http.MethodPost, path: route("/roles/{id}/users", id), body: idList{"users": userIDs}}, nil)
}

// ListPermissions lists a role's permissions (GET /roles/{id}/permissions;
// Python Roles.list_permissions).
func (r *RoleManager) ListPermissions(ctx context.Context, id string, opts *Offset) (*Page[*Permission], error) {
	q := url.Values{}
	opts.encode(q, roleListDefaults())
	return list[*Permission](ctx, r.m, request{method: http.MethodGet, path: route("/roles/{id}/permissions", id), query: q}, "permissions")
}

// AllPermissions iterates over ListPermissions.
func (r *RoleManager) AllPermissions(ctx context.Context, id string, opts *Offset) iter.Seq2[*Permission, error] {
	return walkOffset(ctx, deref(opts), func(ctx context.Context, o *Offset) (*Page[*Permission], error) {
		return r.ListPermissions(ctx, id, o)
	})
}

// RemovePermissions removes permissions from a role
// (DELETE /roles/{id}/permissions; Python Roles.remove_permissions).
func (r *RoleManager) RemovePermissions(ctx context.Context, id string, perms []*Permission) error {
	return r.m.do(ctx, request{method: http.MethodDelete, path: route("/roles/{id}/permissions", id), body: permissionList(perms)}, nil)
}

// AssignPermissions adds permissions to a role (POST /roles/{id}/permissions;
// Python Roles.add_permissions).
func (r *RoleManager) AssignPermissions(ctx context.Context, id string, perms []*Permission) error {
	return r.m.do(ctx, request{method: http.MethodPost, path: route("/roles/{id}/permissions", id), body: permissionList(perms)}, nil)
}

// Role is a role (GET /roles/{id}), also a user's or organization member's
// role, and the body of Roles.Create and Roles.Update.
type Role struct {
	ID          string  `json:"id,omitempty"`
	Name        string  `json:"name,omitempty"`
	Description *string `json:"description,omitempty"`
	Extra       Object  `json:"-"`
	empty       emptyMembers
}

func (r *Role) UnmarshalJSON(b []byte) error {
	type plain Role
	return unmarshalModel(b, (*plain)(r), &r.Extra, &r.empty)
}

func (r Role) MarshalJSON() ([]byte, error) {
	type plain Role
	return marshalModel((*plain)(&r), r.Extra, r.empty)
}
