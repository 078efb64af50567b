package orgs

import (
	"context"
	"time"

	"github.com/tokengate/tokengate/internal/hook"
)

// Observer is told the result of every organization check (for metrics of
// denials, traces and logs), with the request's context, where a tracer
// finds the request's span. It must be fast and must not retain the Event. A
// panic in it is stopped and logged (WithLogger); the request keeps its
// answer.
type Observer interface {
	ObserveOrg(ctx context.Context, e Event)
}

// ObserverFunc adapts a function to Observer.
type ObserverFunc func(ctx context.Context, e Event)

// ObserveOrg calls f(ctx, e).
func (f ObserverFunc) ObserveOrg(ctx context.Context, e Event) { f(ctx, e) }

// JoinObservers returns an Observer that hands every event to each of obs
// in order (nil ones skipped), each call guarded so that one observer's
// panic does not keep the others from their event. It returns nil when obs
// holds no observer, and the observer itself when it holds one.
func JoinObservers(obs ...Observer) Observer {
	return hook.Join(obs, func(all []Observer) Observer { return joined(all) })
}

type joined []Observer

func (j joined) ObserveOrg(ctx context.Context, e Event) {
	hook.Each(j, func(o Observer) { o.ObserveOrg(ctx, e) })
}

// Event describes one check. It holds bounded labels only: never the
// organization or the subject, which are client-influenced and unbounded.
type Event struct {
	Outcome  string // OutcomeAllowed, a refusal outcome below, middleware.OutcomeUnauthenticated (401: an anonymous request), middleware.OutcomeMisconfigured (500: no Authenticate before the check) or middleware.OutcomeCanceled (the client went away during a check)
	Status   int    // the status written, 0 when the request was let through
	Route    string // middleware.RoutePattern of the request (a ServeMux pattern names the method when registered with one)
	Method   string // the request's method, as the client sent it (see middleware.Event.Method)
	CacheHit bool   // every remote answer the check needed (membership, WithLookup, WithResolver) came from a cache
	// Start is when the check began and Duration how long it took
	// (lookups and membership checks included).
	Start    time.Time
	Duration time.Duration
}

// Outcomes of this package; the refusals are also what middleware's Observer
// reports for the request. An anonymous request, a check mounted without
// Authenticate before it, and a request whose client went away during a
// check are refused as package middleware's route checks refuse them:
// middleware.OutcomeUnauthenticated, OutcomeMisconfigured, OutcomeCanceled.
const (
	OutcomeAllowed     = "ok"              // let through
	OutcomeMissing     = "org_missing"     // 403: the Source named no organization, or the token has no org_id (RequireMember)
	OutcomeDenied      = "org_denied"      // 403: the token is for another organization
	OutcomeNotMember   = "not_member"      // 403: the membership check said no
	OutcomeUnavailable = "org_unavailable" // 503: the lookup, resolution or membership check failed
)
