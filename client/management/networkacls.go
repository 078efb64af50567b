package management

import (
	"context"
	"iter"
	"net/http"
	"net/url"
)

// NetworkACLManager calls the /network-acls endpoints (Python NetworkAcls
// class). An access control list entry is an Object such as
// {"description": ..., "active": true, "priority": 1, "rule": {"action":
// {"block": true}, "match": {"ipv4_cidrs": [...]}, "scope":
// "authentication"}}.
type NetworkACLManager struct{ m *Management }

// List lists the entries (GET /network-acls; Python NetworkAcls.all). opts
// may be nil: page=0, per_page=25, include_totals=true.
func (r *NetworkACLManager) List(ctx context.Context, opts *Offset) (*Page[Object], error) {
	q := url.Values{}
	opts.encode(q, listDefaults{page: true, perPage: 25, includeTotals: "true"})
	return list[Object](ctx, r.m, request{method: http.MethodGet, path: route("/network-acls"), query: q}, "network_acls")
}

// All iterates over List.
func (r *NetworkACLManager) All(ctx context.Context, opts *Offset) iter.Seq2[Object, error] {
	return walkOffset(ctx, deref(opts), func(ctx context.Context, o *Offset) (*Page[Object], error) {
		return r.List(ctx, o)
	})
}

// Create creates an entry (POST /network-acls; Python NetworkAcls.create).
func (r *NetworkACLManager) Create(ctx context.Context, body Object) (Object, error) {
	return callObject(ctx, r.m, request{method: http.MethodPost, path: route("/network-acls"), body: body})
}

// Get returns an entry (GET /network-acls/{id}; Python NetworkAcls.get).
func (r *NetworkACLManager) Get(ctx context.Context, id string) (Object, error) {
	return callObject(ctx, r.m, request{method: http.MethodGet, path: route("/network-acls/{id}", id)})
}

// Delete deletes an entry (DELETE /network-acls/{id}; Python
// NetworkAcls.delete).
func (r *NetworkACLManager) Delete(ctx context.Context, id string) error {
	return r.m.do(ctx, request{method: http.MethodDelete, path: route("/network-acls/{id}", id)}, nil)
}

// Replace replaces an entry with body (PUT /network-acls/{id}; Python
// NetworkAcls.update).
func (r *NetworkACLManager) Replace(ctx context.Context, id string, body Object) (Object, error) {
	return callObject(ctx, r.m, request{method: http.MethodPut, path: route("/network-acls/{id}", id), body: body})
}

// Update changes the members of an entry given in body (PATCH
// /network-acls/{id}; Python NetworkAcls.update_partial).
func (r *NetworkACLManager) Update(ctx context.Context, id string, body Object) (Object, error) {
	return callObject(ctx, r.m, request{method: http.MethodPatch, path: route("/network-acls/{id}", id), body: body})
}
