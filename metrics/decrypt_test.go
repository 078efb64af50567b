package metrics_test

import (
	"context"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/tokengate/tokengate/metrics"
	"github.com/tokengate/tokengate/verifier"
)

// TestDecryptMetrics (JW17): the decryptions of encrypted tokens are
// counted and timed, successful or not; verifications that decrypted
// nothing are not decryptions.
func TestDecryptMetrics(t *testing.T) {
	t.Run("JW17/decryptions counted and timed", func(t *testing.T) {
		reg, m := newMetrics(t, metrics.Config{})
		obs := m.VerifierObserver()
		ctx := context.Background()
		obs.ObserveVerify(ctx, verifier.Event{Decrypted: true, DecryptDuration: 2 * time.Millisecond, Duration: 3 * time.Millisecond})
		obs.ObserveVerify(ctx, verifier.Event{Err: verifier.ErrDecrypt, Decrypted: true, DecryptDuration: time.Millisecond, Duration: time.Millisecond})
		obs.ObserveVerify(ctx, verifier.Event{Err: verifier.ErrMalformed, Duration: time.Microsecond})
		if got := testutil.CollectAndCount(reg, "tokengate_verifier_decrypt_duration_seconds"); got != 1 {
			t.Fatalf("got %d decrypt series, want 1", got)
		}
		mfs, err := reg.Gather()
		if err != nil {
			t.Fatal(err)
		}
		for _, mf := range mfs {
			if mf.GetName() != "tokengate_verifier_decrypt_duration_seconds" {
				continue
			}
			h := mf.GetMetric()[0].GetHistogram()
			if h.GetSampleCount() != 2 || h.GetSampleSum() != 0.003 {
				t.Errorf("got count %d sum %v, want 2 and 0.003", h.GetSampleCount(), h.GetSampleSum())
			}
		}
		if got := gathered(t, reg, "tokengate_verifications_total")["reason=decrypt,result=error"]; got != 1 {
			t.Errorf("got %v decrypt errors, want 1", got)
		}
	})
}
