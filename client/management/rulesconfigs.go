package management

import (
	"context"
	"net/http"
)

// RulesConfigManager calls the /rules-configs endpoints (Python
// RulesConfigs class): the key-value settings that rules read from
// configuration.
type RulesConfigManager struct{ m *Management }

// List lists the keys of the settings, as {"key": ...} Objects; the API
// never returns their values (GET /rules-configs; Python
// RulesConfigs.all).
func (r *RulesConfigManager) List(ctx context.Context) ([]Object, error) {
	var out []Object
	err := r.m.do(ctx, request{method: http.MethodGet, path: route("/rules-configs")}, &out)
	return out, err
}

// Delete removes a setting (DELETE /rules-configs/{key}; Python
// RulesConfigs.unset).
func (r *RulesConfigManager) Delete(ctx context.Context, key string) error {
	return r.m.do(ctx, request{method: http.MethodDelete, path: route("/rules-configs/{key}", key)}, nil)
}

// Set sets a setting's value (PUT /rules-configs/{key} with {"value":
// value}; Python RulesConfigs.set) and returns {"key", "value"}.
func (r *RulesConfigManager) Set(ctx context.Context, key, value string) (Object, error) {
	body := struct {
		Value string `json:"value"`
	}{value}
	return callObject(ctx, r.m, request{method: http.MethodPut, path: route("/rules-configs/{key}", key), body: body})
}
