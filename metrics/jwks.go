package metrics

import (
	"context"
	"fmt"
	"math"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/tokengate/tokengate/jwks"
)

// fetchOutcomes are the bounded outcomes of jwks.FetchEvent.
var fetchOutcomes = []string{jwks.OutcomeOK, jwks.OutcomeNotModified, jwks.OutcomeHTTPError,
	jwks.OutcomeNetworkError, jwks.OutcomeParseError}

// jwksMetrics counts the events of JWKS caches and reads their state at
// scrape time. Caches are told apart by a name the caller gives, never by
// their URL: the label stays short, bounded and free of anything a token
// could choose.
type jwksMetrics struct {
	fetches  *prometheus.CounterVec
	duration *prometheus.HistogramVec
	misses   *prometheus.CounterVec
	now      func() time.Time

	keys, age, failures *prometheus.Desc

	mu     sync.Mutex
	caches map[string]*jwks.Cache
	order  []string
}

func newJWKSMetrics(buckets []float64, now func() time.Time) *jwksMetrics {
	return &jwksMetrics{
		fetches: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: namespace, Name: "jwks_fetches_total",
			Help: "JWKS fetches by cache name and outcome (ok, not_modified, http_error, network_error, parse_error).",
		}, []string{"jwks", "outcome"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Namespace: namespace, Name: "jwks_fetch_duration_seconds",
			Help:    "Time taken by JWKS fetches, whatever their outcome.",
			Buckets: buckets,
		}, []string{"jwks"}),
		misses: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: namespace, Name: "jwks_kid_misses_total",
			Help: "Key lookups for a kid not in the key set, by whether they waited for a refetch (refetched) or the cooldown or a Retry-After suppressed it (suppressed).",
		}, []string{"jwks", "result"}),
		now: now,
		keys: prometheus.NewDesc(namespace+"_jwks_keys",
			"Keys served by the JWKS cache (0 before the first successful fetch and after MaxStale).", []string{"jwks"}, nil),
		age: prometheus.NewDesc(namespace+"_jwks_refresh_age_seconds",
			"Seconds since the key set was last fetched or confirmed successfully; +Inf before the first success.", []string{"jwks"}, nil),
		failures: prometheus.NewDesc(namespace+"_jwks_consecutive_failures",
			"Failed JWKS fetches since the last successful one.", []string{"jwks"}, nil),
		caches: map[string]*jwks.Cache{},
	}
}

func (m *jwksMetrics) collectors() []prometheus.Collector {
	return []prometheus.Collector{m.fetches, m.duration, m.misses, (*jwksCollector)(m)}
}

// jwksObserver is the jwks.Observer of one named cache, with its series
// resolved once.
type jwksObserver struct {
	name                  string
	vec                   *prometheus.CounterVec
	fetches               map[string]prometheus.Counter
	duration              prometheus.Observer
	refetched, suppressed prometheus.Counter
}

func (o *jwksObserver) ObserveFetch(_ context.Context, e jwks.FetchEvent) {
	c, ok := o.fetches[e.Outcome]
	if !ok {
		// An outcome this package does not know (a newer jwks): bounded
		// to "other".
		c = o.vec.WithLabelValues(o.name, "other")
	}
	c.Inc()
	o.duration.Observe(seconds(e.Duration))
}

func (o *jwksObserver) ObserveKidMiss(_ context.Context, e jwks.KidMissEvent) {
	if e.Refetched {
		o.refetched.Inc()
	} else {
		o.suppressed.Inc()
	}
}

// JWKSObserver returns the jwks.Observer to set as jwks.Config.Observer of
// the cache called name (the "jwks" label: "tenant", "partner", ...; ""
// is "default"). It counts tokengate_jwks_fetches_total, times
// tokengate_jwks_fetch_duration_seconds and counts
// tokengate_jwks_kid_misses_total. Give the cache to WatchJWKS under the
// same name for its state.
func (m *Metrics) JWKSObserver(name string) jwks.Observer {
	name = nameLabel(name)
	j := m.jwks
	o := &jwksObserver{
		name:       name,
		vec:        j.fetches,
		fetches:    make(map[string]prometheus.Counter, len(fetchOutcomes)),
		duration:   j.duration.WithLabelValues(name),
		refetched:  j.misses.WithLabelValues(name, "refetched"),
		suppressed: j.misses.WithLabelValues(name, "suppressed"),
	}
	for _, out := range fetchOutcomes {
		o.fetches[out] = j.fetches.WithLabelValues(name, out)
	}
	return o
}

// WatchJWKS reports c's state under name at scrape time, from c.Stats():
// tokengate_jwks_keys, tokengate_jwks_refresh_age_seconds (+Inf before the
// first success, on Config.Now) and tokengate_jwks_consecutive_failures.
// It fails if name is already watched.
func (m *Metrics) WatchJWKS(name string, c *jwks.Cache) error {
	if c == nil {
		return fmt.Errorf("metrics: WatchJWKS(%q) with a nil cache", name)
	}
	name = nameLabel(name)
	j := m.jwks
	j.mu.Lock()
	defer j.mu.Unlock()
	if _, ok := j.caches[name]; ok {
		return fmt.Errorf("metrics: a JWKS cache named %q is already watched", name)
	}
	j.caches[name] = c
	j.order = append(j.order, name)
	return nil
}

// jwksCollector reads the watched caches' Stats.
type jwksCollector jwksMetrics

func (c *jwksCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- c.keys
	ch <- c.age
	ch <- c.failures
}

func (c *jwksCollector) Collect(ch chan<- prometheus.Metric) {
	c.mu.Lock()
	names := append([]string(nil), c.order...)
	caches := make([]*jwks.Cache, len(names))
	for i, n := range names {
		caches[i] = c.caches[n]
	}
	c.mu.Unlock()
	now := c.now()
	for i, name := range names {
		st := caches[i].Stats()
		age := math.Inf(1)
		if !st.LastSuccess.IsZero() {
			age = max(now.Sub(st.LastSuccess).Seconds(), 0)
		}
		ch <- prometheus.MustNewConstMetric(c.keys, prometheus.GaugeValue, float64(st.Keys), name)
		ch <- prometheus.MustNewConstMetric(c.age, prometheus.GaugeValue, age, name)
		ch <- prometheus.MustNewConstMetric(c.failures, prometheus.GaugeValue, float64(st.Failures), name)
	}
}
