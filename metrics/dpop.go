package metrics

import (
	"context"
	"sync"
	"sync/atomic"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/tokengate/tokengate/dpop"
)

// dpopMetrics counts DPoP proof checks by reason (dpop.Reason, a fixed
// set: every series exists from the start) and reads the size of the
// watched replay stores at scrape time.
type dpopMetrics struct {
	labels  []string // dpop.Reasons(): "ok" first, "other" last
	byLabel map[string]int
	counts  []atomic.Uint64

	total, entries *prometheus.Desc

	mu     sync.Mutex
	stores []*dpop.MemoryStore
}

func newDPoPMetrics() *dpopMetrics {
	m := &dpopMetrics{labels: dpop.Reasons(), byLabel: map[string]int{}}
	m.counts = make([]atomic.Uint64, len(m.labels))
	for i, l := range m.labels {
		m.byLabel[l] = i
	}
	m.total = prometheus.NewDesc(namespace+"_dpop_proofs_total",
		"DPoP proof checks by result (ok or error) and reason (dpop.Reason of the error: dpop_replay, dpop_htu, dpop_store_full, ...).",
		[]string{"result", "reason"}, nil)
	m.entries = prometheus.NewDesc(namespace+"_dpop_replay_store_entries",
		"Proofs held by the replay stores given to WatchReplayStore (a full store refuses new proofs).", nil, nil)
	return m
}

func (m *dpopMetrics) collectors() []prometheus.Collector {
	return []prometheus.Collector{(*dpopCollector)(m)}
}

// ObserveProof implements dpop.Observer.
func (m *dpopMetrics) ObserveProof(_ context.Context, e dpop.Event) {
	i, ok := m.byLabel[dpop.Reason(e.Err)]
	if !ok {
		i = len(m.labels) - 1 // "other"
	}
	m.counts[i].Add(1)
}

type dpopCollector dpopMetrics

func (c *dpopCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- c.total
	ch <- c.entries
}

func (c *dpopCollector) Collect(ch chan<- prometheus.Metric) {
	for i, l := range c.labels {
		result := "error"
		if i == 0 {
			result = "ok"
		}
		ch <- prometheus.MustNewConstMetric(c.total, prometheus.CounterValue, float64(c.counts[i].Load()), result, l)
	}
	c.mu.Lock()
	stores := c.stores
	c.mu.Unlock()
	if len(stores) > 0 {
		n := 0
		for _, s := range stores {
			n += s.Len()
		}
		ch <- prometheus.MustNewConstMetric(c.entries, prometheus.GaugeValue, float64(n))
	}
}

// DPoPObserver returns the dpop.Observer to set as dpop.Config.Observer.
// It counts tokengate_dpop_proofs_total{result, reason}: result "ok" or
// "error", reason dpop.Reason of the error (dpop_replay, dpop_htu,
// dpop_nonce, dpop_store_full, ...; all present from the start). A proof
// refused because the replay store is full counts as dpop_store_full:
// alert on it. Every dpop.Verifier may share it.
func (m *Metrics) DPoPObserver() dpop.Observer { return m.dpop }

// WatchReplayStore reads s.Len at scrape time into
// tokengate_dpop_replay_store_entries (the sum over the watched stores),
// to see a store filling up before it refuses proofs. nil is ignored;
// watching a store twice counts it once.
func (m *Metrics) WatchReplayStore(s *dpop.MemoryStore) {
	if s == nil {
		return
	}
	m.dpop.mu.Lock()
	defer m.dpop.mu.Unlock()
	for _, w := range m.dpop.stores {
		if w == s {
			return
		}
	}
	m.dpop.stores = append(m.dpop.stores[:len(m.dpop.stores):len(m.dpop.stores)], s)
}
