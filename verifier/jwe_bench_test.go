package verifier_test

import (
	"context"
	"crypto"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"strings"
	"testing"

	"github.com/lestrrat-go/jwx/v3/jwa"
	"github.com/lestrrat-go/jwx/v3/jwe"

	"github.com/tokengate/tokengate/verifier"
)

// BenchmarkJWE compares decrypt+verify of a nested token (RSA-OAEP-256,
// A256GCM, an RS256 inner token; RSA-2048 keys) with the sum of the bare
// primitives it cannot avoid: rsa.DecryptOAEP of the content key, AES-GCM
// open of the content, rsa.VerifyPKCS1v15 of the inner signature (target:
// at most 1.1 times). CacheHit is a repeat of the encrypted token. JWX is
// jwx v3's jwe.Decrypt alone (no verification), for the choice of
// primitives.
func BenchmarkJWE(b *testing.B) {
	loadKeys()
	inner := sign(b, "RS256", rsaKey, hdr("RS256", "k1"), benchClaims())
	tok := seal(b, "RSA-OAEP-256", "A256GCM", &rsaKey2.PublicKey, map[string]any{"kid": "enc-1"}, []byte(inner))
	ctx := context.Background()
	dec := verifier.Decryption{Keys: []*verifier.DecryptionKey{mustDecKey(b, "enc-1", "RSA-OAEP-256", rsaKey2)}}
	b.Run("DecryptVerify", func(b *testing.B) {
		v := newVerifier(b, verifier.Config{CacheSize: -1, Decryption: dec})
		b.ReportAllocs()
		for b.Loop() {
			if _, err := v.Verify(ctx, tok); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("Primitives", func(b *testing.B) {
		p := strings.Split(tok, ".")
		d := func(s string) []byte { x, _ := base64.RawURLEncoding.DecodeString(s); return x }
		ek, iv, ct, tag := d(p[1]), d(p[2]), d(p[3]), d(p[4])
		ctTag := append(append([]byte(nil), ct...), tag...)
		dot := strings.LastIndexByte(inner, '.')
		sig := d(inner[dot+1:])
		b.ReportAllocs()
		for b.Loop() {
			cek, err := rsa.DecryptOAEP(sha256.New(), nil, rsaKey2, ek, nil)
			if err != nil {
				b.Fatal(err)
			}
			block, _ := aes.NewCipher(cek)
			gcm, _ := cipher.NewGCM(block)
			if _, err := gcm.Open(nil, iv, ctTag, []byte(p[0])); err != nil {
				b.Fatal(err)
			}
			h := sha256.Sum256([]byte(inner[:dot]))
			if err := rsa.VerifyPKCS1v15(&rsaKey.PublicKey, crypto.SHA256, h[:], sig); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("CacheHit", func(b *testing.B) {
		v := newVerifier(b, verifier.Config{Decryption: dec})
		if _, err := v.Verify(ctx, tok); err != nil {
			b.Fatal(err)
		}
		b.ReportAllocs()
		for b.Loop() {
			if _, err := v.Verify(ctx, tok); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("JWXDecryptOnly", func(b *testing.B) {
		buf := []byte(tok)
		b.ReportAllocs()
		for b.Loop() {
			if _, err := jwe.Decrypt(buf, jwe.WithKey(jwa.RSA_OAEP_256(), rsaKey2)); err != nil {
				b.Fatal(err)
			}
		}
	})
}

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
