package verifier_test

import (
	"context"
	"crypto/ecdh"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/tokengate/tokengate/verifier"
)

// jweVerifier returns a verifier whose API decrypts with d (the signing
// keys are the standard set: k1 RS256, e1 ES256).
func jweVerifier(t testing.TB, d verifier.Decryption, mod ...func(*verifier.Config)) *verifier.Verifier {
	t.Helper()
	cfg := verifier.Config{Decryption: d}
	for _, m := range mod {
		m(&cfg)
	}
	return newVerifier(t, cfg)
}

// defaultDecryption is Auth0's setup: one RSA key, RSA-OAEP-256, A256GCM.
func defaultDecryption(t testing.TB) verifier.Decryption {
	loadKeys()
	return verifier.Decryption{Keys: []*verifier.DecryptionKey{mustDecKey(t, "enc-1", "RSA-OAEP-256", rsaKey2)}}
}

// TestJWEAccepted: a nested token (JWE of a JWS) of every supported
// combination decrypts, and its inner token is verified as a plain one.
func TestJWEAccepted(t *testing.T) {
	loadKeys()
	x25519, err := ecdh.X25519().GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	p256, p384 := ecdhKey(t, ecKey), ecdhKey(t, ec384Key)
	secret16, secret32, secret64 := make([]byte, 16), make([]byte, 32), make([]byte, 64)
	for _, s := range [][]byte{secret16, secret32, secret64} {
		rand.Read(s)
	}
	inner := innerToken(t)
	tests := []struct {
		name     string
		alg, enc string
		dec      any // the API's key
		enc2     any // the sender's key
		hdr      map[string]any
	}{
		{name: "RSA-OAEP-256 A256GCM", alg: "RSA-OAEP-256", enc: "A256GCM", dec: rsaKey2, enc2: &rsaKey2.PublicKey, hdr: map[string]any{"kid": "enc-1"}},
		{name: "no kid, one key", alg: "RSA-OAEP-256", enc: "A256GCM", dec: rsaKey2, enc2: &rsaKey2.PublicKey},
		{name: "cty at+jwt", alg: "RSA-OAEP-256", enc: "A256GCM", dec: rsaKey2, enc2: &rsaKey2.PublicKey, hdr: map[string]any{"cty": "AT+JWT"}},
		{name: "cty application/jwt", alg: "RSA-OAEP-256", enc: "A256GCM", dec: rsaKey2, enc2: &rsaKey2.PublicKey, hdr: map[string]any{"cty": "application/jwt"}},
		{name: "oidc-provider iss and aud in the header", alg: "RSA-OAEP-256", enc: "A256GCM", dec: rsaKey2, enc2: &rsaKey2.PublicKey, hdr: map[string]any{"cty": "at+jwt", "iss": testIss, "aud": testAud, "typ": "at+jwt"}},
		{name: "RSA-OAEP-384", alg: "RSA-OAEP-384", enc: "A256GCM", dec: rsaKey2, enc2: &rsaKey2.PublicKey},
		{name: "RSA-OAEP-512 A128GCM", alg: "RSA-OAEP-512", enc: "A128GCM", dec: rsaKey2, enc2: &rsaKey2.PublicKey},
		{name: "ECDH-ES P-256", alg: "ECDH-ES", enc: "A256GCM", dec: p256, enc2: p256.PublicKey()},
		{name: "ECDH-ES+A256KW P-384", alg: "ECDH-ES+A256KW", enc: "A256GCM", dec: p384, enc2: p384.PublicKey()},
		{name: "ECDH-ES+A128KW X25519", alg: "ECDH-ES+A128KW", enc: "A192GCM", dec: x25519, enc2: x25519.PublicKey()},
		{name: "dir", alg: "dir", enc: "A256GCM", dec: secret32, enc2: secret32},
		{name: "A128KW A128CBC-HS256", alg: "A128KW", enc: "A128CBC-HS256", dec: secret16, enc2: secret16},
		{name: "dir A256CBC-HS512", alg: "dir", enc: "A256CBC-HS512", dec: secret64, enc2: secret64},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := jweVerifier(t, verifier.Decryption{
				Keys:        []*verifier.DecryptionKey{mustDecKey(t, "enc-1", tt.alg, tt.dec)},
				Algorithms:  []string{tt.alg},
				Encryptions: []string{tt.enc},
			})
			tok := seal(t, tt.alg, tt.enc, tt.enc2, tt.hdr, []byte(inner))
			c, err := v.Verify(context.Background(), tok)
			if err != nil {
				t.Fatalf("got %v, want the nested token accepted", err)
			}
			if c.Subject != "auth0|alice" {
				t.Errorf("got sub %q, want auth0|alice", c.Subject)
			}
			if p, err := v.VerifySignature(context.Background(), tok); err != nil || !strings.Contains(string(p), "auth0|alice") {
				t.Errorf("VerifySignature: got %q, %v; want the inner payload", p, err)
			}
		})
	}
}

// TestJWERefused: every refusal reason of an encrypted token (SECURITY.md
// JW rows), each with the sentinel and the claim at fault.
func TestJWERefused(t *testing.T) {
	loadKeys()
	inner := innerToken(t)
	pub := &rsaKey2.PublicKey
	good := func() string {
		return seal(t, "RSA-OAEP-256", "A256GCM", pub, map[string]any{"kid": "enc-1"}, []byte(inner))
	}
	// tamper flips one bit of segment i of a good token.
	tamper := func(i int) string {
		p := jweParts(good())
		b, err := base64.RawURLEncoding.DecodeString(p[i])
		if err != nil {
			t.Fatal(err)
		}
		b[len(b)/2] ^= 1
		p[i] = b64(b)
		return strings.Join(p, ".")
	}
	// reheader re-encodes the protected header of a good token with a
	// member added: the AAD no longer matches.
	reheader := func() string {
		p := jweParts(good())
		p[0] = b64(mustJSON(map[string]any{"alg": "RSA-OAEP-256", "enc": "A256GCM", "cty": "JWT", "kid": "enc-1", "x": 1}))
		return strings.Join(p, ".")
	}
	twoKeys := verifier.Decryption{Keys: []*verifier.DecryptionKey{
		mustDecKey(t, "enc-1", "RSA-OAEP-256", rsaKey2), mustDecKey(t, "enc-2", "RSA-OAEP-256", rsaKey)}}
	p256 := ecdhKey(t, ecKey)
	ecdhDec := verifier.Decryption{Keys: []*verifier.DecryptionKey{mustDecKey(t, "", "ECDH-ES", p256)}, Algorithms: []string{"ECDH-ES"}}
	ecdhTok := func(epk any) string {
		tok := seal(t, "ECDH-ES", "A256GCM", p256.PublicKey(), nil, []byte(inner))
		if epk == nil {
			return tok
		}
		p := jweParts(tok)
		h := map[string]any{"alg": "ECDH-ES", "enc": "A256GCM", "cty": "JWT", "epk": epk}
		p[0] = b64(mustJSON(h))
		return strings.Join(p, ".")
	}
	onCurve := epkJWK(p256.PublicKey())
	offCurve := map[string]string{"kty": "EC", "crv": "P-256", "x": onCurve["x"], "y": b64(make([]byte, 32))}
	p384pub := epkJWK(ecdhKey(t, ec384Key).PublicKey())
	x25519, err := ecdh.X25519().GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	x25519Dec := verifier.Decryption{Keys: []*verifier.DecryptionKey{mustDecKey(t, "", "ECDH-ES", x25519)}, Algorithms: []string{"ECDH-ES"}}
	dirKey := make([]byte, 32)
	rand.Read(dirKey)
	dirDec := verifier.Decryption{Keys: []*verifier.DecryptionKey{mustDecKey(t, "", "dir", dirKey)}, Algorithms: []string{"dir"}}

	tests := []struct {
		name  string
		dec   verifier.Decryption
		token func() string
		want  error
		claim string
	}{
		{"JW1/alg not allowed", verifier.Decryption{}, func() string {
			return seal(t, "RSA-OAEP-384", "A256GCM", pub, nil, []byte(inner))
		}, verifier.ErrAlgorithm, "alg"},
		{"JW1/RSA1_5 unknown", verifier.Decryption{}, func() string {
			p := jweParts(good())
			p[0] = b64(mustJSON(map[string]any{"alg": "RSA1_5", "enc": "A256GCM", "cty": "JWT"}))
			return strings.Join(p, ".")
		}, verifier.ErrAlgorithm, "alg"},
		{"JW1/alg case-folded", verifier.Decryption{}, func() string {
			return seal(t, "RSA-OAEP-256", "A256GCM", pub, map[string]any{"alg": "rsa-oaep-256"}, []byte(inner))
		}, verifier.ErrAlgorithm, "alg"},
		{"JW2/enc not allowed", verifier.Decryption{}, func() string {
			return seal(t, "RSA-OAEP-256", "A128CBC-HS256", pub, nil, []byte(inner))
		}, verifier.ErrAlgorithm, "enc"},
		{"JW2/enc missing", verifier.Decryption{}, func() string {
			return seal(t, "RSA-OAEP-256", "A256GCM", pub, map[string]any{"enc": nil}, []byte(inner))
		}, verifier.ErrAlgorithm, "enc"},
		{"JW3/zip", verifier.Decryption{}, func() string {
			return seal(t, "RSA-OAEP-256", "A256GCM", pub, map[string]any{"zip": "DEF"}, []byte(inner))
		}, verifier.ErrMalformed, "zip"},
		{"JW4/unknown kid", verifier.Decryption{}, func() string {
			return seal(t, "RSA-OAEP-256", "A256GCM", pub, map[string]any{"kid": "other"}, []byte(inner))
		}, verifier.ErrKeyNotFound, "kid"},
		{"JW4/no kid, two keys", twoKeys, func() string {
			return seal(t, "RSA-OAEP-256", "A256GCM", pub, nil, []byte(inner))
		}, verifier.ErrKeyNotFound, "kid"},
		{"JW4/jku and jwk never choose a key", twoKeys, func() string {
			return seal(t, "RSA-OAEP-256", "A256GCM", pub, map[string]any{"jku": "https://evil.example/keys", "jwk": map[string]any{"kty": "RSA"}, "x5u": "https://evil.example/x"}, []byte(inner))
		}, verifier.ErrKeyNotFound, "kid"},
		{"JW5/tampered encrypted key", verifier.Decryption{}, func() string { return tamper(1) }, verifier.ErrDecrypt, "ciphertext"},
		{"JW5/tampered IV", verifier.Decryption{}, func() string { return tamper(2) }, verifier.ErrDecrypt, "ciphertext"},
		{"JW5/tampered ciphertext", verifier.Decryption{}, func() string { return tamper(3) }, verifier.ErrDecrypt, "ciphertext"},
		{"JW5/tampered tag", verifier.Decryption{}, func() string { return tamper(4) }, verifier.ErrDecrypt, "ciphertext"},
		{"JW5/tampered AAD (header)", verifier.Decryption{}, reheader, verifier.ErrDecrypt, "ciphertext"},
		{"JW5/encrypted to another key", verifier.Decryption{}, func() string {
			return seal(t, "RSA-OAEP-256", "A256GCM", &rsaKey.PublicKey, nil, []byte(inner))
		}, verifier.ErrDecrypt, "ciphertext"},
		{"JW6/truncated encrypted key", verifier.Decryption{}, func() string {
			p := jweParts(good())
			p[1] = p[1][:len(p[1])-4]
			return strings.Join(p, ".")
		}, verifier.ErrMalformed, "encrypted_key"},
		{"JW6/empty encrypted key", verifier.Decryption{}, func() string {
			p := jweParts(good())
			p[1] = ""
			return strings.Join(p, ".")
		}, verifier.ErrMalformed, "encrypted_key"},
		{"JW6/truncated IV", verifier.Decryption{}, func() string {
			p := jweParts(good())
			p[2] = p[2][:len(p[2])-4]
			return strings.Join(p, ".")
		}, verifier.ErrMalformed, "iv"},
		{"JW6/truncated tag", verifier.Decryption{}, func() string {
			p := jweParts(good())
			p[4] = p[4][:len(p[4])-3]
			return strings.Join(p, ".")
		}, verifier.ErrMalformed, "tag"},
		{"JW6/not base64url", verifier.Decryption{}, func() string {
			p := jweParts(good())
			p[3] = "+" + p[3][1:]
			return strings.Join(p, ".")
		}, verifier.ErrMalformed, "ciphertext"},
		{"JW6/padded tag", verifier.Decryption{}, func() string {
			p := jweParts(good())
			p[4] += "=="
			return strings.Join(p, ".")
		}, verifier.ErrMalformed, "tag"},
		{"JW6/six segments", verifier.Decryption{}, func() string { return good() + ".AAAA" }, verifier.ErrMalformed, "token"},
		{"JW7/plain JWS when required", verifier.Decryption{Keys: defaultDecryption(t).Keys, Required: true}, func() string { return inner }, verifier.ErrTokenType, "enc"},
		{"JW8/inner signature invalid", verifier.Decryption{}, func() string {
			bad := inner[:len(inner)-4] + "AAAA"
			return seal(t, "RSA-OAEP-256", "A256GCM", pub, nil, []byte(bad))
		}, verifier.ErrSignature, "signature"},
		{"JW8/inner expired", verifier.Decryption{}, func() string {
			exp := sign(t, "RS256", rsaKey, hdr("RS256", "k1"), claims(map[string]any{"exp": testNow.Add(-time.Hour).Unix()}))
			return seal(t, "RSA-OAEP-256", "A256GCM", pub, nil, []byte(exp))
		}, verifier.ErrExpired, "exp"},
		{"JW8/inner unsigned (encrypt-only JSON)", verifier.Decryption{}, func() string {
			return seal(t, "RSA-OAEP-256", "A256GCM", pub, nil, []byte(claims(nil)))
		}, verifier.ErrMalformed, "token"},
		{"JW8/inner cty", verifier.Decryption{}, func() string {
			in := sign(t, "RS256", rsaKey, `{"alg":"RS256","kid":"k1","cty":"JWT"}`, claims(nil))
			return seal(t, "RSA-OAEP-256", "A256GCM", pub, nil, []byte(in))
		}, verifier.ErrMalformed, "header"},
		{"JW8/inner JWE (double encryption)", verifier.Decryption{}, func() string {
			return seal(t, "RSA-OAEP-256", "A256GCM", pub, nil, []byte(good()))
		}, verifier.ErrMalformed, "token"},
		{"JW8/inner alg none", verifier.Decryption{}, func() string {
			in := b64([]byte(`{"alg":"none"}`)) + "." + b64([]byte(claims(nil))) + "."
			return seal(t, "RSA-OAEP-256", "A256GCM", pub, nil, []byte(in))
		}, verifier.ErrMalformed, "token"},
		{"JW9/epk off the curve", ecdhDec, func() string { return ecdhTok(offCurve) }, verifier.ErrMalformed, "epk"},
		{"JW9/epk on another curve", ecdhDec, func() string { return ecdhTok(p384pub) }, verifier.ErrMalformed, "epk"},
		{"JW9/epk missing", ecdhDec, func() string { return ecdhTok(map[string]string{}) }, verifier.ErrMalformed, "epk"},
		{"JW9/epk point at infinity", ecdhDec, func() string {
			return ecdhTok(map[string]string{"kty": "EC", "crv": "P-256", "x": b64(make([]byte, 32)), "y": b64(make([]byte, 32))})
		}, verifier.ErrMalformed, "epk"},
		{"JW10/PBES2", verifier.Decryption{}, func() string {
			p := jweParts(good())
			p[0] = b64(mustJSON(map[string]any{"alg": "PBES2-HS256+A128KW", "enc": "A256GCM", "cty": "JWT", "p2s": "AAAAAAAAAAA", "p2c": 1000}))
			return strings.Join(p, ".")
		}, verifier.ErrAlgorithm, "alg"},
		{"JW11/huge p2c", verifier.Decryption{}, func() string {
			p := jweParts(good())
			p[0] = b64([]byte(`{"alg":"PBES2-HS512+A256KW","enc":"A256GCM","cty":"JWT","p2s":"AAAAAAAAAAA","p2c":2147483647000}`))
			return strings.Join(p, ".")
		}, verifier.ErrAlgorithm, "alg"},
		{"JW11/p2c with another alg", verifier.Decryption{}, func() string {
			return seal(t, "RSA-OAEP-256", "A256GCM", pub, map[string]any{"p2c": 100000000}, []byte(inner))
		}, verifier.ErrAlgorithm, "alg"},
		{"JW12/JSON serialization", verifier.Decryption{}, func() string {
			p := jweParts(good())
			return string(mustJSON(map[string]any{"protected": p[0], "encrypted_key": p[1], "iv": p[2], "ciphertext": p[3], "tag": p[4]}))
		}, verifier.ErrMalformed, "token"},
		{"JW13/cty missing", verifier.Decryption{}, func() string {
			return seal(t, "RSA-OAEP-256", "A256GCM", pub, map[string]any{"cty": nil}, []byte(inner))
		}, verifier.ErrMalformed, "cty"},
		{"JW13/cty not a JWT", verifier.Decryption{}, func() string {
			return seal(t, "RSA-OAEP-256", "A256GCM", pub, map[string]any{"cty": "json"}, []byte(inner))
		}, verifier.ErrMalformed, "cty"},
		{"JW14/crit", verifier.Decryption{}, func() string {
			return seal(t, "RSA-OAEP-256", "A256GCM", pub, map[string]any{"crit": []string{"x"}, "x": 1}, []byte(inner))
		}, verifier.ErrMalformed, "header"},
		{"JW14/duplicate alg", verifier.Decryption{}, func() string {
			p := jweParts(good())
			p[0] = b64([]byte(`{"alg":"RSA-OAEP-256","enc":"A256GCM","cty":"JWT","alg":"dir"}`))
			return strings.Join(p, ".")
		}, verifier.ErrMalformed, "header"},
		{"JW14/iv in the header", verifier.Decryption{}, func() string {
			return seal(t, "RSA-OAEP-256", "A256GCM", pub, map[string]any{"iv": "AAAA"}, []byte(inner))
		}, verifier.ErrMalformed, "header"},
		{"JW15/without Decryption a JWE is malformed", verifier.Decryption{Keys: nil}, good, verifier.ErrMalformed, "token"},
		{"JW14/header over 4 KiB", verifier.Decryption{}, func() string {
			return seal(t, "RSA-OAEP-256", "A256GCM", pub, map[string]any{"pad": strings.Repeat("x", 5000)}, []byte(inner))
		}, verifier.ErrMalformed, "header"},
		{"JW14/kid with a control character", verifier.Decryption{}, func() string {
			return seal(t, "RSA-OAEP-256", "A256GCM", pub, map[string]any{"kid": "enc-1\n"}, []byte(inner))
		}, verifier.ErrMalformed, "kid"},
		{"JW9/apu too long", ecdhDec, func() string {
			return seal(t, "RSA-OAEP-256", "A256GCM", pub, map[string]any{"apu": b64(make([]byte, 1000))}, []byte(inner))
		}, verifier.ErrMalformed, "header"},
		{"JW9/X25519 epk of small order", x25519Dec, func() string {
			tok := seal(t, "ECDH-ES", "A256GCM", x25519.PublicKey(), nil, []byte(inner))
			p := jweParts(tok)
			p[0] = b64(mustJSON(map[string]any{"alg": "ECDH-ES", "enc": "A256GCM", "cty": "JWT", "epk": map[string]string{"kty": "OKP", "crv": "X25519", "x": b64(make([]byte, 32))}}))
			return strings.Join(p, ".")
		}, verifier.ErrDecrypt, "ciphertext"},
		{"JW6/encrypted key with dir", dirDec, func() string {
			p := jweParts(seal(t, "dir", "A256GCM", dirKey, nil, []byte(inner)))
			p[1] = b64(make([]byte, 40))
			return strings.Join(p, ".")
		}, verifier.ErrMalformed, "encrypted_key"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := tt.dec
			switch {
			case tt.name == "JW15/without Decryption a JWE is malformed":
			case d.Keys == nil:
				d = defaultDecryption(t)
			}
			var rec jweRecorder
			v := jweVerifier(t, d, func(c *verifier.Config) { c.Observer = &rec })
			tok := tt.token()
			_, err := v.Verify(context.Background(), tok)
			if !errors.Is(err, tt.want) {
				t.Fatalf("got %v, want %v", err, tt.want)
			}
			// Every refusal but a failed decryption and the inner token's
			// own comes before the key operation.
			wantDecrypted := errors.Is(tt.want, verifier.ErrDecrypt) || strings.HasPrefix(tt.name, "JW8/")
			if len(rec.events) != 1 || rec.events[0].Decrypted != wantDecrypted {
				t.Errorf("got events %+v, want one with Decrypted %v", rec.events, wantDecrypted)
			}
			var ve *verifier.ValidationError
			if !errors.As(err, &ve) || ve.Claim != tt.claim {
				t.Errorf("got claim %q (%v), want %q", ve.Claim, err, tt.claim)
			}
			if _, err := v.VerifySignature(context.Background(), tok); !errors.Is(err, tt.want) && !errors.Is(tt.want, verifier.ErrExpired) {
				t.Errorf("VerifySignature: got %v, want %v", err, tt.want)
			}
		})
	}
}
