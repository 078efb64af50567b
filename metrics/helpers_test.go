package metrics_test

import (
	"context"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/tokengate/tokengate/authtest"
	"github.com/tokengate/tokengate/metrics"
	"github.com/tokengate/tokengate/verifier"
)

const testAud = "https://api.example.com"

func newTenant(t testing.TB) *authtest.Tenant {
	t.Helper()
	tenant, err := authtest.NewTenant(authtest.Config{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(tenant.Close)
	return tenant
}

func newMetrics(t testing.TB, cfg metrics.Config) (*prometheus.Registry, *metrics.Metrics) {
	t.Helper()
	reg := prometheus.NewRegistry()
	m, err := metrics.New(reg, cfg)
	if err != nil {
		t.Fatal(err)
	}
	return reg, m
}

// staticVerifier trusts the tenant's current keys without fetching them,
// with a fixed clock (so a cache hit reads no clock) and obs as Observer.
func staticVerifier(t testing.TB, tenant *authtest.Tenant, obs verifier.Observer) *verifier.Verifier {
	t.Helper()
	// Frozen a minute ahead: the tokens a test mints later carry the real
	// clock's whole second as iat, which a clock frozen at the test's start
	// would see in the future once a second boundary passed.
	now := time.Now().Add(time.Minute)
	v, err := verifier.New(verifier.Config{Issuer: tenant.Issuer(), Audience: []string{testAud},
		Keys: tenant.KeySet(), Now: func() time.Time { return now }, Observer: obs})
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func mustVerify(t testing.TB, v *verifier.Verifier, tok string) {
	t.Helper()
	if _, err := v.Verify(context.Background(), tok); err != nil {
		t.Fatalf("Verify: %v", err)
	}
}
