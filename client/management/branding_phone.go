package management

import (
	"context"
	"net/http"
)

// The phone providers and notification templates of Branding (SMS and
// voice messages), as Objects. A provider is {"name": "twilio",
// "configuration": {"sid": ..., "default_from": ..., "delivery_methods":
// ["text"]}, "credentials": {"auth_token": ...}}; a template is {"type":
// "otp_verify", "content": {"from": ..., "body": {"text": ..., "voice":
// ...}}, "disabled": false}.

// ListPhoneProviders lists the phone providers (GET
// /branding/phone/providers; go-auth0 BrandingManager.ListPhoneProviders).
func (r *BrandingManager) ListPhoneProviders(ctx context.Context) ([]Object, error) {
	return listItems[Object](ctx, r.m, request{method: http.MethodGet, path: route("/branding/phone/providers")}, "providers")
}

// CreatePhoneProvider configures a phone provider (POST
// /branding/phone/providers; go-auth0 BrandingManager.CreatePhoneProvider).
func (r *BrandingManager) CreatePhoneProvider(ctx context.Context, body Object) (Object, error) {
	return callObject(ctx, r.m, request{method: http.MethodPost, path: route("/branding/phone/providers"), body: body})
}

// GetPhoneProvider returns a phone provider, without its credentials (GET
// /branding/phone/providers/{id}; go-auth0
// BrandingManager.ReadPhoneProvider).
func (r *BrandingManager) GetPhoneProvider(ctx context.Context, id string) (Object, error) {
	return callObject(ctx, r.m, request{method: http.MethodGet, path: route("/branding/phone/providers/{id}", id)})
}

// UpdatePhoneProvider changes a phone provider (PATCH
// /branding/phone/providers/{id}; go-auth0
// BrandingManager.UpdatePhoneProvider).
func (r *BrandingManager) UpdatePhoneProvider(ctx context.Context, id string, body Object) (Object, error) {
	return callObject(ctx, r.m, request{method: http.MethodPatch, path: route("/branding/phone/providers/{id}", id), body: body})
}

// DeletePhoneProvider removes a phone provider (DELETE
// /branding/phone/providers/{id}; go-auth0
// BrandingManager.DeletePhoneProvider).
func (r *BrandingManager) DeletePhoneProvider(ctx context.Context, id string) error {
	return r.m.do(ctx, request{method: http.MethodDelete, path: route("/branding/phone/providers/{id}", id)}, nil)
}

// TryPhoneProvider sends a test message through a provider ({"to": ...,
// "delivery_method": "text"}) (POST /branding/phone/providers/{id}/try;
// go-auth0 BrandingManager.TryPhoneProvider).
func (r *BrandingManager) TryPhoneProvider(ctx context.Context, id string, body Object) (Object, error) {
	return callObject(ctx, r.m, request{method: http.MethodPost, path: route("/branding/phone/providers/{id}/try", id), body: body})
}

// ListPhoneTemplates lists the phone notification templates (GET
// /branding/phone/templates; go-auth0
// BrandingManager.ListPhoneNotificationTemplate).
func (r *BrandingManager) ListPhoneTemplates(ctx context.Context) ([]Object, error) {
	return listItems[Object](ctx, r.m, request{method: http.MethodGet, path: route("/branding/phone/templates")}, "templates")
}

// CreatePhoneTemplate creates a phone notification template (POST
// /branding/phone/templates; go-auth0
// BrandingManager.CreatePhoneNotificationTemplate).
func (r *BrandingManager) CreatePhoneTemplate(ctx context.Context, body Object) (Object, error) {
	return callObject(ctx, r.m, request{method: http.MethodPost, path: route("/branding/phone/templates"), body: body})
}

// GetPhoneTemplate returns a phone notification template (GET
// /branding/phone/templates/{id}; go-auth0
// BrandingManager.ReadPhoneNotificationTemplate).
func (r *BrandingManager) GetPhoneTemplate(ctx context.Context, id string) (Object, error) {
	return callObject(ctx, r.m, request{method: http.MethodGet, path: route("/branding/phone/templates/{id}", id)})
}

// UpdatePhoneTemplate changes a phone notification template (PATCH
// /branding/phone/templates/{id}; go-auth0
// BrandingManager.UpdatePhoneNotificationTemplate).
func (r *BrandingManager) UpdatePhoneTemplate(ctx context.Context, id string, body Object) (Object, error) {
	return callObject(ctx, r.m, request{method: http.MethodPatch, path: route("/branding/phone/templates/{id}", id), body: body})
}

// DeletePhoneTemplate deletes a phone notification template (DELETE
// /branding/phone/templates/{id}; go-auth0
// BrandingManager.DeletePhoneNotificationTemplate).
func (r *BrandingManager) DeletePhoneTemplate(ctx context.Context, id string) error {
	return r.m.do(ctx, request{method: http.MethodDelete, path: route("/branding/phone/templates/{id}", id)}, nil)
}

// ResetPhoneTemplate restores a template's default content (PATCH
// /branding/phone/templates/{id}/reset; go-auth0
// BrandingManager.ResetPhoneNotificationTemplate).
func (r *BrandingManager) ResetPhoneTemplate(ctx context.Context, id string) (Object, error) {
	return callObject(ctx, r.m, request{method: http.MethodPatch, path: route("/branding/phone/templates/{id}/reset", id)})
}

// TryPhoneTemplate sends a test message of a template ({"to": ...,
// "delivery_method": "text"}) (POST /branding/phone/templates/{id}/try;
// go-auth0 BrandingManager.TryPhoneNotificationTemplate).
func (r *BrandingManager) TryPhoneTemplate(ctx context.Context, id string, body Object) (Object, error) {
	return callObject(ctx, r.m, request{method: http.MethodPost, path: route("/branding/phone/templates/{id}/try", id), body: body})
}
