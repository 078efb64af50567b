package management

import (
	"context"
	"iter"
	"net/http"
	"net/url"
)

// Grant is a user's consent to an application for an audience.
type Grant struct {
	ID       string   `json:"id,omitempty"`
	ClientID string   `json:"clientID,omitempty"`
	UserID   string   `json:"user_id,omitempty"`
	Audience string   `json:"audience,omitempty"`
	Scope    []string `json:"scope,omitzero"`
	Extra    Object   `json:"-"`
	empty    emptyMembers
}

func (g *Grant) UnmarshalJSON(b []byte) error {
	type plain Grant
	return unmarshalModel(b, (*plain)(g), &g.Extra, &g.empty)
}

func (g Grant) MarshalJSON() ([]byte, error) {
	type plain Grant
	return marshalModel((*plain)(&g), g.Extra, g.empty)
}

// GrantManager calls the /grants endpoints (Python Grants class).
type GrantManager struct{ m *Management }

// GrantListOptions are the parameters of Grants.List.
type GrantListOptions struct {
	Offset   // default: include_totals=false
	UserID   string
	ClientID string
	Audience string
	// Query holds further parameters (Python extra_params); the method's
	// own parameters win.
	Query url.Values
}

// List lists grants (GET /grants; Python Grants.all).
func (r *GrantManager) List(ctx context.Context, opts *GrantListOptions) (*Page[*Grant], error) {
	v := deref(opts)
	q := url.Values{}
	v.Offset.encode(q, listDefaults{includeTotals: "false"})
	setString(q, "user_id", v.UserID)
	setString(q, "client_id", v.ClientID)
	setString(q, "audience", v.Audience)
	addExtra(q, v.Query)
	return list[*Grant](ctx, r.m, request{method: http.MethodGet, path: route("/grants"), query: q}, "grants")
}

// All iterates over List.
func (r *GrantManager) All(ctx context.Context, opts *GrantListOptions) iter.Seq2[*Grant, error] {
	o := deref(opts)
	return walkOffset(ctx, o.Offset, func(ctx context.Context, page *Offset) (*Page[*Grant], error) {
		o.Offset = *page
		return r.List(ctx, &o)
	})
}

// Delete revokes a grant (DELETE /grants/{id}; Python Grants.delete).
func (r *GrantManager) Delete(ctx context.Context, id string) error {
	return r.m.do(ctx, request{method: http.MethodDelete, path: route("/grants/{id}", id)}, nil)
}
