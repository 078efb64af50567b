package management

import (
	"context"
	"net/http"
)

// The SCIM provisioning of an enterprise connection: its configuration
// ({"user_id_attribute": ..., "mapping": [{"auth0": ..., "scim": ...}]})
// and the bearer tokens the identity provider calls Auth0's SCIM endpoint
// with, as Objects.

// CreateSCIMConfiguration enables SCIM on a connection (POST
// /connections/{id}/scim-configuration; go-auth0
// ConnectionManager.CreateSCIMConfiguration). body may be empty for the
// default mapping.
func (r *ConnectionManager) CreateSCIMConfiguration(ctx context.Context, id string, body Object) (Object, error) {
	if body == nil {
		body = Object{}
	}
	return callObject(ctx, r.m, request{method: http.MethodPost, path: route("/connections/{id}/scim-configuration", id), body: body})
}

// GetSCIMConfiguration returns a connection's SCIM configuration (GET
// /connections/{id}/scim-configuration; go-auth0
// ConnectionManager.ReadSCIMConfiguration).
func (r *ConnectionManager) GetSCIMConfiguration(ctx context.Context, id string) (Object, error) {
	return callObject(ctx, r.m, request{method: http.MethodGet, path: route("/connections/{id}/scim-configuration", id)})
}

// UpdateSCIMConfiguration changes it (PATCH
// /connections/{id}/scim-configuration; go-auth0
// ConnectionManager.UpdateSCIMConfiguration).
func (r *ConnectionManager) UpdateSCIMConfiguration(ctx context.Context, id string, body Object) (Object, error) {
	return callObject(ctx, r.m, request{method: http.MethodPatch, path: route("/connections/{id}/scim-configuration", id), body: body})
}

// DeleteSCIMConfiguration disables SCIM on a connection (DELETE
// /connections/{id}/scim-configuration; go-auth0
// ConnectionManager.DeleteSCIMConfiguration).
func (r *ConnectionManager) DeleteSCIMConfiguration(ctx context.Context, id string) error {
	return r.m.do(ctx, request{method: http.MethodDelete, path: route("/connections/{id}/scim-configuration", id)}, nil)
}

// GetSCIMDefaultMapping returns the default SCIM mapping of the
// connection's strategy (GET
// /connections/{id}/scim-configuration/default-mapping; go-auth0
// ConnectionManager.ReadSCIMDefaultConfiguration).
func (r *ConnectionManager) GetSCIMDefaultMapping(ctx context.Context, id string) (Object, error) {
	return callObject(ctx, r.m, request{method: http.MethodGet, path: route("/connections/{id}/scim-configuration/default-mapping", id)})
}

// CreateSCIMToken creates a SCIM bearer token ({"scopes": [...],
// "token_lifetime": seconds}); the answer holds the token, shown once
// (POST /connections/{id}/scim-configuration/tokens; go-auth0
// ConnectionManager.CreateSCIMToken).
func (r *ConnectionManager) CreateSCIMToken(ctx context.Context, id string, body Object) (Object, error) {
	return callObject(ctx, r.m, request{method: http.MethodPost, path: route("/connections/{id}/scim-configuration/tokens", id), body: body})
}

// ListSCIMTokens lists a connection's SCIM tokens, without the tokens
// themselves (GET /connections/{id}/scim-configuration/tokens; go-auth0
// ConnectionManager.ListSCIMToken).
func (r *ConnectionManager) ListSCIMTokens(ctx context.Context, id string) ([]Object, error) {
	var out []Object
	err := r.m.do(ctx, request{method: http.MethodGet, path: route("/connections/{id}/scim-configuration/tokens", id)}, &out)
	return out, err
}

// DeleteSCIMToken revokes a SCIM token (DELETE
// /connections/{id}/scim-configuration/tokens/{token_id}; go-auth0
// ConnectionManager.DeleteSCIMToken).
func (r *ConnectionManager) DeleteSCIMToken(ctx context.Context, id, tokenID string) error {
	return r.m.do(ctx, request{method: http.MethodDelete, path: route("/connections/{id}/scim-configuration/tokens/{token_id}", id, tokenID)}, nil)
}
