package management

import (
	"context"
	"iter"
	"net/http"
	"net/url"
	"strings"
)

// FlowManager calls the /flows endpoints (go-auth0 FlowManager and its
// Vault): the flows of Auth0 Forms, and the vault connections their
// actions use, as Objects. A vault connection holds credentials under
// "setup" ({"type": "BEARER", "token": ...}), which the API never returns.
type FlowManager struct{ m *Management }

// FlowListOptions select the flows of Flows.List.
type FlowListOptions struct {
	Offset               // no defaults
	Hydrate     []string // "form_count"; sent comma-separated
	Synchronous *bool
}

// List lists the flows (GET /flows; go-auth0 FlowManager.List).
func (r *FlowManager) List(ctx context.Context, opts *FlowListOptions) (*Page[Object], error) {
	v := deref(opts)
	q := url.Values{}
	v.Offset.encode(q, listDefaults{})
	setString(q, "hydrate", strings.Join(v.Hydrate, ","))
	setBool(q, "synchronous", v.Synchronous)
	return list[Object](ctx, r.m, request{method: http.MethodGet, path: route("/flows"), query: q}, "flows")
}

// All iterates over List.
func (r *FlowManager) All(ctx context.Context, opts *FlowListOptions) iter.Seq2[Object, error] {
	v := deref(opts)
	return walkOffset(ctx, v.Offset, func(ctx context.Context, o *Offset) (*Page[Object], error) {
		v.Offset = *o
		return r.List(ctx, &v)
	})
}

// Create creates a flow ({"name": ..., "actions": [...]}) (POST /flows;
// go-auth0 FlowManager.Create).
func (r *FlowManager) Create(ctx context.Context, body Object) (Object, error) {
	return callObject(ctx, r.m, request{method: http.MethodPost, path: route("/flows"), body: body})
}

// Get returns a flow (GET /flows/{id}; go-auth0 FlowManager.Read).
func (r *FlowManager) Get(ctx context.Context, id string) (Object, error) {
	return callObject(ctx, r.m, request{method: http.MethodGet, path: route("/flows/{id}", id)})
}

// Update changes a flow (PATCH /flows/{id}; go-auth0 FlowManager.Update).
func (r *FlowManager) Update(ctx context.Context, id string, body Object) (Object, error) {
	return callObject(ctx, r.m, request{method: http.MethodPatch, path: route("/flows/{id}", id), body: body})
}

// Delete deletes a flow (DELETE /flows/{id}; go-auth0 FlowManager.Delete).
func (r *FlowManager) Delete(ctx context.Context, id string) error {
	return r.m.do(ctx, request{method: http.MethodDelete, path: route("/flows/{id}", id)}, nil)
}

// ListVaultConnections lists the vault connections (GET
// /flows/vault/connections; go-auth0
// FlowManager.Vault.GetConnectionList).
func (r *FlowManager) ListVaultConnections(ctx context.Context, opts *Offset) (*Page[Object], error) {
	q := url.Values{}
	opts.encode(q, listDefaults{})
	return list[Object](ctx, r.m, request{method: http.MethodGet, path: route("/flows/vault/connections"), query: q}, "connections")
}

// AllVaultConnections iterates over ListVaultConnections.
func (r *FlowManager) AllVaultConnections(ctx context.Context, start *Offset) iter.Seq2[Object, error] {
	return walkOffset(ctx, deref(start), func(ctx context.Context, o *Offset) (*Page[Object], error) {
		return r.ListVaultConnections(ctx, o)
	})
}

// CreateVaultConnection creates a vault connection ({"app_id": "HTTP",
// "name": ..., "setup": {...}}) (POST /flows/vault/connections; go-auth0
// FlowManager.Vault.CreateConnection).
func (r *FlowManager) CreateVaultConnection(ctx context.Context, body Object) (Object, error) {
	return callObject(ctx, r.m, request{method: http.MethodPost, path: route("/flows/vault/connections"), body: body})
}

// GetVaultConnection returns a vault connection (GET
// /flows/vault/connections/{id}; go-auth0
// FlowManager.Vault.GetConnection).
func (r *FlowManager) GetVaultConnection(ctx context.Context, id string) (Object, error) {
	return callObject(ctx, r.m, request{method: http.MethodGet, path: route("/flows/vault/connections/{id}", id)})
}

// UpdateVaultConnection changes a vault connection (PATCH
// /flows/vault/connections/{id}; go-auth0
// FlowManager.Vault.UpdateConnection).
func (r *FlowManager) UpdateVaultConnection(ctx context.Context, id string, body Object) (Object, error) {
	return callObject(ctx, r.m, request{method: http.MethodPatch, path: route("/flows/vault/connections/{id}", id), body: body})
}

// DeleteVaultConnection deletes a vault connection (DELETE
// /flows/vault/connections/{id}; go-auth0
// FlowManager.Vault.DeleteConnection).
func (r *FlowManager) DeleteVaultConnection(ctx context.Context, id string) error {
	return r.m.do(ctx, request{method: http.MethodDelete, path: route("/flows/vault/connections/{id}", id)}, nil)
}
