package middleware

import (
	"net/http"
	"strings"

	"github.com/go-chi/chi/v5"
)

// This file holds everything of this package that knows chi.

// RoutePattern returns the pattern of the route r matches: chi's
// ("/orgs/{org}/items", mounted routers joined) when chi routes r, else
// http.ServeMux's r.Pattern ("GET /orgs/{org}/items"), else "" (no route
// known: a handler in front of a ServeMux, a path no route matches). It
// never returns the raw path, so it is a bounded label for metrics.
//
// chi fills its pattern while it routes, and middleware mounted with Use
// runs before its router routes: there chi's pattern is still "" (the root
// router) or the mount pattern ("/api/*", a subrouter of r.Route or
// r.Mount). RoutePattern then asks the root router which route r will
// match (chi's Routes.Find, on a fresh routing context: the request's is
// left alone), so that a refusal by such a middleware is labelled with the
// same full pattern as a request it lets through. When no route matches,
// the pattern chi has so far is returned ("" or the mount pattern).
//
// ServeMux sets r.Pattern only for the handler registered under the
// pattern: wrap each pattern's handler (mux.Handle("GET /items/{id}",
// auth(h))) for per-route patterns; a handler wrapped around the whole
// mux sees "".
func RoutePattern(r *http.Request) string {
	if rc := chi.RouteContext(r.Context()); rc != nil {
		p := rc.RoutePattern()
		if (p == "" || strings.HasSuffix(p, "/*")) && rc.Routes != nil {
			if full := rc.Routes.Find(chi.NewRouteContext(), r.Method, routePath(r)); full != "" {
				return full
			}
		}
		if p != "" {
			return p
		}
	}
	return r.Pattern
}

// routePath is the path chi's root router routes r by.
func routePath(r *http.Request) string {
	p := r.URL.RawPath
	if p == "" {
		p = r.URL.Path
	}
	if p == "" {
		p = "/"
	}
	return p
}
