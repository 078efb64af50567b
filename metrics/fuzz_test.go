package metrics_test

import (
	"context"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/tokengate/tokengate/client"
	"github.com/tokengate/tokengate/metrics"
	"github.com/tokengate/tokengate/middleware"
	"github.com/tokengate/tokengate/orgs"
)

// FuzzObservers feeds arbitrary strings where the hooks expect bounded
// labels. prometheus panics on invalid UTF-8 label values; the observers
// must clean every value and never panic, and what they expose must be
// valid UTF-8 of at most 128 bytes.
func FuzzObservers(f *testing.F) {
	for _, seed := range []struct{ route, outcome, api, method string }{
		{"GET /items/{id}", "ok", "management", "GET"},
		{"", "missing_token", "", "BREW"},
		{"/bad\xff", "custom\x00", "api\xc3", "get"},
		{strings.Repeat("é", 100), "org_denied", strings.Repeat("x", 300), "DELETE"},
	} {
		f.Add(seed.route, seed.outcome, seed.api, seed.method, 401)
	}
	f.Fuzz(func(t *testing.T, route, outcome, api, method string, status int) {
		reg, m := newMetrics(t, metrics.Config{})
		m.MiddlewareObserver().ObserveRequest(context.Background(), middleware.Event{Outcome: outcome, Status: status, Route: route})
		m.OrgsObserver().ObserveOrg(context.Background(), orgs.Event{Outcome: outcome, Status: status, Route: route})
		co := m.ClientObserver()
		co.ObserveRequest(context.Background(), client.RequestEvent{API: api, Method: method, StatusCode: status, RateLimitRemaining: status})
		co.ObserveRetry(context.Background(), client.RetryEvent{API: api, Method: method, Reason: outcome, RateLimitRemaining: -1})
		m.JWKSObserver(api)
		mfs, err := reg.Gather()
		if err != nil {
			t.Fatalf("Gather: %v", err)
		}
		for _, mf := range mfs {
			for _, mm := range mf.GetMetric() {
				for _, l := range mm.GetLabel() {
					if v := l.GetValue(); !utf8.ValidString(v) || len(v) > 128 {
						t.Fatalf("%s{%s=%q}: want valid UTF-8 of at most 128 bytes", mf.GetName(), l.GetName(), v)
					}
				}
			}
		}
	})
}
