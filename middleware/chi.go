package middleware

import (
	"net/http"

	"github.com/go-chi/chi/v5"
)

// This file holds everything of this package that knows chi.

// RoutePattern returns the pattern of the route r matched: chi's
// ("/orgs/{org}/items", mounted routers joined) when chi routed r, else
// http.ServeMux's r.Pattern ("GET /orgs/{org}/items"), else "" (not routed
// yet: a middleware running before the router). It never returns the raw
// path, so it is a bounded label for metrics.
//
// chi fills its pattern while routing: called from middleware registered with
// chi's Use before routing, it returns "" until the next handler has run.
func RoutePattern(r *http.Request) string {
	if rc := chi.RouteContext(r.Context()); rc != nil {
		if p := rc.RoutePattern(); p != "" {
			return p
		}
	}
	return r.Pattern
}
