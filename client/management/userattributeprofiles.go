package management

import (
	"context"
	"iter"
	"net/http"
)

// UserAttributeProfileManager calls the /user-attribute-profiles endpoints
// (go-auth0 UserAttributeProfileManager): how user attributes map to OIDC
// claims, SAML attributes and SCIM fields for self-service SSO, as
// Objects such as {"name": ..., "user_id": {"oidc_mapping": "sub", ...},
// "user_attributes": {"email": {...}}}.
type UserAttributeProfileManager struct{ m *Management }

// List lists the profiles (GET /user-attribute-profiles; go-auth0
// UserAttributeProfileManager.List). opts asks for checkpoint pagination
// (from, take); nil sends neither.
func (r *UserAttributeProfileManager) List(ctx context.Context, opts *Checkpoint) (*Page[Object], error) {
	return list[Object](ctx, r.m, request{method: http.MethodGet, path: route("/user-attribute-profiles"), query: checkpointQuery(opts)}, "user_attribute_profiles")
}

// All iterates over List.
func (r *UserAttributeProfileManager) All(ctx context.Context, start *Checkpoint) iter.Seq2[Object, error] {
	return walkCheckpoint(ctx, deref(start), func(ctx context.Context, c *Checkpoint) (*Page[Object], error) {
		return r.List(ctx, c)
	})
}

// Create creates a profile (POST /user-attribute-profiles; go-auth0
// UserAttributeProfileManager.Create).
func (r *UserAttributeProfileManager) Create(ctx context.Context, body Object) (Object, error) {
	return callObject(ctx, r.m, request{method: http.MethodPost, path: route("/user-attribute-profiles"), body: body})
}

// Get returns a profile (GET /user-attribute-profiles/{id}; go-auth0
// UserAttributeProfileManager.Read).
func (r *UserAttributeProfileManager) Get(ctx context.Context, id string) (Object, error) {
	return callObject(ctx, r.m, request{method: http.MethodGet, path: route("/user-attribute-profiles/{id}", id)})
}

// Update changes a profile (PATCH /user-attribute-profiles/{id}; go-auth0
// UserAttributeProfileManager.Update).
func (r *UserAttributeProfileManager) Update(ctx context.Context, id string, body Object) (Object, error) {
	return callObject(ctx, r.m, request{method: http.MethodPatch, path: route("/user-attribute-profiles/{id}", id), body: body})
}

// Delete deletes a profile (DELETE /user-attribute-profiles/{id}; go-auth0
// UserAttributeProfileManager.Delete).
func (r *UserAttributeProfileManager) Delete(ctx context.Context, id string) error {
	return r.m.do(ctx, request{method: http.MethodDelete, path: route("/user-attribute-profiles/{id}", id)}, nil)
}

// ListTemplates lists the profile templates Auth0 provides (GET
// /user-attribute-profiles/templates; go-auth0
// UserAttributeProfileManager.ListTemplates).
func (r *UserAttributeProfileManager) ListTemplates(ctx context.Context) ([]Object, error) {
	return listItems[Object](ctx, r.m, request{method: http.MethodGet, path: route("/user-attribute-profiles/templates")}, "user_attribute_profile_templates")
}

// GetTemplate returns a profile template (GET
// /user-attribute-profiles/templates/{id}; go-auth0
// UserAttributeProfileManager.GetTemplate).
func (r *UserAttributeProfileManager) GetTemplate(ctx context.Context, id string) (Object, error) {
	return callObject(ctx, r.m, request{method: http.MethodGet, path: route("/user-attribute-profiles/templates/{id}", id)})
}
