package verifier_test

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/hmac"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/sha512"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"hash"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/tokengate/tokengate/verifier"
)

// Test fixtures: real keys, read once per test binary from testdata/keys
// (fixed keys, so that fuzz workers and the seed corpus agree on them).
var (
	keysOnce sync.Once
	rsaKey   *rsa.PrivateKey
	rsaKey2  *rsa.PrivateKey
	ecKey    *ecdsa.PrivateKey
	ec384Key *ecdsa.PrivateKey
	ec521Key *ecdsa.PrivateKey
	edKey    ed25519.PrivateKey
	hmacKey  = []byte("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")
	testNow  = time.Unix(1_800_000_000, 0)
	testIss  = "https://idp.example.com/"
	testAud  = "api"
)

func loadKeys() {
	keysOnce.Do(func() {
		rsaKey = readKey("rsa1.pem").(*rsa.PrivateKey)
		rsaKey2 = readKey("rsa2.pem").(*rsa.PrivateKey)
		ecKey = readKey("p256.pem").(*ecdsa.PrivateKey)
		ec384Key = readKey("p384.pem").(*ecdsa.PrivateKey)
		ec521Key = readKey("p521.pem").(*ecdsa.PrivateKey)
		edKey = readKey("ed25519.pem").(ed25519.PrivateKey)
	})
}

// readKey reads a PKCS#8 PEM private key from testdata/keys.
func readKey(name string) any {
	b, err := os.ReadFile(filepath.Join("testdata", "keys", name))
	if err != nil {
		panic(err)
	}
	blk, _ := pem.Decode(b)
	if blk == nil {
		panic("no PEM block in " + name)
	}
	k, err := x509.ParsePKCS8PrivateKey(blk.Bytes)
	if err != nil {
		panic(err)
	}
	return k
}

func b64(b []byte) string { return base64.RawURLEncoding.EncodeToString(b) }

func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}

// sign signs header.payload (raw JSON texts) with alg and key, returning the
// compact token. key is a private key or an HMAC secret.
func sign(t testing.TB, alg string, key any, header, payload string) string {
	t.Helper()
	input := b64([]byte(header)) + "." + b64([]byte(payload))
	return input + "." + b64(signature(t, alg, key, []byte(input)))
}

func hashFor(alg string) (crypto.Hash, func() hash.Hash) {
	switch alg[2:] {
	case "384":
		return crypto.SHA384, sha512.New384
	case "512":
		return crypto.SHA512, sha512.New
	}
	return crypto.SHA256, sha256.New
}

func signature(t testing.TB, alg string, key any, input []byte) []byte {
	t.Helper()
	if alg == "EdDSA" || alg == "Ed25519" {
		return ed25519.Sign(key.(ed25519.PrivateKey), input)
	}
	h, newHash := hashFor(alg)
	d := newHash()
	d.Write(input)
	digest := d.Sum(nil)
	switch alg[:2] {
	case "RS":
		s, err := rsa.SignPKCS1v15(rand.Reader, key.(*rsa.PrivateKey), h, digest)
		if err != nil {
			t.Fatal(err)
		}
		return s
	case "PS":
		s, err := rsa.SignPSS(rand.Reader, key.(*rsa.PrivateKey), h, digest, &rsa.PSSOptions{SaltLength: h.Size()})
		if err != nil {
			t.Fatal(err)
		}
		return s
	case "ES":
		k := key.(*ecdsa.PrivateKey)
		r, s, err := ecdsa.Sign(rand.Reader, k, digest)
		if err != nil {
			t.Fatal(err)
		}
		size := (k.Curve.Params().BitSize + 7) / 8
		out := make([]byte, 2*size)
		r.FillBytes(out[:size])
		s.FillBytes(out[size:])
		return out
	case "HS":
		m := hmac.New(newHash, key.([]byte))
		m.Write(input)
		return m.Sum(nil)
	}
	t.Fatalf("unknown alg %s", alg)
	return nil
}

// claims returns a valid access-token payload at testNow, with overrides.
func claims(over map[string]any) string {
	c := map[string]any{
		"iss":   testIss,
		"sub":   "auth0|alice",
		"aud":   []string{testAud, "https://idp.example.com/userinfo"},
		"iat":   testNow.Add(-time.Minute).Unix(),
		"exp":   testNow.Add(time.Hour).Unix(),
		"azp":   "client-1",
		"scope": "openid read:items write:items",
	}
	for k, v := range over {
		if v == nil {
			delete(c, k)
			continue
		}
		c[k] = v
	}
	return string(mustJSON(c))
}

func hdr(alg, kid string) string {
	return string(mustJSON(map[string]string{"alg": alg, "typ": "JWT", "kid": kid}))
}

func mustKey(t testing.TB, kid, alg string, k any) *verifier.Key {
	t.Helper()
	key, err := verifier.NewKey(kid, alg, k)
	if err != nil {
		t.Fatalf("NewKey(%s, %s): %v", kid, alg, err)
	}
	return key
}

func mustSet(t testing.TB, keys ...*verifier.Key) *verifier.KeySet {
	t.Helper()
	s, err := verifier.NewKeySet(keys...)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// newVerifier returns a verifier for the test issuer and audience with the
// standard key set (k1 RSA/RS256, e1 P-256/ES256) unless cfg sets Keys.
func newVerifier(t testing.TB, cfg verifier.Config) *verifier.Verifier {
	t.Helper()
	loadKeys()
	if cfg.Issuer == "" {
		cfg.Issuer = testIss
	}
	if cfg.Audience == nil {
		cfg.Audience = []string{testAud}
	}
	if cfg.Keys == nil {
		cfg.Keys = mustSet(t, mustKey(t, "k1", "RS256", &rsaKey.PublicKey), mustKey(t, "e1", "ES256", &ecKey.PublicKey))
	}
	if cfg.Now == nil {
		cfg.Now = func() time.Time { return testNow }
	}
	v, err := verifier.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func verifierConfigAll() verifier.Config {
	return verifier.Config{Algorithms: []string{"RS256", "ES256"}}
}
