// Package jose is tokengate's strict JOSE layer: compact-JWS splitting,
// canonical base64url, the protected-header policy (read with the strict
// JSON scanner of internal/strictjson), and the signature primitives. It
// accepts less than the RFCs allow wherever the RFCs leave a choice, and it
// never lets a token choose a key, a URL or an algorithm family.
//
// It is shared by the token verifier (package verifier) and the DPoP proof
// verifier (package dpop), so that both parse JWS the same strict way. The
// one place a header's key is used is a DPoP proof, whose jwk member
// (Header.JWK) is the proof's own key (RFC 9449); package dpop decides that,
// never this package.
package jose

// Alg is a signature algorithm this package implements. The zero value is
// not an algorithm.
type Alg uint8

// The algorithms. There is no "none".
const (
	RS256 Alg = iota + 1
	RS384
	RS512
	PS256
	PS384
	PS512
	ES256
	ES384
	ES512
	EdDSA   // RFC 8037 name; with an Ed25519 key only
	Ed25519 // RFC 9864 fully specified name
	HS256
	HS384
	HS512
)

var algNames = [...]string{
	RS256: "RS256", RS384: "RS384", RS512: "RS512",
	PS256: "PS256", PS384: "PS384", PS512: "PS512",
	ES256: "ES256", ES384: "ES384", ES512: "ES512",
	EdDSA: "EdDSA", Ed25519: "Ed25519",
	HS256: "HS256", HS384: "HS384", HS512: "HS512",
}

// String returns the JOSE name of a.
func (a Alg) String() string {
	if a == 0 || int(a) >= len(algNames) {
		return ""
	}
	return algNames[a]
}

// ParseAlg returns the Alg named exactly (case-sensitively) by name.
func ParseAlg(name string) (Alg, bool) {
	// A switch on the exact string: no folding, no normalisation (RFC 7515
	// section 10.13).
	switch name {
	case "RS256":
		return RS256, true
	case "RS384":
		return RS384, true
	case "RS512":
		return RS512, true
	case "PS256":
		return PS256, true
	case "PS384":
		return PS384, true
	case "PS512":
		return PS512, true
	case "ES256":
		return ES256, true
	case "ES384":
		return ES384, true
	case "ES512":
		return ES512, true
	case "EdDSA":
		return EdDSA, true
	case "Ed25519":
		return Ed25519, true
	case "HS256":
		return HS256, true
	case "HS384":
		return HS384, true
	case "HS512":
		return HS512, true
	}
	return 0, false
}

// Family groups algorithms by the kind of key they need.
type Family uint8

// Key families.
const (
	FamilyRSA Family = iota + 1
	FamilyEC
	FamilyOKP
	FamilyHMAC
)

// Family returns the key family a needs.
func (a Alg) Family() Family {
	switch a {
	case RS256, RS384, RS512, PS256, PS384, PS512:
		return FamilyRSA
	case ES256, ES384, ES512:
		return FamilyEC
	case EdDSA, Ed25519:
		return FamilyOKP
	case HS256, HS384, HS512:
		return FamilyHMAC
	}
	return 0
}

// HashSize is the digest size in bytes of the hash a uses (0 for EdDSA).
func (a Alg) HashSize() int {
	switch a {
	case RS256, PS256, ES256, HS256:
		return 32
	case RS384, PS384, ES384, HS384:
		return 48
	case RS512, PS512, ES512, HS512:
		return 64
	}
	return 0
}
