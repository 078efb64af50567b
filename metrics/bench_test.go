package metrics_test

import (
	"context"
	"testing"

	"github.com/tokengate/tokengate/verifier"
)

// BenchmarkCachedVerify measures the cost of the metrics hook on the
// hottest path, a verified-token cache hit: the same verifier setup without
// an Observer (metrics=off) and with this package's (metrics=on). The clock
// is fixed, so the hit reads no clock and the hook's share is at its
// largest. Compare with benchstat over -count 10.
func BenchmarkCachedVerify(b *testing.B) {
	tenant := newTenant(b)
	tok := tenant.AccessToken("auth0|alice", testAud, "read:items")
	_, m := newMetrics(b, configDefault)
	for _, bc := range []struct {
		name string
		obs  verifier.Observer
	}{
		{"metrics=off", nil},
		{"metrics=on", m.VerifierObserver()},
	} {
		b.Run(bc.name, func(b *testing.B) {
			v := staticVerifier(b, tenant, bc.obs)
			mustVerify(b, v, tok)
			ctx := context.Background()
			b.ReportAllocs()
			for b.Loop() {
				if _, err := v.Verify(ctx, tok); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
