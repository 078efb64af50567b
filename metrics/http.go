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
	route, method, outcome string // method: methodLabel's
	status                 int
}

func newHTTPMetrics() *httpMetrics {
	return &httpMetrics{requests: prometheus.NewCounterVec(prometheus.CounterOpts{
		Namespace: namespace, Name: "http_requests_total",
		Help: "Requests through middleware.Authenticate by route path pattern (\"unmatched\" when no route is known), method (\"_OTHER\" for non-standard ones), outcome (middleware and orgs outcomes) and the status the auth layer wrote (\"\" when the request reached the handler, which chose its own; outcome says how it passed: ok, anonymous).",
	}, []string{"route", "method", "outcome", "status"})}
}

func (m *httpMetrics) collectors() []prometheus.Collector { return []prometheus.Collector{m.requests} }

// ObserveRequest implements middleware.Observer.
func (m *httpMetrics) ObserveRequest(_ context.Context, e middleware.Event) {
	method := methodLabel(e.Method) // bounded before it is a map key
	k := httpKey{e.Route, method, e.Outcome, e.Status}
	if c, ok := m.series.Load(k); ok {
		c.(prometheus.Counter).Inc()
		return
	}
	c := m.requests.WithLabelValues(routeLabel(e.Route), method, cleanLabel(e.Outcome), statusLabel(e.Status, ""))
	m.series.Store(k, c)
	c.Inc()
}

// MiddlewareObserver returns the middleware.Observer for
// middleware.WithObserver. It counts tokengate_http_requests_total by
// route, method, outcome and status (see the package doc, "Labels"): route
// is the path pattern of middleware.RoutePattern (never the raw path),
// for refusals and passes alike, with chi however Authenticate is mounted
// (Use on the root router or in r.Route, With, Group) and with ServeMux
// when Authenticate wraps each pattern's handler; an Authenticate wrapped
// around a whole ServeMux counts its refusals as "unmatched".
func (m *Metrics) MiddlewareObserver() middleware.Observer { return m.http }

// orgsMetrics counts organization refusals.
type orgsMetrics struct {
	denials *prometheus.CounterVec
	series  sync.Map // orgsKey -> prometheus.Counter
}

type orgsKey struct{ route, method, reason string }

func newOrgsMetrics() *orgsMetrics {
	return &orgsMetrics{denials: prometheus.NewCounterVec(prometheus.CounterOpts{
		Namespace: namespace, Name: "org_denials_total",
		Help: "Requests refused by orgs.Require or orgs.RequireMember, by route path pattern, method and reason (org_missing, org_denied, not_member, org_unavailable, unauthenticated, misconfigured, canceled).",
	}, []string{"route", "method", "reason"})}
}

func (m *orgsMetrics) collectors() []prometheus.Collector { return []prometheus.Collector{m.denials} }

// ObserveOrg implements orgs.Observer.
func (m *orgsMetrics) ObserveOrg(_ context.Context, e orgs.Event) {
	if e.Outcome == orgs.OutcomeAllowed {
		return
	}
	method := methodLabel(e.Method)
	k := orgsKey{e.Route, method, e.Outcome}
	if c, ok := m.series.Load(k); ok {
		c.(prometheus.Counter).Inc()
		return
	}
	c := m.denials.WithLabelValues(routeLabel(e.Route), method, cleanLabel(e.Outcome))
	m.series.Store(k, c)
	c.Inc()
}

// OrgsObserver returns the orgs.Observer for orgs.WithObserver. It counts
// tokengate_org_denials_total by route, method (as the http series) and
// reason; the organization itself is never a label.
func (m *Metrics) OrgsObserver() orgs.Observer { return m.orgs }
