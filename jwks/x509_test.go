package jwks_test

import (
	"context"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/json"
	"math/big"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tokengate/tokengate/jwks"
	"github.com/tokengate/tokengate/verifier"
)

// Certificates of the test keys, made once per test binary.
var (
	certsOnce                                 sync.Once
	rsaCert, rsaCert2, ecCert, edCert, caCert []byte
	rsaCertByCA                               []byte
)

// certFor returns the DER of a certificate for pub, signed by signer
// (self-signed when signer is the key of pub), valid for ten years, with
// the subject Auth0 uses for a tenant's signing certificates.
func certFor(pub crypto.PublicKey, signer crypto.Signer, cn string, parent *x509.Certificate, ca bool) []byte {
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(time.Now().UnixNano()),
		Subject:               pkix.Name{CommonName: cn},
		NotBefore:             testNow.Add(-time.Hour),
		NotAfter:              testNow.Add(10 * 365 * 24 * time.Hour),
		BasicConstraintsValid: true,
		IsCA:                  ca,
	}
	if parent == nil {
		parent = tmpl
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, pub, signer)
	if err != nil {
		panic(err)
	}
	return der
}

func loadCerts() {
	loadKeys()
	certsOnce.Do(func() {
		const cn = "dev-tokengate.us.auth0.com"
		rsaCert = certFor(&rsaKey.PublicKey, rsaKey, cn, nil, false)
		rsaCert2 = certFor(&rsaKey2.PublicKey, rsaKey2, cn, nil, false)
		ecCert = certFor(&ecKey.PublicKey, ecKey, cn, nil, false)
		edCert = certFor(edKey.Public(), edKey, cn, nil, false)
		caCert = certFor(&ec384Key.PublicKey, ec384Key, "test CA", nil, true)
		ca, err := x509.ParseCertificate(caCert)
		if err != nil {
			panic(err)
		}
		rsaCertByCA = certFor(&rsaKey.PublicKey, ec384Key, cn, ca, false)
	})
}

func x5c(ders ...[]byte) []string {
	out := make([]string, len(ders))
	for i, d := range ders {
		out[i] = base64.StdEncoding.EncodeToString(d)
	}
	return out
}

func x5t(der []byte) string     { s := sha1.Sum(der); return b64(s[:]) }
func x5tS256(der []byte) string { s := sha256.Sum256(der); return b64(s[:]) }

// withCert adds x5c, x5t and x5t#S256 of der to a JWK.
func withCert(m map[string]any, der []byte) map[string]any {
	return with(m, "x5c", x5c(der), "x5t", x5t(der), "x5t#S256", x5tS256(der))
}

// auth0JWKS is a JWKS shaped like an Auth0 tenant's
// /.well-known/jwks.json: two RSA signing keys, each with kty, use, n, e,
// kid, x5t, x5c (a self-signed certificate of the key) and alg, in Auth0's
// member order, plus x5t#S256.
func auth0JWKS() string {
	loadCerts()
	key := func(kid string, pub *rsaPublicKey, der []byte) string {
		j := rsaJWK(kid, pub)
		return `{"kty":"RSA","use":"sig","n":"` + j["n"].(string) + `","e":"AQAB","kid":"` + kid +
			`","x5t":"` + x5t(der) + `","x5t#S256":"` + x5tS256(der) + `","x5c":["` + x5c(der)[0] + `"],"alg":"RS256"}`
	}
	return `{"keys":[` + key("7Bd9xGq0RrFPZ1kS3vQ2mA", &rsaKey.PublicKey, rsaCert) + "," +
		key("Qm3T2cJk9YpV4eLw8NnR1s", &rsaKey2.PublicKey, rsaCert2) + `]}`
}

// TestX8Auth0ShapedJWKS: a real-shaped Auth0 JWKS, certificates and
// thumbprints included, keeps both keys, statically and from a URL, and
// tokens of both verify.
func TestX8Auth0ShapedJWKS(t *testing.T) {
	body := auth0JWKS()
	set, err := jwks.Parse([]byte(body))
	if err != nil {
		t.Fatalf("Parse of an Auth0-shaped JWKS: %v", err)
	}
	if set.Len() != 2 {
		t.Fatalf("keys: got %d, want 2 (dropped %+v)", set.Len(), set.Dropped())
	}
	srv := newJWKSServer(t, body)
	c := newCache(t, srv.URL, newFakeClock(), nil)
	for name, ks := range map[string]verifier.KeySource{"Parse": set, "Cache": c} {
		v := newVerifier(t, ks)
		for kid, key := range map[string]*rsa.PrivateKey{"7Bd9xGq0RrFPZ1kS3vQ2mA": rsaKey, "Qm3T2cJk9YpV4eLw8NnR1s": rsaKey2} {
			if _, err := v.Verify(context.Background(), rsaToken(t, key, kid)); err != nil {
				t.Errorf("%s: token of %s: %v", name, kid, err)
			}
		}
	}
}

func x509Cases() []policyCase {
	loadCerts()
	rsa := rsaJWK("bad", &rsaKey.PublicKey)
	own := withCert(rsa, rsaCert)
	pem := "-----BEGIN CERTIFICATE-----\n" + x5c(rsaCert)[0] + "\n-----END CERTIFICATE-----"
	std := x5c(rsaCert)[0]
	url := base64.URLEncoding.EncodeToString(rsaCert)
	if url == std { // make sure the certificate's encoding differs between alphabets
		panic("certificate encodes alike in both alphabets")
	}
	withLF := std[:64] + "\n" + std[64:]
	unpadded := "AQ" // a certificate whose encoding needs padding, without it; else one byte
	for _, der := range [][]byte{rsaCert, rsaCert2, ecCert, edCert, caCert, rsaCertByCA} {
		if len(der)%3 != 0 {
			unpadded = base64.RawStdEncoding.EncodeToString(der)
			break
		}
	}
	keep := func(id, name string, k map[string]any) policyCase {
		return policyCase{id: id, name: name, doc: doc(good(), k), keep: []string{"good", "bad"}}
	}
	return []policyCase{
		keep("X8", "RSA_own_certificate", own),
		keep("X8", "RSA_x5c_only", with(rsa, "x5c", x5c(rsaCert))),
		keep("X8", "RSA_chain_leaf_then_CA", with(rsa, "x5c", x5c(rsaCertByCA, caCert), "x5t", x5t(rsaCertByCA))),
		keep("X8", "EC_own_certificate", withCert(ecJWK("bad", &ecKey.PublicKey), ecCert)),
		keep("X8", "Ed25519_own_certificate", withCert(okpJWK("bad", edKey.Public().(ed25519PublicKey)), edCert)),
		keep("X8", "x5t_without_x5c_well_formed", with(rsa, "x5t", x5t(rsaCert), "x5t#S256", x5tS256(rsaCert))),
		drop("X8", "certificate_of_another_key", with(rsa, "x5c", x5c(rsaCert2)), "x5c"),
		drop("X8", "certificate_of_another_key_with_its_thumbprints", withCert(rsa, rsaCert2), "x5c"),
		drop("X8", "certificate_of_another_key_type", with(rsa, "x5c", x5c(ecCert)), "x5c"),
		drop("X8", "chain_with_another_leaf", with(rsa, "x5c", x5c(rsaCert2, rsaCert)), "x5c"),
		drop("X8", "x5t_of_another_certificate", with(own, "x5t", x5t(rsaCert2)), "x5t"),
		drop("X8", "x5t#S256_of_another_certificate", with(own, "x5t#S256", x5tS256(rsaCert2)), "x5t#S256"),
		drop("X8", "x5t_holds_a_SHA-256", with(own, "x5t", x5tS256(rsaCert)), "x5t"),
		drop("X8", "x5t#S256_holds_a_SHA-1", with(own, "x5t#S256", x5t(rsaCert)), "x5t#S256"),
		drop("X8", "x5t_padded", with(own, "x5t", x5t(rsaCert)+"="), "x5t"),
		drop("X8", "x5t_standard_alphabet", with(own, "x5t", strings.NewReplacer("-", "+", "_", "/").Replace(x5t(rsaCert))+"+"), "x5t"),
		drop("X8", "x5t_not_a_string", with(own, "x5t", 1), "x5t"),
		drop("X8", "x5t_without_x5c_wrong_length", with(rsa, "x5t", b64([]byte("short"))), "x5t"),
		drop("X8", "x5c_base64url", with(rsa, "x5c", []string{url}), "x5c"),
		drop("X8", "x5c_unpadded", with(rsa, "x5c", []string{unpadded}), "x5c"),
		drop("X8", "x5c_line_feed", with(rsa, "x5c", []string{withLF}), "x5c"),
		drop("X8", "x5c_PEM", with(rsa, "x5c", []string{pem}), "x5c"),
		drop("X8", "x5c_garbage", with(rsa, "x5c", []string{"not base64!"}), "x5c"),
		drop("X8", "x5c_not_DER", with(rsa, "x5c", []string{base64.StdEncoding.EncodeToString([]byte("not a certificate"))}), "x5c"),
		drop("X8", "x5c_second_not_DER", with(rsa, "x5c", []string{std, "AAAA"}), "x5c"),
		drop("X8", "x5c_trailing_data", with(rsa, "x5c", []string{base64.StdEncoding.EncodeToString(append(append([]byte{}, rsaCert...), 0))}), "x5c"),
		drop("X8", "x5c_empty_array", with(rsa, "x5c", []string{}), "x5c"),
		drop("X8", "x5c_string_not_array", with(rsa, "x5c", std), "x5c"),
		drop("X8", "x5c_number_in_array", with(rsa, "x5c", []any{1}), "x5c"),
		drop("X8", "x5c_null", with(rsa, "x5c", json.RawMessage("null")), "x5c"),
		drop("X8", "x5c_too_long", with(rsa, "x5c", x5c(rsaCert, rsaCert, rsaCert, rsaCert, rsaCert, rsaCert, rsaCert, rsaCert, rsaCert, rsaCert, rsaCert)), "x5c"),
	}
}

// TestX8CertificatesMatchKey: x5c, x5t and x5t#S256 are checked against
// the key (RFC 7517 sections 4.7 to 4.9): a key is dropped when the first
// certificate holds another public key, when a thumbprint is not the
// SHA-1 / SHA-256 of that certificate's DER, or when x5c (standard base64
// of DER, not base64url) or x5t is malformed.
func TestX8CertificatesMatchKey(t *testing.T) { runPolicy(t, x509Cases()) }
