package authentication

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"time"

	"github.com/lestrrat-go/jwx/v3/jwa"
	"github.com/lestrrat-go/jwx/v3/jws"
)

// AssertionType is the client_assertion_type of private_key_jwt (RFC 7523).
const AssertionType = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"

// assertionLifetime is the exp - iat of a client assertion, as the Auth0
// SDKs use.
const assertionLifetime = 180 * time.Second

// signer makes private_key_jwt client assertions.
type signer struct {
	key      crypto.Signer
	alg      jwa.SignatureAlgorithm
	clientID string
	audience string // the tenant base URL + "/"
	now      func() time.Time
}

// checkAssertionKey binds the algorithm to the key type (and curve), so a
// misconfiguration fails in New rather than as a 401 at the first call.
func checkAssertionKey(key crypto.Signer, alg string) (jwa.SignatureAlgorithm, error) {
	var none jwa.SignatureAlgorithm
	if key == nil {
		return none, errors.New("authentication: nil client assertion key")
	}
	if alg == "" {
		alg = "RS256"
	}
	pub := key.Public()
	switch alg {
	case "RS256", "RS384", "RS512", "PS256", "PS384", "PS512":
		k, ok := pub.(*rsa.PublicKey)
		if !ok {
			return none, fmt.Errorf("authentication: %s needs an RSA key, got %T", alg, pub)
		}
		if k.N.BitLen() < 2048 {
			return none, fmt.Errorf("authentication: RSA key of %d bits, need at least 2048", k.N.BitLen())
		}
	case "ES256", "ES384", "ES512":
		k, ok := pub.(*ecdsa.PublicKey)
		if !ok {
			return none, fmt.Errorf("authentication: %s needs an ECDSA key, got %T", alg, pub)
		}
		want := map[string]elliptic.Curve{"ES256": elliptic.P256(), "ES384": elliptic.P384(), "ES512": elliptic.P521()}[alg]
		if k.Curve != want {
			return none, fmt.Errorf("authentication: %s needs curve %s, got %s", alg, want.Params().Name, k.Curve.Params().Name)
		}
	case "EdDSA":
		if _, ok := pub.(ed25519.PublicKey); !ok {
			return none, fmt.Errorf("authentication: EdDSA needs an Ed25519 key, got %T", pub)
		}
	default:
		return none, fmt.Errorf("authentication: client assertion algorithm %q not supported", alg)
	}
	// jwx/v3 algorithms are values of a struct type, found by name.
	a, ok := jwa.LookupSignatureAlgorithm(alg)
	if !ok {
		return none, fmt.Errorf("authentication: client assertion algorithm %q not known to jwx", alg)
	}
	return a, nil
}

// ParsePrivateKeyPEM reads a PKCS #8, PKCS #1 (RSA) or SEC 1 (EC) private
// key in PEM form, for Config.ClientAssertionKey (the Auth0 SDKs take the
// assertion key as PEM text).
func ParsePrivateKeyPEM(data []byte) (crypto.Signer, error) {
	block, _ := pem.Decode(data)
	if block == nil {
		return nil, errors.New("authentication: no PEM block in the client assertion key")
	}
	var (
		key any
		err error
	)
	switch block.Type {
	case "PRIVATE KEY":
		key, err = x509.ParsePKCS8PrivateKey(block.Bytes)
	case "RSA PRIVATE KEY":
		key, err = x509.ParsePKCS1PrivateKey(block.Bytes)
	case "EC PRIVATE KEY":
		key, err = x509.ParseECPrivateKey(block.Bytes)
	default:
		return nil, fmt.Errorf("authentication: PEM block %q is not a private key", block.Type)
	}
	if err != nil {
		return nil, fmt.Errorf("authentication: parsing the client assertion key: %w", err)
	}
	s, ok := key.(crypto.Signer)
	if !ok {
		return nil, fmt.Errorf("authentication: %T cannot sign", key)
	}
	return s, nil
}

// assertion returns a fresh client assertion: iss = sub = client ID,
// aud = "https://{domain}/", iat, exp = iat + 180 s, a random jti. A new one
// is made for every request (and every retry), so no jti is used twice.
func (s *signer) assertion() (string, error) {
	var id [16]byte
	if _, err := rand.Read(id[:]); err != nil {
		return "", err
	}
	id[6] = id[6]&0x0f | 0x40 // UUID version 4, as the Auth0 SDKs send
	id[8] = id[8]&0x3f | 0x80
	h := hex.EncodeToString(id[:])
	jti := h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
	now := s.now().Unix()
	payload, err := json.Marshal(struct {
		Iss string `json:"iss"`
		Sub string `json:"sub"`
		Aud string `json:"aud"`
		Iat int64  `json:"iat"`
		Exp int64  `json:"exp"`
		Jti string `json:"jti"`
	}{s.clientID, s.clientID, s.audience, now, now + int64(assertionLifetime/time.Second), jti})
	if err != nil {
		return "", err
	}
	hdr := jws.NewHeaders()
	if err := hdr.Set(jws.TypeKey, "JWT"); err != nil {
		return "", err
	}
	tok, err := jws.Sign(payload, jws.WithKey(s.alg, s.key, jws.WithProtectedHeaders(hdr)))
	if err != nil {
		return "", fmt.Errorf("authentication: signing the client assertion: %w", err)
	}
	return string(tok), nil
}
