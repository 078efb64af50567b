package verifier_test

import (
	"context"
	"crypto/rand"
	"testing"

	"github.com/lestrrat-go/jwx/v3/jwa"
	"github.com/lestrrat-go/jwx/v3/jwe"

	"github.com/tokengate/tokengate/verifier"
)

// TestJWEFromJWX (JW19): tokens encrypted by another implementation (jwx
// v3's jwe.Encrypt) decrypt, for every alg and enc this package offers.
func TestJWEFromJWX(t *testing.T) {
	loadKeys()
	inner := innerToken(t)
	p256 := ecdhKey(t, ecKey)
	secret16, secret32 := make([]byte, 16), make([]byte, 32)
	rand.Read(secret16)
	rand.Read(secret32)
	for _, tt := range []struct {
		alg     jwa.KeyEncryptionAlgorithm
		enc     jwa.ContentEncryptionAlgorithm
		dec     any
		encrypt any
	}{
		{jwa.RSA_OAEP_256(), jwa.A256GCM(), rsaKey2, &rsaKey2.PublicKey},
		{jwa.RSA_OAEP_384(), jwa.A128GCM(), rsaKey2, &rsaKey2.PublicKey},
		{jwa.RSA_OAEP_512(), jwa.A256CBC_HS512(), rsaKey2, &rsaKey2.PublicKey},
		{jwa.ECDH_ES(), jwa.A256GCM(), p256, &ecKey.PublicKey},
		{jwa.ECDH_ES_A128KW(), jwa.A192CBC_HS384(), p256, &ecKey.PublicKey},
		{jwa.ECDH_ES_A256KW(), jwa.A256GCM(), p256, &ecKey.PublicKey},
		{jwa.A128KW(), jwa.A128CBC_HS256(), secret16, secret16},
		{jwa.DIRECT(), jwa.A256GCM(), secret32, secret32},
	} {
		t.Run("JW19/"+tt.alg.String()+" "+tt.enc.String(), func(t *testing.T) {
			h := jwe.NewHeaders()
			if err := h.Set("cty", "JWT"); err != nil {
				t.Fatal(err)
			}
			tok, err := jwe.Encrypt([]byte(inner), jwe.WithKey(tt.alg, tt.encrypt), jwe.WithContentEncryption(tt.enc), jwe.WithProtectedHeaders(h))
			if err != nil {
				t.Fatal(err)
			}
			v := jweVerifier(t, verifier.Decryption{
				Keys:        []*verifier.DecryptionKey{mustDecKey(t, "", tt.alg.String(), tt.dec)},
				Algorithms:  []string{tt.alg.String()},
				Encryptions: []string{tt.enc.String()},
			})
			if _, err := v.Verify(context.Background(), string(tok)); err != nil {
				t.Errorf("got %v, want the jwx-encrypted token accepted", err)
			}
		})
	}
}
