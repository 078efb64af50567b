package dpop_test

import (
	"testing"
	"time"

	"github.com/tokengate/tokengate/authtest"
	"github.com/tokengate/tokengate/dpop"
)

var nonceSecret = []byte("nonce-secret-0123456789abcdef0123456789")

// TestDP18Nonces: with a nonce secret, a proof without a nonce, with a
// nonce of another secret, or with a nonce two slots old is refused with
// ErrNonce; the current nonce passes; the previous slot's and (clock skew
// between replicas) the next slot's pass with NextNonce set to the current
// one (rotation).
func TestDP18Nonces(t *testing.T) {
	keys(t)
	const life = time.Minute
	at := func(d time.Duration) func() time.Time { return func() time.Time { return now.Add(d) } }
	nonceAt := func(d time.Duration, secret []byte) string {
		v := newVerifier(t, func(c *dpop.Config) { c.NonceSecret, c.NonceLifetime, c.Now = secret, life, at(d) })
		return v.Nonce()
	}
	other := []byte("another-secret-0123456789abcdef0123456")
	tests := []struct {
		name  string
		nonce string
		want  error
		next  bool // NextNonce expected
	}{
		{"DP18/missing", "", dpop.ErrNonce, false},
		{"DP18/current", nonceAt(0, nonceSecret), nil, false},
		{"DP18/previous-slot", nonceAt(-life, nonceSecret), nil, true},
		{"DP18/next-slot", nonceAt(life, nonceSecret), nil, true},
		{"DP18/stale", nonceAt(-2*life, nonceSecret), dpop.ErrNonce, false},
		{"DP18/far-future", nonceAt(2*life, nonceSecret), dpop.ErrNonce, false},
		{"DP18/other-secret", nonceAt(0, other), dpop.ErrNonce, false},
		{"DP18/made-up", "AAAAAAAAAAAAAAAAAAAAAA", dpop.ErrNonce, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			v := newVerifier(t, func(c *dpop.Config) { c.NonceSecret, c.NonceLifetime = nonceSecret, life })
			p := proof(t, es256, authtest.Proof{Nonce: tc.nonce})
			got, err := v.Verify(ctx, p, request(es256))
			checkRefusal(t, err, tc.want, p)
			if err != nil {
				return
			}
			if tc.next && got.NextNonce != v.Nonce() || !tc.next && got.NextNonce != "" {
				t.Errorf("got NextNonce %q, want %q (rotation %v)", got.NextNonce, v.Nonce(), tc.next)
			}
		})
	}
	t.Run("DP18/same-on-every-replica", func(t *testing.T) {
		a, b := nonceAt(0, nonceSecret), nonceAt(0, nonceSecret)
		if a == "" || a != b {
			t.Errorf("got nonces %q and %q from two verifiers with one secret, want one non-empty nonce", a, b)
		}
		if c := nonceAt(life, nonceSecret); c == a {
			t.Errorf("got the same nonce in the next slot, want a new one")
		}
	})
	t.Run("DP18/off-by-default", func(t *testing.T) {
		v := newVerifier(t, nil)
		if n := v.Nonce(); n != "" || v.NoncesRequired() {
			t.Errorf("got nonce %q without a secret, want none", n)
		}
		p := proof(t, es256, authtest.Proof{Nonce: "anything"})
		if _, err := v.Verify(ctx, p, request(es256)); err != nil {
			t.Errorf("got %v for a proof with a nonce nobody asked for, want it accepted", err)
		}
	})
}
