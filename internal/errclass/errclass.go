// Package errclass is the one place where a refused token or DPoP proof
// is sorted into a failure class and the class into the constant
// description a client is told (the JSON error_description of package
// middleware, the challenge's error_description, the status message of
// package grpcauth). middleware and grpcauth both read it, so an HTTP
// client and a gRPC client learn the same thing about the same token.
//
// A client needs the class to choose what to do: refresh an expired token,
// fix its clock for one not valid yet, give up on a wrong audience or a bad
// signature. The descriptions are constants: they never carry token
// content, a claim value, a kid or the verifier's message. Bad signature,
// unknown key and a refused algorithm are one class, so a client cannot
// learn which kids a server knows (W4). Uniform restores one text for every
// class, for servers that would rather not tell.
package errclass

import (
	"errors"

	"github.com/tokengate/tokengate/dpop"
	"github.com/tokengate/tokengate/verifier"
)

// Class is one failure class of a token or a proof.
type Class uint8

// The classes. Invalid is every reason not named below (nonce, max_age of
// ID tokens, a sentinel added later): it gets the generic description.
const (
	Invalid Class = iota
	Expired
	NotYetValid
	Audience
	Issuer
	Signature // bad signature, unknown key, algorithm not allowed: one class
	Malformed
	MissingClaim
	TokenType
	Bound // sender-constrained token without its proof (cnf, RFC 7800)
	Revoked
	Rejected // a Typed's Validate hook refused the claims
	Organization
	AuthorizedParty
	Certificate // mTLS: no certificate, or not the one the token is bound to

	// DPoP proofs (RFC 9449).
	ProofMissing
	ProofInvalid // malformed, type, algorithm, key, signature: one class
	ProofRequest // htm or htu of another request
	ProofTime    // iat outside the window
	ProofToken   // ath of another token
	ProofReplay
	ProofKey // the token is bound to another key, or to none

	// N is the number of classes, for arrays indexed by Class.
	N
)

// Uniform is the one description of every token class when a server asks
// for uniform errors (middleware.WithUniformErrors, grpcauth
// Config.UniformErrors): the text every refused token got before classes.
const Uniform = "the access token is invalid or has expired"

// UniformDPoPToken is Uniform for tokens presented with the DPoP scheme.
const UniformDPoPToken = "the access token is invalid, has expired or is not bound to the DPoP proof's key"

// UniformProof is the one description of every proof class with uniform
// errors.
const UniformProof = "the DPoP proof is missing or invalid"

var descriptions = [N]string{
	Invalid:         "the access token is invalid",
	Expired:         "the access token has expired",
	NotYetValid:     "the access token is not valid yet",
	Audience:        "the access token is not meant for this resource",
	Issuer:          "the access token is not from an issuer this resource trusts",
	Signature:       "the access token's signature cannot be verified",
	Malformed:       "the access token is malformed",
	MissingClaim:    "the access token lacks a claim this resource requires",
	TokenType:       "the token is not of a type this resource accepts",
	Bound:           "the access token is sender-constrained and was sent without its proof of possession",
	Revoked:         "the access token has been revoked",
	Rejected:        "the access token's claims are not accepted by this resource",
	Organization:    "the access token is not valid for this organization",
	AuthorizedParty: "the access token was issued to a client this resource does not accept",
	Certificate:     "the access token is not bound to the client certificate of this connection",

	ProofMissing: "a DPoP proof is required",
	ProofInvalid: "the DPoP proof is malformed or its signature cannot be verified",
	ProofRequest: "the DPoP proof was made for another method or URL",
	ProofTime:    "the DPoP proof is too old or too new",
	ProofToken:   "the DPoP proof was made for another access token",
	ProofReplay:  "the DPoP proof was already used",
	ProofKey:     "the access token is not bound to the DPoP proof's key",
}

// Description is c's constant description; uniform gives the uniform one
// of c's kind (token or proof).
func (c Class) Description(uniform bool) string {
	if c >= N {
		c = Invalid
	}
	if uniform {
		if c.IsProof() {
			return UniformProof
		}
		return Uniform
	}
	return descriptions[c]
}

// IsProof reports whether c is a class of DPoP proofs.
func (c Class) IsProof() bool { return c >= ProofMissing && c < N }

// tokenClasses maps the verifier's sentinels onto classes, in the order of
// verifier.Reason: a Validate hook's error may wrap anything, so it is
// matched first.
var tokenClasses = []struct {
	err   error
	class Class
}{
	{verifier.ErrClaimsRejected, Rejected},
	{verifier.ErrSignature, Signature},
	{verifier.ErrKeyNotFound, Signature},
	{verifier.ErrAlgorithm, Signature},
	{verifier.ErrDecrypt, Signature}, // an encrypted token that does not decrypt: cannot be verified either
	{verifier.ErrRevoked, Revoked},
	{verifier.ErrMalformed, Malformed},
	{verifier.ErrExpired, Expired},
	{verifier.ErrNotYetValid, NotYetValid},
	{verifier.ErrIssuer, Issuer},
	{verifier.ErrAudience, Audience},
	{verifier.ErrOrganization, Organization},
	{verifier.ErrAuthorizedParty, AuthorizedParty},
	{verifier.ErrTokenType, TokenType},
	{verifier.ErrMissingClaim, MissingClaim},
	{verifier.ErrBoundToken, Bound},
}

// Token is the class of an error of verifier.Verify that refused the token
// (not one that makes the answer 503: keys or revocation unavailable, a
// deadline). An error of no listed class is Invalid.
func Token(err error) Class {
	for _, tc := range tokenClasses {
		if errors.Is(err, tc.err) {
			return tc.class
		}
	}
	return Invalid
}

var proofClasses = []struct {
	err   error
	class Class
}{
	{dpop.ErrMissing, ProofMissing},
	{dpop.ErrMalformed, ProofInvalid},
	{dpop.ErrType, ProofInvalid},
	{dpop.ErrAlgorithm, ProofInvalid},
	{dpop.ErrKey, ProofInvalid},
	{dpop.ErrSignature, ProofInvalid},
	{dpop.ErrMethod, ProofRequest},
	{dpop.ErrURL, ProofRequest},
	{dpop.ErrIssuedAt, ProofTime},
	{dpop.ErrTokenHash, ProofToken},
	{dpop.ErrReplay, ProofReplay},
	{dpop.ErrBinding, ProofKey},
	{dpop.ErrNotBound, ProofKey},
}

// Proof is the class of an error of dpop.Verifier's checks that refused the
// proof (not a nonce to retry with, not a failing replay store: those have
// answers of their own). An error of no listed class is ProofInvalid.
func Proof(err error) Class {
	for _, pc := range proofClasses {
		if errors.Is(err, pc.err) {
			return pc.class
		}
	}
	return ProofInvalid
}
