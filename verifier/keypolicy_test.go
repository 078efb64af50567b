//lint:file-ignore SA1019 the key-policy rows build deliberately invalid EC points from raw coordinates, which only the deprecated X and Y fields can express

package verifier_test

import (
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"encoding/hex"
	"errors"
	"fmt"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/tokengate/tokengate/verifier"
)

// The key policy at import (verifier.NewKey, NewKeySet, Secret). The JWK
// encodings of the same rows (31/33-byte coordinates, compressed points,
// leading zeros in n or e, use/key_ops, private members, duplicate JSON
// members) are parsed by package jwks and tested there; it hands its keys to
// NewKey, so the rows below hold for them too.

// keyRow is one NewKey call; want is nil or the text the refusal names.
type keyRow struct {
	id   string
	kid  string
	alg  string
	key  func() any
	ok   bool
	want string // a text of the error, when refused
}

func TestKeyPolicy(t *testing.T) { runKeyRows(t, keyPolicyRows()) }

func runKeyRows(t *testing.T, rows []keyRow) {
	t.Helper()
	loadKeys()
	for _, r := range rows {
		t.Run(r.id, func(t *testing.T) {
			var (
				k   *verifier.Key
				err error
			)
			func() {
				defer func() {
					if p := recover(); p != nil {
						t.Fatalf("NewKey panicked: %v", p)
					}
				}()
				k, err = verifier.NewKey(r.kid, r.alg, r.key())
			}()
			if r.ok {
				if err != nil || k == nil {
					t.Fatalf("got error %v, want the key accepted", err)
				}
				if k.Algorithm() != r.alg || k.ID() != r.kid {
					t.Errorf("got key %q/%q, want %q/%q", k.ID(), k.Algorithm(), r.kid, r.alg)
				}
				return
			}
			if k != nil {
				t.Errorf("got a key with the error, want nil")
			}
			if !errors.Is(err, verifier.ErrKeyPolicy) {
				t.Fatalf("got error %v, want ErrKeyPolicy", err)
			}
			if r.want != "" && !strings.Contains(err.Error(), r.want) {
				t.Errorf("got error %q, want it to name %q", err, r.want)
			}
		})
	}
}

// oddBits returns an odd number of exactly bits bits (not a real modulus:
// NewKey judges the size and parity, and the ROCA fingerprint).
func oddBits(bits int) *big.Int {
	n, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), uint(bits-1)))
	if err != nil {
		panic(err)
	}
	n.SetBit(n, bits-1, 1)
	return n.SetBit(n, 0, 1)
}

// rocaModulus returns a 2048-bit odd n with the ROCA fingerprint: n mod p
// lies in the subgroup 65537 generates, for every prime p of the test (as
// for moduli made by the affected Infineon library, CVE-2017-15361).
func rocaModulus() *big.Int {
	primes := []int64{3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47, 53, 59, 61, 67, 71, 73,
		79, 83, 89, 97, 101, 103, 107, 109, 113, 127, 131, 137, 139, 149, 151, 157, 163, 167}
	m := big.NewInt(1)
	for _, p := range primes {
		m.Mul(m, big.NewInt(p))
	}
	r := new(big.Int).Exp(big.NewInt(65537), big.NewInt(12345), m)
	for {
		t, _ := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 2048-uint(m.BitLen())))
		n := new(big.Int).Mul(t, m)
		n.Add(n, r)
		if n.Bit(0) == 0 {
			n.Add(n, m) // m is odd: flips the parity, keeps the residues
		}
		if n.BitLen() == 2048 {
			return n
		}
	}
}

func rsaWith(n *big.Int, e int) func() any {
	return func() any { return &rsa.PublicKey{N: n, E: e} }
}

func ecWith(c elliptic.Curve, x, y *big.Int) func() any {
	return func() any { return &ecdsa.PublicKey{Curve: c, X: x, Y: y} }
}

func edHex(h string) func() any {
	return func() any {
		b, err := hex.DecodeString(h)
		if err != nil {
			panic(err)
		}
		return ed25519.PublicKey(b)
	}
}

func secp256k1() elliptic.Curve {
	hexInt := func(s string) *big.Int { v, _ := new(big.Int).SetString(s, 16); return v }
	return &elliptic.CurveParams{
		P:       hexInt("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEFFFFFC2F"),
		N:       hexInt("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141"),
		B:       big.NewInt(7),
		Gx:      hexInt("79BE667EF9DCBBAC55A06295CE870B07029BFCDB2DCE28D959F2815B16F81798"),
		Gy:      hexInt("483ADA7726A3C4655DA4FBFC0E1108A8FD17B448A68554199C47D08FFB10D4B8"),
		BitSize: 256,
		Name:    "secp256k1",
	}
}

// keyRowsByID returns the rows whose id is one of ids or starts with id+"/".
func keyRowsByID(all []keyRow, ids ...string) []keyRow {
	var out []keyRow
	for _, r := range all {
		for _, id := range ids {
			if r.id == id || strings.HasPrefix(r.id, id+"/") {
				out = append(out, r)
				break
			}
		}
	}
	return out
}

func keyPolicyRows() []keyRow {
	n := func() *big.Int { return rsaKey.N }
	ecX := func() *big.Int { return ecKey.PublicKey.X }
	ecY := func() *big.Int { return ecKey.PublicKey.Y }
	plus := func(a *big.Int, b int64) *big.Int { return new(big.Int).Add(a, big.NewInt(b)) }
	lazyRSA := func(nf func() *big.Int, e int) func() any { return func() any { return rsaWith(nf(), e)() } }
	lazyEC := func(c elliptic.Curve, x, y func() *big.Int) func() any {
		return func() any { return ecWith(c, x(), y())() }
	}
	bytesKey := func(b []byte) func() any { return func() any { return b } }
	k1 := secp256k1()
	rows := []keyRow{
		// A1: each key is bound to exactly one, supported algorithm.
		{id: "A1/RS256", kid: "k1", alg: "RS256", key: rsaPub, ok: true},
		{id: "A1/ES256", kid: "e1", alg: "ES256", key: ecPub, ok: true},
		{id: "A1/EdDSA", kid: "o1", alg: "EdDSA", key: edPub, ok: true},
		{id: "A1/HS256", kid: "h1", alg: "HS256", key: hmacPriv, ok: true},
		{id: "A1/empty-alg", alg: "", key: rsaPub, want: "unsupported algorithm"},
		{id: "A1/none", alg: "none", key: hmacPriv, want: "unsupported algorithm"},
		{id: "A1/kid-too-long", kid: strings.Repeat("k", 257), alg: "RS256", key: rsaPub, want: "kid"},
		{id: "A1/unsupported-type", alg: "RS256", key: func() any { return "secret" }, want: "unsupported key type"},
		{id: "A1/nil-key", alg: "RS256", key: func() any { return nil }, want: "unsupported key type"},
		{id: "M4/ES521", alg: "ES521", key: func() any { return &ec521Key.PublicKey }, want: "unsupported algorithm"},
		{id: "M4/ES224", alg: "ES224", key: ecPub, want: "unsupported algorithm"},
		{id: "M4/RS1", alg: "RS1", key: rsaPub, want: "unsupported algorithm"},
		{id: "M4/HS256-on-RSA", alg: "HS256", key: rsaPub, want: "RSA key cannot be used with HS256"},
		{id: "M4/ES256-on-RSA", alg: "ES256", key: rsaPub, want: "RSA key cannot be used"},
		{id: "M4/RS256-on-EC", alg: "RS256", key: ecPub, want: "EC key cannot be used"},
		{id: "M4/EdDSA-on-EC", alg: "EdDSA", key: ecPub, want: "EC key cannot be used"},
		{id: "M4/RS256-on-secret", alg: "RS256", key: hmacPriv, want: "secret cannot be used"},
		{id: "M2/ES256-on-P384", alg: "ES256", key: func() any { return &ec384Key.PublicKey }, want: "curve"},
		{id: "M2/ES384-on-P256", alg: "ES384", key: ecPub, want: "curve"},
		{id: "M2/ES512-on-P384", alg: "ES512", key: func() any { return &ec384Key.PublicKey }, want: "curve"},
		{id: "M8/rsa-private", alg: "RS256", key: func() any { return rsaKey }, want: "private key"},
		{id: "M8/ecdsa-private", alg: "ES256", key: func() any { return ecKey }, want: "private key"},
		{id: "M8/ed25519-private", alg: "EdDSA", key: func() any { return edKey }, want: "private key"},
		// KC4: an Ed25519 public key is a []byte underneath; it never
		// becomes an HMAC secret.
		{id: "KC4/ed25519-as-HS256", alg: "HS256", key: edPub, want: "Ed25519 key cannot be used with HS256"},
		// E5: points that are not on the curve; E6: other curves.
		{id: "E5/off-curve", alg: "ES256", key: lazyEC(elliptic.P256(), ecX, func() *big.Int { return plus(ecY(), 1) }), want: "EC point invalid"},
		{id: "E5/infinity", alg: "ES256", key: ecWith(elliptic.P256(), big.NewInt(0), big.NewInt(0)), want: "EC point invalid"},
		{id: "E5/x-zero", alg: "ES256", key: lazyEC(elliptic.P256(), func() *big.Int { return big.NewInt(0) }, ecY), want: "EC point invalid"},
		{id: "E5/x-plus-p", alg: "ES256", key: lazyEC(elliptic.P256(), func() *big.Int { return new(big.Int).Add(ecX(), p256P) }, ecY), want: "EC point invalid"},
		{id: "E5/y-plus-p", alg: "ES256", key: lazyEC(elliptic.P256(), ecX, func() *big.Int { return new(big.Int).Add(ecY(), p256P) }), want: "EC point invalid"},
		{id: "E5/negative-y", alg: "ES256", key: lazyEC(elliptic.P256(), ecX, func() *big.Int { return new(big.Int).Neg(ecY()) }), want: "EC point invalid"},
		{id: "E5/nil-coordinates", alg: "ES256", key: ecWith(elliptic.P256(), nil, nil), want: "EC"},
		{id: "E5/nil-curve", alg: "ES256", key: ecWith(nil, big.NewInt(1), big.NewInt(1)), want: "curve"},
		{id: "E5/nil-pointer", alg: "ES256", key: func() any { return (*ecdsa.PublicKey)(nil) }, want: "EC"},
		{id: "E5/P384-off-curve", alg: "ES384", key: func() any {
			return ecWith(elliptic.P384(), ec384Key.PublicKey.X, plus(ec384Key.PublicKey.Y, 1))()
		}, want: "EC point invalid"},
		{id: "E5/P521-off-curve", alg: "ES512", key: func() any {
			return ecWith(elliptic.P521(), ec521Key.PublicKey.X, plus(ec521Key.PublicKey.Y, 1))()
		}, want: "EC point invalid"},
		{id: "E5/P521-ok", alg: "ES512", key: func() any { return &ec521Key.PublicKey }, ok: true},
		{id: "E6/secp256k1", alg: "ES256", key: ecWith(k1, k1.Params().Gx, k1.Params().Gy), want: "curve"},
		// E7: Ed25519 keys of small order, non-canonical or of the wrong size.
		{id: "E7/identity", alg: "EdDSA", key: edHex("0100000000000000000000000000000000000000000000000000000000000000"), want: "small order"},
		{id: "E7/order-2", alg: "EdDSA", key: edHex("ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f"), want: "small order"},
		{id: "E7/order-4", alg: "EdDSA", key: edHex("0000000000000000000000000000000000000000000000000000000000000000"), want: "small order"},
		{id: "E7/order-4-sign", alg: "EdDSA", key: edHex("0000000000000000000000000000000000000000000000000000000000000080"), want: "small order"},
		{id: "E7/order-8", alg: "EdDSA", key: edHex("26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05"), want: "small order"},
		{id: "E7/order-8-b", alg: "EdDSA", key: edHex("c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a"), want: "small order"},
		{id: "E7/order-8-sign", alg: "Ed25519", key: edHex("26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc85"), want: "small order"},
		{id: "E7/y-equals-p", alg: "EdDSA", key: edHex("edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f"), want: "small order"},
		{id: "E7/31-bytes", alg: "EdDSA", key: edHex(strings.Repeat("11", 31)), want: "31 bytes"},
		{id: "E7/33-bytes", alg: "EdDSA", key: edHex(strings.Repeat("11", 33)), want: "33 bytes"},
		{id: "E7/nil", alg: "EdDSA", key: func() any { return ed25519.PublicKey(nil) }, want: "0 bytes"},
		// R1, R2: the public exponent: odd, in (2^16, 2^31-1].
		{id: "R1/e-1", alg: "RS256", key: lazyRSA(n, 1), want: "exponent"},
		{id: "R1/e-2", alg: "RS256", key: lazyRSA(n, 2), want: "exponent"},
		{id: "R1/e-3", alg: "RS256", key: lazyRSA(n, 3), want: "exponent"},
		{id: "R1/e-5", alg: "RS256", key: lazyRSA(n, 5), want: "exponent"},
		{id: "R1/e-65535", alg: "RS256", key: lazyRSA(n, 65535), want: "exponent"},
		{id: "R1/e-65536", alg: "RS256", key: lazyRSA(n, 65536), want: "exponent"},
		{id: "R1/e-65538-even", alg: "RS256", key: lazyRSA(n, 65538), want: "exponent"},
		{id: "R1/e-0", alg: "RS256", key: lazyRSA(n, 0), want: "exponent"},
		{id: "R1/e-negative", alg: "RS256", key: lazyRSA(n, -65537), want: "exponent"},
		{id: "R1/e-65537", alg: "RS256", key: lazyRSA(n, 65537), ok: true},
		{id: "R2/e-2^31+1", alg: "RS256", key: lazyRSA(n, 1<<31+1), want: "exponent"},
		{id: "R2/e-2^32+1", alg: "RS256", key: lazyRSA(n, 1<<32+1), want: "exponent"},
		{id: "R2/e-2^31-1", alg: "RS256", key: lazyRSA(n, 1<<31-1), ok: true},
		// R3, R5: the modulus: 2048 to 8192 bits, odd.
		{id: "R3/512-bits", alg: "RS256", key: rsaWith(oddBits(512), 65537), want: "512 bits"},
		{id: "R3/1024-bits", alg: "RS256", key: rsaWith(oddBits(1024), 65537), want: "1024 bits"},
		{id: "R3/2047-bits", alg: "PS256", key: rsaWith(oddBits(2047), 65537), want: "2047 bits"},
		{id: "R3/even", alg: "RS256", key: lazyRSA(func() *big.Int { return plus(rsaKey.N, 1) }, 65537), want: "even"},
		{id: "R3/nil-modulus", alg: "RS256", key: rsaWith(nil, 65537), want: "modulus"},
		{id: "R3/zero-modulus", alg: "RS256", key: rsaWith(big.NewInt(0), 65537), want: "modulus"},
		{id: "R3/negative-modulus", alg: "RS256", key: lazyRSA(func() *big.Int { return new(big.Int).Neg(rsaKey.N) }, 65537), want: "modulus"},
		{id: "R3/nil-pointer", alg: "RS256", key: func() any { return (*rsa.PublicKey)(nil) }, want: "RSA"},
		{id: "R4/ROCA", alg: "RS256", key: func() any { return rsaWith(rocaModulus(), 65537)() }, want: "ROCA"},
		{id: "R5/16384-bits", alg: "RS256", key: rsaWith(oddBits(16384), 65537), want: "16384 bits"},
		{id: "R5/8193-bits", alg: "RS512", key: rsaWith(oddBits(8193), 65537), want: "8193 bits"},
		{id: "R5/8192-bits", alg: "RS512", key: rsaWith(oddBits(8192), 65537), ok: true},
		// HM3: secrets at least as long as the hash, not one repeated byte.
		{id: "HM3/HS256-31", alg: "HS256", key: bytesKey([]byte(strings.Repeat("ab", 15) + "c")), want: "31 bytes"},
		{id: "HM3/HS256-32", alg: "HS256", key: bytesKey([]byte(strings.Repeat("ab", 16))), ok: true},
		{id: "HM3/HS384-47", alg: "HS384", key: bytesKey(hmacKey[:47]), want: "47 bytes"},
		{id: "HM3/HS384-48", alg: "HS384", key: bytesKey(hmacKey[:48]), ok: true},
		{id: "HM3/HS512-63", alg: "HS512", key: bytesKey(hmacKey[:63]), want: "63 bytes"},
		{id: "HM3/HS512-64", alg: "HS512", key: bytesKey(hmacKey[:64]), ok: true},
		{id: "HM3/empty", alg: "HS256", key: bytesKey([]byte{}), want: "0 bytes"},
		{id: "HM3/nil", alg: "HS256", key: bytesKey(nil), want: "0 bytes"},
		{id: "HM3/all-zero", alg: "HS256", key: bytesKey(make([]byte, 32)), want: "repeated byte"},
		{id: "HM3/all-a", alg: "HS512", key: bytesKey([]byte(strings.Repeat("a", 64))), want: "repeated byte"},
		// A3: a password is no HMAC key.
		{id: "A3/password", alg: "HS256", key: bytesKey([]byte("correct horse battery staple")), want: "28 bytes"},
		// HM4: public key text is refused as a secret.
		{id: "HM4/pem-spki", alg: "HS256", key: func() any { return pemSPKI(&rsaKey.PublicKey) }, want: "public key text"},
		{id: "HM4/pem-leading-newline", alg: "HS256", key: func() any { return append([]byte("\n  "), pemSPKI(&rsaKey.PublicKey)...) }, want: "public key text"},
		{id: "HM4/pem-ec", alg: "HS256", key: func() any { return pemSPKI(&ecKey.PublicKey) }, want: "public key text"},
		{id: "HM4/ssh-rsa", alg: "HS256", key: bytesKey([]byte("ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQDx user@host")), want: "public key text"},
		{id: "HM4/ssh-ed25519", alg: "HS256", key: bytesKey([]byte("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl user@host")), want: "public key text"},
		{id: "HM4/ecdsa-sha2", alg: "HS256", key: bytesKey([]byte("ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTY=")), want: "public key text"},
		{id: "HM4/jwk", alg: "HS256", key: func() any { return []byte(rsaJWK(&rsaKey.PublicKey, "k1")) }, want: "public key text"},
	}
	return rows
}

// J1, J5, J6: what a key set refuses.
func TestKeySetPolicy(t *testing.T) {
	loadKeys()
	rsa1 := key("k1", "RS256", rsaPub())
	ps1 := key("k1", "PS256", &rsaKey2.PublicKey)
	rsa1b := key("k1", "RS256", &rsaKey2.PublicKey)
	ec1 := key("k1", "ES256", ecPub())
	ed1 := key("k1", "EdDSA", edPub())
	hm := key("h1", "HS256", hmacKey)
	hm2 := key("h2", "HS384", hmacKey)
	many := func(n int) []*verifier.Key {
		out := make([]*verifier.Key, n)
		for i := range out {
			out[i] = key(fmt.Sprintf("k%d", i), "RS256", rsaPub())
		}
		return out
	}
	tests := []struct {
		id   string
		keys []*verifier.Key
		ok   bool
	}{
		{"J1/same-kid-same-alg", []*verifier.Key{rsa1, rsa1b}, false},
		{"J1/same-kid-same-family", []*verifier.Key{rsa1, ps1}, false},
		{"J1/same-key-twice", []*verifier.Key{rsa1, rsa1}, false},
		{"J2/same-kid-three-families", []*verifier.Key{rsa1, ec1, ed1}, true},
		{"J5/hmac-and-rsa", []*verifier.Key{rsa1, hm}, false},
		{"J5/hmac-and-ec", []*verifier.Key{hm, ec1}, false},
		{"J5/hmac-only", []*verifier.Key{hm, hm2}, true},
		{"J6/100-keys", many(100), true},
		{"J6/101-keys", many(101), false},
		{"J6/nil-key", []*verifier.Key{rsa1, nil}, false},
		{"J6/empty", nil, true},
	}
	for _, tc := range tests {
		t.Run(tc.id, func(t *testing.T) {
			s, err := verifier.NewKeySet(tc.keys...)
			if tc.ok {
				if err != nil || s == nil {
					t.Fatalf("got error %v, want the set", err)
				}
				if s.Len() != len(tc.keys) {
					t.Errorf("got %d keys, want %d", s.Len(), len(tc.keys))
				}
				return
			}
			if err == nil || s != nil {
				t.Fatalf("got set %v, error %v; want a refusal", s != nil, err)
			}
		})
	}
}

// HM3 and HM4 through Secret and SecretFor.
func TestSecretPolicy(t *testing.T) {
	loadKeys()
	tests := []struct {
		id     string
		alg    string
		secret []byte
		ok     bool
	}{
		{"HM3/Secret-31", "", []byte(strings.Repeat("ab", 15) + "c"), false},
		{"HM3/Secret-empty", "", nil, false},
		{"HM3/Secret-zero", "", make([]byte, 32), false},
		{"HM3/Secret-32", "", []byte(strings.Repeat("ab", 16)), true},
		{"HM3/SecretFor-HS384-47", "HS384", hmacKey[:47], false},
		{"HM3/SecretFor-HS384-48", "HS384", hmacKey[:48], true},
		{"HM3/SecretFor-HS512-63", "HS512", hmacKey[:63], false},
		{"HM3/SecretFor-HS512-64", "HS512", hmacKey[:64], true},
		{"HM4/Secret-pem", "", pemSPKI(&rsaKey.PublicKey), false},
		{"HM4/Secret-jwk", "", []byte(rsaJWK(&rsaKey.PublicKey, "k1")), false},
		{"A1/SecretFor-RS256", "RS256", hmacKey, false},
		{"A1/SecretFor-none", "none", hmacKey, false},
		{"A1/SecretFor-hs256", "hs256", hmacKey, false},
	}
	for _, tc := range tests {
		t.Run(tc.id, func(t *testing.T) {
			var (
				s   verifier.KeySource
				err error
			)
			if tc.alg == "" {
				s, err = verifier.Secret(tc.secret)
			} else {
				s, err = verifier.SecretFor(tc.alg, tc.secret)
			}
			if tc.ok {
				if err != nil || s == nil {
					t.Fatalf("got error %v, want a key source", err)
				}
				return
			}
			if s != nil || !errors.Is(err, verifier.ErrKeyPolicy) {
				t.Fatalf("got source %v, error %v; want ErrKeyPolicy", s != nil, err)
			}
		})
	}
}

// Configuration errors: N5 (no unsecured mode), T7 (leeway), C4 (empty
// issuer) and the other required fields.
func TestConfigErrors(t *testing.T) {
	loadKeys()
	keys := set(key("k1", "RS256", rsaPub()))
	base := func() verifier.Config {
		return verifier.Config{Issuer: testIss, Audience: []string{testAud}, Keys: keys}
	}
	tests := []struct {
		id  string
		mod func(*verifier.Config)
		ok  bool
	}{
		{"N5/none", func(c *verifier.Config) { c.Algorithms = []string{"RS256", "none"} }, false},
		{"N5/None", func(c *verifier.Config) { c.Algorithms = []string{"None"} }, false},
		{"N5/NONE-spaces", func(c *verifier.Config) { c.Algorithms = []string{" NONE "} }, false},
		{"N5/empty-name", func(c *verifier.Config) { c.Algorithms = []string{""} }, false},
		{"N5/unknown", func(c *verifier.Config) { c.Algorithms = []string{"RS1"} }, false},
		{"N5/lower-case", func(c *verifier.Config) { c.Algorithms = []string{"rs256"} }, false},
		{"N5/Ed448", func(c *verifier.Config) { c.Algorithms = []string{"Ed448"} }, false},
		{"T7/leeway-6m", func(c *verifier.Config) { c.Leeway = 6 * time.Minute }, false},
		{"T7/leeway-5m1ns", func(c *verifier.Config) { c.Leeway = 5*time.Minute + 1 }, false},
		{"T7/leeway-negative", func(c *verifier.Config) { c.Leeway = -time.Second }, false},
		{"T7/leeway-5m", func(c *verifier.Config) { c.Leeway = 5 * time.Minute }, true},
		{"C4/empty-issuer", func(c *verifier.Config) { c.Issuer = "" }, false},
		{"C4/empty-extra-issuer", func(c *verifier.Config) { c.Issuers = []verifier.Issuer{{Issuer: "", Keys: keys}} }, false},
		{"C4/extra-issuer-no-keys", func(c *verifier.Config) { c.Issuers = []verifier.Issuer{{Issuer: "https://b/"}} }, false},
		{"C4/issuer-twice", func(c *verifier.Config) { c.Issuers = []verifier.Issuer{{Issuer: testIss, Keys: keys}} }, false},
		{"C5/no-audience", func(c *verifier.Config) { c.Audience = nil }, false},
		{"C5/empty-audience", func(c *verifier.Config) { c.Audience = []string{"api", ""} }, false},
		{"C5/65-audiences", func(c *verifier.Config) { c.Audience = strings.Split(strings.Repeat("a,", 64)+"a", ",") }, false},
		{"A11/no-keys", func(c *verifier.Config) { c.Keys = nil }, false},
		{"S10/empty-type", func(c *verifier.Config) { c.Types = []string{""} }, false},
		{"S10/unknown-kind", func(c *verifier.Config) { c.Kind = 7 }, false},
		{"Z2/negative-max-size", func(c *verifier.Config) { c.MaxTokenSize = -1 }, false},
		{"ok/all-algorithms", func(c *verifier.Config) {
			c.Algorithms = []string{"RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA", "Ed25519", "HS256", "HS384", "HS512"}
		}, true},
	}
	for _, tc := range tests {
		t.Run(tc.id, func(t *testing.T) {
			cfg := base()
			tc.mod(&cfg)
			v, err := verifier.New(cfg)
			if tc.ok {
				if err != nil || v == nil {
					t.Fatalf("got error %v, want a verifier", err)
				}
				return
			}
			if v != nil || !errors.Is(err, verifier.ErrConfig) {
				t.Fatalf("got verifier %v, error %v; want ErrConfig", v != nil, err)
			}
		})
	}
}
