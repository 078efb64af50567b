package orgs

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strings"
	"time"

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
	q := &requirement{src: src, cfg: cfg}
	if cfg.lookup != nil {
		q.lookups = newLookups(cfg)
	}
	return func(next http.Handler) http.Handler {
		if next == nil {
			panic("orgs: Require given a nil handler")
		}
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			q.serve(w, r, next)
		})
	}
}

// requirement is one built Require.
type requirement struct {
	src     Source
	cfg     *config
	lookups *answers[string, []string] // nil without WithLookup
}

func (q *requirement) serve(w http.ResponseWriter, r *http.Request, next http.Handler) {
	cfg := q.cfg
	claims, ok := middleware.ClaimsFromContext(r.Context())
	if !ok {
		if middleware.IsPreflight(r.Context()) {
			next.ServeHTTP(w, r)
			return
		}
		cfg.refuse(w, r, &errUnauthenticated, nil, false)
		return
	}
	org, ok := q.src(r)
	if !ok {
		cfg.refuse(w, r, &errMissing, nil, false)
		return
	}
	checked := Org{Value: org, ByName: !isOrgID(org)}
	if !checked.ByName {
		checked.ID = org
	}
	hit := false
	err := claims.CheckOrganization(org)
	if err != nil {
		var tmpl *middleware.Error
		if tmpl, hit, err = q.alternatives(r.Context(), claims, org, err); tmpl != nil {
			cfg.refuse(w, r, tmpl, err, hit)
			return
		}
		checked.Granted = true
	}
	record(r, checked)
	cfg.allowed(r, hit)
	next.ServeHTTP(w, r)
}

// alternatives tries Allow and WithLookup after the route's organization did
// not match. It returns the refusal (nil: allowed), whether the lookup was
// answered from the cache, and the refusal's cause.
func (q *requirement) alternatives(ctx context.Context, claims *verifier.Claims, org string, cause error) (*middleware.Error, bool, error) {
	for _, a := range q.cfg.allow {
		if claims.CheckOrganization(a) == nil {
			return nil, false, nil
		}
	}
	if q.lookups == nil {
		return &errDenied, false, cause
	}
	more, hit, err := q.lookups.get(ctx, org)
	if err != nil {
		return failure(ctx), hit, err
	}
	for _, a := range more {
		if a != "" && claims.CheckOrganization(a) == nil {
			return nil, hit, nil
		}
	}
	return &errDenied, hit, cause
}

// newLookups puts the cache and single-flight in front of WithLookup: the
// route's organization is client input, so without them every request
// could make a call. A non-empty list is a positive answer (WithCacheTTL).
func newLookups(cfg *config) *answers[string, []string] {
	lookup := cfg.lookup
	return &answers[string, []string]{
		cache: newCache[string, []string](cfg.cacheSize),
		fetch: func(ctx context.Context, org string) ([]string, error) {
			more, err := lookup(ctx, org)
			return slices.Clone(more), err // kept: not the caller's to change later
		},
		flight: func(org string) string { return org },
		clone:  strings.Clone,
		ttl: func(more []string) time.Duration {
			if len(more) > 0 {
				return cfg.positiveTTL
			}
			return cfg.negativeTTL
		},
		timeout: cfg.timeout,
		now:     cfg.now,
	}
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
