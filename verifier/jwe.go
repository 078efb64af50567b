package verifier

import (
	"crypto/ecdh"
	"crypto/rand"
	"crypto/rsa"
	"crypto/subtle"
	"errors"
	"time"
	"unicode/utf8"
	"unsafe"

	"github.com/tokengate/tokengate/internal/jose"
	"github.com/tokengate/tokengate/internal/strictjson"
)

// decryptStat records the decryption of one Verify, for the Observer.
type decryptStat struct {
	done     bool // the key-management operation ran
	duration time.Duration
}

// unwrap returns the compact JWS a token carries: the token itself when
// it is not encrypted, else its decrypted content. Without Decryption it
// is the token (a JWE then fails the JWS parser, as before). ds, when not
// nil, records the decryption.
func (v *Verifier) unwrap(token string, ds *decryptStat) (inner string, encrypted bool, err error) {
	if v.dec == nil {
		return token, false, nil
	}
	if jose.CountDots(token) != 4 {
		if v.dec.required {
			return "", false, newError(ErrTokenType, "enc", "this API accepts encrypted tokens (JWE) only")
		}
		return token, false, nil
	}
	inner, err = v.decrypt(token, ds)
	return inner, true, err
}

// maxEncryptedKey bounds the encrypted_key: an RSA-8192 key's OAEP block.
const maxEncryptedKey = 1024

// decrypt opens a compact JWE. Every check that costs no key operation
// comes first: the five segments and their base64url, the header policy,
// the alg and enc allow lists, the key, the exact size of the encrypted
// key, IV and tag. Only then the private-key operation and the content's
// authentication, whose failures are one error (ErrDecrypt).
func (v *Verifier) decrypt(token string, ds *decryptStat) (string, error) {
	dots, err := jose.SplitJWE(token)
	if err != nil {
		return "", newError(ErrMalformed, "token", err.Error())
	}
	if jose.DecodedLen(dots[0]) > jose.MaxHeader {
		return "", newError(ErrMalformed, "header", "header too large")
	}
	var hbuf [jose.MaxHeader]byte
	hb, err := jose.Decode(hbuf[:], token[:dots[0]])
	if err != nil {
		return "", newError(ErrMalformed, "header", "header: "+err.Error())
	}
	if !utf8.Valid(hb) {
		return "", newError(ErrMalformed, "header", "header is not UTF-8")
	}
	h, err := jose.ParseJWEHeader(hb)
	if err != nil {
		return "", jweHeaderError(err, &h)
	}
	if !v.dec.algs[h.Alg] {
		return "", newError(ErrAlgorithm, "alg", "key management "+quoteID(h.AlgRaw)+" is not allowed")
	}
	if !v.dec.encs[h.Enc] {
		return "", newError(ErrAlgorithm, "enc", "content encryption "+quoteID(h.EncRaw)+" is not allowed")
	}
	if v.embedded && h.Embedded {
		return "", newError(ErrMalformed, "header", "header carries key material or a key URL (jwk, jku, x5u, x5c)")
	}
	key, err := v.dec.key(&h)
	if err != nil {
		return "", err
	}
	ekLen := 0
	switch {
	case key.rsa != nil:
		ekLen = key.rsa.Size()
	case key.alg.WrapLen() > 0:
		ekLen = h.Enc.KeyLen() + 8
	}
	if key.alg == jose.Dir && len(key.secret) != h.Enc.KeyLen() {
		return "", newError(ErrAlgorithm, "enc", "the dir key is not a key for "+h.Enc.String())
	}
	seg := func(i int) string { return token[dots[i-1]+1 : dots[i]] }
	if jose.DecodedLen(len(seg(1))) != ekLen || (ekLen == 0) != (len(seg(1)) == 0) {
		return "", newError(ErrMalformed, "encrypted_key", "encrypted key of the wrong size for "+h.Alg.String())
	}
	if jose.DecodedLen(len(seg(2))) != h.Enc.IVLen() {
		return "", newError(ErrMalformed, "iv", "IV of the wrong size for "+h.Enc.String())
	}
	tagSeg := token[dots[3]+1:]
	if jose.DecodedLen(len(tagSeg)) != h.Enc.TagLen() {
		return "", newError(ErrMalformed, "tag", "authentication tag of the wrong size for "+h.Enc.String())
	}
	var ekBuf [maxEncryptedKey]byte
	ek, err := jose.Decode(ekBuf[:], seg(1))
	if err != nil {
		return "", newError(ErrMalformed, "encrypted_key", "encrypted key: "+err.Error())
	}
	var ivBuf [16]byte
	iv, err := jose.Decode(ivBuf[:], seg(2))
	if err != nil {
		return "", newError(ErrMalformed, "iv", "IV: "+err.Error())
	}
	ctLen := jose.DecodedLen(len(seg(3)))
	buf := make([]byte, ctLen+h.Enc.TagLen())
	if _, err := jose.Decode(buf[:ctLen], seg(3)); err != nil {
		return "", newError(ErrMalformed, "ciphertext", "ciphertext: "+err.Error())
	}
	if _, err := jose.Decode(buf[ctLen:], tagSeg); err != nil {
		return "", newError(ErrMalformed, "tag", "tag: "+err.Error())
	}
	var pub *ecdh.PublicKey
	if key.ec != nil {
		if pub, err = parseEPK(h.EPK, key.ec.Curve()); err != nil {
			return "", err
		}
	}
	var start time.Time
	if ds != nil {
		start = time.Now()
	}
	cek := v.contentKey(key, &h, ek, pub)
	plain, ok := jose.OpenContent(h.Enc, cek, iv, []byte(token[:dots[0]]), buf)
	if ds != nil {
		ds.done, ds.duration = true, time.Since(start)
	}
	if !ok {
		return "", newError(ErrDecrypt, "ciphertext", "token cannot be decrypted")
	}
	if len(plain) == 0 {
		return "", newError(ErrMalformed, "token", "the encrypted content is empty")
	}
	// plain is a fresh buffer nothing writes again: the claims alias it
	// as they alias a plain token's decoded payload.
	return unsafe.String(&plain[0], len(plain)), nil
}

// contentKey returns the content-encryption key, or, when the key
// management fails (OAEP decoding, AES key unwrap), a random key of the
// right length: the content's authentication then fails as it does for a
// tampered ciphertext, with the same error after the same work.
func (v *Verifier) contentKey(key *DecryptionKey, h *jose.JWEHeader, ek []byte, pub *ecdh.PublicKey) []byte {
	n := h.Enc.KeyLen()
	random := make([]byte, n)
	rand.Read(random)
	var got []byte
	ok := false
	switch {
	case key.rsa != nil:
		out, err := rsa.DecryptOAEP(key.hash.New(), nil, key.rsa, ek, nil)
		ok = err == nil && len(out) == n
		got = out
	case key.ec != nil:
		z, err := key.ec.ECDH(pub)
		if err != nil {
			break
		}
		if key.alg == jose.ECDHES {
			got, ok = jose.ConcatKDF(z, h.Enc.String(), h.APU, h.APV, n), true
			break
		}
		kek := jose.ConcatKDF(z, h.Alg.String(), h.APU, h.APV, key.alg.WrapLen())
		got, ok = jose.Unwrap(kek, ek)
		ok = ok && len(got) == n
	case key.alg == jose.Dir:
		got, ok = key.secret, true
	default:
		got, ok = jose.Unwrap(key.secret, ek)
		ok = ok && len(got) == n
	}
	if !ok {
		return random
	}
	cek := make([]byte, n)
	subtle.ConstantTimeCopy(1, cek, got)
	return cek
}

// parseEPK reads the ephemeral public key of ECDH-ES: a JWK of the
// private key's curve only ({"kty":"EC","crv","x","y"} with coordinates of
// the field's size, or {"kty":"OKP","crv":"X25519","x"}), which crypto/ecdh
// checks is on the curve (CVE-2016-9121, the invalid-curve attack), before
// any private-key operation.
func parseEPK(raw []byte, curve ecdh.Curve) (*ecdh.PublicKey, error) {
	bad := func(msg string) error { return newError(ErrMalformed, "epk", `header "epk" `+msg) }
	if raw == nil {
		return nil, bad("is missing")
	}
	s := strictjson.NewScanner(raw)
	if err := s.BeginObject(); err != nil {
		return nil, bad("is malformed")
	}
	var m strictjson.Members
	var kty, crv string
	var x, y []byte
	for {
		name, ok, err := s.NextMember(&m)
		if err != nil {
			return nil, bad("is malformed")
		}
		if !ok {
			break
		}
		switch string(name) {
		case "kty", "crv", "x", "y":
			if s.Peek() != strictjson.String {
				return nil, bad("member of the wrong type")
			}
			raw, esc, err := s.ReadString()
			if err != nil || esc {
				return nil, bad("is malformed")
			}
			switch string(name) {
			case "kty":
				kty = string(raw)
			case "crv":
				crv = string(raw)
			case "x":
				x = raw
			case "y":
				y = raw
			}
		default:
			if s.Skip() != nil {
				return nil, bad("is malformed")
			}
		}
	}
	want := curveName(curve)
	if crv != want {
		return nil, bad("is not on the key's curve " + want)
	}
	size := map[string]int{"P-256": 32, "P-384": 48, "P-521": 66, "X25519": 32}[want]
	coord := func(c []byte) ([]byte, bool) {
		if jose.DecodedLen(len(c)) != size {
			return nil, false
		}
		d, err := jose.Decode(make([]byte, size), string(c))
		return d, err == nil
	}
	var point []byte
	if want == "X25519" {
		px, ok := coord(x)
		if kty != "OKP" || !ok || y != nil {
			return nil, bad("is not an X25519 key")
		}
		point = px
	} else {
		px, okx := coord(x)
		py, oky := coord(y)
		if kty != "EC" || !okx || !oky {
			return nil, bad("is not an EC key of " + want)
		}
		point = append(append([]byte{4}, px...), py...)
	}
	pub, err := curve.NewPublicKey(point)
	if err != nil {
		return nil, bad("is not a point of " + want)
	}
	return pub, nil
}

func jweHeaderError(err error, h *jose.JWEHeader) error {
	switch {
	case errors.Is(err, jose.ErrPBES2):
		return newError(ErrAlgorithm, "alg", err.Error())
	case errors.Is(err, jose.ErrNoAlg):
		return newError(ErrAlgorithm, "alg", "header has no alg")
	case errors.Is(err, jose.ErrUnknownAlg):
		return newError(ErrAlgorithm, "alg", "key management "+quoteID(h.AlgRaw)+" is not supported")
	case errors.Is(err, jose.ErrNoEnc):
		return newError(ErrAlgorithm, "enc", "header has no enc")
	case errors.Is(err, jose.ErrUnknownEnc):
		return newError(ErrAlgorithm, "enc", "content encryption "+quoteID(h.EncRaw)+" is not supported")
	case errors.Is(err, jose.ErrZip):
		return newError(ErrMalformed, "zip", err.Error())
	case errors.Is(err, jose.ErrContentType):
		return newError(ErrMalformed, "cty", err.Error())
	case errors.Is(err, jose.ErrKidTooLong), errors.Is(err, jose.ErrKidControl):
		return newError(ErrMalformed, "kid", err.Error())
	}
	return newError(ErrMalformed, "header", "header: "+err.Error())
}
