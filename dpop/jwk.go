package dpop

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"math/big"

	"github.com/tokengate/tokengate/internal/jose"
	"github.com/tokengate/tokengate/internal/strictjson"
	"github.com/tokengate/tokengate/verifier"
)

// proofKey is a proof's jwk, parsed, checked and bound to one algorithm.
type proofKey struct {
	alg jose.Alg
	pub crypto.PublicKey // *ecdsa.PublicKey, ed25519.PublicKey or *rsa.PublicKey
	jkt string           // RFC 7638 thumbprint, base64url
}

func (k *proofKey) verify(alg jose.Alg, input string, sig []byte) bool {
	switch pub := k.pub.(type) {
	case *ecdsa.PublicKey:
		return jose.VerifyEC(alg, pub, input, sig)
	case ed25519.PublicKey:
		return jose.VerifyEd25519(pub, input, sig)
	case *rsa.PublicKey:
		return jose.VerifyRSA(alg, pub, input, sig)
	}
	return false
}

// Members of a JWK that hold private key material (RFC 7518 section 6):
// a proof's jwk with any of them is refused (RFC 9449 section 4.3 check 7),
// whatever their value.
func isPrivateMember(name string) bool {
	switch name {
	case "d", "p", "q", "dp", "dq", "qi", "oth", "k":
		return true
	}
	return false
}

// parseJWK reads the jwk header member raw (strict JSON, already checked
// for duplicates) as the public key of a proof signed with alg: kty must
// fit alg (EC with the curve alg names, OKP Ed25519, RSA), the coordinates
// must be canonical base64url of the exact size (so that the thumbprint is
// unique to the key), no private member may be present, an alg member must
// name alg, and the key must pass verifier.NewKey's policy (points on the
// curve, Ed25519 keys not of small order, RSA of 2048 to 8192 bits with a
// sound exponent).
func parseJWK(raw []byte, alg jose.Alg) (*proofKey, error) {
	s := strictjson.NewScanner(raw)
	if s.Peek() != strictjson.Object {
		return nil, fail(ErrKey, "jwk is not a JSON object")
	}
	if err := s.BeginObject(); err != nil {
		return nil, fail(ErrKey, "jwk: "+err.Error())
	}
	var kty, crv, x, y, n, e, jwkAlg []byte
	var hasAlg bool
	var m strictjson.Members
	for {
		name, ok, err := s.NextMember(&m)
		if err != nil {
			return nil, fail(ErrKey, "jwk: "+err.Error())
		}
		if !ok {
			break
		}
		if isPrivateMember(string(name)) {
			return nil, fail(ErrKey, "jwk holds private key material")
		}
		var dst *[]byte
		switch string(name) {
		case "kty":
			dst = &kty
		case "crv":
			dst = &crv
		case "x":
			dst = &x
		case "y":
			dst = &y
		case "n":
			dst = &n
		case "e":
			dst = &e
		case "alg":
			dst, hasAlg = &jwkAlg, true
		default:
			if err := s.Skip(); err != nil {
				return nil, fail(ErrKey, "jwk: "+err.Error())
			}
			continue
		}
		if s.Peek() != strictjson.String {
			return nil, fail(ErrKey, "jwk member "+string(name)+" must be a string")
		}
		v, esc, err := s.ReadString()
		if err != nil {
			return nil, fail(ErrKey, "jwk: "+err.Error())
		}
		if esc {
			v = strictjson.Unescape(nil, v)
		}
		*dst = v
	}
	if err := s.End(); err != nil {
		return nil, fail(ErrKey, "jwk: "+err.Error())
	}
	if hasAlg {
		if a, ok := jose.ParseAlg(string(jwkAlg)); !ok || !(a == alg || a.Family() == jose.FamilyOKP && alg.Family() == jose.FamilyOKP) {
			return nil, fail(ErrKey, "jwk alg does not match the header alg")
		}
	}
	k := &proofKey{alg: alg}
	var canon []byte
	switch string(kty) {
	case "EC":
		pub, err := ecKey(alg, crv, x, y)
		if err != nil {
			return nil, err
		}
		k.pub = pub
		canon = appendMembers(nil, "crv", crv, "kty", kty, "x", x, "y", y)
	case "OKP":
		if alg.Family() != jose.FamilyOKP {
			return nil, fail(ErrKey, "an OKP key cannot sign "+alg.String())
		}
		if string(crv) != "Ed25519" {
			return nil, fail(ErrKey, "OKP curve must be Ed25519")
		}
		xb, err := coordinate(x, ed25519.PublicKeySize)
		if err != nil {
			return nil, err
		}
		k.pub = ed25519.PublicKey(xb)
		canon = appendMembers(nil, "crv", crv, "kty", kty, "x", x)
	case "RSA":
		pub, err := rsaKey(alg, n, e)
		if err != nil {
			return nil, err
		}
		k.pub = pub
		canon = appendMembers(nil, "e", e, "kty", kty, "n", n)
	case "oct":
		return nil, fail(ErrKey, "jwk is a symmetric key")
	case "":
		return nil, fail(ErrKey, "jwk has no kty")
	default:
		return nil, fail(ErrKey, "jwk kty is not EC, OKP or RSA")
	}
	// The one key policy of tokengate, as for the keys that verify tokens.
	if _, err := verifier.NewKey("", alg.String(), k.pub); err != nil {
		return nil, fail(ErrKey, "jwk: "+err.Error())
	}
	sum := sha256.Sum256(canon)
	k.jkt = base64.RawURLEncoding.EncodeToString(sum[:])
	return k, nil
}

// appendMembers writes the RFC 7638 canonical JSON of the required members,
// given in lexical order. Every value is canonical base64url or a fixed
// name (checked by the callers), so no escaping is needed.
func appendMembers(dst []byte, kv ...any) []byte {
	dst = append(dst, '{')
	for i := 0; i < len(kv); i += 2 {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = append(dst, '"')
		dst = append(dst, kv[i].(string)...)
		dst = append(dst, `":"`...)
		dst = append(dst, kv[i+1].([]byte)...)
		dst = append(dst, '"')
	}
	return append(dst, '}')
}

// coordinate decodes a canonical base64url value of exactly size bytes.
func coordinate(b []byte, size int) ([]byte, error) {
	if len(b) == 0 || jose.DecodedLen(len(b)) != size {
		return nil, fail(ErrKey, "jwk coordinate of the wrong size")
	}
	out, err := jose.Decode(make([]byte, size), string(b))
	if err != nil || len(out) != size {
		return nil, fail(ErrKey, "jwk coordinate is not canonical base64url")
	}
	return out, nil
}

func ecKey(alg jose.Alg, crv, x, y []byte) (*ecdsa.PublicKey, error) {
	var curve elliptic.Curve
	var name string
	switch alg {
	case jose.ES256:
		curve, name = elliptic.P256(), "P-256"
	case jose.ES384:
		curve, name = elliptic.P384(), "P-384"
	case jose.ES512:
		curve, name = elliptic.P521(), "P-521"
	default:
		return nil, fail(ErrKey, "an EC key cannot sign "+alg.String())
	}
	if string(crv) != name {
		return nil, fail(ErrKey, "EC curve does not match "+alg.String())
	}
	size := jose.ECSize(alg)
	xb, err := coordinate(x, size)
	if err != nil {
		return nil, err
	}
	yb, err := coordinate(y, size)
	if err != nil {
		return nil, err
	}
	point := make([]byte, 0, 1+2*size)
	point = append(append(append(point, 4), xb...), yb...)
	pub, err := ecdsa.ParseUncompressedPublicKey(curve, point)
	if err != nil {
		return nil, fail(ErrKey, "EC point is not on the curve")
	}
	return pub, nil
}

// maxRSAModulus is the largest modulus in bytes (RSA-8192); the key policy
// refuses larger ones anyway, this only bounds the decoding.
const maxRSAModulus = 1024

func rsaKey(alg jose.Alg, n, e []byte) (*rsa.PublicKey, error) {
	if alg.Family() != jose.FamilyRSA {
		return nil, fail(ErrKey, "an RSA key cannot sign "+alg.String())
	}
	if len(n) == 0 || len(e) == 0 || jose.DecodedLen(len(n)) > maxRSAModulus || jose.DecodedLen(len(e)) > 4 {
		return nil, fail(ErrKey, "RSA n or e missing or too long")
	}
	nb, err := jose.Decode(make([]byte, jose.DecodedLen(len(n))), string(n))
	if err != nil {
		return nil, fail(ErrKey, "RSA n is not canonical base64url")
	}
	eb, err := jose.Decode(make([]byte, jose.DecodedLen(len(e))), string(e))
	if err != nil {
		return nil, fail(ErrKey, "RSA e is not canonical base64url")
	}
	// Minimal encodings (RFC 7518 section 6.3.1), so that one key has one
	// thumbprint.
	if len(nb) == 0 || nb[0] == 0 || len(eb) == 0 || eb[0] == 0 {
		return nil, fail(ErrKey, "RSA n or e has leading zero bytes")
	}
	var ev int
	for _, b := range eb {
		ev = ev<<8 | int(b)
	}
	return &rsa.PublicKey{N: new(big.Int).SetBytes(nb), E: ev}, nil
}

// Thumbprint returns the RFC 7638 SHA-256 thumbprint of a public key
// (*ecdsa.PublicKey on P-256, P-384 or P-521, ed25519.PublicKey or
// *rsa.PublicKey), base64url: the cnf.jkt of a token bound to it.
func Thumbprint(pub crypto.PublicKey) (string, error) {
	enc := base64.RawURLEncoding
	var canon []byte
	switch k := pub.(type) {
	case *ecdsa.PublicKey:
		var name string
		switch k.Curve {
		case elliptic.P256():
			name = "P-256"
		case elliptic.P384():
			name = "P-384"
		case elliptic.P521():
			name = "P-521"
		default:
			return "", errors.New("dpop: unsupported curve")
		}
		b, err := k.Bytes()
		if err != nil {
			return "", err
		}
		size := (len(b) - 1) / 2
		x, y := enc.EncodeToString(b[1:1+size]), enc.EncodeToString(b[1+size:])
		canon = appendMembers(nil, "crv", []byte(name), "kty", []byte("EC"), "x", []byte(x), "y", []byte(y))
	case ed25519.PublicKey:
		if len(k) != ed25519.PublicKeySize {
			return "", errors.New("dpop: Ed25519 key of the wrong size")
		}
		canon = appendMembers(nil, "crv", []byte("Ed25519"), "kty", []byte("OKP"), "x", []byte(enc.EncodeToString(k)))
	case *rsa.PublicKey:
		if k == nil || k.N == nil || k.E <= 0 {
			return "", errors.New("dpop: incomplete RSA key")
		}
		e := big.NewInt(int64(k.E)).Bytes()
		canon = appendMembers(nil, "e", []byte(enc.EncodeToString(e)), "kty", []byte("RSA"), "n", []byte(enc.EncodeToString(k.N.Bytes())))
	default:
		return "", errors.New("dpop: unsupported key type")
	}
	sum := sha256.Sum256(canon)
	return enc.EncodeToString(sum[:]), nil
}
