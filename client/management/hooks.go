package management

import (
	"context"
	"iter"
	"net/http"
	"net/url"
	"strings"
)

// Hook is a hook (GET /hooks/{id}), also the body of Hooks.Create and
// Hooks.Update. Auth0 has deprecated hooks in favour of actions.
type Hook struct {
	ID     string `json:"id,omitempty"`
	Name   string `json:"name,omitempty"`
	Script string `json:"script,omitempty"`
	// TriggerID: credentials-exchange, pre-user-registration,
	// post-user-registration, post-change-password, send-phone-message.
	TriggerID    string `json:"triggerId,omitempty"`
	Enabled      *bool  `json:"enabled,omitempty"`
	Dependencies Object `json:"dependencies,omitzero"` // npm package: version
	Extra        Object `json:"-"`
	empty        emptyMembers
}

func (h *Hook) UnmarshalJSON(b []byte) error {
	type plain Hook
	return unmarshalModel(b, (*plain)(h), &h.Extra, &h.empty)
}

func (h Hook) MarshalJSON() ([]byte, error) {
	type plain Hook
	return marshalModel((*plain)(&h), h.Extra, h.empty)
}

// HookManager calls the /hooks endpoints (Python Hooks class).
type HookManager struct{ m *Management }

// HookListOptions are the parameters of Hooks.List.
type HookListOptions struct {
	Offset // default: include_totals=false
	FieldSelection
	Enabled EnabledFilter // default: enabled hooks only
}

// List lists hooks (GET /hooks; Python Hooks.all).
func (r *HookManager) List(ctx context.Context, opts *HookListOptions) (*Page[*Hook], error) {
	v := deref(opts)
	q := url.Values{}
	v.FieldSelection.encode(q)
	v.Offset.encode(q, listDefaults{includeTotals: "false"})
	v.Enabled.encode(q)
	return list[*Hook](ctx, r.m, request{method: http.MethodGet, path: route("/hooks"), query: q}, "hooks")
}

// All iterates over List.
func (r *HookManager) All(ctx context.Context, opts *HookListOptions) iter.Seq2[*Hook, error] {
	o := deref(opts)
	return walkOffset(ctx, o.Offset, func(ctx context.Context, page *Offset) (*Page[*Hook], error) {
		o.Offset = *page
		return r.List(ctx, &o)
	})
}

// Create creates a hook (POST /hooks; Python Hooks.create).
func (r *HookManager) Create(ctx context.Context, h *Hook) (*Hook, error) {
	return call[Hook](ctx, r.m, request{method: http.MethodPost, path: route("/hooks"), body: h})
}

// Get returns a hook, with only the listed fields when fields is not empty
// (GET /hooks/{id}; Python Hooks.get).
func (r *HookManager) Get(ctx context.Context, id string, fields []string) (*Hook, error) {
	q := url.Values{}
	if len(fields) > 0 {
		q.Set("fields", strings.Join(fields, ","))
	}
	return call[Hook](ctx, r.m, request{method: http.MethodGet, path: route("/hooks/{id}", id), query: q})
}

// Delete deletes a hook (DELETE /hooks/{id}; Python Hooks.delete).
func (r *HookManager) Delete(ctx context.Context, id string) error {
	return r.m.do(ctx, request{method: http.MethodDelete, path: route("/hooks/{id}", id)}, nil)
}

// Update changes a hook (PATCH /hooks/{id}; Python Hooks.update).
func (r *HookManager) Update(ctx context.Context, id string, h *Hook) (*Hook, error) {
	return call[Hook](ctx, r.m, request{method: http.MethodPatch, path: route("/hooks/{id}", id), body: h})
}

// GetSecrets returns the names of a hook's secrets; the API masks their
// values (GET /hooks/{id}/secrets; Python Hooks.get_secrets).
func (r *HookManager) GetSecrets(ctx context.Context, id string) (map[string]string, error) {
	var out map[string]string
	err := r.m.do(ctx, request{method: http.MethodGet, path: route("/hooks/{id}/secrets", id)}, &out)
	return out, err
}

// AddSecrets adds secrets (name: value) to a hook (POST /hooks/{id}/secrets;
// Python Hooks.add_secrets).
func (r *HookManager) AddSecrets(ctx context.Context, id string, secrets map[string]string) error {
	return doConfig(ctx, r.m, request{method: http.MethodPost, path: route("/hooks/{id}/secrets", id), body: secrets}, nil)
}

// DeleteSecrets deletes the named secrets of a hook (DELETE
// /hooks/{id}/secrets with the JSON array of names; Python
// Hooks.delete_secrets).
func (r *HookManager) DeleteSecrets(ctx context.Context, id string, names []string) error {
	if names == nil {
		names = []string{}
	}
	return r.m.do(ctx, request{method: http.MethodDelete, path: route("/hooks/{id}/secrets", id), body: names}, nil)
}

// UpdateSecrets changes the values of existing secrets of a hook (PATCH
// /hooks/{id}/secrets; Python Hooks.update_secrets).
func (r *HookManager) UpdateSecrets(ctx context.Context, id string, secrets map[string]string) error {
	return doConfig(ctx, r.m, request{method: http.MethodPatch, path: route("/hooks/{id}/secrets", id), body: secrets}, nil)
}
