package metrics

import (
	"errors"
	"fmt"
	"net/http"
	"slices"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// namespace prefixes every series of this package.
const namespace = "tokengate"

// Default histogram buckets, in seconds.
var (
	// DefaultVerificationBuckets spans the verifications that miss the
	// token cache: from a malformed token refused in 100 ns, through HMAC
	// (about 1.5 µs) and RSA or ECDSA (30 to 100 µs), to a lookup that
	// waits for a JWKS fetch (up to the 5 s fetch timeout).
	DefaultVerificationBuckets = []float64{
		100e-9, 250e-9, 500e-9, 1e-6, 2.5e-6, 5e-6, 10e-6, 25e-6, 50e-6,
		100e-6, 250e-6, 500e-6, 1e-3, 5e-3, 25e-3, 0.1, 0.5, 2.5, 10,
	}
	// DefaultFetchBuckets spans JWKS fetches, up to their 5 s timeout.
	DefaultFetchBuckets = []float64{0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10}
	// DefaultRequestBuckets spans Auth0 API calls, up to the client's 10 s
	// default attempt timeout.
	DefaultRequestBuckets = []float64{0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30}
)

// Config configures New. The zero value of every field is the documented
// default; New refuses invalid buckets.
type Config struct {
	// VerificationBuckets are the buckets of
	// tokengate_verification_duration_seconds. Default
	// DefaultVerificationBuckets.
	VerificationBuckets []float64
	// FetchBuckets are the buckets of tokengate_jwks_fetch_duration_seconds.
	// Default DefaultFetchBuckets.
	FetchBuckets []float64
	// RequestBuckets are the buckets of
	// tokengate_client_request_duration_seconds. Default
	// DefaultRequestBuckets.
	RequestBuckets []float64
	// Now is the clock of tokengate_jwks_refresh_age_seconds. Default
	// time.Now; a jwks.Cache with its own Config.Now needs the same one.
	Now func() time.Time
}

// ErrNilRegisterer is returned by New without a Registerer: this package
// never falls back to prometheus.DefaultRegisterer.
var ErrNilRegisterer = errors.New("metrics: a prometheus.Registerer is required")

// Metrics holds tokengate's collectors, registered on one Registerer, and
// hands out the hook implementations of the other packages. It is safe for
// concurrent use. Make it with New, once per Registerer.
type Metrics struct {
	now func() time.Time

	verify *verifyMetrics
	jwks   *jwksMetrics
	http   *httpMetrics
	orgs   *orgsMetrics
	client *clientMetrics
	dpop   *dpopMetrics
}

// New builds the collectors of every component and registers them on reg.
// A series appears on the first event of its component (counters of bounded
// label sets appear at once, at zero). If a registration fails (a second
// New on the same Registerer, for example), the collectors registered so far
// are unregistered and the error is returned.
func New(reg prometheus.Registerer, cfg Config) (*Metrics, error) {
	if reg == nil {
		return nil, ErrNilRegisterer
	}
	vb, err := buckets("VerificationBuckets", cfg.VerificationBuckets, DefaultVerificationBuckets)
	if err != nil {
		return nil, err
	}
	fb, err := buckets("FetchBuckets", cfg.FetchBuckets, DefaultFetchBuckets)
	if err != nil {
		return nil, err
	}
	rb, err := buckets("RequestBuckets", cfg.RequestBuckets, DefaultRequestBuckets)
	if err != nil {
		return nil, err
	}
	m := &Metrics{now: cfg.Now}
	if m.now == nil {
		m.now = time.Now
	}
	m.verify = newVerifyMetrics(vb)
	m.jwks = newJWKSMetrics(fb, m.now)
	m.http = newHTTPMetrics()
	m.orgs = newOrgsMetrics()
	m.client = newClientMetrics(rb)
	m.dpop = newDPoPMetrics()

	var done []prometheus.Collector
	for _, c := range slices.Concat(m.verify.collectors(), m.jwks.collectors(), m.http.collectors(),
		m.orgs.collectors(), m.client.collectors(), m.dpop.collectors()) {
		if err := reg.Register(c); err != nil {
			for _, d := range done {
				reg.Unregister(d)
			}
			return nil, fmt.Errorf("metrics: registering tokengate's collectors: %w", err)
		}
		done = append(done, c)
	}
	return m, nil
}

// buckets checks a bucket list (prometheus panics on a bad one).
func buckets(name string, b, def []float64) ([]float64, error) {
	if b == nil {
		return def, nil
	}
	if len(b) == 0 {
		return nil, fmt.Errorf("metrics: %s is empty", name)
	}
	for i := 1; i < len(b); i++ {
		if !(b[i] > b[i-1]) {
			return nil, fmt.Errorf("metrics: %s must increase strictly", name)
		}
	}
	return slices.Clone(b), nil
}

// NewRegistry returns a new registry with the Go runtime and process
// collectors, as promhttp's default handler would expose, but not the
// global default registry. It lets a program serve tokengate's metrics
// without importing prometheus itself:
//
//	reg := metrics.NewRegistry()
//	m, err := metrics.New(reg, metrics.Config{})
//	mux.Handle("GET /metrics", metrics.Handler(reg))
func NewRegistry() *prometheus.Registry {
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return reg
}

// Handler serves g's metrics in the Prometheus exposition formats. A
// collector that fails is skipped and the others are still served
// (promhttp.ContinueOnError). The series hold no token data, but
// route patterns and traffic volumes are not for the public: serve the
// handler on an internal port or behind access control.
func Handler(g prometheus.Gatherer) http.Handler {
	return promhttp.HandlerFor(g, promhttp.HandlerOpts{ErrorHandling: promhttp.ContinueOnError})
}
