package verifier_test

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"errors"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/tokengate/tokengate/verifier"
)

// TestX5SecretPublicKeyText (SECURITY.md X5, HM4): Secret refuses public
// key text however it is laid out: a pretty-printed JWK or JWKS, a space
// after "{", PEM after a UTF-8 byte order mark, PEM after the "Bag
// Attributes" lines that openssl pkcs12 writes, an SSH key after a BOM.
// Such a "secret" is public, and an HMAC key made of it lets anyone sign.
func TestX5SecretPublicKeyText(t *testing.T) {
	loadKeys()
	der, err := x509.MarshalPKIXPublicKey(&rsaKey.PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	pubPEM := string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der}))
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "tenant.example.com"},
		NotBefore: testNow, NotAfter: testNow.Add(time.Hour)}
	cert, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &rsaKey.PublicKey, rsaKey)
	if err != nil {
		t.Fatal(err)
	}
	certPEM := string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: cert}))
	jwk := map[string]string{
		"kty": "RSA", "use": "sig", "kid": "k1", "alg": "RS256",
		"n": base64.RawURLEncoding.EncodeToString(rsaKey.N.Bytes()), "e": "AQAB",
	}
	pretty, _ := json.MarshalIndent(jwk, "", "  ")
	prettySet, _ := json.MarshalIndent(map[string]any{"keys": []any{jwk}}, "", "    ")
	compact := string(mustJSON(jwk))
	bagAttributes := "Bag Attributes\n    localKeyID: 6A 1F 3B 02 \n    friendlyName: tenant\n" +
		"subject=/CN=tenant.example.com\nissuer=/CN=tenant.example.com\n"
	const bom = "\ufeff"
	sshKey := "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl alice@example.com"

	refused := []struct{ name, secret string }{
		{"pretty JWK", string(pretty)},
		{"pretty JWKS", string(prettySet)},
		{"space after brace", "{ " + compact[1:]},
		{"tab and newline after brace", "{\t\n" + compact[1:]},
		{"kty not first", `{"n":"` + jwk["n"] + `","e":"AQAB","kty":"RSA"}`},
		{"JWK after BOM", bom + string(pretty)},
		{"PEM", pubPEM},
		{"PEM after BOM", bom + pubPEM},
		{"PEM after BOM and newline", bom + "\r\n" + pubPEM},
		{"PEM with CRLF", strings.ReplaceAll(pubPEM, "\n", "\r\n")},
		{"certificate after Bag Attributes", bagAttributes + certPEM},
		{"PEM after a comment line", "# tenant signing key\n" + pubPEM},
		{"SSH key", sshKey},
		{"SSH key after BOM", bom + sshKey},
	}
	for _, tc := range refused {
		t.Run("refused/"+tc.name, func(t *testing.T) {
			if _, err := verifier.Secret([]byte(tc.secret)); !errors.Is(err, verifier.ErrKeyPolicy) {
				t.Fatalf("Secret(%.40q...): got %v, want ErrKeyPolicy", tc.secret, err)
			}
			if _, err := verifier.SecretFor("HS512", []byte(tc.secret+strings.Repeat(" pad", 16))); !errors.Is(err, verifier.ErrKeyPolicy) {
				t.Fatalf("SecretFor(HS512, %.40q...): got %v, want ErrKeyPolicy", tc.secret, err)
			}
		})
	}

	sum := sha256.Sum256([]byte("x5")) // fixed, so that no run can draw "{\"" by chance
	random := sum[:]
	accepted := []struct{ name, secret string }{
		{"random bytes", string(random)},
		{"base64 text", base64.StdEncoding.EncodeToString(random)},
		{"hex text", "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"},
		{"braces without JSON", "{" + base64.RawURLEncoding.EncodeToString(random) + "}"},
		{"dashes", "-----" + base64.RawURLEncoding.EncodeToString(random)},
	}
	for _, tc := range accepted {
		t.Run("accepted/"+tc.name, func(t *testing.T) {
			if _, err := verifier.Secret([]byte(tc.secret)); err != nil {
				t.Fatalf("Secret(%q): got %v, want nil", tc.secret, err)
			}
		})
	}
}
