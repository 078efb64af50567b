package redisstore

import (
	"context"
	"errors"
	"fmt"

	"github.com/prometheus/client_golang/prometheus"
)

// Metrics is an Observer that exports the stores' operations to
// Prometheus:
//
//	tokengate_redisstore_operations_total{store, op, result}   result: ok, error, unavailable
//	tokengate_redisstore_operation_duration_seconds{store}     round trips to Redis
//	tokengate_redisstore_fallbacks_total{store}                answers given without Redis (Policy FallBack)
//	tokengate_redisstore_up                                    1 while the last operation reached Redis, else 0
//
// Labels take a few fixed values: no key, no value, no tenant.
type Metrics struct {
	ops       *prometheus.CounterVec
	duration  *prometheus.HistogramVec
	fallbacks *prometheus.CounterVec
	up        prometheus.Gauge
}

// DefaultDurationBuckets spans round trips to Redis, up to a few times the
// default Timeout.
var DefaultDurationBuckets = []float64{50e-6, 100e-6, 250e-6, 500e-6, 1e-3, 2.5e-3, 5e-3, 10e-3, 25e-3, 50e-3, 0.1, 0.25}

// NewMetrics registers the collectors on reg.
func NewMetrics(reg prometheus.Registerer) (*Metrics, error) {
	if reg == nil {
		return nil, errors.New("redisstore: a prometheus.Registerer is required")
	}
	m := &Metrics{
		ops: prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: "tokengate", Subsystem: "redisstore", Name: "operations_total",
			Help: "Operations of the Redis stores, by store, operation and result (ok, error: Redis answered with an error or a value the store refuses, unavailable: Redis failed, timed out or is marked down)."},
			[]string{"store", "op", "result"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{Namespace: "tokengate", Subsystem: "redisstore", Name: "operation_duration_seconds",
			Help: "Round trips of the Redis stores to Redis.", Buckets: DefaultDurationBuckets}, []string{"store"}),
		fallbacks: prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: "tokengate", Subsystem: "redisstore", Name: "fallbacks_total",
			Help: "Operations the Redis stores answered from this process because Redis could not (Policy FallBack)."}, []string{"store"}),
		up: prometheus.NewGauge(prometheus.GaugeOpts{Namespace: "tokengate", Subsystem: "redisstore", Name: "up",
			Help: "1 while the last operation of the Redis stores reached Redis, 0 after one that could not."}),
	}
	var done []prometheus.Collector
	for _, c := range []prometheus.Collector{m.ops, m.duration, m.fallbacks, m.up} {
		if err := reg.Register(c); err != nil {
			for _, d := range done {
				reg.Unregister(d)
			}
			return nil, fmt.Errorf("redisstore: registering the metrics: %w", err)
		}
		done = append(done, c)
	}
	for _, s := range []string{StoreToken, StoreBudget, StoreReplay, StoreRevocation} {
		m.fallbacks.WithLabelValues(s)
	}
	m.up.Set(1)
	return m, nil
}

// ObserveStore implements Observer.
func (m *Metrics) ObserveStore(_ context.Context, e Event) {
	if e.Fallback {
		m.fallbacks.WithLabelValues(e.Store).Inc()
		return
	}
	result := "ok"
	switch {
	case errors.Is(e.Err, ErrUnavailable):
		result = "unavailable"
		m.up.Set(0)
	case e.Err != nil:
		result = "error"
	default:
		m.up.Set(1)
	}
	m.ops.WithLabelValues(e.Store, e.Op, result).Inc()
	if e.Duration > 0 {
		m.duration.WithLabelValues(e.Store).Observe(e.Duration.Seconds())
	}
}
