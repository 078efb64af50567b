package bench

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/hmac"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"time"
)

// The algorithms compared, in report order.
const (
	RS256 = "RS256"
	HS256 = "HS256"
	ES256 = "ES256"
)

// Algorithms lists the algorithms every run covers.
var Algorithms = []string{RS256, HS256, ES256}

// The identity of the fake Auth0 tenant and API that every contender is
// configured with.
const (
	Issuer   = "https://tokengate-bench.eu.auth0.com/"
	Audience = "https://api.tokengate.example/"
	// UserinfoAudience is the second aud entry Auth0 adds when the openid
	// scope is requested.
	UserinfoAudience = "https://tokengate-bench.eu.auth0.com/userinfo"
	// KeyID looks like an Auth0 kid.
	KeyID = "QzBGNkI1RkE4MDE2OEZDNEI2QjEwNzE2RTlCNEE1OTJFNjk1N0ZBMQ"
)

// Fixture is everything one algorithm's contenders share: the verification
// key, the tokens, and the JWKS document publishing the key.
type Fixture struct {
	Alg string
	// Key is what verifies: *rsa.PublicKey, *ecdsa.PublicKey, or the HMAC
	// secret as []byte.
	Key any

	// Good is the token every contender verifies in the benchmark.
	Good string
	// Tokens that must be rejected, each validly signed unless named
	// otherwise and differing from Good in one respect only.
	Expired       string
	WrongAudience string
	WrongIssuer   string
	BadSignature  string // Good's header and payload with another token's signature
	// WrongCustom has the roles custom claim as a string, not a list: what
	// the custom-claims contenders must refuse (their struct says a list).
	WrongCustom string

	// SigningInput and Signature are Good's first two parts and its decoded
	// signature: what the primitive floor works on.
	SigningInput string
	Signature    []byte

	// JWKS is a JSON Web Key Set holding the public key under KeyID; nil for
	// HS256 (a shared secret is never published in a JWKS).
	JWKS []byte
}

// Claims is the payload of the benchmark token, in the order Auth0 writes
// it: an access token for an API, obtained with the openid scope by a user
// of an organization, with RBAC permissions in the token, then four custom
// claims an Auth0 Action adds (namespaced, as Auth0 requires).
type Claims struct {
	Issuer      string   `json:"iss"`
	Subject     string   `json:"sub"`
	Audience    []string `json:"aud"`
	IssuedAt    int64    `json:"iat"`
	ExpiresAt   int64    `json:"exp"`
	Scope       string   `json:"scope"`
	OrgID       string   `json:"org_id"`
	AzP         string   `json:"azp"`
	Permissions []string `json:"permissions"`
	CustomClaims
}

// The names of the four custom claims of every benchmark token.
const (
	ClaimTenant  = "https://tokengate.example/tenant"
	ClaimRoles   = "https://tokengate.example/roles"
	ClaimProfile = "https://tokengate.example/profile"
	ClaimBeta    = "https://tokengate.example/beta"
)

// CustomClaims are the four custom claims of the benchmark token, as the
// custom-claims contenders decode them: a string, a list of three strings,
// an object of two strings and a bool. Every one of them decodes into this
// struct.
type CustomClaims struct {
	Tenant  string   `json:"https://tokengate.example/tenant"`
	Roles   []string `json:"https://tokengate.example/roles"`
	Profile Profile  `json:"https://tokengate.example/profile"`
	Beta    bool     `json:"https://tokengate.example/beta"`
}

// Profile is the object custom claim.
type Profile struct {
	Team   string `json:"team"`
	Region string `json:"region"`
}

// GoodCustom returns the custom claims of the good token.
func GoodCustom() CustomClaims {
	return CustomClaims{
		Tenant:  "acme-eu",
		Roles:   []string{"admin", "editor", "viewer"},
		Profile: Profile{Team: "platform", Region: "eu-west-1"},
		Beta:    true,
	}
}

// GoodClaims returns the claims of the good token, issued at now.
func GoodClaims(now time.Time) Claims {
	return Claims{
		Issuer:       Issuer,
		Subject:      "auth0|65f1c0ffee5eed5a1b2c3d4e",
		Audience:     []string{Audience, UserinfoAudience},
		IssuedAt:     now.Unix(),
		ExpiresAt:    now.Add(24 * time.Hour).Unix(),
		Scope:        "openid profile email read:items write:items",
		OrgID:        "org_7rWcG3Sxv1XNqX9Z",
		AzP:          "Xq3mJ8pLk2Vt9RwZ4cN7bY1sD6fG0hK5",
		Permissions:  []string{"read:items", "write:items", "delete:items"},
		CustomClaims: GoodCustom(),
	}
}

// Keys are the signing keys of one run: an RSA-2048 key, a P-256 key and a
// 32-byte HMAC secret (the sizes Auth0 uses).
type Keys struct {
	RSA    *rsa.PrivateKey
	EC     *ecdsa.PrivateKey
	Secret []byte
}

// NewKeys generates fresh keys.
func NewKeys() (*Keys, error) {
	rk, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return nil, err
	}
	ek, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	secret := make([]byte, 32)
	if _, err := rand.Read(secret); err != nil {
		return nil, err
	}
	return &Keys{RSA: rk, EC: ek, Secret: secret}, nil
}

// NewFixture signs the tokens of alg with k, as issued at now.
func NewFixture(alg string, k *Keys, now time.Time) (*Fixture, error) {
	f := &Fixture{Alg: alg}
	var err error
	switch alg {
	case RS256:
		f.Key = &k.RSA.PublicKey
		f.JWKS, err = jwksRSA(&k.RSA.PublicKey)
	case ES256:
		f.Key = &k.EC.PublicKey
		f.JWKS, err = jwksEC(&k.EC.PublicKey)
	case HS256:
		f.Key = k.Secret
	default:
		return nil, fmt.Errorf("bench: unsupported algorithm %q", alg)
	}
	if err != nil {
		return nil, err
	}
	header := tokenHeader(alg)

	good := GoodClaims(now)
	expired := good
	expired.IssuedAt = now.Add(-2 * time.Hour).Unix()
	expired.ExpiresAt = now.Add(-time.Hour).Unix()
	wrongAud := good
	wrongAud.Audience = []string{"https://other-api.tokengate.example/", UserinfoAudience}
	wrongIss := good
	wrongIss.Issuer = "https://attacker.eu.auth0.com/"

	for _, t := range []struct {
		dst *string
		c   any
	}{{&f.Good, good}, {&f.Expired, expired}, {&f.WrongAudience, wrongAud}, {&f.WrongIssuer, wrongIss}, {&f.WrongCustom, wrongCustom(good)}} {
		if *t.dst, err = signToken(alg, k, header, t.c); err != nil {
			return nil, err
		}
	}
	dot := lastDot(f.Good)
	f.SigningInput = f.Good[:dot]
	if f.Signature, err = base64.RawURLEncoding.DecodeString(f.Good[dot+1:]); err != nil {
		return nil, err
	}
	f.BadSignature = f.SigningInput + f.Expired[lastDot(f.Expired):]
	return f, nil
}

// Token signs c with k's key for alg under the benchmark header; the
// end-to-end benchmark uses it to mint a set of distinct valid tokens.
func (k *Keys) Token(alg string, c Claims) (string, error) {
	return signToken(alg, k, tokenHeader(alg), c)
}

func tokenHeader(alg string) string {
	return fmt.Sprintf(`{"alg":%q,"typ":"JWT","kid":%q}`, alg, KeyID)
}

func lastDot(s string) int {
	for i := len(s) - 1; i >= 0; i-- {
		if s[i] == '.' {
			return i
		}
	}
	return -1
}

// wrongCustom is c with its roles claim a string: the same payload
// otherwise, in the same member order.
func wrongCustom(c Claims) any {
	type wrongCustomClaims struct {
		Claims
		Roles string `json:"https://tokengate.example/roles"` // shallower: hides Claims' Roles
	}
	return wrongCustomClaims{Claims: c, Roles: "admin editor viewer"}
}

func signToken(alg string, k *Keys, header string, c any) (string, error) {
	payload, err := json.Marshal(c)
	if err != nil {
		return "", err
	}
	input := b64(header) + "." + b64(string(payload))
	sig, err := sign(alg, k, []byte(input))
	if err != nil {
		return "", err
	}
	return input + "." + base64.RawURLEncoding.EncodeToString(sig), nil
}

func b64(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }

func sign(alg string, k *Keys, input []byte) ([]byte, error) {
	d := sha256.Sum256(input)
	switch alg {
	case RS256:
		return rsa.SignPKCS1v15(nil, k.RSA, crypto.SHA256, d[:])
	case ES256:
		r, s, err := ecdsa.Sign(rand.Reader, k.EC, d[:])
		if err != nil {
			return nil, err
		}
		// JWS ES256 signatures are R||S, 32 bytes each (RFC 7518 section 3.4).
		sig := make([]byte, 64)
		r.FillBytes(sig[:32])
		s.FillBytes(sig[32:])
		return sig, nil
	case HS256:
		m := hmac.New(sha256.New, k.Secret)
		m.Write(input)
		return m.Sum(nil), nil
	}
	return nil, errors.New("bench: unsupported algorithm " + alg)
}

type jwk struct {
	Kty string `json:"kty"`
	Use string `json:"use"`
	Alg string `json:"alg"`
	Kid string `json:"kid"`
	N   string `json:"n,omitempty"`
	E   string `json:"e,omitempty"`
	Crv string `json:"crv,omitempty"`
	X   string `json:"x,omitempty"`
	Y   string `json:"y,omitempty"`
}

func jwksOf(k jwk) ([]byte, error) {
	return json.Marshal(struct {
		Keys []jwk `json:"keys"`
	}{[]jwk{k}})
}

func jwksRSA(pub *rsa.PublicKey) ([]byte, error) {
	return jwksOf(jwk{
		Kty: "RSA", Use: "sig", Alg: RS256, Kid: KeyID,
		N: base64.RawURLEncoding.EncodeToString(pub.N.Bytes()),
		E: base64.RawURLEncoding.EncodeToString(big.NewInt(int64(pub.E)).Bytes()),
	})
}

func jwksEC(pub *ecdsa.PublicKey) ([]byte, error) {
	b, err := pub.Bytes() // uncompressed point: 0x04 || X || Y
	if err != nil {
		return nil, err
	}
	return jwksOf(jwk{
		Kty: "EC", Use: "sig", Alg: ES256, Kid: KeyID, Crv: "P-256",
		X: base64.RawURLEncoding.EncodeToString(b[1:33]),
		Y: base64.RawURLEncoding.EncodeToString(b[33:65]),
	})
}
