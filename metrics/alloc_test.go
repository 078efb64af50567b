package metrics_test

import (
	"context"
	"testing"
	"time"

	"github.com/tokengate/tokengate/client"
	"github.com/tokengate/tokengate/jwks"
	"github.com/tokengate/tokengate/metrics"
	"github.com/tokengate/tokengate/middleware"
	"github.com/tokengate/tokengate/orgs"
	"github.com/tokengate/tokengate/verifier"
)

var configDefault = metrics.Config{}

// The hooks allocate nothing once their series exist: not on a cache hit,
// not on a miss or an error, not per request.
func TestHooksDoNotAllocate(t *testing.T) {
	tenant := newTenant(t)
	tok := tenant.AccessToken("auth0|alice", testAud)
	_, m := newMetrics(t, configDefault)
	v := staticVerifier(t, tenant, m.VerifierObserver())
	mustVerify(t, v, tok)
	ctx := context.Background()
	vo, mo, oo, co := m.VerifierObserver(), m.MiddlewareObserver(), m.OrgsObserver(), m.ClientObserver()
	jo := m.JWKSObserver("tenant")
	expired := &verifier.ValidationError{Claim: "exp", Err: verifier.ErrExpired}
	otherOrg := &verifier.ValidationError{Claim: "org_id", Err: verifier.ErrOrganization}
	hev := middleware.Event{Outcome: middleware.OutcomeInvalidToken, Reason: "expired", Status: 401, Route: "GET /items/{id}"}
	oev := orgs.Event{Outcome: orgs.OutcomeDenied, Status: 403, Route: "GET /orgs/{org}/items"}
	cev := client.RequestEvent{API: "management", Method: "GET", StatusCode: 200, Duration: time.Millisecond, Attempt: 1, RateLimitRemaining: 9}
	// Create the series once.
	mo.ObserveRequest(context.Background(), hev)
	oo.ObserveOrg(context.Background(), oev)
	co.ObserveRequest(context.Background(), cev)
	for _, c := range []struct {
		name string
		fn   func()
	}{
		{"cache hit through Verify", func() { _, _ = v.Verify(ctx, tok) }},
		{"cache hit refused by an option", func() { vo.ObserveVerify(context.Background(), verifier.Event{Err: otherOrg, CacheHit: true}) }},
		{"verifier miss with an error", func() {
			vo.ObserveVerify(context.Background(), verifier.Event{Err: expired, Algorithm: "RS256", Duration: time.Microsecond})
		}},
		{"verifier context error", func() { vo.ObserveVerify(context.Background(), verifier.Event{Err: context.Canceled}) }},
		{"middleware", func() { mo.ObserveRequest(context.Background(), hev) }},
		{"orgs", func() { oo.ObserveOrg(context.Background(), oev) }},
		{"client", func() { co.ObserveRequest(context.Background(), cev) }},
		{"jwks fetch", func() {
			jo.ObserveFetch(context.Background(), jwks.FetchEvent{Outcome: jwks.OutcomeOK, Duration: time.Millisecond, Keys: 2})
		}},
		{"jwks kid miss", func() { jo.ObserveKidMiss(context.Background(), jwks.KidMissEvent{Refetched: true}) }},
	} {
		if n := testing.AllocsPerRun(1000, c.fn); n != 0 {
			t.Errorf("%s: got %v allocations per event, want 0", c.name, n)
		}
	}
}
