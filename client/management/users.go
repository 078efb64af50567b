package management

import (
	"context"
	"iter"
	"net/http"
	"net/url"
)

// UserManager calls the /users endpoints (Python Users class).
type UserManager struct{ m *Management }

// UserListOptions are the parameters of Users.List.
type UserListOptions struct {
	Offset // defaults: page=0, per_page=25, include_totals=true
	FieldSelection
	Sort         string // "field:1" ascending, "field:-1" descending
	Connection   string
	Q            string // Lucene query
	SearchEngine string // "v3"
}

func (o *UserListOptions) query() url.Values {
	var v UserListOptions
	if o != nil {
		v = *o
	}
	q := url.Values{}
	v.Offset.encode(q, listDefaults{page: true, perPage: 25, includeTotals: "true"})
	setString(q, "sort", v.Sort)
	setString(q, "connection", v.Connection)
	v.FieldSelection.encode(q)
	setString(q, "q", v.Q)
	setString(q, "search_engine", v.SearchEngine)
	return q
}

// List lists or searches users (GET /users; Python Users.list).
func (r *UserManager) List(ctx context.Context, opts *UserListOptions) (*Page[*User], error) {
	return list[*User](ctx, r.m, request{method: http.MethodGet, path: path("users"), query: opts.query()}, "users")
}

// All iterates over every user matching opts, page after page from
// opts.Page (offset pagination; the API stops at 1000 results: use a
// users export job beyond).
func (r *UserManager) All(ctx context.Context, opts *UserListOptions) iter.Seq2[*User, error] {
	var o UserListOptions
	if opts != nil {
		o = *opts
	}
	return walkOffset(ctx, o.Offset, func(ctx context.Context, page *Offset) (*Page[*User], error) {
		o.Offset = *page
		return r.List(ctx, &o)
	})
}

// Create creates a user (POST /users; Python Users.create).
func (r *UserManager) Create(ctx context.Context, u *User) (*User, error) {
	return call[User](ctx, r.m, request{method: http.MethodPost, path: path("users"), body: u})
}

// Get returns a user (GET /users/{id}; Python Users.get). opts may be nil.
func (r *UserManager) Get(ctx context.Context, id string, opts *FieldSelection) (*User, error) {
	q := url.Values{}
	opts.encode(q)
	return call[User](ctx, r.m, request{method: http.MethodGet, path: path("users", id), query: q})
}

// Delete deletes a user (DELETE /users/{id}; Python Users.delete).
func (r *UserManager) Delete(ctx context.Context, id string) error {
	return r.m.do(ctx, request{method: http.MethodDelete, path: path("users", id)}, nil)
}

// Update changes a user (PATCH /users/{id}; Python Users.update). Only the
// members set in u are sent; put a nil in u.Extra to send an explicit null.
func (r *UserManager) Update(ctx context.Context, id string, u *User) (*User, error) {
	return call[User](ctx, r.m, request{method: http.MethodPatch, path: path("users", id), body: u})
}
