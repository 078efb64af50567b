package metrics

import (
	"context"
	"sync"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/tokengate/tokengate/middleware"
	"github.com/tokengate/tokengate/orgs"
)

// httpMetrics counts the requests middleware.Authenticate reports.
type httpMetrics struct {
	requests *prometheus.CounterVec
	series   sync.Map // httpKey -> prometheus.Counter, so an event does not allocate
}

type httpKey struct {
	route, outcome string
	status         int
}

func newHTTPMetrics() *httpMetrics {
	return &httpMetrics{requests: prometheus.NewCounterVec(prometheus.CounterOpts{
		Namespace: namespace, Name: "http_requests_total",
		Help: "Requests through middleware.Authenticate by route pattern (\"unmatched\" before routing), outcome (middleware and orgs outcomes) and the status the auth layer wrote (\"\" when the request reached the handler, which chose its own; outcome says how it passed: ok, anonymous).",
	}, []string{"route", "outcome", "status"})}
}

func (m *httpMetrics) collectors() []prometheus.Collector { return []prometheus.Collector{m.requests} }

// ObserveRequest implements middleware.Observer.
func (m *httpMetrics) ObserveRequest(_ context.Context, e middleware.Event) {
	k := httpKey{e.Route, e.Outcome, e.Status}
	if c, ok := m.series.Load(k); ok {
		c.(prometheus.Counter).Inc()
		return
	}
	c := m.requests.WithLabelValues(routeLabel(e.Route), cleanLabel(e.Outcome), statusLabel(e.Status, ""))
	m.series.Store(k, c)
	c.Inc()
}

// MiddlewareObserver returns the middleware.Observer for
// middleware.WithObserver. It counts tokengate_http_requests_total by route
// pattern (middleware.RoutePattern: the chi or ServeMux pattern, never the
// raw path), outcome and status: the HTTP status the auth layer wrote
// (401, 403, 499, 500, 503), or "" when the request reached the handler
// (outcome ok or anonymous; the handler's own status is not seen here).
// Put Authenticate on the routes (chi's
// With, Group or Route, or per ServeMux pattern) for the refusals to carry
// the route; an Authenticate in front of the router reports them as
// "unmatched".
func (m *Metrics) MiddlewareObserver() middleware.Observer { return m.http }

// orgsMetrics counts organization refusals.
type orgsMetrics struct {
	denials *prometheus.CounterVec
	series  sync.Map // orgsKey -> prometheus.Counter
}

type orgsKey struct{ route, reason string }

func newOrgsMetrics() *orgsMetrics {
	return &orgsMetrics{denials: prometheus.NewCounterVec(prometheus.CounterOpts{
		Namespace: namespace, Name: "org_denials_total",
		Help: "Requests refused by orgs.Require or orgs.RequireMember, by route pattern and reason (org_missing, org_denied, not_member, org_unavailable, unauthenticated, misconfigured, canceled).",
	}, []string{"route", "reason"})}
}

func (m *orgsMetrics) collectors() []prometheus.Collector { return []prometheus.Collector{m.denials} }

// ObserveOrg implements orgs.Observer.
func (m *orgsMetrics) ObserveOrg(_ context.Context, e orgs.Event) {
	if e.Outcome == orgs.OutcomeAllowed {
		return
	}
	k := orgsKey{e.Route, e.Outcome}
	if c, ok := m.series.Load(k); ok {
		c.(prometheus.Counter).Inc()
		return
	}
	c := m.denials.WithLabelValues(routeLabel(e.Route), cleanLabel(e.Outcome))
	m.series.Store(k, c)
	c.Inc()
}

// OrgsObserver returns the orgs.Observer for orgs.WithObserver. It counts
// tokengate_org_denials_total by route pattern and reason; the organization
// itself is never a label.
func (m *Metrics) OrgsObserver() orgs.Observer { return m.orgs }
