package jwks

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/big"
)

// This file decodes the members of one JWK: strings, canonical base64url,
// and the public key material of RSA and EC keys.

// maxRSABytes refuses moduli above 8192 bits before they become a big.Int
// (verifier.NewKey enforces the same bound).
const maxRSABytes = 1024

// rsaKey decodes n and e: minimal Base64urlUInt (no leading zero octet), n
// at most 8192 bits, e at most 2^31-1.
func rsaKey(m map[string]json.RawMessage) (*rsa.PublicKey, error) {
	n, err := b64Member(m, "n")
	if err != nil {
		return nil, err
	}
	e, err := b64Member(m, "e")
	if err != nil {
		return nil, err
	}
	switch {
	case len(n) == 0 || len(e) == 0:
		return nil, errors.New("n or e is empty")
	case n[0] == 0 || e[0] == 0:
		return nil, errors.New("n or e has a leading zero octet (not minimal Base64urlUInt)")
	case len(n) > maxRSABytes:
		return nil, fmt.Errorf("n longer than %d bits", maxRSABytes*8)
	case len(e) > 4:
		return nil, errors.New("e longer than 4 octets")
	}
	var ev uint64
	for _, b := range e {
		ev = ev<<8 | uint64(b)
	}
	if ev > math.MaxInt32 {
		return nil, errors.New("e larger than 2^31-1")
	}
	return &rsa.PublicKey{N: new(big.Int).SetBytes(n), E: int(ev)}, nil
}

// ecKey decodes x and y, each exactly the coordinate size of crv, into a
// point on the curve.
func ecKey(m map[string]json.RawMessage, crv string) (*ecdsa.PublicKey, error) {
	var curve elliptic.Curve
	switch crv {
	case "P-256":
		curve = elliptic.P256()
	case "P-384":
		curve = elliptic.P384()
	case "P-521":
		curve = elliptic.P521()
	}
	size := (curve.Params().BitSize + 7) / 8
	x, err := b64Member(m, "x")
	if err != nil {
		return nil, err
	}
	y, err := b64Member(m, "y")
	if err != nil {
		return nil, err
	}
	if len(x) != size || len(y) != size {
		return nil, fmt.Errorf("x and y are %d and %d bytes; want %d each", len(x), len(y), size)
	}
	pt := make([]byte, 0, 1+2*size)
	pt = append(append(append(pt, 4), x...), y...)
	// ParseUncompressedPublicKey refuses points off the curve, the point at
	// infinity and coordinates >= p (crypto/ecdh underneath).
	pub, err := ecdsa.ParseUncompressedPublicKey(curve, pt)
	if err != nil {
		return nil, fmt.Errorf("EC point refused: %v", err)
	}
	return pub, nil
}

// str returns the string member name; ok is false when it is absent, err
// set when it is present but not a string (null included).
func str(m map[string]json.RawMessage, name string) (s string, ok bool, err error) {
	raw, ok := m[name]
	if !ok {
		return "", false, nil
	}
	if first(raw) != '"' {
		return "", true, fmt.Errorf("%s is not a string", name)
	}
	if err := json.Unmarshal(raw, &s); err != nil {
		return "", true, err
	}
	return s, true, nil
}

// b64Member decodes a required base64url member canonically: only the
// URL alphabet (Go's decoder skips CR and LF), no padding, no non-zero
// trailing bits.
func b64Member(m map[string]json.RawMessage, name string) ([]byte, error) {
	s, ok, err := str(m, name)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, fmt.Errorf("%s missing", name)
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-' || c == '_') {
			return nil, fmt.Errorf("%s is not unpadded base64url", name)
		}
	}
	b, err := base64.RawURLEncoding.Strict().DecodeString(s)
	if err != nil {
		return nil, fmt.Errorf("%s is not canonical base64url", name)
	}
	return b, nil
}

// first returns the first byte of a JSON value, or 0.
func first(raw json.RawMessage) byte {
	for _, c := range raw {
		switch c {
		case ' ', '\t', '\n', '\r':
			continue
		}
		return c
	}
	return 0
}
