package management

import (
	"context"
	"net/http"
	"net/url"
)

// EmailManager calls the /emails/provider endpoints (Python Emails class):
// the tenant's email provider, an Object such as {"name": "smtp",
// "enabled": true, "default_from_address": ..., "credentials": {...}}.
type EmailManager struct{ m *Management }

// GetProvider returns the email provider (GET /emails/provider; Python
// Emails.get). opts may be nil.
func (r *EmailManager) GetProvider(ctx context.Context, opts *FieldSelection) (Object, error) {
	q := url.Values{}
	opts.encode(q)
	return callObject(ctx, r.m, request{method: http.MethodGet, path: route("/emails/provider"), query: q})
}

// CreateProvider configures the email provider (POST /emails/provider;
// Python Emails.config).
func (r *EmailManager) CreateProvider(ctx context.Context, body Object) (Object, error) {
	return callObject(ctx, r.m, request{method: http.MethodPost, path: route("/emails/provider"), body: body})
}

// DeleteProvider removes the email provider (DELETE /emails/provider;
// Python Emails.delete).
func (r *EmailManager) DeleteProvider(ctx context.Context) error {
	return r.m.do(ctx, request{method: http.MethodDelete, path: route("/emails/provider")}, nil)
}

// UpdateProvider changes the email provider (PATCH /emails/provider;
// Python Emails.update).
func (r *EmailManager) UpdateProvider(ctx context.Context, body Object) (Object, error) {
	return callObject(ctx, r.m, request{method: http.MethodPatch, path: route("/emails/provider"), body: body})
}
