package management

import (
	"context"
	"net/http"
)

// UniversalLoginTemplate is the page template of Universal Login.
type UniversalLoginTemplate struct {
	Body  string `json:"body"` // the HTML (Liquid) template
	Extra Object `json:"-"`
	empty emptyMembers
}

func (t *UniversalLoginTemplate) UnmarshalJSON(b []byte) error {
	type plain UniversalLoginTemplate
	return unmarshalModel(b, (*plain)(t), &t.Extra, &t.empty)
}

func (t UniversalLoginTemplate) MarshalJSON() ([]byte, error) {
	type plain UniversalLoginTemplate
	return marshalModel((*plain)(&t), t.Extra, t.empty)
}

// BrandingManager calls the /branding endpoints (Python Branding class):
// the branding settings (colors, logo, font), the Universal Login template
// and the themes, as Objects.
type BrandingManager struct{ m *Management }

// Get returns the branding settings (GET /branding; Python Branding.get).
func (r *BrandingManager) Get(ctx context.Context) (Object, error) {
	return callObject(ctx, r.m, request{method: http.MethodGet, path: route("/branding")})
}

// Update changes the branding settings (PATCH /branding; Python
// Branding.update).
func (r *BrandingManager) Update(ctx context.Context, body Object) (Object, error) {
	return callObject(ctx, r.m, request{method: http.MethodPatch, path: route("/branding"), body: body})
}

// GetUniversalLoginTemplate returns the Universal Login page template (GET
// /branding/templates/universal-login; Python
// Branding.get_template_universal_login).
func (r *BrandingManager) GetUniversalLoginTemplate(ctx context.Context) (*UniversalLoginTemplate, error) {
	return call[UniversalLoginTemplate](ctx, r.m, request{method: http.MethodGet, path: route("/branding/templates/universal-login")})
}

// DeleteUniversalLoginTemplate removes the template, restoring Auth0's
// default page (DELETE /branding/templates/universal-login; Python
// Branding.delete_template_universal_login).
func (r *BrandingManager) DeleteUniversalLoginTemplate(ctx context.Context) error {
	return r.m.do(ctx, request{method: http.MethodDelete, path: route("/branding/templates/universal-login")}, nil)
}

// UpdateUniversalLoginTemplate sets the Universal Login page template, an
// HTML document with the {%- auth0:head -%} and {%- auth0:widget -%} tags
// (PUT /branding/templates/universal-login with {"template": template};
// Python Branding.update_template_universal_login).
func (r *BrandingManager) UpdateUniversalLoginTemplate(ctx context.Context, template string) error {
	body := struct {
		Template string `json:"template"`
	}{template}
	return r.m.do(ctx, request{method: http.MethodPut, path: route("/branding/templates/universal-login"), body: body}, nil)
}

// GetDefaultTheme returns the default theme (GET /branding/themes/default;
// Python Branding.get_default_branding_theme).
func (r *BrandingManager) GetDefaultTheme(ctx context.Context) (Object, error) {
	return callObject(ctx, r.m, request{method: http.MethodGet, path: route("/branding/themes/default")})
}

// GetTheme returns a theme (GET /branding/themes/{theme_id}; Python
// Branding.get_branding_theme).
func (r *BrandingManager) GetTheme(ctx context.Context, themeID string) (Object, error) {
	return callObject(ctx, r.m, request{method: http.MethodGet, path: route("/branding/themes/{theme_id}", themeID)})
}

// DeleteTheme deletes a theme (DELETE /branding/themes/{theme_id}; Python
// Branding.delete_branding_theme).
func (r *BrandingManager) DeleteTheme(ctx context.Context, themeID string) error {
	return r.m.do(ctx, request{method: http.MethodDelete, path: route("/branding/themes/{theme_id}", themeID)}, nil)
}

// UpdateTheme changes a theme (PATCH /branding/themes/{theme_id}; Python
// Branding.update_branding_theme).
func (r *BrandingManager) UpdateTheme(ctx context.Context, themeID string, body Object) (Object, error) {
	return callObject(ctx, r.m, request{method: http.MethodPatch, path: route("/branding/themes/{theme_id}", themeID), body: body})
}

// CreateTheme creates the theme (POST /branding/themes; Python
// Branding.create_branding_theme).
func (r *BrandingManager) CreateTheme(ctx context.Context, body Object) (Object, error) {
	return callObject(ctx, r.m, request{method: http.MethodPost, path: route("/branding/themes"), body: body})
}
