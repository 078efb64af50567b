package orgs

// Observer is told the result of every organization check (for metrics of
// denials and for logs). It must be fast and must not retain the Event. A
// panic in it is stopped and logged (WithLogger); the request keeps its
// answer.
type Observer interface {
	ObserveOrg(Event)
}

// ObserverFunc adapts a function to Observer.
type ObserverFunc func(Event)

// ObserveOrg calls f(e).
func (f ObserverFunc) ObserveOrg(e Event) { f(e) }

// Event describes one check. It holds bounded labels only: never the
// organization or the subject, which are client-influenced and unbounded.
type Event struct {
	Outcome  string // OutcomeAllowed, a refusal outcome below, or middleware.OutcomeUnauthenticated (401: no claims) or middleware.OutcomeCanceled (the client went away during a check)
	Status   int    // the status written, 0 when the request was let through
	Route    string // middleware.RoutePattern of the request
	CacheHit bool   // every remote answer the check needed (membership, WithLookup, WithResolver) came from a cache
}

// Outcomes of this package; the refusals are also what middleware's Observer
// reports for the request. A request without claims, or whose client went
// away during a check, is refused as package middleware's route checks
// refuse it: middleware.OutcomeUnauthenticated, middleware.OutcomeCanceled.
const (
	OutcomeAllowed     = "ok"              // let through
	OutcomeMissing     = "org_missing"     // 403: the Source named no organization, or the token has no org_id (RequireMember)
	OutcomeDenied      = "org_denied"      // 403: the token is for another organization
	OutcomeNotMember   = "not_member"      // 403: the membership check said no
	OutcomeUnavailable = "org_unavailable" // 503: the lookup, resolution or membership check failed
)
