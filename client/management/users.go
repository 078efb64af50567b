package management

import (
	"context"
	"iter"
	"net/http"
	"net/url"
)

// UserManager calls the /users endpoints (Python Users class).
type UserManager struct{ m *Management }

// UserListOptions are the parameters of Users.List.
type UserListOptions struct {
	Offset // defaults: page=0, per_page=25, include_totals=true
	FieldSelection
	Sort         string // "field:1" ascending, "field:-1" descending
	Connection   string
	Q            string // Lucene query
	SearchEngine string // "v3"
}

func (o *UserListOptions) query() url.Values {
	var v UserListOptions
	if o != nil {
		v = *o
	}
	q := url.Values{}
	v.Offset.encode(q, listDefaults{page: true, perPage: 25, includeTotals: "true"})
	setString(q, "sort", v.Sort)
	setString(q, "connection", v.Connection)
	v.FieldSelection.encode(q)
	setString(q, "q", v.Q)
	setString(q, "search_engine", v.SearchEngine)
	return q
}

// List lists or searches users (GET /users; Python Users.list).
func (r *UserManager) List(ctx context.Context, opts *UserListOptions) (*Page[*User], error) {
	return list[*User](ctx, r.m, request{method: http.MethodGet, path: route("/users"), query: opts.query()}, "users")
}

// All iterates over every user matching opts, page after page from
// opts.Page (offset pagination; the API stops at 1000 results: use a
// users export job beyond).
func (r *UserManager) All(ctx context.Context, opts *UserListOptions) iter.Seq2[*User, error] {
	var o UserListOptions
	if opts != nil {
		o = *opts
	}
	return walkOffset(ctx, o.Offset, func(ctx context.Context, page *Offset) (*Page[*User], error) {
		o.Offset = *page
		return r.List(ctx, &o)
	})
}

// Create creates a user (POST /users; Python Users.create).
func (r *UserManager) Create(ctx context.Context, u *User) (*User, error) {
	return call[User](ctx, r.m, request{method: http.MethodPost, path: route("/users"), body: u})
}

// Get returns a user (GET /users/{id}; Python Users.get). opts may be nil.
func (r *UserManager) Get(ctx context.Context, id string, opts *FieldSelection) (*User, error) {
	q := url.Values{}
	opts.encode(q)
	return call[User](ctx, r.m, request{method: http.MethodGet, path: route("/users/{id}", id), query: q})
}

// Delete deletes a user (DELETE /users/{id}; Python Users.delete).
func (r *UserManager) Delete(ctx context.Context, id string) error {
	return r.m.do(ctx, request{method: http.MethodDelete, path: route("/users/{id}", id)}, nil)
}

// Update changes a user (PATCH /users/{id}; Python Users.update). Only the
// members set in u are sent; put a nil in u.Extra to send an explicit null.
func (r *UserManager) Update(ctx context.Context, id string, u *User) (*User, error) {
	return call[User](ctx, r.m, request{method: http.MethodPatch, path: route("/users/{id}", id), body: u})
}

// ListOrganizations lists the organizations a user is a member of
// (GET /users/{id}/organizations; Python Users.list_organizations).
func (r *UserManager) ListOrganizations(ctx context.Context, id string, opts *Offset) (*Page[*Organization], error) {
	q := url.Values{}
	opts.encode(q, listDefaults{page: true, perPage: 25, includeTotals: "true"})
	return list[*Organization](ctx, r.m, request{method: http.MethodGet, path: route("/users/{id}/organizations", id), query: q}, "organizations")
}

// AllOrganizations iterates over ListOrganizations.
func (r *UserManager) AllOrganizations(ctx context.Context, id string, opts *Offset) iter.Seq2[*Organization, error] {
	return walkOffset(ctx, deref(opts), func(ctx context.Context, o *Offset) (*Page[*Organization], error) {
		return r.ListOrganizations(ctx, id, o)
	})
}

// ListRoles lists a user's roles (GET /users/{id}/roles; Python
// Users.list_roles).
func (r *UserManager) ListRoles(ctx context.Context, id string, opts *Offset) (*Page[*Role], error) {
	q := url.Values{}
	opts.encode(q, listDefaults{page: true, perPage: 25, includeTotals: "true"})
	return list[*Role](ctx, r.m, request{method: http.MethodGet, path: route("/users/{id}/roles", id), query: q}, "roles")
}

// AllRoles iterates over ListRoles.
func (r *UserManager) AllRoles(ctx context.Context, id string, opts *Offset) iter.Seq2[*Role, error] {
	return walkOffset(ctx, deref(opts), func(ctx context.Context, o *Offset) (*Page[*Role], error) {
		return r.ListRoles(ctx, id, o)
	})
}

// RemoveRoles removes roles from a user (DELETE /users/{id}/roles; Python
// Users.remove_roles).
func (r *UserManager) RemoveRoles(ctx context.Context, id string, roleIDs []string) error {
	return r.m.do(ctx, request{method: http.MethodDelete, path: route("/users/{id}/roles", id), body: idList{"roles": roleIDs}}, nil)
}

// AssignRoles assigns roles to a user (POST /users/{id}/roles; Python
// Users.add_roles).
func (r *UserManager) AssignRoles(ctx context.Context, id string, roleIDs []string) error {
	return r.m.do(ctx, request{method: http.MethodPost, path: route("/users/{id}/roles", id), body: idList{"roles": roleIDs}}, nil)
}

// ListPermissions lists a user's permissions, direct and from roles
// (GET /users/{id}/permissions; Python Users.list_permissions).
func (r *UserManager) ListPermissions(ctx context.Context, id string, opts *Offset) (*Page[*Permission], error) {
	q := url.Values{}
	opts.encode(q, listDefaults{page: true, perPage: 25, includeTotals: "true"})
	return list[*Permission](ctx, r.m, request{method: http.MethodGet, path: route("/users/{id}/permissions", id), query: q}, "permissions")
}

// AllPermissions iterates over ListPermissions.
func (r *UserManager) AllPermissions(ctx context.Context, id string, opts *Offset) iter.Seq2[*Permission, error] {
	return walkOffset(ctx, deref(opts), func(ctx context.Context, o *Offset) (*Page[*Permission], error) {
		return r.ListPermissions(ctx, id, o)
	})
}

// RemovePermissions removes direct permissions from a user
// (DELETE /users/{id}/permissions; Python Users.remove_permissions). Each
// needs ResourceServerIdentifier and PermissionName.
func (r *UserManager) RemovePermissions(ctx context.Context, id string, perms []*Permission) error {
	return r.m.do(ctx, request{method: http.MethodDelete, path: route("/users/{id}/permissions", id), body: permissionList(perms)}, nil)
}

// AssignPermissions gives a user permissions directly
// (POST /users/{id}/permissions; Python Users.add_permissions).
func (r *UserManager) AssignPermissions(ctx context.Context, id string, perms []*Permission) error {
	return r.m.do(ctx, request{method: http.MethodPost, path: route("/users/{id}/permissions", id), body: permissionList(perms)}, nil)
}

// DeleteMultifactor deletes a user's enrollment with an MFA provider
// ("duo", "google-authenticator") (DELETE /users/{id}/multifactor/{provider};
// Python Users.delete_multifactor).
func (r *UserManager) DeleteMultifactor(ctx context.Context, id, provider string) error {
	return r.m.do(ctx, request{method: http.MethodDelete, path: route("/users/{id}/multifactor/{provider}", id, provider)}, nil)
}

// DeleteAuthenticators deletes all of a user's MFA authenticators
// (DELETE /users/{id}/authenticators; Python Users.delete_authenticators).
func (r *UserManager) DeleteAuthenticators(ctx context.Context, id string) error {
	return r.m.do(ctx, request{method: http.MethodDelete, path: route("/users/{id}/authenticators", id)}, nil)
}

// Unlink unlinks an identity from a user and returns the user's remaining
// identities (DELETE /users/{id}/identities/{provider}/{user_id}; Python
// Users.unlink_user_account).
func (r *UserManager) Unlink(ctx context.Context, id, provider, identityUserID string) ([]*Identity, error) {
	var out []*Identity
	err := r.m.do(ctx, request{method: http.MethodDelete, path: route("/users/{id}/identities/{provider}/{user_id}", id, provider, identityUserID)}, &out)
	return out, err
}

// Link links a secondary account into the user and returns the user's
// identities (POST /users/{id}/identities; Python Users.link_user_account).
func (r *UserManager) Link(ctx context.Context, id string, link *LinkRequest) ([]*Identity, error) {
	var out []*Identity
	err := r.m.do(ctx, request{method: http.MethodPost, path: route("/users/{user_id}/identities", id), body: link}, &out)
	return out, err
}

// RegenerateRecoveryCode replaces a user's MFA recovery code and returns
// the new one (POST /users/{id}/recovery-code-regeneration; Python
// Users.regenerate_recovery_code). The code is a secret: do not log it.
func (r *UserManager) RegenerateRecoveryCode(ctx context.Context, id string) (string, error) {
	var out struct {
		RecoveryCode string `json:"recovery_code"`
	}
	err := r.m.do(ctx, request{method: http.MethodPost, path: route("/users/{user_id}/recovery-code-regeneration", id)}, &out)
	return out.RecoveryCode, err
}

// ListEnrollments returns a user's Guardian enrollments
// (GET /users/{id}/enrollments; Python Users.get_guardian_enrollments).
func (r *UserManager) ListEnrollments(ctx context.Context, id string) ([]Object, error) {
	var out []Object
	err := r.m.do(ctx, request{method: http.MethodGet, path: route("/users/{user_id}/enrollments", id)}, &out)
	return out, err
}

// UserLogsOptions are the parameters of Users.ListLogs.
type UserLogsOptions struct {
	Offset        // defaults: page=0, per_page=50, include_totals=false
	Sort   string // "date:-1"
}

// ListLogs lists a user's log events (GET /users/{id}/logs; Python
// Users.get_log_events).
func (r *UserManager) ListLogs(ctx context.Context, id string, opts *UserLogsOptions) (*Page[*Log], error) {
	v := deref(opts)
	q := url.Values{}
	v.Offset.encode(q, listDefaults{page: true, perPage: 50, includeTotals: "false"})
	setString(q, "sort", v.Sort)
	return list[*Log](ctx, r.m, request{method: http.MethodGet, path: route("/users/{user_id}/logs", id), query: q}, "logs")
}

// AllLogs iterates over ListLogs.
func (r *UserManager) AllLogs(ctx context.Context, id string, opts *UserLogsOptions) iter.Seq2[*Log, error] {
	o := deref(opts)
	return walkOffset(ctx, o.Offset, func(ctx context.Context, page *Offset) (*Page[*Log], error) {
		o.Offset = *page
		return r.ListLogs(ctx, id, &o)
	})
}

// InvalidateRememberBrowser makes every browser a user chose to remember
// ask for MFA again (POST /users/{id}/multifactor/actions/invalidate-remember-browser;
// Python Users.invalidate_remembered_browsers).
func (r *UserManager) InvalidateRememberBrowser(ctx context.Context, id string) error {
	return r.m.do(ctx, request{method: http.MethodPost, path: route("/users/{user_id}/multifactor/actions/invalidate-remember-browser", id)}, nil)
}

// ListAuthenticationMethods lists a user's authentication methods
// (GET /users/{id}/authentication-methods; Python
// Users.get_authentication_methods, which sends no parameters: nor does a
// nil opts).
func (r *UserManager) ListAuthenticationMethods(ctx context.Context, id string, opts *Offset) (*Page[*AuthenticationMethod], error) {
	q := url.Values{}
	opts.encode(q, listDefaults{})
	return list[*AuthenticationMethod](ctx, r.m, request{method: http.MethodGet, path: route("/users/{user_id}/authentication-methods", id), query: q}, "authenticators")
}

// AllAuthenticationMethods iterates over ListAuthenticationMethods.
func (r *UserManager) AllAuthenticationMethods(ctx context.Context, id string, opts *Offset) iter.Seq2[*AuthenticationMethod, error] {
	return walkOffset(ctx, deref(opts), func(ctx context.Context, o *Offset) (*Page[*AuthenticationMethod], error) {
		return r.ListAuthenticationMethods(ctx, id, o)
	})
}

// GetAuthenticationMethod returns one of a user's authentication methods
// (GET /users/{id}/authentication-methods/{method_id}; Python
// Users.get_authentication_method_by_id).
func (r *UserManager) GetAuthenticationMethod(ctx context.Context, id, methodID string) (*AuthenticationMethod, error) {
	return call[AuthenticationMethod](ctx, r.m, request{method: http.MethodGet, path: route("/users/{user_id}/authentication-methods/{authentication_method_id}", id, methodID)})
}

// CreateAuthenticationMethod adds an authentication method to a user
// (POST /users/{id}/authentication-methods; Python
// Users.create_authentication_method).
func (r *UserManager) CreateAuthenticationMethod(ctx context.Context, id string, method *AuthenticationMethod) (*AuthenticationMethod, error) {
	return call[AuthenticationMethod](ctx, r.m, request{method: http.MethodPost, path: route("/users/{user_id}/authentication-methods", id), body: method})
}

// ReplaceAuthenticationMethods replaces all of a user's authentication
// methods (PUT /users/{id}/authentication-methods; Python
// Users.update_authentication_methods).
func (r *UserManager) ReplaceAuthenticationMethods(ctx context.Context, id string, methods []*AuthenticationMethod) ([]*AuthenticationMethod, error) {
	if methods == nil {
		methods = []*AuthenticationMethod{} // [] clears them; null is invalid
	}
	var out []*AuthenticationMethod
	err := r.m.do(ctx, request{method: http.MethodPut, path: route("/users/{user_id}/authentication-methods", id), body: methods}, &out)
	return out, err
}

// UpdateAuthenticationMethod changes one of a user's authentication
// methods (PATCH /users/{id}/authentication-methods/{method_id}; Python
// Users.update_authentication_method_by_id).
func (r *UserManager) UpdateAuthenticationMethod(ctx context.Context, id, methodID string, method *AuthenticationMethod) (*AuthenticationMethod, error) {
	return call[AuthenticationMethod](ctx, r.m, request{method: http.MethodPatch, path: route("/users/{user_id}/authentication-methods/{authentication_method_id}", id, methodID), body: method})
}

// DeleteAuthenticationMethods deletes all of a user's authentication
// methods (DELETE /users/{id}/authentication-methods; Python
// Users.delete_authentication_methods).
func (r *UserManager) DeleteAuthenticationMethods(ctx context.Context, id string) error {
	return r.m.do(ctx, request{method: http.MethodDelete, path: route("/users/{user_id}/authentication-methods", id)}, nil)
}

// DeleteAuthenticationMethod deletes one of a user's authentication methods
// (DELETE /users/{id}/authentication-methods/{method_id}; Python
// Users.delete_authentication_method_by_id).
func (r *UserManager) DeleteAuthenticationMethod(ctx context.Context, id, methodID string) error {
	return r.m.do(ctx, request{method: http.MethodDelete, path: route("/users/{user_id}/authentication-methods/{authentication_method_id}", id, methodID)}, nil)
}

// ListTokenSets lists a user's federated connection token sets
// (GET /users/{id}/federated-connections-tokensets; Python
// Users.list_tokensets). Token sets are returned as Objects.
func (r *UserManager) ListTokenSets(ctx context.Context, id string, opts *Offset) (*Page[Object], error) {
	q := url.Values{}
	opts.encode(q, listDefaults{page: true, perPage: 25, includeTotals: "true"})
	return list[Object](ctx, r.m, request{method: http.MethodGet, path: route("/users/{id}/federated-connections-tokensets", id), query: q}, "tokensets")
}

// AllTokenSets iterates over ListTokenSets.
func (r *UserManager) AllTokenSets(ctx context.Context, id string, opts *Offset) iter.Seq2[Object, error] {
	return walkOffset(ctx, deref(opts), func(ctx context.Context, o *Offset) (*Page[Object], error) {
		return r.ListTokenSets(ctx, id, o)
	})
}

// DeleteTokenSet deletes one of a user's federated connection token sets
// (DELETE /users/{id}/federated-connections-tokensets/{tokenset_id};
// Python Users.delete_tokenset_by_id).
func (r *UserManager) DeleteTokenSet(ctx context.Context, id, tokenSetID string) error {
	return r.m.do(ctx, request{method: http.MethodDelete, path: route("/users/{user_id}/federated-connections-tokensets/{tokenset_id}", id, tokenSetID)}, nil)
}
