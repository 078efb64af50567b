package bench

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/hmac"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"slices"
	"strings"
	"time"
)

// PrimitiveFunc checks a signature over input with the bare primitive.
type PrimitiveFunc func(input []byte) bool

// NewPrimitive returns the primitive floor for f: SHA-256 of the signing
// input plus rsa.VerifyPKCS1v15, ecdsa.Verify, or an HMAC-SHA256 (hmac.New,
// Write, Sum, hmac.Equal), against sig, which is decoded (and for ES256
// split into r and s) beforehand. Nothing else: no parsing, no claims. It is
// the physical floor that DESIGN.md's targets are ratios to.
func NewPrimitive(f *Fixture, sig []byte) (PrimitiveFunc, error) {
	switch f.Alg {
	case RS256:
		pub := f.Key.(*rsa.PublicKey)
		return func(input []byte) bool {
			d := sha256.Sum256(input)
			return rsa.VerifyPKCS1v15(pub, crypto.SHA256, d[:], sig) == nil
		}, nil
	case ES256:
		if len(sig) != 64 {
			return nil, errors.New("bench: ES256 signature is not 64 bytes")
		}
		pub := f.Key.(*ecdsa.PublicKey)
		r := new(big.Int).SetBytes(sig[:32])
		s := new(big.Int).SetBytes(sig[32:])
		return func(input []byte) bool {
			d := sha256.Sum256(input)
			return ecdsa.Verify(pub, d[:], r, s)
		}, nil
	case HS256:
		secret := f.Key.([]byte)
		return func(input []byte) bool {
			m := hmac.New(sha256.New, secret)
			m.Write(input)
			var buf [sha256.Size]byte
			return hmac.Equal(m.Sum(buf[:0]), sig)
		}, nil
	}
	return nil, fmt.Errorf("bench: unsupported algorithm %q", f.Alg)
}

// minimal is the second floor: the least code that still verifies a token
// fully, written the way a careful engineer would in an afternoon with the
// standard library: split, base64url-decode, check alg, the primitive,
// encoding/json into a struct, iss, aud, exp. It is not hardened (no
// duplicate-member or case-folding checks, no size limits): it shows what
// the work itself costs.
func minimal() Contender {
	return Contender{
		Name:    NameMinimal,
		Library: "standard library",
		Setup:   "hand-written: strings.Cut, base64 RawURLEncoding, encoding/json header and claims structs, primitive, iss/aud/exp",
		Algs:    allAlgs,
		New: func(f *Fixture) (VerifyFunc, func(), error) {
			return func(_ context.Context, token string) error {
				return minimalVerify(f, token, time.Now())
			}, func() {}, nil
		},
	}
}

// minimalCustom is the minimal floor with the custom claims in its claims
// struct.
func minimalCustom() Contender {
	return Contender{
		Name:    NameMinimalCustom,
		Library: "standard library",
		Setup:   "as floor-minimal, with CustomClaims (embedded) in the encoding/json claims struct",
		Algs:    allAlgs,
		NewDecode: func(f *Fixture) (DecodeFunc, func(), error) {
			return func(_ context.Context, token string) (*CustomClaims, error) {
				var c struct {
					minimalClaims
					CustomClaims
				}
				if err := minimalVerifyInto(f, token, time.Now(), &c.minimalClaims, &c); err != nil {
					return nil, err
				}
				return &c.CustomClaims, nil
			}, func() {}, nil
		},
	}
}

type minimalHeader struct {
	Alg string `json:"alg"`
	Kid string `json:"kid"`
	Typ string `json:"typ"`
}

// audience decodes aud as a string or an array of strings.
type audience []string

func (a *audience) UnmarshalJSON(b []byte) error {
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*a = audience{s}
		return nil
	}
	return json.Unmarshal(b, (*[]string)(a))
}

type minimalClaims struct {
	Iss         string   `json:"iss"`
	Sub         string   `json:"sub"`
	Aud         audience `json:"aud"`
	Exp         *float64 `json:"exp"`
	Iat         float64  `json:"iat"`
	AzP         string   `json:"azp"`
	Scope       string   `json:"scope"`
	Permissions []string `json:"permissions"`
	OrgID       string   `json:"org_id"`
}

var errMinimal = errors.New("minimal: invalid token")

func minimalVerify(f *Fixture, token string, now time.Time) error {
	var c minimalClaims
	return minimalVerifyInto(f, token, now, &c, &c)
}

// minimalVerifyInto verifies token, decoding its claims into into, whose
// registered claims are c.
func minimalVerifyInto(f *Fixture, token string, now time.Time, c *minimalClaims, into any) error {
	h, rest, ok := strings.Cut(token, ".")
	if !ok {
		return errMinimal
	}
	p, s, ok := strings.Cut(rest, ".")
	if !ok || strings.IndexByte(s, '.') >= 0 {
		return errMinimal
	}
	hb, err := base64.RawURLEncoding.Strict().DecodeString(h)
	if err != nil {
		return err
	}
	var hdr minimalHeader
	if err := json.Unmarshal(hb, &hdr); err != nil {
		return err
	}
	if hdr.Alg != f.Alg || hdr.Kid != KeyID {
		return errMinimal
	}
	sig, err := base64.RawURLEncoding.Strict().DecodeString(s)
	if err != nil {
		return err
	}
	input := token[:len(h)+1+len(p)]
	if !minimalSignature(f, input, sig) {
		return errMinimal
	}
	pb, err := base64.RawURLEncoding.Strict().DecodeString(p)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(pb, into); err != nil {
		return err
	}
	if c.Iss != Issuer || !slices.Contains(c.Aud, Audience) || c.Exp == nil || float64(now.Unix()) >= *c.Exp {
		return errMinimal
	}
	return nil
}

func minimalSignature(f *Fixture, input string, sig []byte) bool {
	d := sha256.Sum256([]byte(input))
	switch k := f.Key.(type) {
	case *rsa.PublicKey:
		return rsa.VerifyPKCS1v15(k, crypto.SHA256, d[:], sig) == nil
	case *ecdsa.PublicKey:
		if len(sig) != 64 {
			return false
		}
		return ecdsa.Verify(k, d[:], new(big.Int).SetBytes(sig[:32]), new(big.Int).SetBytes(sig[32:]))
	case []byte:
		m := hmac.New(sha256.New, k)
		m.Write([]byte(input))
		return hmac.Equal(m.Sum(nil), sig)
	}
	return false
}
