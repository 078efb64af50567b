package authentication

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"testing"
	"time"
)

// BenchmarkAssertion is the signing of one private_key_jwt client
// assertion (claims, a random jti, the JWS), as every request with a
// client assertion key does it.
func BenchmarkAssertion(b *testing.B) {
	rsaKey, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		b.Fatal(err)
	}
	ecKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		b.Fatal(err)
	}
	for _, bc := range []struct {
		alg string
		key crypto.Signer
	}{{"RS256", rsaKey}, {"ES256", ecKey}} {
		b.Run(bc.alg, func(b *testing.B) {
			alg, err := checkAssertionKey(bc.key, bc.alg)
			if err != nil {
				b.Fatal(err)
			}
			s := &signer{key: bc.key, alg: alg, clientID: "cid", audience: "https://tenant.auth0.com/", now: time.Now}
			b.ReportAllocs()
			for b.Loop() {
				if _, err := s.assertion(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
