package authtest

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/rsa"
	"crypto/x509"
	"fmt"
	"strings"
	"time"
)

// Token describes a token for Mint. The zero value mints an RS256 token
// with the tenant's current key, claims iss, iat and exp only.
type Token struct {
	// Claims are merged over the defaults iss (the tenant's issuer), iat
	// (now) and exp (now + ExpiresIn). A nil value removes a claim, so
	// {"exp": nil} mints a token without exp.
	Claims map[string]any
	// ExpiresIn sets exp relative to now. Default Config.TokenTTL; negative
	// values mint expired tokens.
	ExpiresIn time.Duration
	// Alg is the signing algorithm. Default RS256 with the tenant's current
	// RSA key; RS384/RS512/PS256/PS384/PS512 also use that key, ES256 the
	// tenant's EC key, HS256/HS384/HS512 need Secret.
	Alg string
	// Key, when set, signs instead of the tenant's key (an attacker's key,
	// or an Ed25519 key for EdDSA). The kid header still names the tenant's
	// key of the same family unless Header overrides it.
	Key crypto.Signer
	// Secret is the HMAC secret for HS256/HS384/HS512.
	Secret []byte
	// Header is merged over the default header {"alg", "typ": "JWT", "kid"}.
	// A nil value removes a member: {"kid": nil} mints a token without kid,
	// {"kid": "unknown"} one naming an unknown key, {"alg": "HS256"} one
	// whose header lies about its algorithm.
	Header map[string]any
	// DPoP, when set, binds the token to that key: cnf.jkt is its
	// thumbprint (RFC 9449 section 6.1).
	DPoP *DPoPKey
	// Certificate, when set, binds the token to that client certificate:
	// cnf["x5t#S256"] is its thumbprint (RFC 8705 section 3.1). With DPoP
	// too, cnf holds both.
	Certificate *x509.Certificate
}

// Mint signs a token as described by tok. Only the signature is computed:
// the claims are not checked, so Mint makes invalid tokens as easily as
// valid ones.
func (t *Tenant) Mint(tok Token) (string, error) {
	alg := tok.Alg
	if alg == "" {
		alg = "RS256"
	}
	spec, ok := algs[alg]
	if !ok {
		return "", fmt.Errorf("%w: unsupported algorithm %q", ErrKey, alg)
	}
	ring := t.ring.Load()
	var key any
	var kid string
	switch {
	case spec.family == "HMAC":
		key = tok.Secret
	case tok.Key != nil:
		key = tok.Key
		switch tok.Key.(type) {
		case *rsa.PrivateKey:
			kid = ring.rsa.kid
		case *ecdsa.PrivateKey:
			kid = ring.ec.kid
		}
	case spec.family == "RSA" || spec.family == "PSS":
		key, kid = ring.rsa.signer, ring.rsa.kid
	case alg == "ES256":
		key, kid = ring.ec.signer, ring.ec.kid
	default:
		return "", fmt.Errorf("%w: the tenant has no %s key; set Token.Key", ErrKey, alg)
	}
	hdr := map[string]any{"alg": alg, "typ": "JWT"}
	if kid != "" {
		hdr["kid"] = kid
	}
	header, err := marshalMembers(hdr, tok.Header)
	if err != nil {
		return "", fmt.Errorf("authtest: header: %w", err)
	}
	now := t.now()
	ttl := tok.ExpiresIn
	if ttl == 0 {
		ttl = t.tokenTTL
	}
	claims := map[string]any{"iss": t.issuer, "iat": now.Unix(), "exp": now.Add(ttl).Unix()}
	if cnf := confirmation(tok.DPoP, tok.Certificate); cnf != nil {
		claims["cnf"] = cnf
	}
	payload, err := marshalMembers(claims, tok.Claims)
	if err != nil {
		return "", fmt.Errorf("authtest: claims: %w", err)
	}
	return signJWS(alg, key, header, payload)
}

// AccessToken mints a valid RS256 access token for the API aud, as Auth0
// issues to a user without the openid scope: iss, sub, aud (a string), iat,
// exp and, when scopes are given, scope. When aud is one of
// Config.EncryptedAPIs, the token is encrypted to it. It panics only if signing with the
// tenant's own key fails, which does not happen.
func (t *Tenant) AccessToken(sub, aud string, scopes ...string) string {
	claims := map[string]any{"sub": sub, "aud": aud}
	if len(scopes) > 0 {
		claims["scope"] = strings.Join(scopes, " ")
	}
	tok, err := t.Mint(Token{Claims: claims})
	if err != nil {
		panic(err)
	}
	if tok, err = t.encryptFor(aud, tok); err != nil {
		panic(err)
	}
	return tok
}
