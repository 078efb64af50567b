package metrics_test

import (
	"context"
	"errors"
	"fmt"
	"math"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/tokengate/tokengate/client"
	"github.com/tokengate/tokengate/dpop"
	"github.com/tokengate/tokengate/jwks"
	"github.com/tokengate/tokengate/metrics"
	"github.com/tokengate/tokengate/middleware"
	"github.com/tokengate/tokengate/orgs"
	"github.com/tokengate/tokengate/verifier"
)

// hostileEvent is one value of every number an observer is told, and one
// free-form string, fed to every observer of the package.
type hostileEvent struct {
	d      time.Duration // every duration and wait
	n      int           // every count, status and remaining budget
	s      string        // every label-like string (reason, outcome, API, ...)
	hit    bool
	hasErr bool
}

// observeAll feeds e to every observer m hands out and reports a panic as
// an error, so that the test fails instead of crashing.
func observeAll(m *metrics.Metrics, e hostileEvent) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("panic: %v", p)
		}
	}()
	var vErr error
	if e.hasErr {
		vErr = errors.New(e.s)
	}
	co := m.ClientObserver()
	co.ObserveRequest(context.Background(), client.RequestEvent{API: e.s, Method: e.s, StatusCode: e.n, Duration: e.d, Attempt: e.n, RateLimitRemaining: e.n})
	co.ObserveRetry(context.Background(), client.RetryEvent{API: e.s, Method: e.s, Reason: client.ReasonRateLimited, Wait: e.d, RateLimitRemaining: e.n})
	co.ObserveRetry(context.Background(), client.RetryEvent{API: e.s, Method: e.s, Reason: e.s, Wait: e.d, RateLimitRemaining: e.n})
	jo := m.JWKSObserver(e.s)
	jo.ObserveFetch(context.Background(), jwks.FetchEvent{URL: e.s, Outcome: e.s, StatusCode: e.n, Duration: e.d, Keys: e.n, Err: vErr})
	jo.ObserveFetch(context.Background(), jwks.FetchEvent{Outcome: jwks.OutcomeOK, Duration: e.d, Keys: e.n})
	jo.ObserveKidMiss(context.Background(), jwks.KidMissEvent{URL: e.s, Refetched: e.hit})
	m.VerifierObserver().ObserveVerify(context.Background(), verifier.Event{Err: vErr, CacheHit: e.hit, Algorithm: e.s, Duration: e.d})
	m.VerifierObserver().ObserveVerify(context.Background(), verifier.Event{Duration: e.d})
	m.MiddlewareObserver().ObserveRequest(context.Background(), middleware.Event{Outcome: e.s, Reason: e.s, Status: e.n, Route: e.s})
	m.OrgsObserver().ObserveOrg(context.Background(), orgs.Event{Outcome: e.s, Status: e.n, Route: e.s, CacheHit: e.hit})
	m.DPoPObserver().ObserveProof(context.Background(), dpop.Event{Err: vErr, Algorithm: e.s})
	return nil
}

// checkGathered fails when a counter or a histogram sum went negative or
// is not a number: what a clamped observer can never produce.
func checkGathered(t *testing.T, reg *prometheus.Registry) {
	t.Helper()
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatalf("Gather: %v", err)
	}
	for _, mf := range mfs {
		for _, mm := range mf.GetMetric() {
			var v float64
			switch {
			case mm.Counter != nil:
				v = mm.GetCounter().GetValue()
			case mm.Histogram != nil:
				v = mm.GetHistogram().GetSampleSum()
			default:
				continue
			}
			if math.IsNaN(v) || v < 0 {
				t.Errorf("%s: got %v, want a non-negative number", mf.GetName(), v)
			}
		}
	}
}

// TestX21ObserversNeverPanic: a negative wait made ObserveRetry call
// Counter.Add with a negative value, which panics; under the token fetch's
// singleflight that panic killed the process. No value may make an
// observer panic or a counter go down.
func TestX21ObserversNeverPanic(t *testing.T) {
	cases := []struct {
		name string
		e    hostileEvent
	}{
		{"negative wait", hostileEvent{d: -time.Second, n: 1, s: client.ReasonRateLimited}},
		{"wrapped wait", hostileEvent{d: -2333486 * time.Hour, n: 0, s: "management"}},
		{"min duration", hostileEvent{d: math.MinInt64, n: math.MinInt, s: "", hasErr: true}},
		{"max duration", hostileEvent{d: math.MaxInt64, n: math.MaxInt, s: "x", hit: true}},
		{"negative counts", hostileEvent{d: time.Millisecond, n: -1, s: "other"}},
		{"invalid UTF-8 labels", hostileEvent{d: -1, n: 1 << 40, s: "\xff\xfe\x00", hasErr: true}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			reg, m := newMetrics(t, metrics.Config{})
			if err := observeAll(m, tc.e); err != nil {
				t.Fatalf("an observer panicked: %v", err)
			}
			checkGathered(t, reg)
		})
	}
}

// FuzzX21ObserverValues feeds arbitrary numbers and strings to every
// observer: none may panic, and no counter or histogram sum may go negative.
func FuzzX21ObserverValues(f *testing.F) {
	f.Add(int64(-1), -1, "rate_limited", false, false)
	f.Add(int64(math.MinInt64), math.MinInt, "\xff", true, true)
	f.Add(int64(math.MaxInt64), math.MaxInt, "ok", true, false)
	f.Fuzz(func(t *testing.T, d int64, n int, s string, hit, hasErr bool) {
		reg, m := newMetrics(t, metrics.Config{})
		if err := observeAll(m, hostileEvent{d: time.Duration(d), n: n, s: s, hit: hit, hasErr: hasErr}); err != nil {
			t.Fatalf("an observer panicked on d=%d n=%d s=%q: %v", d, n, s, err)
		}
		checkGathered(t, reg)
	})
}
