package middleware

import (
	"net/http"
	"time"
)

// PassCORSPreflight answers CORS preflight requests (OPTIONS with Origin
// and Access-Control-Request-Method headers) without asking for
// credentials, since browsers never send credentials on a preflight. Off by
// default: a preflight is then refused 401 like any request without a token.
//
// The protected handler is never called for a preflight: it may assume
// claims on the context. cors, when not nil, answers the preflight instead
// (a CORS middleware's handler, for a CORS layer placed after
// Authenticate). When nil, Authenticate answers 204 No Content and adds no
// header of its own: CORS policy (which origins, methods and headers are
// allowed) is not this package's to decide, so the Access-Control-Allow-*
// headers must come from a CORS middleware placed before Authenticate that
// sets them and passes the preflight on (rs/cors and go-chi/cors with
// OptionsPassthrough); without them the browser fails the preflight, which
// is the safe outcome.
func PassCORSPreflight(cors http.Handler) Option {
	return func(c *config) { c.preflight, c.cors = true, cors }
}

// isPreflight reports whether r is a CORS preflight request (Fetch
// standard: OPTIONS with Origin and Access-Control-Request-Method).
func isPreflight(r *http.Request) bool {
	return r.Method == http.MethodOptions && r.Header.Get("Access-Control-Request-Method") != "" &&
		r.Header.Get("Origin") != ""
}

// answerPreflight answers a preflight without calling the protected
// handler (see PassCORSPreflight).
func (a *authenticator) answerPreflight(w http.ResponseWriter, r *http.Request, t0 time.Time) {
	status := 0
	if a.cfg.cors != nil {
		a.cfg.cors.ServeHTTP(w, r)
	} else {
		w.WriteHeader(http.StatusNoContent)
		status = http.StatusNoContent
	}
	if a.cfg.observer != nil || a.cfg.logger != nil {
		a.report(r, Event{Outcome: OutcomePreflight, Status: status, Route: RoutePattern(r), Method: r.Method, Start: t0}, nil)
	}
}
