package verifier_test

import (
	"context"
	"crypto"
	"crypto/aes"
	"crypto/cipher"
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
