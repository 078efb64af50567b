package management

import (
	"context"
	"net/http"
)

// EmailTemplateManager calls the /email-templates endpoints (Python
// EmailTemplates class). A template is an Object such as {"template":
// "verify_email", "body": ..., "from": ..., "subject": ..., "syntax":
// "liquid", "enabled": true}.
type EmailTemplateManager struct{ m *Management }

// Create creates a template (POST /email-templates; Python
// EmailTemplates.create).
func (r *EmailTemplateManager) Create(ctx context.Context, body Object) (Object, error) {
	return callObject(ctx, r.m, request{method: http.MethodPost, path: route("/email-templates"), body: body})
}

// Get returns the template of this name (verify_email, reset_email,
// welcome_email, ...) (GET /email-templates/{template_name}; Python
// EmailTemplates.get).
func (r *EmailTemplateManager) Get(ctx context.Context, name string) (Object, error) {
	return callObject(ctx, r.m, request{method: http.MethodGet, path: route("/email-templates/{template_name}", name)})
}

// Update changes a template (PATCH /email-templates/{template_name}; Python
// EmailTemplates.update).
func (r *EmailTemplateManager) Update(ctx context.Context, name string, body Object) (Object, error) {
	return callObject(ctx, r.m, request{method: http.MethodPatch, path: route("/email-templates/{template_name}", name), body: body})
}

// Replace replaces a template with body: members not in body are reset
// (PUT /email-templates/{template_name}; go-auth0
// EmailTemplateManager.Replace).
func (r *EmailTemplateManager) Replace(ctx context.Context, name string, body Object) (Object, error) {
	return callObject(ctx, r.m, request{method: http.MethodPut, path: route("/email-templates/{template_name}", name), body: body})
}
