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
	return list[Object](ctx, r.m, request{method: http.MethodGet, path: path("users", id, "connected-accounts"), query: checkpointQuery(opts)}, "connected_accounts")
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
	return r.m.do(ctx, request{method: http.MethodPost, path: path("users", id, "risk-assessments", "clear"), body: body}, nil)
}
