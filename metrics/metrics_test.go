package metrics_test

import (
	"context"
	"errors"
	"fmt"
	"math"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/tokengate/tokengate/client"
	"github.com/tokengate/tokengate/jwks"
	"github.com/tokengate/tokengate/metrics"
	"github.com/tokengate/tokengate/middleware"
	"github.com/tokengate/tokengate/orgs"
	"github.com/tokengate/tokengate/verifier"
)

// gathered returns the value of each series of family name, keyed by its
// label pairs ("k=v,k=v"; "" without labels).
func gathered(t *testing.T, g prometheus.Gatherer, name string) map[string]float64 {
	t.Helper()
	mfs, err := g.Gather()
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]float64{}
	for _, mf := range mfs {
		if mf.GetName() != name {
			continue
		}
		for _, m := range mf.GetMetric() {
			var labels []string
			for _, l := range m.GetLabel() {
				labels = append(labels, l.GetName()+"="+l.GetValue())
			}
			v := math.NaN()
			switch {
			case m.Counter != nil:
				v = m.GetCounter().GetValue()
			case m.Gauge != nil:
				v = m.GetGauge().GetValue()
			case m.Histogram != nil:
				v = float64(m.GetHistogram().GetSampleCount())
			}
			out[strings.Join(labels, ",")] = v
		}
	}
	return out
}

func TestNew(t *testing.T) {
	t.Run("nil Registerer", func(t *testing.T) {
		if _, err := metrics.New(nil, metrics.Config{}); !errors.Is(err, metrics.ErrNilRegisterer) {
			t.Fatalf("got %v, want ErrNilRegisterer", err)
		}
	})
	for _, c := range []struct {
		name string
		cfg  metrics.Config
	}{
		{"empty buckets", metrics.Config{VerificationBuckets: []float64{}}},
		{"decreasing buckets", metrics.Config{FetchBuckets: []float64{1, 0.5}}},
		{"repeated bucket", metrics.Config{RequestBuckets: []float64{1, 1}}},
		{"NaN bucket", metrics.Config{RequestBuckets: []float64{1, math.NaN()}}},
	} {
		t.Run(c.name, func(t *testing.T) {
			if _, err := metrics.New(prometheus.NewRegistry(), c.cfg); err == nil {
				t.Fatal("got nil error, want the buckets refused")
			}
		})
	}
	t.Run("custom buckets", func(t *testing.T) {
		reg, m := newMetrics(t, metrics.Config{VerificationBuckets: []float64{1e-6, 1e-3}})
		m.VerifierObserver().ObserveVerify(context.Background(), verifier.Event{Duration: time.Millisecond / 2})
		err := testutil.GatherAndCompare(reg, strings.NewReader(`
# HELP tokengate_verification_duration_seconds Time taken by token verifications that the verified-token cache did not answer (cache hits take well under a microsecond and are not timed).
# TYPE tokengate_verification_duration_seconds histogram
tokengate_verification_duration_seconds_bucket{le="1e-06"} 0
tokengate_verification_duration_seconds_bucket{le="0.001"} 1
tokengate_verification_duration_seconds_bucket{le="+Inf"} 1
tokengate_verification_duration_seconds_sum 0.0005
tokengate_verification_duration_seconds_count 1
`), "tokengate_verification_duration_seconds")
		if err != nil {
			t.Error(err)
		}
	})
	t.Run("second New on a registry", func(t *testing.T) {
		reg, _ := newMetrics(t, metrics.Config{})
		if _, err := metrics.New(reg, metrics.Config{}); err == nil {
			t.Fatal("got nil error, want the duplicate registration refused")
		}
	})
	t.Run("a failed New leaves nothing registered", func(t *testing.T) {
		reg := prometheus.NewRegistry()
		// Taken before New gets to it: New registers the verifier's
		// collectors first, then fails on this name.
		reg.MustRegister(prometheus.NewCounter(prometheus.CounterOpts{Name: "tokengate_http_requests_total", Help: "x"}))
		if _, err := metrics.New(reg, metrics.Config{}); err == nil {
			t.Fatal("got nil error, want the conflict")
		}
		if got := gathered(t, reg, "tokengate_verifications_total"); len(got) != 0 {
			t.Fatalf("got %d verification series after the failed New, want 0", len(got))
		}
		if _, err := metrics.New(prometheus.WrapRegistererWithPrefix("other_", reg), metrics.Config{}); err != nil {
			t.Fatalf("New on a clean prefix: %v", err)
		}
	})
	t.Run("NewRegistry", func(t *testing.T) {
		reg := metrics.NewRegistry()
		if _, err := metrics.New(reg, metrics.Config{}); err != nil {
			t.Fatal(err)
		}
		if got := gathered(t, reg, "go_goroutines"); len(got) != 1 {
			t.Errorf("got %d go_goroutines series, want the Go collector registered", len(got))
		}
	})
}

// Every error Verify returns is counted under the label verifier.Reason
// gives it; anything else is "other".
func TestVerificationReasons(t *testing.T) {
	sentinels := []error{verifier.ErrMalformed, verifier.ErrAlgorithm, verifier.ErrKeyNotFound, verifier.ErrSignature,
		verifier.ErrExpired, verifier.ErrNotYetValid, verifier.ErrIssuer, verifier.ErrAudience, verifier.ErrNonce,
		verifier.ErrMaxAge, verifier.ErrOrganization, verifier.ErrAuthorizedParty, verifier.ErrKeysUnavailable,
		verifier.ErrTokenType, verifier.ErrMissingClaim, verifier.ErrBoundToken, verifier.ErrClaimsRejected,
		verifier.ErrRevoked, verifier.ErrRevocationUnavailable, verifier.ErrDecrypt}
	var cases []error
	for _, s := range sentinels {
		cases = append(cases, &verifier.ValidationError{Claim: "x", Err: s}, fmt.Errorf("wrapped: %w", s))
	}
	cases = append(cases, context.Canceled, fmt.Errorf("jwks: %w", context.DeadlineExceeded), nil)
	for _, err := range cases {
		t.Run(fmt.Sprint(err), func(t *testing.T) {
			reg, m := newMetrics(t, metrics.Config{})
			m.VerifierObserver().ObserveVerify(context.Background(), verifier.Event{Err: err})
			result := "error"
			if err == nil {
				result = "ok"
			}
			if verifier.Reason(err) == "other" {
				t.Fatalf("verifier.Reason(%v) is other: a sentinel the test lists has no label", err)
			}
			key := "reason=" + verifier.Reason(err) + ",result=" + result
			got := gathered(t, reg, "tokengate_verifications_total")
			if got[key] != 1 {
				t.Errorf("got %v, want %s counted once", got, key)
			}
			if len(got) != 24 {
				t.Errorf("got %d series, want all 24 outcomes present", len(got))
			}
		})
	}
	t.Run("unknown error", func(t *testing.T) {
		reg, m := newMetrics(t, metrics.Config{})
		m.VerifierObserver().ObserveVerify(context.Background(), verifier.Event{Err: errors.New("something else")})
		if got := gathered(t, reg, "tokengate_verifications_total")["reason=other,result=error"]; got != 1 {
			t.Errorf("got %v, want 1 under reason other", got)
		}
	})
}

// Labels stay bounded whatever the events carry.
func TestLabelsBounded(t *testing.T) {
	reg, m := newMetrics(t, metrics.Config{})
	mo := m.MiddlewareObserver()
	mo.ObserveRequest(context.Background(), middleware.Event{Outcome: middleware.OutcomeMissingToken, Status: 401, Method: "GET"})                       // no route known
	mo.ObserveRequest(context.Background(), middleware.Event{Outcome: middleware.OutcomeOK, Reason: "ok", Route: "/a/{id}", Method: "GET"})              // passed
	mo.ObserveRequest(context.Background(), middleware.Event{Outcome: middleware.OutcomeOK, Reason: "ok", Route: "GET /a/{id}", Method: "GET"})          // same series (ServeMux)
	mo.ObserveRequest(context.Background(), middleware.Event{Outcome: middleware.OutcomeOK, Reason: "ok", Route: "GET\t host.example/a", Method: "GET"}) // method and blanks cut
	mo.ObserveRequest(context.Background(), middleware.Event{Outcome: middleware.OutcomeOK, Reason: "ok", Route: " /sp", Method: "BREW\xff"})            // not a method: kept
	mo.ObserveRequest(context.Background(), middleware.Event{Outcome: middleware.OutcomeOK, Reason: "ok", Route: "/p/a b", Method: strings.Repeat("G", 1000)})
	mo.ObserveRequest(context.Background(), middleware.Event{Outcome: "custom", Status: 1000, Route: "/bad\xff" + strings.Repeat("x", 300)})
	oo := m.OrgsObserver()
	oo.ObserveOrg(context.Background(), orgs.Event{Outcome: orgs.OutcomeAllowed, Route: "/o/{org}"})
	oo.ObserveOrg(context.Background(), orgs.Event{Outcome: orgs.OutcomeNotMember, Status: 403, Route: "GET /o/{org}", Method: "GET", CacheHit: true})
	co := m.ClientObserver()
	co.ObserveRequest(context.Background(), client.RequestEvent{Method: "BREW", StatusCode: 0, RateLimitRemaining: -1})
	co.ObserveRequest(context.Background(), client.RequestEvent{API: "mgmt", Method: "DELETE", StatusCode: 204, RateLimitRemaining: 3})
	co.ObserveRetry(context.Background(), client.RetryEvent{API: "mgmt", Method: "DELETE", Reason: client.ReasonNetwork, Wait: time.Second, RateLimitRemaining: -1})
	co.ObserveRetry(context.Background(), client.RetryEvent{API: "mgmt", Method: "DELETE", Reason: "cosmic_rays", RateLimitRemaining: -1})

	long := "/bad\uFFFD" + strings.Repeat("x", 128-len("/bad\uFFFD"))
	for name, want := range map[string]map[string]float64{
		"tokengate_http_requests_total": {
			"method=GET,outcome=missing_token,route=unmatched,status=401":  1,
			"method=GET,outcome=ok,route=/a/{id},status=":                  2,
			"method=GET,outcome=ok,route=host.example/a,status=":           1,
			"method=_OTHER,outcome=ok,route= /sp,status=":                  1,
			"method=_OTHER,outcome=ok,route=/p/a b,status=":                1,
			"method=_OTHER,outcome=custom,route=" + long + ",status=other": 1,
		},
		"tokengate_org_denials_total": {"method=GET,reason=not_member,route=/o/{org}": 1},
		"tokengate_client_requests_total": {
			"api=default,method=_OTHER,status=none": 1,
			"api=mgmt,method=DELETE,status=204":     1,
		},
		"tokengate_client_retries_total":          {"api=mgmt,reason=network": 1, "api=mgmt,reason=other": 1},
		"tokengate_client_rate_limit_remaining":   {"api=mgmt": 3},
		"tokengate_client_rate_limit_waits_total": {},
	} {
		got := gathered(t, reg, name)
		if len(got) != len(want) {
			t.Errorf("%s: got %v, want %v", name, got, want)
			continue
		}
		for k, w := range want {
			if got[k] != w {
				t.Errorf("%s{%s}: got %v, want %v (all: %v)", name, k, got[k], w, got)
			}
		}
	}
}

func TestWatch(t *testing.T) {
	t.Run("JWKS before the first success", func(t *testing.T) {
		down := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			http.Error(w, "down", http.StatusInternalServerError)
		}))
		defer down.Close()
		reg, m := newMetrics(t, metrics.Config{})
		obs := m.JWKSObserver("")
		c, err := jwks.New(jwks.Config{URL: down.URL, Observer: obs})
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		if err := m.WatchJWKS("", c); err != nil {
			t.Fatal(err)
		}
		if err := m.WatchJWKS("default", c); err == nil {
			t.Error("WatchJWKS of a name already watched: got nil error, want one")
		}
		if err := m.WatchJWKS("other", nil); err == nil {
			t.Error("WatchJWKS(nil): got nil error, want one")
		}
		if got := gathered(t, reg, "tokengate_jwks_refresh_age_seconds")["jwks=default"]; !math.IsInf(got, 1) {
			t.Errorf("refresh age before any success: got %v, want +Inf", got)
		}
		if got := gathered(t, reg, "tokengate_jwks_keys")["jwks=default"]; got != 0 {
			t.Errorf("keys: got %v, want 0", got)
		}
	})
	t.Run("verifiers", func(t *testing.T) {
		tenant := newTenant(t)
		reg, m := newMetrics(t, metrics.Config{})
		if got := gathered(t, reg, "tokengate_verifier_cache_entries"); len(got) != 0 {
			t.Errorf("got %v before any WatchVerifier, want no series", got)
		}
		v1, v2 := staticVerifier(t, tenant, nil), staticVerifier(t, tenant, nil)
		m.WatchVerifier(v1)
		m.WatchVerifier(v1)
		m.WatchVerifier(nil)
		m.WatchVerifier(v2)
		mustVerify(t, v1, tenant.AccessToken("a", testAud))
		mustVerify(t, v1, tenant.AccessToken("b", testAud))
		mustVerify(t, v2, tenant.AccessToken("c", testAud))
		if got := gathered(t, reg, "tokengate_verifier_cache_entries")[""]; got != 3 {
			t.Errorf("got %v cached tokens, want 3 (v1 counted once)", got)
		}
	})
}
