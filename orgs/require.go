package orgs

import (
	"context"
	"errors"
	"net/http"

	"github.com/tokengate/tokengate/middleware"
	"github.com/tokengate/tokengate/verifier"
)

// Constant descriptions: they never name an organization.
const (
	descUnauthenticated = "a bearer token is required"
	descMissing         = "the request names no organization this token can be checked against"
	descDenied          = "the access token is not valid for this organization"
	descNotMember       = "the user is not a member of the token's organization"
	descUnavailable     = "the organization cannot be checked right now; try again later"
)

// Response templates, copied before use.
var (
	errUnauthenticated = middleware.Error{Status: http.StatusUnauthorized, Code: "unauthorized",
		Description: descUnauthenticated, Outcome: OutcomeUnauthenticated}
	errMissing = middleware.Error{Status: http.StatusForbidden, Code: "access_denied",
		Description: descMissing, Outcome: OutcomeMissing}
	errDenied = middleware.Error{Status: http.StatusForbidden, Code: "access_denied",
		Description: descDenied, Outcome: OutcomeDenied}
	errNotMember = middleware.Error{Status: http.StatusForbidden, Code: "access_denied",
		Description: descNotMember, Outcome: OutcomeNotMember}
	errUnavailable = middleware.Error{Status: http.StatusServiceUnavailable, Code: "temporarily_unavailable",
		Description: descUnavailable, Outcome: OutcomeUnavailable}
	errCanceled = middleware.Error{Status: middleware.StatusClientClosedRequest, Outcome: OutcomeCanceled}
)

// Require returns middleware that lets a request through only when the
// verified token belongs to the organization src names for it (or to one
// that Allow or WithLookup accept). It must run after
// middleware.Authenticate and, for FromPath, after the router matched: per
// route, not before the router. It panics if src is nil or an option is
// invalid.
func Require(src Source, opts ...Option) func(http.Handler) http.Handler {
	if src == nil {
		panic("orgs: Require needs a Source")
	}
	cfg := newConfig("Require", false, opts)
	return func(next http.Handler) http.Handler {
		if next == nil {
			panic("orgs: Require given a nil handler")
		}
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			claims, ok := middleware.ClaimsFromContext(r.Context())
			if !ok {
				if middleware.IsPreflight(r.Context()) {
					next.ServeHTTP(w, r)
					return
				}
				cfg.refuse(w, r, &errUnauthenticated, nil, false)
				return
			}
			org, ok := src(r)
			if !ok {
				cfg.refuse(w, r, &errMissing, nil, false)
				return
			}
			err := claims.CheckOrganization(org)
			if err != nil {
				var tmpl *middleware.Error
				if tmpl, err = cfg.alternatives(r.Context(), claims, org, err); tmpl != nil {
					cfg.refuse(w, r, tmpl, err, false)
					return
				}
			}
			cfg.allowed(r, false)
			next.ServeHTTP(w, r)
		})
	}
}

// alternatives tries Allow and WithLookup after the route's organization did
// not match. It returns the refusal (nil: allowed) and its cause.
func (c *config) alternatives(ctx context.Context, claims *verifier.Claims, org string, cause error) (*middleware.Error, error) {
	for _, a := range c.allow {
		if claims.CheckOrganization(a) == nil {
			return nil, nil
		}
	}
	if c.lookup == nil {
		return &errDenied, cause
	}
	more, err := c.lookup(ctx, org)
	if err != nil {
		return failure(ctx), err
	}
	for _, a := range more {
		if a != "" && claims.CheckOrganization(a) == nil {
			return nil, nil
		}
	}
	return &errDenied, cause
}

// failure is the refusal of a request whose lookup or membership check
// failed: 499 when the client went away (its context canceled), else 503. A
// deadline is the server giving up on a check that did not answer in time:
// an outage, answered 503 with Retry-After and counted as unavailable.
func failure(ctx context.Context) *middleware.Error {
	if errors.Is(ctx.Err(), context.Canceled) {
		return &errCanceled
	}
	return &errUnavailable
}

func (c *config) allowed(r *http.Request, hit bool) {
	if c.observer != nil {
		c.observer.ObserveOrg(Event{Outcome: OutcomeAllowed, Route: middleware.RoutePattern(r), CacheHit: hit})
	}
}

func (c *config) refuse(w http.ResponseWriter, r *http.Request, tmpl *middleware.Error, cause error, hit bool) {
	e := *tmpl
	e.Err = cause
	middleware.WriteError(w, r, &e)
	if c.observer != nil {
		c.observer.ObserveOrg(Event{Outcome: e.Outcome, Status: e.Status, Route: middleware.RoutePattern(r), CacheHit: hit})
	}
	if c.logger != nil {
		c.log(r, &e, hit)
	}
}
