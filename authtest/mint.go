package authtest

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/rsa"
	"crypto/x509"
	"fmt"
	"maps"
	"strings"
	"time"
)

// Token describes a token for Mint. The zero value mints an RS256 token
// with the tenant's current key, claims iss, iat and exp only.
//
// The typed fields (Subject to Custom) describe a token Auth0 could issue
// and are checked: Mint refuses a value Auth0 would not send (an error
// wrapping ErrClaim names the field). Claims is the escape hatch for the
// tokens a verifier must refuse: it is merged last and not checked.
type Token struct {
	// Subject is sub, such as "auth0|alice" or "client-id@clients".
	Subject string
	// Audience is aud: one value is sent as a string (as Auth0 does for an
	// access token), several as an array. No empty or repeated values.
	Audience []string
	// Scopes is scope, joined with spaces. Each must be an RFC 6749
	// scope-token (no space, quote or backslash), none repeated; nil or empty
	// mints no scope claim.
	Scopes []string
	// Permissions is Auth0's RBAC permissions claim, same syntax as Scopes.
	// nil mints none; an empty non-nil slice mints "permissions": [], as
	// Auth0 does for a user without permissions.
	Permissions []string
	// OrgID is org_id: "org_" then letters, digits, '_' or '-'.
	OrgID string
	// OrgName is org_name, lower-case as Auth0 requires.
	OrgName string
	// Custom are custom claims, namespaced ones advised
	// ("https://example.com/roles"). A name Auth0 reserves (iss, sub,
	// aud, exp, nbf, iat, jti, scope, permissions, org_id, cnf, azp, gty,
	// ... the list of Auth0's restricted claims) is an error rather than
	// dropped as Auth0 does; so are a nil value and JSON over 100 KiB
	// (Auth0's limit).
	Custom map[string]any

	// Claims are merged over the defaults iss (the tenant's issuer), iat
	// (now) and exp (now + ExpiresIn) and the typed fields. A nil value
	// removes a claim, so {"exp": nil} mints a token without exp.
	Claims map[string]any
	// ExpiresIn sets exp relative to IssuedAt. Default Config.TokenTTL;
	// negative values mint expired tokens.
	ExpiresIn time.Duration
	// IssuedAt sets iat (default: the tenant's clock now), for tokens of a
	// given age: exp is IssuedAt + ExpiresIn.
	IssuedAt time.Time
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
	typed, err := typedClaims(tok) // claims.go
	if err != nil {
		return "", err
	}
	iat := tok.IssuedAt
	if iat.IsZero() {
		iat = t.now()
	}
	ttl := tok.ExpiresIn
	if ttl == 0 {
		ttl = t.tokenTTL
	}
	claims := map[string]any{"iss": t.issuer, "iat": iat.Unix(), "exp": iat.Add(ttl).Unix()}
	maps.Copy(claims, typed)
	if cnf := confirmation(tok.DPoP, tok.Certificate); cnf != nil {
		claims["cnf"] = cnf
	}
	payload, err := marshalMembers(claims, tok.Claims)
	if err != nil {
		return "", fmt.Errorf("authtest: claims: %w", err)
	}
	return signJWS(alg, key, header, payload)
}

// MustMint is Mint for tests that build their tokens from constants: it
// panics instead of returning an error.
func (t *Tenant) MustMint(tok Token) string {
	s, err := t.Mint(tok)
	if err != nil {
		panic(err)
	}
	return s
}

// AccessToken mints a valid RS256 access token for the API aud, as Auth0
// issues to a user without the openid scope: iss, sub, aud (a string), iat,
// exp and, when scopes are given, scope. When aud is one of
// Config.EncryptedAPIs, the token is encrypted to it. It panics only if signing with the
// tenant's own key fails, which does not happen.
func (t *Tenant) AccessToken(sub, aud string, scopes ...string) string {
	// Raw claims, not the typed fields: AccessToken has always signed
	// whatever scopes it was given.
	claims := map[string]any{"sub": sub, "aud": aud}
	if len(scopes) > 0 {
		claims["scope"] = strings.Join(scopes, " ")
	}
	tok, err := t.encryptFor(aud, t.MustMint(Token{Claims: claims}))
	if err != nil {
		panic(err)
	}
	return tok
}
