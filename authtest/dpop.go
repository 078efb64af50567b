package authtest

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"fmt"
	"maps"
	"math/big"
	"time"

	"github.com/tokengate/tokengate/dpop"
)

// DPoPKey is a client's DPoP key pair (RFC 9449): it signs proofs, and its
// thumbprint (JKT) is what a DPoP-bound token's cnf.jkt names.
type DPoPKey struct {
	alg    string
	signer crypto.Signer
	jwk    map[string]any // the public JWK
	jkt    string
}

// NewDPoPKey generates a key for alg: "ES256" (also for ""), "ES384",
// "ES512", "EdDSA" (Ed25519), or RS256/RS384/RS512/PS256/PS384/PS512 (RSA
// 2048).
func NewDPoPKey(alg string) (*DPoPKey, error) {
	if alg == "" {
		alg = "ES256"
	}
	spec, ok := algs[alg]
	if !ok || spec.family == "HMAC" {
		return nil, fmt.Errorf("%w: no DPoP key for %q", ErrKey, alg)
	}
	var signer crypto.Signer
	var err error
	switch spec.family {
	case "EC":
		signer, err = ecdsa.GenerateKey(spec.curve, rand.Reader)
	case "OKP":
		_, signer, err = ed25519.GenerateKey(rand.Reader)
	default:
		signer, err = rsa.GenerateKey(rand.Reader, 2048)
	}
	if err != nil {
		return nil, err
	}
	return DPoPKeyFrom(alg, signer)
}

// DPoPKeyFrom wraps an existing private key (*ecdsa.PrivateKey,
// ed25519.PrivateKey or *rsa.PrivateKey) for alg.
func DPoPKeyFrom(alg string, signer crypto.Signer) (*DPoPKey, error) {
	spec, ok := algs[alg]
	if !ok || spec.family == "HMAC" {
		return nil, fmt.Errorf("%w: no DPoP key for %q", ErrKey, alg)
	}
	jwk, err := publicJWK(signer.Public())
	if err != nil {
		return nil, err
	}
	if _, err := signInput(spec, alg, signer, []byte("probe")); err != nil {
		return nil, err // the key does not fit alg
	}
	jkt, err := dpop.Thumbprint(signer.Public())
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrKey, err)
	}
	return &DPoPKey{alg: alg, signer: signer, jwk: jwk, jkt: jkt}, nil
}

// JKT returns the RFC 7638 thumbprint of the key: the cnf.jkt of tokens
// bound to it.
func (k *DPoPKey) JKT() string { return k.jkt }

// Algorithm returns the algorithm the key signs proofs with.
func (k *DPoPKey) Algorithm() string { return k.alg }

// PublicJWK returns a copy of the public key as a JWK, as a proof's jwk
// header carries it.
func (k *DPoPKey) PublicJWK() map[string]any { return maps.Clone(k.jwk) }

// Signer returns the private key.
func (k *DPoPKey) Signer() crypto.Signer { return k.signer }

// Proof describes a DPoP proof for DPoPKey.Proof. The zero value (with
// URL) is a valid proof of a GET, made now, with a random jti, no ath and no
// nonce.
type Proof struct {
	// Method is htm. Default "GET".
	Method string
	// URL is htu: the URL of the request, without query or fragment.
	URL string
	// AccessToken, when set, adds ath, its base64url SHA-256 (RFC 9449
	// section 4.2): set it for requests to a resource server.
	AccessToken string
	// Nonce, when set, is the nonce claim (a server's DPoP-Nonce).
	Nonce string
	// IssuedAt is iat. Default time.Now().
	IssuedAt time.Time
	// ID is jti. Default 16 random bytes, base64url.
	ID string
	// Claims are merged over the claims above; a nil value removes a claim
	// ({"jti": nil} mints a proof without jti).
	Claims map[string]any
	// Header is merged over {"typ": "dpop+jwt", "alg", "jwk"}; a nil value
	// removes a member. The proof is signed under the key's algorithm
	// whatever the header says, except that {"alg": "none"} mints an
	// unsigned proof and {"alg": "HS256"} (or HS384, HS512) one MACed with
	// Secret.
	Header map[string]any
	// SignWith, when set, signs (under the key's algorithm) instead of the
	// key named in the jwk header: a proof whose signature does not verify.
	SignWith crypto.Signer
	// Secret is the MAC key of a proof whose header names an HMAC alg.
	Secret []byte
}

// Proof signs a DPoP proof as described by p. Only the signature is
// computed, nothing is checked: broken proofs are as easy as good ones.
func (k *DPoPKey) Proof(p Proof) (string, error) {
	method := p.Method
	if method == "" {
		method = "GET"
	}
	iat := p.IssuedAt
	if iat.IsZero() {
		iat = time.Now()
	}
	jti := p.ID
	if jti == "" {
		var b [16]byte
		if _, err := rand.Read(b[:]); err != nil {
			return "", err
		}
		jti = b64.EncodeToString(b[:])
	}
	claims := map[string]any{"htm": method, "htu": p.URL, "iat": iat.Unix(), "jti": jti}
	if p.AccessToken != "" {
		claims["ath"] = TokenHash(p.AccessToken)
	}
	if p.Nonce != "" {
		claims["nonce"] = p.Nonce
	}
	hdr := map[string]any{"typ": "dpop+jwt", "alg": k.alg, "jwk": k.jwk}
	header, err := marshalMembers(hdr, p.Header)
	if err != nil {
		return "", fmt.Errorf("authtest: proof header: %w", err)
	}
	payload, err := marshalMembers(claims, p.Claims)
	if err != nil {
		return "", fmt.Errorf("authtest: proof claims: %w", err)
	}
	// The header's alg is what the proof claims; it is signed with the
	// key's own algorithm (so a header may lie), except that "none" leaves
	// it unsigned and an HMAC alg MACs it with Secret.
	named, _ := hdr["alg"].(string)
	switch {
	case named == "none":
		return b64.EncodeToString(header) + "." + b64.EncodeToString(payload) + ".", nil
	case algs[named].family == "HMAC":
		return signJWS(named, p.Secret, header, payload)
	case p.SignWith != nil:
		return signJWS(k.alg, p.SignWith, header, payload)
	}
	return signJWS(k.alg, k.signer, header, payload)
}

// TokenHash returns the ath of a proof for accessToken: the base64url
// SHA-256 of the token (RFC 9449 section 4.2).
func TokenHash(accessToken string) string {
	sum := sha256.Sum256([]byte(accessToken))
	return b64.EncodeToString(sum[:])
}

// publicJWK returns the members of pub's JWK (RFC 7517, 7518, 8037).
func publicJWK(pub crypto.PublicKey) (map[string]any, error) {
	switch k := pub.(type) {
	case *ecdsa.PublicKey:
		var crv string
		switch k.Curve {
		case elliptic.P256():
			crv = "P-256"
		case elliptic.P384():
			crv = "P-384"
		case elliptic.P521():
			crv = "P-521"
		default:
			return nil, fmt.Errorf("%w: unsupported curve", ErrKey)
		}
		enc, err := k.Bytes()
		if err != nil {
			return nil, fmt.Errorf("%w: %v", ErrKey, err)
		}
		size := (len(enc) - 1) / 2
		return map[string]any{"kty": "EC", "crv": crv, "x": b64.EncodeToString(enc[1 : 1+size]), "y": b64.EncodeToString(enc[1+size:])}, nil
	case ed25519.PublicKey:
		return map[string]any{"kty": "OKP", "crv": "Ed25519", "x": b64.EncodeToString(k)}, nil
	case *rsa.PublicKey:
		return map[string]any{"kty": "RSA", "n": b64.EncodeToString(k.N.Bytes()), "e": b64.EncodeToString(big.NewInt(int64(k.E)).Bytes())}, nil
	}
	return nil, fmt.Errorf("%w: unsupported key type %T", ErrKey, pub)
}

// PrivateJWK returns the key as a JWK with its private members, for tests
// that put private key material where only a public key belongs.
func (k *DPoPKey) PrivateJWK() map[string]any {
	out := maps.Clone(k.jwk)
	switch s := k.signer.(type) {
	case *ecdsa.PrivateKey:
		b, err := s.Bytes()
		if err == nil {
			out["d"] = b64.EncodeToString(b)
		}
	case ed25519.PrivateKey:
		out["d"] = b64.EncodeToString(s.Seed())
	case *rsa.PrivateKey:
		out["d"] = b64.EncodeToString(s.D.Bytes())
		out["p"] = b64.EncodeToString(s.Primes[0].Bytes())
		out["q"] = b64.EncodeToString(s.Primes[1].Bytes())
	}
	return out
}
