package main

import (
	"encoding/json"
	"net/http"
	"strings"

	"github.com/tokengate/tokengate/metrics"
	"github.com/tokengate/tokengate/middleware"
	"github.com/tokengate/tokengate/orgs"
	"github.com/tokengate/tokengate/verifier"
)

// routes is the API: what each route needs. Authenticate verifies the bearer
// token and puts its claims on the request context (401 without a valid
// token, 503 when the keys cannot be had); the checks after it read those
// claims (403 when they do not allow the request).
func routes(v *verifier.Verifier, m *metrics.Metrics, metricsHandler http.Handler, opts ...middleware.Option) http.Handler {
	auth := middleware.Authenticate(v, opts...)
	mux := http.NewServeMux()

	// Public: no token needed.
	mux.HandleFunc("GET /public", public)

	// Any valid token for this API.
	mux.Handle("GET /api/me", chain(me, auth))

	// A valid token with the read:items scope (the token's "scope" claim).
	mux.Handle("GET /api/items", chain(listItems, auth, middleware.RequireScopes("read:items")))

	// A valid token with the write:items permission (the "permissions"
	// claim Auth0 adds when RBAC is enabled for the API).
	mux.Handle("POST /api/items", chain(createItem, auth, middleware.RequirePermissions("write:items")))

	// One organization's items: {org} is an organization ID (org_...) or
	// name, and the token must belong to that organization (its org_id, or
	// its org_name, which the name lower-cased must equal) and hold read:items.
	mux.Handle("GET /orgs/{org}/items", chain(orgItems, auth,
		orgs.Require(orgs.FromPath("org"), orgs.WithObserver(m.OrgsObserver())),
		middleware.RequirePermissions("read:items")))

	// Prometheus metrics of the verifier, the key cache and these routes.
	mux.Handle("GET /metrics", metricsHandler)

	return mux
}

// chain wraps h in middleware, the first one outermost.
func chain(h http.HandlerFunc, mw ...func(http.Handler) http.Handler) http.Handler {
	var out http.Handler = h
	for i := len(mw) - 1; i >= 0; i-- {
		out = mw[i](out)
	}
	return out
}

func public(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]string{"message": "public: no token needed"})
}

// me shows the verified claims. Handlers get them only from the context,
// and only after the whole token verified.
func me(w http.ResponseWriter, r *http.Request) {
	c, _ := middleware.ClaimsFromContext(r.Context())
	writeJSON(w, http.StatusOK, map[string]any{
		"sub": c.Subject, "scope": c.Scope, "permissions": c.Permissions,
		"org_id": c.OrgID, "org_name": c.OrgName, "expires_at": c.ExpiresAt,
	})
}

func listItems(w http.ResponseWriter, r *http.Request) {
	var all []string
	for _, o := range catalog {
		all = append(all, o.items...)
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": all})
}

func createItem(w http.ResponseWriter, r *http.Request) {
	c, _ := middleware.ClaimsFromContext(r.Context())
	// A real handler would read and store the item; the demo only answers.
	writeJSON(w, http.StatusCreated, map[string]string{"created_by": c.Subject})
}

// orgItems reads the organization orgs.Require checked from the context,
// not from the path again, so the check and the data served agree.
func orgItems(w http.ResponseWriter, r *http.Request) {
	org, _ := orgs.Checked(r.Context()) // always set behind orgs.Require
	ref := org.Value
	items := []string{}
	for _, o := range catalog {
		if (!org.ByName && o.id == ref) || (org.ByName && o.name == strings.ToLower(ref)) {
			items = o.items
		}
	}
	writeJSON(w, http.StatusOK, map[string]any{"organization": ref, "items": items})
}

// catalog is the API's read-only data, per organization of the local
// tenant.
var catalog = []struct {
	id, name string
	items    []string
}{
	{acme.ID, acme.Name, []string{"anvil", "rocket skates"}},
	{globex.ID, globex.Name, []string{"hammock"}},
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}
