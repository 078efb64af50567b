package management

import (
	"context"
	"iter"
	"net/http"
)

// A user's sign-in state beyond the profile: connected accounts, risk
// assessments, sessions and refresh tokens.

// ListConnectedAccounts lists the accounts of other services a user has
// connected (Token Vault) (GET /users/{id}/connected-accounts; go-auth0
// UserManager.ListConnectedAccounts). opts asks for checkpoint pagination
// (from, take); nil sends neither.
func (r *UserManager) ListConnectedAccounts(ctx context.Context, id string, opts *Checkpoint) (*Page[Object], error) {
	return list[Object](ctx, r.m, request{method: http.MethodGet, path: route("/users/{id}/connected-accounts", id), query: checkpointQuery(opts)}, "connected_accounts")
}

// AllConnectedAccounts iterates over ListConnectedAccounts.
func (r *UserManager) AllConnectedAccounts(ctx context.Context, id string, start *Checkpoint) iter.Seq2[Object, error] {
	return walkCheckpoint(ctx, deref(start), func(ctx context.Context, c *Checkpoint) (*Page[Object], error) {
		return r.ListConnectedAccounts(ctx, id, c)
	})
}

// ClearRiskAssessors clears what the named risk assessors ("new-device")
// remember of a user on a connection (POST
// /users/{id}/risk-assessments/clear; go-auth0
// UserManager.ClearRiskAssessmentAssessors).
func (r *UserManager) ClearRiskAssessors(ctx context.Context, id, connection string, assessors []string) error {
	if assessors == nil {
		assessors = []string{}
	}
	body := struct {
		Connection string   `json:"connection"`
		Assessors  []string `json:"assessors"`
	}{connection, assessors}
	return r.m.do(ctx, request{method: http.MethodPost, path: route("/users/{id}/risk-assessments/clear", id), body: body}, nil)
}

// ListSessions lists a user's sessions (GET /users/{id}/sessions; go-auth0
// UserManager.ListUserSessions). opts asks for checkpoint pagination (from,
// take); nil sends neither.
func (r *UserManager) ListSessions(ctx context.Context, id string, opts *Checkpoint) (*Page[Object], error) {
	return list[Object](ctx, r.m, request{method: http.MethodGet, path: route("/users/{id}/sessions", id), query: checkpointQuery(opts)}, "sessions")
}

// AllSessions iterates over ListSessions.
func (r *UserManager) AllSessions(ctx context.Context, id string, start *Checkpoint) iter.Seq2[Object, error] {
	return walkCheckpoint(ctx, deref(start), func(ctx context.Context, c *Checkpoint) (*Page[Object], error) {
		return r.ListSessions(ctx, id, c)
	})
}

// DeleteSessions deletes every session of a user (DELETE
// /users/{id}/sessions; go-auth0 UserManager.DeleteUserSessions).
func (r *UserManager) DeleteSessions(ctx context.Context, id string) error {
	return r.m.do(ctx, request{method: http.MethodDelete, path: route("/users/{id}/sessions", id)}, nil)
}

// ListRefreshTokens lists the records of a user's refresh tokens (GET
// /users/{id}/refresh-tokens; go-auth0 UserManager.ListRefreshTokens).
// opts asks for checkpoint pagination (from, take); nil sends neither.
func (r *UserManager) ListRefreshTokens(ctx context.Context, id string, opts *Checkpoint) (*Page[Object], error) {
	return list[Object](ctx, r.m, request{method: http.MethodGet, path: route("/users/{id}/refresh-tokens", id), query: checkpointQuery(opts)}, "tokens")
}

// AllRefreshTokens iterates over ListRefreshTokens.
func (r *UserManager) AllRefreshTokens(ctx context.Context, id string, start *Checkpoint) iter.Seq2[Object, error] {
	return walkCheckpoint(ctx, deref(start), func(ctx context.Context, c *Checkpoint) (*Page[Object], error) {
		return r.ListRefreshTokens(ctx, id, c)
	})
}

// DeleteRefreshTokens revokes every refresh token of a user (DELETE
// /users/{id}/refresh-tokens; go-auth0 UserManager.DeleteRefreshTokens).
func (r *UserManager) DeleteRefreshTokens(ctx context.Context, id string) error {
	return r.m.do(ctx, request{method: http.MethodDelete, path: route("/users/{id}/refresh-tokens", id)}, nil)
}
