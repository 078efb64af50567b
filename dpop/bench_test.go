package dpop_test

import (
	"crypto/ecdsa"
	"crypto/sha256"
	"encoding/base64"
	"math/big"
	"strings"
	"testing"

	"github.com/tokengate/tokengate/authtest"
)

// BenchmarkVerify times one proof check (fresh proofs, made before the
// timer starts: the replay store refuses a proof twice) against the bare
// SHA-256 + ecdsa.Verify of one proof. bench/ compares the whole request
// with the peers.
func BenchmarkVerify(b *testing.B) {
	keys(b)
	b.Run("proof", func(b *testing.B) {
		v := newVerifier(b, nil)
		proofs := make([]string, b.N)
		for i := range proofs {
			proofs[i] = proof(b, es256, authtest.Proof{})
		}
		req := request(es256)
		b.ReportAllocs()
		b.ResetTimer()
		for i := range b.N {
			if _, err := v.Verify(ctx, proofs[i], req); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("ecdsa.Verify", func(b *testing.B) {
		p := proof(b, es256, authtest.Proof{})
		i := strings.LastIndexByte(p, '.')
		sig, _ := base64.RawURLEncoding.DecodeString(p[i+1:])
		r, s := new(big.Int).SetBytes(sig[:32]), new(big.Int).SetBytes(sig[32:])
		pub := es256.Signer().Public().(*ecdsa.PublicKey)
		input := []byte(p[:i])
		b.ReportAllocs()
		for b.Loop() {
			d := sha256.Sum256(input)
			if !ecdsa.Verify(pub, d[:], r, s) {
				b.Fatal("bad signature")
			}
		}
	})
}
