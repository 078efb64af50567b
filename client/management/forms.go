package management

import (
	"context"
	"iter"
	"net/http"
	"net/url"
)

// FormManager calls the /forms endpoints (go-auth0 FormManager): the forms
// of Auth0 Forms (nodes, start, ending, style, translations), as Objects.
type FormManager struct{ m *Management }

// List lists the forms (GET /forms; go-auth0 FormManager.List).
func (r *FormManager) List(ctx context.Context, opts *Offset) (*Page[Object], error) {
	q := url.Values{}
	opts.encode(q, listDefaults{})
	return list[Object](ctx, r.m, request{method: http.MethodGet, path: route("/forms"), query: q}, "forms")
}

// All iterates over List.
func (r *FormManager) All(ctx context.Context, start *Offset) iter.Seq2[Object, error] {
	return walkOffset(ctx, deref(start), func(ctx context.Context, o *Offset) (*Page[Object], error) {
		return r.List(ctx, o)
	})
}

// Create creates a form (POST /forms; go-auth0 FormManager.Create).
func (r *FormManager) Create(ctx context.Context, body Object) (Object, error) {
	return callObject(ctx, r.m, request{method: http.MethodPost, path: route("/forms"), body: body})
}

// Get returns a form (GET /forms/{id}; go-auth0 FormManager.Read).
func (r *FormManager) Get(ctx context.Context, id string) (Object, error) {
	return callObject(ctx, r.m, request{method: http.MethodGet, path: route("/forms/{id}", id)})
}

// Update changes a form (PATCH /forms/{id}; go-auth0 FormManager.Update).
func (r *FormManager) Update(ctx context.Context, id string, body Object) (Object, error) {
	return callObject(ctx, r.m, request{method: http.MethodPatch, path: route("/forms/{id}", id), body: body})
}

// Delete deletes a form (DELETE /forms/{id}; go-auth0 FormManager.Delete).
func (r *FormManager) Delete(ctx context.Context, id string) error {
	return r.m.do(ctx, request{method: http.MethodDelete, path: route("/forms/{id}", id)}, nil)
}
