package management

import (
	"context"
	"net/http"
	"net/url"
)

// TenantManager calls the /tenants/settings endpoints (Python Tenants
// class): the tenant's settings (friendly_name, session lifetimes,
// allowed_logout_urls, flags, ...), as an Object.
type TenantManager struct{ m *Management }

// GetSettings returns the tenant's settings (GET /tenants/settings; Python
// Tenants.get). opts may be nil.
func (r *TenantManager) GetSettings(ctx context.Context, opts *FieldSelection) (Object, error) {
	q := url.Values{}
	opts.encode(q)
	return callObject(ctx, r.m, request{method: http.MethodGet, path: route("/tenants/settings"), query: q})
}

// UpdateSettings changes the members of the settings given in body (PATCH
// /tenants/settings; Python Tenants.update).
func (r *TenantManager) UpdateSettings(ctx context.Context, body Object) (Object, error) {
	return callObject(ctx, r.m, request{method: http.MethodPatch, path: route("/tenants/settings"), body: body})
}
