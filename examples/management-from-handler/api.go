package main

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/tokengate/tokengate/client/management"
	"github.com/tokengate/tokengate/middleware"
	"github.com/tokengate/tokengate/orgs"
	"github.com/tokengate/tokengate/verifier"
)

// newRouter is the API: one route, GET /orgs/{org}/me, behind three checks.
func newRouter(v *verifier.Verifier, m *management.Management, log *slog.Logger, authOpts ...middleware.Option) http.Handler {
	a := &api{m: m, log: log}
	r := chi.NewRouter()
	r.Group(func(r chi.Router) {
		// 1. A valid access token for this API: 401 otherwise.
		r.Use(middleware.Authenticate(v, authOpts...))

		r.With(
			// 2. The token is of the organization in the path, an ID
			// (org_...) or a name: 403 otherwise.
			orgs.Require(orgs.FromPath("org")),
			// 3. Its user is still a member of it, asked of the Management
			// API (GET /users/{id}/organizations) and cached for 30 s: 403
			// once removed, although the token has not expired; 503 when
			// the API cannot tell.
			orgs.RequireMember(&management.MembershipChecker{Management: m}),
		).Get("/orgs/{org}/me", a.me)
	})
	return r
}

// api holds what the handlers share. The Management client is safe for
// concurrent use and caches its own token: make one per process.
type api struct {
	m   *management.Management
	log *slog.Logger
}

// meResponse is what GET /orgs/{org}/me answers: the fields the handler
// chooses to show, not the Management API's whole user.
type meResponse struct {
	Organization struct {
		ID   string `json:"id"`
		Name string `json:"name,omitempty"`
	} `json:"organization"`
	User struct {
		ID      string `json:"user_id"`
		Email   string `json:"email,omitempty"`
		Name    string `json:"name,omitempty"`
		Picture string `json:"picture,omitempty"`
	} `json:"user"`
	Roles []string `json:"roles"`
}

// me answers the caller's profile and roles in the organization, read live
// from the Management API. Who the caller is comes only from the verified
// claims; the organization is the token's org_id, which orgs.Require bound
// to the one in the path.
func (a *api) me(w http.ResponseWriter, r *http.Request) {
	claims, _ := middleware.ClaimsFromContext(r.Context()) // Authenticate ran
	ctx, cancel := context.WithTimeout(r.Context(), 10*time.Second)
	defer cancel()

	user, err := a.m.Users.Get(ctx, claims.Subject, &management.FieldSelection{
		Fields: []string{"user_id", "email", "name", "picture"}, // ask only for what we show
	})
	if err != nil {
		a.upstreamError(w, r, "Users.Get", err)
		return
	}
	var out meResponse
	out.Organization.ID, out.Organization.Name = claims.OrgID, claims.OrgName
	out.User.ID, out.User.Email, out.User.Name, out.User.Picture = user.ID, user.Email, user.Name, user.Picture

	// The member's roles in this organization (not their tenant-wide
	// roles). The iterator walks every page.
	out.Roles = []string{}
	for role, err := range a.m.Organizations.AllMemberRoles(ctx, claims.OrgID, claims.Subject, nil) {
		if err != nil {
			a.upstreamError(w, r, "Organizations.AllMemberRoles", err)
			return
		}
		out.Roles = append(out.Roles, role.Name)
	}

	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store") // personal data
	json.NewEncoder(w).Encode(out)
}

// upstreamError logs a failed Management call (its errors carry the API's
// status and message, never a token) and answers 502 without the details.
func (a *api) upstreamError(w http.ResponseWriter, r *http.Request, call string, err error) {
	a.log.Error("management API call failed", "call", call, "err", err)
	middleware.WriteError(w, r, &middleware.Error{
		Status: http.StatusBadGateway, Code: "upstream_error",
		Description: "the user directory cannot be read right now", Err: err,
	})
}
