package management

import (
	"context"
	"net/http"
)

// SessionManager calls the /sessions endpoints (go-auth0 SessionManager):
// a user's login sessions (device, clients, authentication, expiry), as
// Objects. Users.ListSessions lists those of a user.
type SessionManager struct{ m *Management }

// Get returns a session (GET /sessions/{id}; go-auth0 SessionManager.Read).
func (r *SessionManager) Get(ctx context.Context, id string) (Object, error) {
	return callObject(ctx, r.m, request{method: http.MethodGet, path: route("/sessions/{id}", id)})
}

// Delete deletes a session (DELETE /sessions/{id}; go-auth0
// SessionManager.Delete).
func (r *SessionManager) Delete(ctx context.Context, id string) error {
	return r.m.do(ctx, request{method: http.MethodDelete, path: route("/sessions/{id}", id)}, nil)
}

// Revoke revokes a session and the refresh tokens bound to it (POST
// /sessions/{id}/revoke; go-auth0 SessionManager.Revoke).
func (r *SessionManager) Revoke(ctx context.Context, id string) error {
	return r.m.do(ctx, request{method: http.MethodPost, path: route("/sessions/{id}/revoke", id)}, nil)
}

// RefreshTokenManager calls the /refresh-tokens endpoints (go-auth0
// RefreshTokenManager): a refresh token's record (its ID, user, client,
// session, expiry; never the token itself), as Objects.
// Users.ListRefreshTokens lists those of a user.
type RefreshTokenManager struct{ m *Management }

// Get returns a refresh token's record (GET /refresh-tokens/{id}; go-auth0
// RefreshTokenManager.Read).
func (r *RefreshTokenManager) Get(ctx context.Context, id string) (Object, error) {
	return callObject(ctx, r.m, request{method: http.MethodGet, path: route("/refresh-tokens/{id}", id)})
}

// Delete revokes a refresh token (DELETE /refresh-tokens/{id}; go-auth0
// RefreshTokenManager.Delete).
func (r *RefreshTokenManager) Delete(ctx context.Context, id string) error {
	return r.m.do(ctx, request{method: http.MethodDelete, path: route("/refresh-tokens/{id}", id)}, nil)
}
