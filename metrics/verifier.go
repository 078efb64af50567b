package metrics

import (
	"context"
	"sync"
	"sync/atomic"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/tokengate/tokengate/verifier"
)

// The verification outcomes, in the order of their series. Labels come from
// verifier.Reason, so they are the verifier's own; "other" takes any error
// no sentinel matches.
var reasonErrors = [...]error{
	nil, // "ok"
	verifier.ErrMalformed,
	verifier.ErrAlgorithm,
	verifier.ErrKeyNotFound,
	verifier.ErrSignature,
	verifier.ErrExpired,
	verifier.ErrNotYetValid,
	verifier.ErrIssuer,
	verifier.ErrAudience,
	verifier.ErrNonce,
	verifier.ErrMaxAge,
	verifier.ErrOrganization,
	verifier.ErrAuthorizedParty,
	verifier.ErrKeysUnavailable,
	verifier.ErrTokenType,
	verifier.ErrMissingClaim,
	verifier.ErrBoundToken,
	verifier.ErrClaimsRejected,
	verifier.ErrRevoked,
	verifier.ErrRevocationUnavailable,
	verifier.ErrDecrypt,
	context.Canceled,
	context.DeadlineExceeded,
}

const (
	reasonOK    = 0
	numReasons  = len(reasonErrors) + 1 // + "other"
	reasonOther = numReasons - 1
)

// verifyMetrics counts verifications. The hot path, a cache hit that
// returns claims, is not an event: each verifier counts those itself
// (verifier.Stats), and they are read at scrape time from the watched
// verifiers. Other outcomes land in counts, indexed by outcome and cache
// hit. The exposed counters (verifications by reason, cache hits, cache
// misses) are sums computed at scrape time.
type verifyMetrics struct {
	counts  [numReasons][2]atomic.Uint64 // [reason][hit]
	labels  [numReasons]string
	byLabel map[string]int // read-only after construction
	latency prometheus.Histogram
	// decrypt times the decryptions of encrypted tokens (its count is
	// their number): each is a private-key operation done before anything
	// is authenticated.
	decrypt prometheus.Histogram

	total, hits, misses, entries *prometheus.Desc

	mu        sync.Mutex
	verifiers []*verifier.Verifier
}

func newVerifyMetrics(buckets []float64) *verifyMetrics {
	m := &verifyMetrics{byLabel: make(map[string]int, numReasons)}
	for i, err := range reasonErrors {
		m.labels[i] = verifier.Reason(err)
	}
	m.labels[reasonOther] = "other"
	for i, l := range m.labels {
		m.byLabel[l] = i
	}
	m.latency = prometheus.NewHistogram(prometheus.HistogramOpts{
		Namespace: namespace, Name: "verification_duration_seconds",
		Help:    "Time taken by token verifications that the verified-token cache did not answer (cache hits take well under a microsecond and are not timed).",
		Buckets: buckets,
	})
	m.decrypt = prometheus.NewHistogram(prometheus.HistogramOpts{
		Namespace: namespace, Name: "verifier_decrypt_duration_seconds",
		Help:    "Time taken by the decryptions of encrypted tokens (JWE key management and content), successful or not; the count is the number of decryptions.",
		Buckets: buckets,
	})
	m.total = prometheus.NewDesc(namespace+"_verifications_total",
		"Token verifications by result (ok or error) and reason (verifier.Reason of the error).", []string{"result", "reason"}, nil)
	m.hits = prometheus.NewDesc(namespace+"_verifier_cache_hits_total",
		"Verifications answered by the verified-token cache.", nil, nil)
	m.misses = prometheus.NewDesc(namespace+"_verifier_cache_misses_total",
		"Verifications the verified-token cache did not answer (including every one when the cache is off).", nil, nil)
	m.entries = prometheus.NewDesc(namespace+"_verifier_cache_entries",
		"Tokens in the verified-token caches of the verifiers given to WatchVerifier.", nil, nil)
	return m
}

func (m *verifyMetrics) collectors() []prometheus.Collector {
	return []prometheus.Collector{m.latency, m.decrypt, (*verifyCollector)(m)}
}

// index maps an event's error to its outcome. It is the sentinel of the
// failure class (verifier.Event.Err), compared here without errors.Is; a
// *verifier.ValidationError around one is read too, and anything else goes
// through verifier.Reason.
func (m *verifyMetrics) index(err error) int {
	for i := 1; i < len(reasonErrors); i++ {
		if err == reasonErrors[i] {
			return i
		}
	}
	if ve, ok := err.(*verifier.ValidationError); ok {
		for i := 1; i < len(reasonErrors); i++ {
			if ve.Err == reasonErrors[i] {
				return i
			}
		}
	}
	if i, ok := m.byLabel[verifier.Reason(err)]; ok {
		return i
	}
	return reasonOther
}

// ObserveVerify implements verifier.Observer. A cache hit that returned
// claims is skipped: the watched verifiers' Stats count those (a
// joined observer does not send them here; an observer of the caller's
// that forwards them might).
func (m *verifyMetrics) ObserveVerify(_ context.Context, e verifier.Event) {
	if e.CacheHit && e.Err == nil {
		return
	}
	i := reasonOK
	if e.Err != nil {
		i = m.index(e.Err)
	}
	if e.CacheHit {
		m.counts[i][1].Add(1)
		return
	}
	m.counts[i][0].Add(1)
	m.latency.Observe(seconds(e.Duration))
	if e.Decrypted {
		m.decrypt.Observe(seconds(e.DecryptDuration))
	}
}

// verifyCollector exposes the counts and the watched caches' sizes.
type verifyCollector verifyMetrics

func (c *verifyCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- c.total
	ch <- c.hits
	ch <- c.misses
	ch <- c.entries
}

func (c *verifyCollector) Collect(ch chan<- prometheus.Metric) {
	c.mu.Lock()
	vs := c.verifiers
	c.mu.Unlock()
	var entries int
	var okHits uint64
	for _, v := range vs {
		st := v.Stats()
		entries += st.CacheEntries
		okHits += st.CacheHits
	}
	var hits, misses uint64
	for i := range c.counts {
		h, mi := c.counts[i][1].Load(), c.counts[i][0].Load()
		if i == reasonOK {
			h += okHits
		}
		hits += h
		misses += mi
		result := "error"
		if i == reasonOK {
			result = "ok"
		}
		ch <- prometheus.MustNewConstMetric(c.total, prometheus.CounterValue, float64(h+mi), result, c.labels[i])
	}
	ch <- prometheus.MustNewConstMetric(c.hits, prometheus.CounterValue, float64(hits))
	ch <- prometheus.MustNewConstMetric(c.misses, prometheus.CounterValue, float64(misses))
	if len(vs) > 0 {
		ch <- prometheus.MustNewConstMetric(c.entries, prometheus.GaugeValue, float64(entries))
	}
}

// VerifierObserver returns the verifier.Observer to set as
// verifier.Config.Observer. It counts tokengate_verifications_total{result,
// reason} (result "ok" or "error", reason verifier.Reason of the error; all
// present from the start), tokengate_verifier_cache_hits_total and
// _misses_total, and times the verifications the cache did not answer in
// tokengate_verification_duration_seconds (hits are counted, not timed:
// timing a 45 ns hit would cost more than the hit), and times the
// decryptions of encrypted tokens (verifier.Config.Decryption: a
// private-key operation each, before anything is authenticated) in
// tokengate_verifier_decrypt_duration_seconds, whose count is their
// number. Every verifier may share it.
//
// A cache hit that returns claims is not an event: the verifier counts it
// (one atomic add, no call, no allocation) and it is read at scrape time
// from the verifiers given to WatchVerifier. Watch every verifier that
// uses this observer, or its cache hits are missing from the ok
// verifications and the cache hits.
func (m *Metrics) VerifierObserver() verifier.Observer { return m.verify }

// WatchVerifier reads v's verifier.Stats at scrape time: its cache hits
// that returned claims (into tokengate_verifications_total{result="ok"}
// and tokengate_verifier_cache_hits_total) and its cache size
// (tokengate_verifier_cache_entries, the sum over the watched verifiers).
// Watch the verifiers whose Observer is VerifierObserver, each once:
// watching v twice counts it once; nil is ignored.
func (m *Metrics) WatchVerifier(v *verifier.Verifier) {
	if v == nil {
		return
	}
	m.verify.mu.Lock()
	defer m.verify.mu.Unlock()
	for _, w := range m.verify.verifiers {
		if w == v {
			return
		}
	}
	// Copy on write: Collect reads the slice without the lock.
	m.verify.verifiers = append(m.verify.verifiers[:len(m.verify.verifiers):len(m.verify.verifiers)], v)
}
