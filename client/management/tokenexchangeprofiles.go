package management

import (
	"context"
	"iter"
	"net/http"
)

// TokenExchangeProfileManager calls the /token-exchange-profiles endpoints
// (go-auth0 TokenExchangeProfileManager): the profiles of Custom Token
// Exchange, each mapping a subject token type to the action that
// validates it ({"name", "subject_token_type", "action_id", "type":
// "custom_authentication"}), as Objects.
type TokenExchangeProfileManager struct{ m *Management }

// List lists the profiles (GET /token-exchange-profiles; go-auth0
// TokenExchangeProfileManager.List). opts asks for checkpoint pagination
// (from, take); nil sends neither.
func (r *TokenExchangeProfileManager) List(ctx context.Context, opts *Checkpoint) (*Page[Object], error) {
	return list[Object](ctx, r.m, request{method: http.MethodGet, path: route("/token-exchange-profiles"), query: checkpointQuery(opts)}, "token_exchange_profiles")
}

// All iterates over List.
func (r *TokenExchangeProfileManager) All(ctx context.Context, start *Checkpoint) iter.Seq2[Object, error] {
	return walkCheckpoint(ctx, deref(start), func(ctx context.Context, c *Checkpoint) (*Page[Object], error) {
		return r.List(ctx, c)
	})
}

// Create creates a profile (POST /token-exchange-profiles; go-auth0
// TokenExchangeProfileManager.Create).
func (r *TokenExchangeProfileManager) Create(ctx context.Context, body Object) (Object, error) {
	return callObject(ctx, r.m, request{method: http.MethodPost, path: route("/token-exchange-profiles"), body: body})
}

// Get returns a profile (GET /token-exchange-profiles/{id}; go-auth0
// TokenExchangeProfileManager.Read).
func (r *TokenExchangeProfileManager) Get(ctx context.Context, id string) (Object, error) {
	return callObject(ctx, r.m, request{method: http.MethodGet, path: route("/token-exchange-profiles/{id}", id)})
}

// Update changes a profile (its name, subject_token_type) (PATCH
// /token-exchange-profiles/{id}; go-auth0
// TokenExchangeProfileManager.Update).
func (r *TokenExchangeProfileManager) Update(ctx context.Context, id string, body Object) (Object, error) {
	return callObject(ctx, r.m, request{method: http.MethodPatch, path: route("/token-exchange-profiles/{id}", id), body: body})
}

// Delete deletes a profile (DELETE /token-exchange-profiles/{id}; go-auth0
// TokenExchangeProfileManager.Delete).
func (r *TokenExchangeProfileManager) Delete(ctx context.Context, id string) error {
	return r.m.do(ctx, request{method: http.MethodDelete, path: route("/token-exchange-profiles/{id}", id)}, nil)
}
