package orgs

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"github.com/tokengate/tokengate/internal/hook"
	"github.com/tokengate/tokengate/internal/routecheck"
	"github.com/tokengate/tokengate/middleware"
)

// Constant descriptions: they never name an organization.
const (
	descMissing     = "the request names no organization this token can be checked against"
	descDenied      = "the access token is not valid for this organization"
	descNotMember   = "the user is not a member of the token's organization"
	descUnavailable = "the organization cannot be checked right now; try again later"
)

// The refusals, copied before use. Their shape is package middleware's:
// middleware.WriteError completes the 401 (challenge, code, description)
// and the 503 (Retry-After, code) from the request's Authenticate, as it
// does for middleware's own route checks.
var (
	errUnauthenticated = middleware.Error{Status: http.StatusUnauthorized, Outcome: middleware.OutcomeUnauthenticated}
	errMissing         = middleware.Error{Status: http.StatusForbidden, Code: "access_denied",
		Description: descMissing, Outcome: OutcomeMissing}
	errDenied = middleware.Error{Status: http.StatusForbidden, Code: "access_denied",
		Description: descDenied, Outcome: OutcomeDenied}
	errNotMember = middleware.Error{Status: http.StatusForbidden, Code: "access_denied",
		Description: descNotMember, Outcome: OutcomeNotMember}
	errUnavailable = middleware.Error{Status: http.StatusServiceUnavailable, Description: descUnavailable,
		Outcome: OutcomeUnavailable}
	errCanceled = middleware.Error{Status: middleware.StatusClientClosedRequest, Outcome: middleware.OutcomeCanceled}
	// A check mounted without middleware.Authenticate before it.
	errMisconfigured = middleware.Error{Status: http.StatusInternalServerError, Code: "server_error",
		Description: routecheck.UnmountedDescription, Outcome: middleware.OutcomeMisconfigured}
)

// mounted reports whether middleware.Authenticate ran before the check of
// r. When not, it answers 500, logs the mistake once per check (guard, to
// the check's Logger or slog.Default()) and tells the check's Observer.
func (c *config) mounted(w http.ResponseWriter, r *http.Request, t0 time.Time, guard *routecheck.Unmounted) bool {
	if routecheck.From(r.Context()) != nil {
		return true
	}
	guard.Report(r.Context(), c.logger, r.Method, middleware.RoutePattern(r))
	c.refuse(w, r, t0, &errMisconfigured, nil, false)
	return false
}

// failure is the refusal of a request whose lookup, resolution or
// membership check failed: 499 when the client went away, else 503 with
// Retry-After, also for a deadline (routecheck.ClientGone).
func failure(ctx context.Context) *middleware.Error {
	if routecheck.ClientGone(ctx) {
		return &errCanceled
	}
	return &errUnavailable
}

// refuse answers a refused request through middleware.WriteError and
// reports the refusal: to the Observer and Logger of the request's
// Authenticate (as the request's outcome), and to this check's own.
func (c *config) refuse(w http.ResponseWriter, r *http.Request, t0 time.Time, tmpl *middleware.Error, cause error, hit bool) {
	e := *tmpl
	e.Err = cause
	if s := routecheck.From(r.Context()); s != nil {
		s.Refused(e.Outcome, e.Status)
	}
	middleware.WriteError(w, r, &e)
	if c.observer != nil {
		c.observe(r.Context(), Event{Outcome: e.Outcome, Status: e.Status, Route: middleware.RoutePattern(r), Method: r.Method,
			CacheHit: hit, Start: t0, Duration: time.Since(t0)})
	}
	if c.logger != nil && e.Outcome != middleware.OutcomeMisconfigured { // logged once, by mounted
		c.log(r, &e, hit)
	}
}

// allowed reports a request let through.
func (c *config) allowed(r *http.Request, t0 time.Time, hit bool) {
	if c.observer != nil {
		c.observe(r.Context(), Event{Outcome: OutcomeAllowed, Route: middleware.RoutePattern(r), Method: r.Method,
			CacheHit: hit, Start: t0, Duration: time.Since(t0)})
	}
}

// start is the time a check began, read only for an Observer.
func (c *config) start() time.Time {
	if c.observer == nil {
		return time.Time{}
	}
	return time.Now()
}

// observe tells the Observer, application code whose panic must not take
// the request down (it runs before the handler of an allowed request).
func (c *config) observe(ctx context.Context, ev Event) {
	defer hook.Recover(c.logger, "orgs observer")
	c.observer.ObserveOrg(ctx, ev)
}

// log writes one line for a refusal (see WithLogger), at the level and in
// the shape of middleware's lines (routecheck.Log).
func (c *config) log(r *http.Request, e *middleware.Error, hit bool) {
	extra := [2]slog.Attr{slog.Bool("cache_hit", hit)}
	n := 1
	// The causes are the verifier's organization mismatch (organizations
	// quoted and cut), or the error of WithLookup, WithResolver or the
	// MembershipChecker; none holds the token.
	if e.Err != nil {
		extra[n], n = slog.String("error", e.Err.Error()), n+1
	}
	routecheck.Log(r.Context(), c.logger, "orgs: request refused", r.Method, middleware.RoutePattern(r), e.Outcome, e.Status, extra[:n]...)
}
