package management

import (
	"context"
	"iter"
	"net/http"
	"net/url"
)

// Rule is a rule (GET /rules/{id}), also the body of Rules.Create and
// Rules.Update. Auth0 has deprecated rules in favour of actions.
type Rule struct {
	ID      string `json:"id,omitempty"`
	Name    string `json:"name,omitempty"`
	Script  string `json:"script,omitempty"`
	Order   *int   `json:"order,omitempty"` // rules run by ascending order
	Enabled *bool  `json:"enabled,omitempty"`
	Stage   string `json:"stage,omitempty"` // login_success
	Extra   Object `json:"-"`
	empty   emptyMembers
}

func (r *Rule) UnmarshalJSON(b []byte) error {
	type plain Rule
	return unmarshalModel(b, (*plain)(r), &r.Extra, &r.empty)
}

func (r Rule) MarshalJSON() ([]byte, error) {
	type plain Rule
	return marshalModel((*plain)(&r), r.Extra, r.empty)
}

// RuleManager calls the /rules endpoints (Python Rules class).
type RuleManager struct{ m *Management }

// RuleListOptions are the parameters of Rules.List.
type RuleListOptions struct {
	Offset // default: include_totals=false
	FieldSelection
	Stage   string        // default: login_success
	Enabled EnabledFilter // default: enabled rules only
}

// List lists rules (GET /rules; Python Rules.all).
func (r *RuleManager) List(ctx context.Context, opts *RuleListOptions) (*Page[*Rule], error) {
	v := deref(opts)
	q := url.Values{}
	if v.Stage == "" {
		v.Stage = "login_success"
	}
	q.Set("stage", v.Stage)
	v.FieldSelection.encode(q)
	v.Offset.encode(q, listDefaults{includeTotals: "false"})
	v.Enabled.encode(q)
	return list[*Rule](ctx, r.m, request{method: http.MethodGet, path: route("/rules"), query: q}, "rules")
}

// All iterates over List.
func (r *RuleManager) All(ctx context.Context, opts *RuleListOptions) iter.Seq2[*Rule, error] {
	o := deref(opts)
	return walkOffset(ctx, o.Offset, func(ctx context.Context, page *Offset) (*Page[*Rule], error) {
		o.Offset = *page
		return r.List(ctx, &o)
	})
}

// Create creates a rule (POST /rules; Python Rules.create).
func (r *RuleManager) Create(ctx context.Context, rule *Rule) (*Rule, error) {
	return call[Rule](ctx, r.m, request{method: http.MethodPost, path: route("/rules"), body: rule})
}

// Get returns a rule (GET /rules/{id}; Python Rules.get). opts may be nil.
func (r *RuleManager) Get(ctx context.Context, id string, opts *FieldSelection) (*Rule, error) {
	q := url.Values{}
	opts.encode(q)
	return call[Rule](ctx, r.m, request{method: http.MethodGet, path: route("/rules/{id}", id), query: q})
}

// Delete deletes a rule (DELETE /rules/{id}; Python Rules.delete).
func (r *RuleManager) Delete(ctx context.Context, id string) error {
	return r.m.do(ctx, request{method: http.MethodDelete, path: route("/rules/{id}", id)}, nil)
}

// Update changes a rule (PATCH /rules/{id}; Python Rules.update).
func (r *RuleManager) Update(ctx context.Context, id string, rule *Rule) (*Rule, error) {
	return call[Rule](ctx, r.m, request{method: http.MethodPatch, path: route("/rules/{id}", id), body: rule})
}
