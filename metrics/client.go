package metrics

import (
	"context"
	"sync"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/tokengate/tokengate/client"
)

// clientMetrics counts the calls of the Auth0 API clients.
type clientMetrics struct {
	requests  *prometheus.CounterVec
	duration  *prometheus.HistogramVec
	retries   *prometheus.CounterVec
	waits     *prometheus.CounterVec
	waited    *prometheus.CounterVec
	remaining *prometheus.GaugeVec
	series    sync.Map // clientKey -> prometheus.Counter
}

type clientKey struct {
	api, method string
	status      int
}

func newClientMetrics(buckets []float64) *clientMetrics {
	return &clientMetrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: namespace, Name: "client_requests_total",
			Help: "HTTP attempts of the Auth0 API clients by API (\"authentication\" or \"management\"), method and status code (\"none\" when no answer came).",
		}, []string{"api", "method", "status"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Namespace: namespace, Name: "client_request_duration_seconds",
			Help:    "Time taken by HTTP attempts of the Auth0 API clients, by API.",
			Buckets: buckets,
		}, []string{"api"}),
		retries: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: namespace, Name: "client_retries_total",
			Help: "Retries of the Auth0 API clients by API and reason (rate_limited, server_error, network).",
		}, []string{"api", "reason"}),
		waits: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: namespace, Name: "client_rate_limit_waits_total",
			Help: "Waits of the Auth0 API clients after a 429 answer, by API.",
		}, []string{"api"}),
		waited: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: namespace, Name: "client_rate_limit_wait_seconds_total",
			Help: "Seconds the Auth0 API clients waited after 429 answers, by API.",
		}, []string{"api"}),
		remaining: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Namespace: namespace, Name: "client_rate_limit_remaining",
			Help: "X-RateLimit-Remaining of the latest answer that carried it, by API.",
		}, []string{"api"}),
	}
}

func (m *clientMetrics) collectors() []prometheus.Collector {
	return []prometheus.Collector{m.requests, m.duration, m.retries, m.waits, m.waited, m.remaining}
}

type clientObserver clientMetrics

// ObserveRequest implements client.Observer.
func (o *clientObserver) ObserveRequest(_ context.Context, e client.RequestEvent) {
	k := clientKey{e.API, e.Method, e.StatusCode}
	c, ok := o.series.Load(k)
	if !ok {
		c = o.requests.WithLabelValues(nameLabel(e.API), methodLabel(e.Method), statusLabel(e.StatusCode, "none"))
		o.series.Store(k, c)
	}
	c.(prometheus.Counter).Inc()
	api := nameLabel(e.API)
	o.duration.WithLabelValues(api).Observe(seconds(e.Duration))
	if e.RateLimitRemaining >= 0 {
		o.remaining.WithLabelValues(api).Set(float64(e.RateLimitRemaining))
	}
}

// ObserveRetry implements client.Observer.
func (o *clientObserver) ObserveRetry(_ context.Context, e client.RetryEvent) {
	api := nameLabel(e.API)
	reason := e.Reason
	switch reason {
	case client.ReasonRateLimited, client.ReasonServerError, client.ReasonNetwork:
	default:
		reason = "other"
	}
	o.retries.WithLabelValues(api, reason).Inc()
	if e.Reason == client.ReasonRateLimited {
		o.waits.WithLabelValues(api).Inc()
		o.waited.WithLabelValues(api).Add(seconds(e.Wait))
	}
	if e.RateLimitRemaining >= 0 {
		o.remaining.WithLabelValues(api).Set(float64(e.RateLimitRemaining))
	}
}

// ClientObserver returns the client.Observer for the Observer field of
// client.Config (the HTTP field of authentication.Config and
// management.Config). It counts tokengate_client_requests_total{api, method, status},
// tokengate_client_retries_total{api, reason} and the rate-limit waits
// (tokengate_client_rate_limit_waits_total and _wait_seconds_total), times
// attempts in tokengate_client_request_duration_seconds, and keeps
// tokengate_client_rate_limit_remaining per API. URLs, paths and ids are
// never labels.
func (m *Metrics) ClientObserver() client.Observer { return (*clientObserver)(m.client) }
