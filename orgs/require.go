package orgs

import (
	"context"
	"net/http"
	"strings"

	"github.com/tokengate/tokengate/internal/routecheck"
	"github.com/tokengate/tokengate/middleware"
	"github.com/tokengate/tokengate/verifier"
)

// Require returns middleware that lets a request through only when the
// verified token belongs to the organization src names for it (or to one
// that Allow or WithLookup accept), and records that organization for the
// handlers (Checked). It must run after middleware.Authenticate and, for
// FromPath, after the router matched: per route, not before the router. It
// panics if src is nil or an option is invalid.
//
// The comparison is (*verifier.Claims).CheckOrganization's: a value
// starting with "org_" in any ASCII case is an org_id and must equal the
// token's org_id exactly; any other value is a name, lower-cased, and must
// equal org_name exactly (with WithResolver, the token's org_id must also be
// the id that has the name now).
//
// Refusals, through middleware.WriteError (descriptions are constant and
// never name an organization):
//
//   - no Authenticate before it in the chain: 500 {"error":"server_error"}
//     (middleware.OutcomeMisconfigured), and one Error line in the log
//     (WithLogger, else slog.Default()) per Require, not per request;
//   - an anonymous request (CredentialsOptional): 401,
//     middleware.OutcomeUnauthenticated;
//   - src names no organization (an empty or absent value, two headers, an
//     unknown host, Require placed before the router): 403
//     {"error":"access_denied"}, OutcomeMissing;
//   - a token of another organization, or without org_id or org_name: 403
//     {"error":"access_denied"} and no WWW-Authenticate, since no other
//     scope would help (OutcomeDenied);
//   - a lookup or resolution that failed, panicked or timed out, also when
//     the request's deadline ended first: 503 with Retry-After
//     (OutcomeUnavailable); a client that went away: 499
//     (middleware.OutcomeCanceled).
func Require(src Source, opts ...Option) func(http.Handler) http.Handler {
	if src == nil {
		panic("orgs: Require needs a Source")
	}
	cfg := newRequireConfig(opts)
	q := &requirement{src: src, cfg: cfg, guard: routecheck.NewUnmounted("orgs.Require")}
	if cfg.lookup != nil {
		q.lookups = newLookups(cfg)
	}
	if cfg.resolver != nil {
		q.names = newNames(cfg.resolver, cfg)
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

// Allow also lets tokens of any of orgs through, whatever organization the
// Source names: a support organization that may act on every tenant, or a
// route that several organizations share. Each entry follows the same rule
// as the Source's value ("org_" in any ASCII case → org_id exactly;
// anything else lower-cased and compared exactly with org_name; see
// verifier.IsOrganizationID). An empty entry panics.
func Allow(orgs ...string) Option {
	return requireOption(func(c *config) { c.allow = append(c.allow, orgs...) })
}

// requirement is one built Require.
type requirement struct {
	src     Source
	cfg     *config
	lookups *answers[string, []string] // nil without WithLookup
	names   *answers[string, string]   // nil without WithResolver
	guard   *routecheck.Unmounted
}

func (q *requirement) serve(w http.ResponseWriter, r *http.Request, next http.Handler) {
	cfg := q.cfg
	t0 := cfg.start()
	if !cfg.mounted(w, r, t0, q.guard) {
		return
	}
	claims, ok := middleware.ClaimsFromContext(r.Context())
	if !ok {
		cfg.refuse(w, r, t0, &errUnauthenticated, nil, false)
		return
	}
	org, ok := q.src(r)
	if !ok || org == "" {
		cfg.refuse(w, r, t0, &errMissing, nil, false)
		return
	}
	checked, refusal, cause, hit := q.check(r.Context(), claims, org)
	if refusal != nil {
		cfg.refuse(w, r, t0, refusal, cause, hit)
		return
	}
	record(r, checked)
	cfg.allowed(r, t0, hit)
	next.ServeHTTP(w, r)
}

// check decides whether claims may access the route's organization org. It
// returns the organization checked, or the refusal and its cause; hit
// reports that every remote answer the check needed (resolver, lookup) came
// from a cache.
func (q *requirement) check(ctx context.Context, claims *verifier.Claims, org string) (checked Org, refusal *middleware.Error, cause error, hit bool) {
	checked = Org{Value: org, ByName: !verifier.IsOrganizationID(org)}
	if !checked.ByName {
		checked.ID = org
	}
	var c cacheUse
	resolve := checked.ByName && q.names != nil
	err := claims.CheckOrganization(org)
	if err == nil && resolve {
		id, rerr := q.resolve(ctx, org, &c)
		if rerr != nil {
			return checked, failure(ctx), rerr, c.hit()
		}
		checked.ID, resolve = id, false
		if id == "" || claims.OrgID != id {
			err = errRenamed
		}
	}
	if err == nil {
		return checked, nil, nil, c.hit()
	}
	if refusal, cause = q.alternatives(ctx, claims, org, err, &c); refusal != nil {
		return checked, refusal, cause, c.hit()
	}
	checked.Granted = true
	if resolve { // not resolved yet: the handlers get the id all the same
		id, rerr := q.resolve(ctx, org, &c)
		if rerr != nil {
			return checked, failure(ctx), rerr, c.hit()
		}
		checked.ID = id
	}
	return checked, nil, nil, c.hit()
}

// resolve asks WithResolver for the id of the name org, lower-cased as it is
// compared with org_name.
func (q *requirement) resolve(ctx context.Context, org string, c *cacheUse) (string, error) {
	id, hit, err := q.names.get(ctx, strings.ToLower(org))
	c.add(hit)
	return id, err
}

// alternatives tries Allow and WithLookup after the route's organization did
// not match. It returns the refusal (nil: allowed) and its cause.
func (q *requirement) alternatives(ctx context.Context, claims *verifier.Claims, org string, cause error, c *cacheUse) (*middleware.Error, error) {
	for _, a := range q.cfg.allow {
		if claims.CheckOrganization(a) == nil {
			return nil, nil
		}
	}
	if q.lookups == nil {
		return &errDenied, cause
	}
	more, hit, err := q.lookups.get(ctx, org)
	c.add(hit)
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

// cacheUse tracks whether the remote answers a check needed came from a
// cache (Event.CacheHit).
type cacheUse struct{ asked, missed bool }

func (c *cacheUse) add(hit bool) { c.asked, c.missed = true, c.missed || !hit }
func (c *cacheUse) hit() bool    { return c.asked && !c.missed }
