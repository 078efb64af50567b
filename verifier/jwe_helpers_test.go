package verifier_test

import (
	"crypto"
	"crypto/aes"
	"crypto/cipher"
	"crypto/ecdh"
	"crypto/ecdsa"
	"crypto/hmac"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/binary"
	"hash"
	"strings"
	"testing"

	"github.com/tokengate/tokengate/verifier"
)

// encKeyLen is the content key length of enc.
func encKeyLen(enc string) int {
	return map[string]int{"A128GCM": 16, "A192GCM": 24, "A256GCM": 32, "A128CBC-HS256": 32, "A192CBC-HS384": 48, "A256CBC-HS512": 64}[enc]
}

func wrapLen(alg string) int {
	switch {
	case strings.HasSuffix(alg, "A128KW"):
		return 16
	case strings.HasSuffix(alg, "A192KW"):
		return 24
	case strings.HasSuffix(alg, "A256KW"):
		return 32
	}
	return 0
}

// seal builds a compact JWE of plaintext for key (an *rsa.PublicKey, an
// *ecdh.PublicKey or a []byte secret) with this test's own primitives.
// hdr adds or (with a nil value) removes protected-header members; cty is
// "JWT" unless hdr says otherwise.
func seal(t testing.TB, alg, enc string, key any, hdr map[string]any, plaintext []byte) string {
	t.Helper()
	h := map[string]any{"alg": alg, "enc": enc, "cty": "JWT"}
	n := encKeyLen(enc)
	cek := make([]byte, n)
	rand.Read(cek)
	var ek []byte
	switch {
	case strings.HasPrefix(alg, "RSA-OAEP"):
		hs := map[string]crypto.Hash{"RSA-OAEP-256": crypto.SHA256, "RSA-OAEP-384": crypto.SHA384, "RSA-OAEP-512": crypto.SHA512}[alg]
		var err error
		if ek, err = rsa.EncryptOAEP(hs.New(), rand.Reader, key.(*rsa.PublicKey), cek, nil); err != nil {
			t.Fatal(err)
		}
	case strings.HasPrefix(alg, "ECDH-ES"):
		pub := key.(*ecdh.PublicKey)
		eph, err := pub.Curve().GenerateKey(rand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		z, err := eph.ECDH(pub)
		if err != nil {
			t.Fatal(err)
		}
		h["epk"] = epkJWK(eph.PublicKey())
		if alg == "ECDH-ES" {
			cek = concatKDF(z, enc, n)
		} else {
			ek = kwWrap(concatKDF(z, alg, wrapLen(alg)), cek)
		}
	case alg == "dir":
		cek = key.([]byte)
	default:
		ek = kwWrap(key.([]byte), cek)
	}
	for k, v := range hdr {
		if v == nil {
			delete(h, k)
			continue
		}
		h[k] = v
	}
	protected := b64(mustJSON(h))
	iv, ct, tag := sealContent(enc, cek, []byte(protected), plaintext)
	return protected + "." + b64(ek) + "." + b64(iv) + "." + b64(ct) + "." + b64(tag)
}

func sealContent(enc string, cek, aad, plaintext []byte) (iv, ct, tag []byte) {
	if strings.HasSuffix(enc, "GCM") {
		block, _ := aes.NewCipher(cek)
		gcm, _ := cipher.NewGCM(block)
		iv = make([]byte, 12)
		rand.Read(iv)
		out := gcm.Seal(nil, iv, plaintext, aad)
		return iv, out[:len(out)-16], out[len(out)-16:]
	}
	half := len(cek) / 2
	block, _ := aes.NewCipher(cek[half:])
	iv = make([]byte, 16)
	rand.Read(iv)
	pad := 16 - len(plaintext)%16
	ct = append([]byte(nil), plaintext...)
	for range pad {
		ct = append(ct, byte(pad))
	}
	cipher.NewCBCEncrypter(block, iv).CryptBlocks(ct, ct)
	var hf func() hash.Hash
	switch enc {
	case "A128CBC-HS256":
		hf = sha256.New
	case "A192CBC-HS384":
		hf = sha512.New384
	default:
		hf = sha512.New
	}
	m := hmac.New(hf, cek[:half])
	m.Write(aad)
	m.Write(iv)
	m.Write(ct)
	m.Write(binary.BigEndian.AppendUint64(nil, uint64(len(aad))*8))
	return iv, ct, m.Sum(nil)[:half]
}

// kwWrap is AES key wrap (RFC 3394 section 2.2.1), written again here so
// that the test does not check the code with itself.
func kwWrap(kek, key []byte) []byte {
	block, _ := aes.NewCipher(kek)
	n := len(key) / 8
	a := []byte{0xa6, 0xa6, 0xa6, 0xa6, 0xa6, 0xa6, 0xa6, 0xa6}
	r := append([]byte(nil), key...)
	b := make([]byte, 16)
	for j := range 6 {
		for i := 1; i <= n; i++ {
			copy(b, a)
			copy(b[8:], r[(i-1)*8:i*8])
			block.Encrypt(b, b)
			t := uint64(n*j + i)
			binary.BigEndian.PutUint64(a, binary.BigEndian.Uint64(b[:8])^t)
			copy(r[(i-1)*8:i*8], b[8:])
		}
	}
	return append(a, r...)
}

func concatKDF(z []byte, algID string, n int) []byte {
	var other []byte
	other = binary.BigEndian.AppendUint32(other, uint32(len(algID)))
	other = append(other, algID...)
	other = binary.BigEndian.AppendUint32(other, 0) // apu
	other = binary.BigEndian.AppendUint32(other, 0) // apv
	other = binary.BigEndian.AppendUint32(other, uint32(n*8))
	var out []byte
	for i := uint32(1); len(out) < n; i++ {
		h := sha256.New()
		h.Write(binary.BigEndian.AppendUint32(nil, i))
		h.Write(z)
		h.Write(other)
		out = h.Sum(out)
	}
	return out[:n]
}

// epkJWK is the JWK of an ephemeral public key.
func epkJWK(pub *ecdh.PublicKey) map[string]string {
	b := pub.Bytes()
	if pub.Curve() == ecdh.X25519() {
		return map[string]string{"kty": "OKP", "crv": "X25519", "x": b64(b)}
	}
	crv := map[ecdh.Curve]string{ecdh.P256(): "P-256", ecdh.P384(): "P-384", ecdh.P521(): "P-521"}[pub.Curve()]
	size := (len(b) - 1) / 2
	return map[string]string{"kty": "EC", "crv": crv, "x": b64(b[1 : 1+size]), "y": b64(b[1+size:])}
}

func mustDecKey(t testing.TB, kid, alg string, key any) *verifier.DecryptionKey {
	t.Helper()
	k, err := verifier.NewDecryptionKey(kid, alg, key)
	if err != nil {
		t.Fatalf("NewDecryptionKey(%s, %s): %v", kid, alg, err)
	}
	return k
}

func ecdhKey(t testing.TB, k *ecdsa.PrivateKey) *ecdh.PrivateKey {
	t.Helper()
	e, err := k.ECDH()
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// innerToken is a valid signed access token (k1, RS256).
func innerToken(t testing.TB) string {
	loadKeys()
	return sign(t, "RS256", rsaKey, hdr("RS256", "k1"), claims(nil))
}

// jweParts cuts a compact JWE into its five parts.
func jweParts(tok string) []string { return strings.Split(tok, ".") }
