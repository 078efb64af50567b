package jwks_test

import (
	"context"
	"crypto/elliptic"
	"crypto/rand"
	"errors"
	"math/big"
	"strings"
	"testing"

	"github.com/tokengate/tokengate/jwks"
	"github.com/tokengate/tokengate/verifier"
)

// policyCase is one row of a key policy table. A row either refuses the
// whole set (refuse) or keeps exactly the kids in keep, dropping the others
// with a reason that contains reason.
type policyCase struct {
	id, name string
	doc      string
	refuse   bool
	keep     []string
	reason   string // substring of every dropped key's reason
	private  bool   // the dropped keys are reported as carrying private members
}

func runPolicy(t *testing.T, cases []policyCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.id+"/"+tc.name, func(t *testing.T) {
			set, err := jwks.Parse([]byte(tc.doc))
			if tc.refuse {
				if err == nil {
					t.Fatalf("Parse: got a set of %d keys, want the set refused", set.Len())
				}
				if !errors.Is(err, jwks.ErrInvalidSet) {
					t.Fatalf("Parse: got %v, want an error wrapping ErrInvalidSet", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("Parse: got %v, want kids %q kept", err, tc.keep)
			}
			var got []string
			for _, k := range set.Keys() {
				got = append(got, k.ID())
			}
			if strings.Join(got, ",") != strings.Join(tc.keep, ",") {
				t.Fatalf("kept kids: got %q, want %q (dropped: %+v)", got, tc.keep, set.Dropped())
			}
			for _, d := range set.Dropped() {
				if !strings.Contains(d.Reason, tc.reason) {
					t.Errorf("dropped %q: reason %q, want it to contain %q", d.Kid, d.Reason, tc.reason)
				}
				if d.Private != tc.private {
					t.Errorf("dropped %q: Private %v, want %v", d.Kid, d.Private, tc.private)
				}
			}
			if tc.reason != "" && len(set.Dropped()) == 0 {
				t.Errorf("no key dropped, want one dropped for %q", tc.reason)
			}
		})
	}
}

// good is the well-formed key kept next to each bad one (J3).
func good() map[string]any { loadKeys(); return rsaJWK("good", &rsaKey.PublicKey) }

// drop is a row where bad is dropped and good kept.
func drop(id, name string, bad any, reason string) policyCase {
	return policyCase{id: id, name: name, doc: doc(good(), bad), keep: []string{"good"}, reason: reason}
}

func keyPolicyCases33() []policyCase {
	loadKeys()
	rsa := with(rsaJWK("bad", &rsaKey2.PublicKey))
	ec := ecJWK("bad", &ecKey.PublicKey)
	ec521 := ecJWK("bad", &ec521Key.PublicKey)
	cases := []policyCase{
		drop("M4", "alg_ES521_on_P-521", with(ec521, "alg", "ES521"), "does not fit"),
		drop("M4", "alg_ES224_on_P-256", with(ec, "alg", "ES224"), "does not fit"),
		drop("M4", "alg_ES384_on_P-256", with(ec, "alg", "ES384"), "does not fit"),
		drop("M4", "alg_RS1_on_RSA", with(rsa, "alg", "RS1"), "does not fit"),
		drop("M4", "alg_HS256_on_RSA", with(rsa, "alg", "HS256"), "does not fit"),
		drop("M4", "alg_ES256_on_RSA", with(rsa, "alg", "ES256"), "does not fit"),
		drop("M4", "alg_none_on_RSA", with(rsa, "alg", "none"), "does not fit"),
		drop("M4", "alg_EdDSA_on_EC", with(ec, "alg", "EdDSA"), "does not fit"),
		drop("M4", "alg_not_a_string", with(rsa, "alg", 256), "not a string"),
		drop("M4", "kty_RSA_with_EC_members", with(rsa, "crv", "P-256", "x", ec["x"], "y", ec["y"]), "does not belong"),
		drop("M4", "kty_EC_with_RSA_members", with(ec, "n", rsa["n"], "e", "AQAB"), "does not belong"),
		drop("M6", "use_enc", with(rsa, "use", "enc"), "use"),
		drop("M6", "use_SIG_uppercase", with(rsa, "use", "SIG"), "use"),
		drop("M6", "key_ops_encrypt", with(rsa, "key_ops", []string{"encrypt"}), "not a signature operation"),
		drop("M6", "key_ops_verify_twice", with(rsa, "key_ops", []string{"verify", "verify"}), "twice"),
		drop("M6", "use_sig_with_key_ops_encrypt", with(rsa, "use", "sig", "key_ops", []string{"encrypt"}), "not a signature operation"),
		drop("M6", "key_ops_sign_only", with(rsa, "key_ops", []string{"sign"}), "lacks verify"),
		drop("M6", "key_ops_not_array", with(rsa, "key_ops", "verify"), "not an array"),
		drop("M6", "key_ops_non_string", with(rsa, "key_ops", []any{"verify", 1}), "non-string"),
		{id: "M6", name: "key_ops_verify_accepted", doc: doc(good(), with(rsa, "key_ops", []string{"verify"})), keep: []string{"good", "bad"}},
		{id: "M6", name: "key_ops_sign_verify_accepted", doc: doc(good(), with(rsa, "key_ops", []string{"sign", "verify"})), keep: []string{"good", "bad"}},
		{id: "M7", name: "static_oct_HS256_accepted", doc: doc(octJWK("h1", "HS256", hmacKey[:32])), keep: []string{"h1"}},
		{id: "M7", name: "static_oct_HS512_accepted", doc: doc(octJWK("h1", "HS512", hmacKey)), keep: []string{"h1"}},
		{id: "M7", name: "static_oct_without_alg", doc: doc(octJWK("h0", "HS256", hmacKey), with(octJWK("h1", "", hmacKey), "alg", nil)), keep: []string{"h0"}, reason: "must name its alg"},
		{id: "M7", name: "static_oct_short_secret", doc: doc(octJWK("h0", "HS256", hmacKey), octJWK("h1", "HS512", hmacKey[:32])), keep: []string{"h0"}, reason: "secret"},
		{id: "M7", name: "static_oct_alg_RS256", doc: doc(octJWK("h0", "HS256", hmacKey), octJWK("h1", "RS256", hmacKey)), keep: []string{"h0"}, reason: "does not fit"},
	}
	for _, m := range []string{"d", "p", "q", "dp", "dq", "qi", "k", "oth"} {
		c := drop("M8", "RSA_with_"+m, with(rsa, m, "AQAB"), "private key member")
		c.private = true
		cases = append(cases, c)
	}
	for _, k := range []map[string]any{ec, okpJWK("bad", edKey.Public().(ed25519PublicKey))} {
		c := drop("M8", k["kty"].(string)+"_with_d", with(k, "d", "AQAB"), "private key member")
		c.private = true
		cases = append(cases, c)
	}
	return cases
}

func TestKeyPolicy_3_3(t *testing.T) { runPolicy(t, keyPolicyCases33()) }

// TestKeyPolicy_AlgBinding checks the algorithm each accepted key is bound
// to, with and without alg.
func TestKeyPolicy_AlgBinding(t *testing.T) {
	loadKeys()
	for _, tc := range []struct {
		name string
		key  map[string]any
		want string
	}{
		{"RSA_without_alg_is_RS256", with(rsaJWK("k", &rsaKey.PublicKey), "alg", nil), "RS256"},
		{"RSA_PS256", with(rsaJWK("k", &rsaKey.PublicKey), "alg", "PS256"), "PS256"},
		{"RSA_RS512", with(rsaJWK("k", &rsaKey.PublicKey), "alg", "RS512"), "RS512"},
		{"EC_P-256_without_alg", ecJWK("k", &ecKey.PublicKey), "ES256"},
		{"EC_P-384_without_alg", ecJWK("k", &ec384Key.PublicKey), "ES384"},
		{"EC_P-521_without_alg", ecJWK("k", &ec521Key.PublicKey), "ES512"},
		{"EC_P-521_ES512", with(ecJWK("k", &ec521Key.PublicKey), "alg", "ES512"), "ES512"},
		{"OKP_without_alg", okpJWK("k", edKey.Public().(ed25519PublicKey)), "EdDSA"},
		{"OKP_Ed25519", with(okpJWK("k", edKey.Public().(ed25519PublicKey)), "alg", "Ed25519"), "Ed25519"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			set, err := jwks.Parse([]byte(doc(tc.key)))
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if got := set.Keys()[0].Algorithm(); got != tc.want {
				t.Fatalf("alg: got %s, want %s", got, tc.want)
			}
			// Bound to exactly one algorithm (EdDSA and Ed25519 name one).
			for _, other := range []string{"RS256", "RS384", "PS256", "ES256", "ES384", "ES512", "HS256"} {
				if other == tc.want {
					continue
				}
				if _, err := set.Key(context.Background(), "k", other); !errors.Is(err, verifier.ErrKeyNotFound) {
					t.Errorf("Key(k, %s): got %v, want ErrKeyNotFound", other, err)
				}
			}
		})
	}
}

// ecPoint returns an EC JWK on P-256 with raw coordinates.
func ecPoint(x, y []byte) map[string]any {
	return map[string]any{"kty": "EC", "kid": "bad", "crv": "P-256", "x": b64(x), "y": b64(y)}
}

func keyPolicyCases310() []policyCase {
	loadKeys()
	x, y := make([]byte, 32), make([]byte, 32)
	ecKey.X.FillBytes(x)
	ecKey.Y.FillBytes(y)
	yPlus1 := new(big.Int).Add(ecKey.Y, big.NewInt(1)).FillBytes(make([]byte, 32))
	p := elliptic.P256().Params().P.FillBytes(make([]byte, 32))
	zero := make([]byte, 32)
	compressed := append([]byte{2 + byte(ecKey.Y.Bit(0))}, x...)
	return []policyCase{
		drop("E5", "point_off_curve_y+1", ecPoint(x, yPlus1), "EC point refused"),
		drop("E5", "point_at_infinity_zeros", ecPoint(zero, zero), "EC point refused"),
		drop("E5", "x_zero", ecPoint(zero, y), "EC point refused"),
		drop("E5", "x_equals_p", ecPoint(p, y), "EC point refused"),
		drop("E5", "y_equals_p", ecPoint(x, p), "EC point refused"),
		drop("E5", "x_31_bytes", ecPoint(x[1:], y), "want 32"),
		drop("E5", "x_33_bytes", ecPoint(append([]byte{0}, x...), y), "want 32"),
		drop("E5", "y_31_bytes", ecPoint(x, y[1:]), "want 32"),
		drop("E6", "compressed_point", map[string]any{"kty": "EC", "kid": "bad", "crv": "P-256", "x": b64(compressed)}, "y missing"),
		drop("E6", "crv_secp256k1", with(ecPoint(x, y), "crv", "secp256k1"), "unsupported curve"),
		drop("E6", "crv_P-256K", with(ecPoint(x, y), "crv", "P-256K"), "unsupported curve"),
		drop("E6", "crv_missing", with(ecPoint(x, y), "crv", nil), "unsupported curve"),
		drop("E6", "OKP_Ed448", with(okpJWK("bad", edKey.Public().(ed25519PublicKey)), "crv", "Ed448"), "unsupported OKP curve"),
		drop("E6", "OKP_X25519", with(okpJWK("bad", edKey.Public().(ed25519PublicKey)), "crv", "X25519"), "unsupported OKP curve"),
		drop("E7", "Ed25519_small_order", okpJWK("bad", make([]byte, 32)), "small order"),
		drop("E7", "Ed25519_31_bytes", okpJWK("bad", edKey.Public().(ed25519PublicKey)[1:]), "want 32"),
	}
}

func TestKeyPolicy_3_10(t *testing.T) { runPolicy(t, keyPolicyCases310()) }

// rsaN returns an RSA JWK "bad" with modulus n and exponent bytes e.
func rsaN(n *big.Int, e []byte) map[string]any {
	return map[string]any{"kty": "RSA", "kid": "bad", "n": b64(n.Bytes()), "e": b64(e)}
}

// oddNumber returns a random odd number of exactly bits bits.
func oddNumber(bits int) *big.Int {
	n, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), uint(bits-1)))
	if err != nil {
		panic(err)
	}
	n.SetBit(n, bits-1, 1)
	return n.SetBit(n, 0, 1)
}

// rocaPrimes is the prime list of verifier/keycheck.go.
var rocaPrimes = []int64{3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47, 53, 59, 61, 67, 71, 73,
	79, 83, 89, 97, 101, 103, 107, 109, 113, 127, 131, 137, 139, 149, 151, 157, 163, 167}

// rocaModulus synthesises an odd 2048-bit n with the ROCA fingerprint:
// n ≡ 65537^k (mod p) for each prime p of the list (a different k for
// each, found by the Chinese remainder theorem).
func rocaModulus() *big.Int {
	n, m := big.NewInt(1), big.NewInt(2) // n ≡ 1 (mod 2): odd
	for i, q := range rocaPrimes {
		p := big.NewInt(q)
		r := new(big.Int).Exp(big.NewInt(65537), big.NewInt(int64(i+3)), p)
		// n' = n + m * ((r - n) * m^-1 mod p)
		t := new(big.Int).Sub(r, n)
		t.Mul(t, new(big.Int).ModInverse(m, p)).Mod(t, p)
		n.Add(n, t.Mul(t, m))
		m.Mul(m, p)
	}
	// Lift to 2048 bits: add a multiple of m.
	base := new(big.Int).Lsh(big.NewInt(1), 2047)
	k := new(big.Int).Div(base, m)
	k.Add(k, oddNumber(64))
	return n.Add(n, k.Mul(k, m))
}

func keyPolicyCases311() []policyCase {
	loadKeys()
	n := rsaKey2.PublicKey.N
	roca := rocaModulus()
	even := new(big.Int).SetBit(n, 0, 0)
	cases := []policyCase{
		drop("R1", "e=1", rsaN(n, []byte{1}), "exponent"),
		drop("R1", "e=2", rsaN(n, []byte{2}), "exponent"),
		drop("R1", "e=3", rsaN(n, []byte{3}), "exponent"),
		drop("R1", "e=5", rsaN(n, []byte{5}), "exponent"),
		drop("R1", "e=65536_even", rsaN(n, []byte{1, 0, 0}), "exponent"),
		drop("R1", "e=65535", rsaN(n, []byte{0xff, 0xff}), "exponent"),
		drop("R2", "e=2^31+1", rsaN(n, []byte{0x80, 0, 0, 1}), "larger than 2^31-1"),
		drop("R2", "e_9_bytes", rsaN(n, []byte{1, 0, 0, 0, 0, 0, 1, 0, 1}), "longer than 4 octets"),
		drop("R2", "e_AAEAAQ_leading_zero", with(rsaN(n, nil), "e", "AAEAAQ"), "leading zero"),
		drop("R2", "e_empty", rsaN(n, nil), "empty"),
		drop("R3", "n_512_bits", rsaN(oddNumber(512), []byte{1, 0, 1}), "512 bits"),
		drop("R3", "n_1024_bits", rsaN(oddNumber(1024), []byte{1, 0, 1}), "1024 bits"),
		drop("R3", "n_2047_bits", rsaN(oddNumber(2047), []byte{1, 0, 1}), "2047 bits"),
		drop("R3", "n_even", rsaN(even, []byte{1, 0, 1}), "even"),
		drop("R3", "n_leading_00", with(rsaN(n, []byte{1, 0, 1}), "n", b64(append([]byte{0}, n.Bytes()...))), "leading zero"),
		drop("R3", "n_missing", with(rsaN(n, []byte{1, 0, 1}), "n", nil), "n missing"),
		drop("R4", "ROCA_modulus", rsaN(roca, []byte{1, 0, 1}), "ROCA"),
		drop("R5", "n_16384_bits", rsaN(oddNumber(16384), []byte{1, 0, 1}), "longer than 8192 bits"),
		drop("R5", "n_8200_bits", rsaN(oddNumber(8200), []byte{1, 0, 1}), "longer than 8192 bits"),
	}
	return cases
}

func TestKeyPolicy_3_11(t *testing.T) { runPolicy(t, keyPolicyCases311()) }

// TestROCAModulusShape checks the synthesised modulus: odd, 2048 bits, and
// in the subgroup generated by 65537 modulo every listed prime.
func TestROCAModulusShape(t *testing.T) {
	n := rocaModulus()
	if n.BitLen() != 2048 || n.Bit(0) != 1 {
		t.Fatalf("modulus: got %d bits, odd=%v; want 2048 bits, odd", n.BitLen(), n.Bit(0) == 1)
	}
	for _, q := range rocaPrimes {
		p := big.NewInt(q)
		r := new(big.Int).Mod(n, p)
		in := false
		for k, g := int64(0), big.NewInt(1); k < q; k++ {
			if g.Cmp(r) == 0 {
				in = true
				break
			}
			g.Mul(g, big.NewInt(65537)).Mod(g, p)
		}
		if !in {
			t.Fatalf("n mod %d = %v: got outside <65537>, want inside", q, r)
		}
	}
	// A real key has no fingerprint: it is accepted.
	loadKeys()
	if _, err := jwks.Parse([]byte(doc(rsaN(rsaKey.PublicKey.N, []byte{1, 0, 1})))); err != nil {
		t.Fatalf("real key: got %v, want accepted", err)
	}
}

func structureCases312() []policyCase {
	loadKeys()
	k1 := rsaJWK("k1", &rsaKey.PublicKey)
	k1b := rsaJWK("k1", &rsaKey2.PublicKey)
	e1 := ecJWK("k1", &ecKey.PublicKey)
	many := func(n int) string {
		keys := make([]any, n)
		for i := range keys {
			keys[i] = with(k1, "kid", big.NewInt(int64(i)).String())
		}
		return doc(keys...)
	}
	return []policyCase{
		{id: "J1", name: "same_kid_same_kty", doc: doc(k1, k1b), refuse: true},
		{id: "J1", name: "same_kid_same_kty_different_alg", doc: doc(k1, with(k1b, "alg", "PS256")), refuse: true},
		{id: "J1", name: "same_kid_EC", doc: doc(e1, ecJWK("k1", &ecKey.PublicKey)), refuse: true},
		{id: "J1", name: "same_kid_one_unusable", doc: doc(k1, with(k1b, "use", "enc")), refuse: true},
		{id: "J1", name: "two_RSA_without_kid", doc: doc(with(k1, "kid", nil), with(k1b, "kid", nil)), refuse: true},
		{id: "J2", name: "same_kid_RSA_and_EC", doc: doc(k1, e1), keep: []string{"k1", "k1"}},
		{id: "J3", name: "malformed_among_good", doc: doc(k1, `{"kty":"RSA","kid":"x","n":1}`, `"not an object"`, `null`, e1), keep: []string{"k1", "k1"}, reason: ""},
		{id: "J4", name: "unknown_kty_PQC", doc: doc(k1, map[string]any{"kty": "PQC", "kid": "q"}), keep: []string{"k1"}, reason: "unsupported kty"},
		{id: "J4", name: "kty_missing", doc: doc(k1, with(k1b, "kty", nil, "kid", "x")), keep: []string{"k1"}, reason: "kty missing"},
		{id: "J4", name: "kty_not_a_string", doc: doc(k1, with(k1b, "kty", 1, "kid", "x")), keep: []string{"k1"}, reason: "kty is not a string"},
		{id: "J4", name: "kid_not_a_string", doc: doc(k1, with(k1b, "kid", 7)), keep: []string{"k1"}, reason: "kid is not a string"},
		{id: "J4", name: "only_unknown_kty", doc: doc(map[string]any{"kty": "PQC"}), refuse: true},
		{id: "J4", name: "keys_not_an_array", doc: `{"keys":{"kty":"RSA"}}`, refuse: true},
		{id: "J4", name: "keys_string", doc: `{"keys":"[]"}`, refuse: true},
		{id: "J4", name: "keys_null", doc: `{"keys":null}`, refuse: true},
		{id: "J4", name: "keys_empty", doc: `{"keys":[]}`, refuse: true},
		{id: "J4", name: "keys_missing", doc: `{"kty":"RSA"}`, refuse: true},
		{id: "J4", name: "top_level_array", doc: `[` + mustJSON(k1) + `]`, refuse: true},
		{id: "J4", name: "top_level_string", doc: `"keys"`, refuse: true},
		{id: "J4", name: "empty_document", doc: ``, refuse: true},
		{id: "J5", name: "oct_and_RSA", doc: doc(k1, octJWK("h1", "HS256", hmacKey)), refuse: true},
		{id: "J6", name: "101_keys", doc: many(101), refuse: true},
		{id: "J6", name: "10000_keys", doc: many(10000), refuse: true},
		{id: "J6", name: "1MB_x5c", doc: doc(with(k1, "x5c", []string{strings.Repeat("A", 1<<20)})), refuse: true},
		{id: "J6", name: "100_keys_accepted", doc: many(100), keep: kidsUpTo(100)},
		{id: "S3", name: "trailing_data", doc: doc(k1) + `{}`, refuse: true},
		{id: "S3", name: "trailing_garbage", doc: doc(k1) + `x`, refuse: true},
		{id: "S3", name: "invalid_UTF-8", doc: strings.Replace(doc(k1), `"k1"`, "\"k\xff\"", 1), refuse: true},
		{id: "Z3", name: "nested_40_deep", doc: `{"keys":[` + mustJSON(k1) + `],"x":` + strings.Repeat("[", 40) + strings.Repeat("]", 40) + `}`, refuse: true},
		{id: "A8", name: "n_padded", doc: doc(good(), with(rsaN(rsaKey2.N, []byte{1, 0, 1}), "n", b64(rsaKey2.N.Bytes())+"=")), keep: []string{"good"}, reason: "base64url"},
		{id: "A8", name: "n_std_alphabet", doc: doc(good(), with(rsaN(rsaKey2.N, []byte{1, 0, 1}), "e", "AQA+")), keep: []string{"good"}, reason: "base64url"},
		{id: "A8", name: "e_newline", doc: doc(good(), with(rsaN(rsaKey2.N, []byte{1, 0, 1}), "e", "AQ\nAB")), keep: []string{"good"}, reason: "base64url"},
		{id: "A8", name: "e_trailing_bits", doc: doc(good(), with(rsaN(rsaKey2.N, []byte{1, 0, 1}), "e", "AQAC")), keep: []string{"good"}, reason: "exponent"},
		{id: "A8", name: "e_non_canonical", doc: doc(good(), with(rsaN(rsaKey2.N, []byte{1, 0, 1}), "e", "AQB")), keep: []string{"good"}, reason: "canonical"},
		{id: "A8", name: "n_null", doc: doc(good(), with(rsaN(rsaKey2.N, []byte{1, 0, 1}), "n", nil, "e", "AQAB")), keep: []string{"good"}, reason: "n missing"},
	}
}

func kidsUpTo(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = big.NewInt(int64(i)).String()
	}
	return out
}

func TestJWKSStructure_3_12(t *testing.T) {
	cases := structureCases312()
	// J3's malformed keys have different reasons; check only what is kept.
	runPolicy(t, cases)
}

func TestJ2_SelectByKidAndAlg(t *testing.T) {
	loadKeys()
	set, err := jwks.Parse([]byte(doc(rsaJWK("k1", &rsaKey.PublicKey), ecJWK("k1", &ecKey.PublicKey))))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	for alg, want := range map[string]string{"RS256": "*rsa.PublicKey", "ES256": "*ecdsa.PublicKey"} {
		k, err := set.Key(ctx, "k1", alg)
		if err != nil {
			t.Fatalf("Key(k1, %s): %v", alg, err)
		}
		if got := typeName(k.Public()); got != want {
			t.Errorf("Key(k1, %s): got %s, want %s", alg, got, want)
		}
	}
}

func duplicateCases() []policyCase {
	loadKeys()
	k1 := mustJSON(rsaJWK("k1", &rsaKey.PublicKey))
	n2 := b64(rsaKey2.N.Bytes())
	inner := strings.TrimSuffix(k1, "}")
	return []policyCase{
		{id: "D6", name: "keys_twice", doc: `{"keys":[` + k1 + `],"keys":[` + k1 + `]}`, refuse: true},
		{id: "D6", name: "keys_and_KEYS", doc: `{"keys":[` + k1 + `],"KEYS":[]}`, refuse: true},
		{id: "D6", name: "keys_escaped_duplicate", doc: `{"keys":[` + k1 + `],"\u006beys":[]}`, refuse: true},
		{id: "D6", name: "only_KEYS", doc: `{"KEYS":[` + k1 + `]}`, refuse: true},
		{id: "D6", name: "duplicate_in_other_top_member", doc: `{"keys":[` + k1 + `],"x":{"a":1,"a":2}}`, refuse: true},
		{id: "D6", name: "key_n_twice", doc: `{"keys":[` + k1 + `,` + inner2("k2") + `,"n":"` + n2 + `"}]}`, keep: []string{"k1"}, reason: "duplicate member"},
		{id: "D6", name: "key_kid_twice", doc: `{"keys":[` + inner + `,"kid":"k9"}]}`, refuse: true},
		{id: "D6", name: "key_kid_twice_with_good", doc: `{"keys":[` + mustJSON(rsaJWK("good", &rsaKey2.PublicKey)) + `,` + inner + `,"kid":"k9"}]}`, keep: []string{"good"}, reason: "duplicate member"},
		{id: "D6", name: "key_N_and_n", doc: `{"keys":[` + k1 + `,` + inner2("k2") + `,"N":"` + n2 + `"}]}`, keep: []string{"k1"}, reason: "duplicate member"},
		{id: "D6", name: "key_kelvin_sign_kty", doc: `{"keys":[` + k1 + `,` + inner2("k2") + `,"\u212aty":"EC"}]}`, keep: []string{"k1"}, reason: "duplicate member"},
		{id: "D6", name: "key_nested_duplicate", doc: `{"keys":[` + k1 + `,` + inner2("k2") + `,"ext":{"a":1,"a":2}}]}`, keep: []string{"k1"}, reason: "duplicate member"},
	}
}

// inner2 is an RSA JWK (rsaKey2, kid kid) without its closing brace.
func inner2(kid string) string {
	return strings.TrimSuffix(mustJSON(rsaJWK(kid, &rsaKey2.PublicKey)), "}")
}

func TestD6_Duplicates(t *testing.T) { runPolicy(t, duplicateCases()) }

func typeName(v any) string {
	switch v.(type) {
	case *rsaPublicKey:
		return "*rsa.PublicKey"
	case *ecdsaPublicKey:
		return "*ecdsa.PublicKey"
	case ed25519PublicKey:
		return "ed25519.PublicKey"
	}
	return "other"
}
