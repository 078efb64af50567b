package interop

import (
	"context"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/tokengate/tokengate/verifier"
)

const resourceJWE = "https://jwe.interop.test"

// jweKey is the encrypting resource's private key (provider.mjs encrypts
// to its public half).
func jweKey(t *testing.T) *verifier.DecryptionKey {
	t.Helper()
	b, err := os.ReadFile("testdata/jwe-api-key.pem")
	if err != nil {
		t.Fatal(err)
	}
	blk, _ := pem.Decode(b)
	if blk == nil {
		t.Fatal("no PEM block in testdata/jwe-api-key.pem")
	}
	k, err := x509.ParsePKCS8PrivateKey(blk.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	dk, err := verifier.NewDecryptionKey("jwe-1", "RSA-OAEP-256", k)
	if err != nil {
		t.Fatal(err)
	}
	return dk
}

// TestEncryptedAccessTokens (JW19): oidc-provider's encrypted JWT access
// tokens (resource server jwt.sign + jwt.encrypt: a JWE, cty at+jwt, of
// its at+jwt JWS) verify with the resource's private key and the
// provider's JWKS; tampered ones and, when encryption is required, its
// plain tokens are refused.
func TestEncryptedAccessTokens(t *testing.T) {
	rk := newRemoteKeys(t, nil)
	v, err := verifier.New(verifier.Config{
		Issuer: issuer, Audience: []string{resourceJWE}, Keys: rk, Types: []string{"at+jwt"},
		Decryption: verifier.Decryption{Keys: []*verifier.DecryptionKey{jweKey(t)}, Required: true},
	})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	tok := clientCredentials(t, resourceJWE)
	if n := strings.Count(tok, "."); n != 4 {
		t.Fatalf("got a token of %d dots from the provider, want a compact JWE", n)
	}
	t.Run("JW19/oidc-provider nested token", func(t *testing.T) {
		c, err := v.Verify(ctx, tok)
		if err != nil {
			t.Fatalf("got %v, want the provider's encrypted token accepted", err)
		}
		if c.OrgID != "org_interop" {
			t.Errorf("got org_id %q, want org_interop", c.OrgID)
		}
	})
	t.Run("JW5/tampered ciphertext", func(t *testing.T) {
		p := strings.Split(tok, ".")
		b, err := base64.RawURLEncoding.DecodeString(p[3])
		if err != nil {
			t.Fatal(err)
		}
		b[len(b)/2] ^= 1
		p[3] = base64.RawURLEncoding.EncodeToString(b)
		if _, err := v.Verify(ctx, strings.Join(p, ".")); !errors.Is(err, verifier.ErrDecrypt) {
			t.Errorf("got %v, want ErrDecrypt", err)
		}
	})
	t.Run("JW7/plain token when encryption is required", func(t *testing.T) {
		if _, err := v.Verify(ctx, clientCredentials(t, resourceRS256)); !errors.Is(err, verifier.ErrTokenType) {
			t.Errorf("got %v, want ErrTokenType", err)
		}
	})
}
