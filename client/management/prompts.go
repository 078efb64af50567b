package management

import (
	"context"
	"net/http"
)

// PromptManager calls the /prompts endpoints (Python Prompts class): the
// Universal Login prompt settings and the custom texts of each prompt, as
// Objects.
type PromptManager struct{ m *Management }

// Get returns the prompt settings ({"universal_login_experience",
// "identifier_first", ...}) (GET /prompts; Python Prompts.get).
func (r *PromptManager) Get(ctx context.Context) (Object, error) {
	return callObject(ctx, r.m, request{method: http.MethodGet, path: path("prompts")})
}

// Update changes the prompt settings (PATCH /prompts; Python
// Prompts.update).
func (r *PromptManager) Update(ctx context.Context, body Object) (Object, error) {
	return callObject(ctx, r.m, request{method: http.MethodPatch, path: path("prompts"), body: body})
}

// GetCustomText returns the custom texts of a prompt (login, signup,
// mfa, ...) in a language ("en") (GET
// /prompts/{prompt}/custom-text/{language}; Python
// Prompts.get_custom_text).
func (r *PromptManager) GetCustomText(ctx context.Context, prompt, language string) (Object, error) {
	return callObject(ctx, r.m, request{method: http.MethodGet, path: path("prompts", prompt, "custom-text", language)})
}

// UpdateCustomText replaces the custom texts of a prompt in a language
// with body ({"screen": {"key": "text"}}): texts not in body go back to
// their defaults (PUT /prompts/{prompt}/custom-text/{language}; Python
// Prompts.update_custom_text).
func (r *PromptManager) UpdateCustomText(ctx context.Context, prompt, language string, body Object) (Object, error) {
	return callObject(ctx, r.m, request{method: http.MethodPut, path: path("prompts", prompt, "custom-text", language), body: body})
}
