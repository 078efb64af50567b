package management

import (
	"context"
	"net/http"
	"net/url"
)

// PromptManager calls the /prompts endpoints (Python Prompts class): the
// Universal Login prompt settings and the custom texts of each prompt, as
// Objects.
type PromptManager struct{ m *Management }

// Get returns the prompt settings ({"universal_login_experience",
// "identifier_first", ...}) (GET /prompts; Python Prompts.get).
func (r *PromptManager) Get(ctx context.Context) (Object, error) {
	return callObject(ctx, r.m, request{method: http.MethodGet, path: route("/prompts")})
}

// Update changes the prompt settings (PATCH /prompts; Python
// Prompts.update).
func (r *PromptManager) Update(ctx context.Context, body Object) (Object, error) {
	return callObject(ctx, r.m, request{method: http.MethodPatch, path: route("/prompts"), body: body})
}

// GetCustomText returns the custom texts of a prompt (login, signup,
// mfa, ...) in a language ("en") (GET
// /prompts/{prompt}/custom-text/{language}; Python
// Prompts.get_custom_text).
func (r *PromptManager) GetCustomText(ctx context.Context, prompt, language string) (Object, error) {
	return callObject(ctx, r.m, request{method: http.MethodGet, path: route("/prompts/{prompt}/custom-text/{language}", prompt, language)})
}

// UpdateCustomText replaces the custom texts of a prompt in a language
// with body ({"screen": {"key": "text"}}): texts not in body go back to
// their defaults (PUT /prompts/{prompt}/custom-text/{language}; Python
// Prompts.update_custom_text).
func (r *PromptManager) UpdateCustomText(ctx context.Context, prompt, language string, body Object) (Object, error) {
	return callObject(ctx, r.m, request{method: http.MethodPut, path: route("/prompts/{prompt}/custom-text/{language}", prompt, language), body: body})
}

// GetPartials returns the custom HTML partials of a prompt's screens
// ({"signup": {"form-content-start": "<div>...</div>"}}) (GET
// /prompts/{prompt}/partials; go-auth0 PromptManager.GetPartials).
func (r *PromptManager) GetPartials(ctx context.Context, prompt string) (Object, error) {
	return callObject(ctx, r.m, request{method: http.MethodGet, path: route("/prompts/{prompt}/partials", prompt)})
}

// SetPartials replaces the partials of a prompt with body; a screen mapped
// to {} has its partials removed (PUT /prompts/{prompt}/partials; go-auth0
// PromptManager.SetPartials).
func (r *PromptManager) SetPartials(ctx context.Context, prompt string, body Object) (Object, error) {
	return callObject(ctx, r.m, request{method: http.MethodPut, path: route("/prompts/{prompt}/partials", prompt), body: body})
}

// GetRendering returns the rendering settings of a screen of a prompt
// (Advanced Customizations for Universal Login: rendering_mode,
// context_configuration, head_tags, filters, ...) (GET
// /prompts/{prompt}/screen/{screen}/rendering; go-auth0
// PromptManager.ReadRendering).
func (r *PromptManager) GetRendering(ctx context.Context, prompt, screen string) (Object, error) {
	return callObject(ctx, r.m, request{method: http.MethodGet, path: route("/prompts/{prompt}/screen/{screen}/rendering", prompt, screen)})
}

// UpdateRendering changes them (PATCH
// /prompts/{prompt}/screen/{screen}/rendering; go-auth0
// PromptManager.UpdateRendering).
func (r *PromptManager) UpdateRendering(ctx context.Context, prompt, screen string, body Object) (Object, error) {
	return callObject(ctx, r.m, request{method: http.MethodPatch, path: route("/prompts/{prompt}/screen/{screen}/rendering", prompt, screen), body: body})
}

// RenderingListOptions select the rendering settings of
// Prompts.ListRendering.
type RenderingListOptions struct {
	Offset               // no defaults
	Prompt        string // only this prompt's screens
	Screen        string
	RenderingMode string // "advanced" or "standard"
}

// ListRendering lists the rendering settings of every customized screen
// (GET /prompts/rendering; go-auth0 PromptManager.ListRendering).
func (r *PromptManager) ListRendering(ctx context.Context, opts *RenderingListOptions) (*Page[Object], error) {
	v := deref(opts)
	q := url.Values{}
	v.Offset.encode(q, listDefaults{})
	setString(q, "prompt", v.Prompt)
	setString(q, "screen", v.Screen)
	setString(q, "rendering_mode", v.RenderingMode)
	return list[Object](ctx, r.m, request{method: http.MethodGet, path: route("/prompts/rendering"), query: q}, "configs")
}

// BulkUpdateRendering changes the rendering settings of several screens at
// once ({"configs": [{"prompt": ..., "screen": ..., "rendering_mode":
// ...}, ...]}) (PATCH /prompts/rendering; go-auth0
// PromptManager.BulkUpdateRendering).
func (r *PromptManager) BulkUpdateRendering(ctx context.Context, body Object) (Object, error) {
	return callObject(ctx, r.m, request{method: http.MethodPatch, path: route("/prompts/rendering"), body: body})
}
