package verifier

import (
	"context"
	"errors"
)

// Sentinel errors, one per failure class. Every error returned by Verify
// wraps exactly one of them inside a *ValidationError, so callers match
// with errors.Is and read the claim with errors.As.
var (
	// ErrMalformed: the token is not a well-formed compact JWS/JWT under the
	// strict rules of this package (size, base64url, JSON, header members,
	// claim types).
	ErrMalformed = errors.New("verifier: malformed token")
	// ErrAlgorithm: the header alg is missing, not allowed, or not the
	// algorithm the key is bound to.
	ErrAlgorithm = errors.New("verifier: algorithm not allowed")
	// ErrKeyNotFound: no key of the key source matches the token's kid and alg.
	ErrKeyNotFound = errors.New("verifier: key not found")
	// ErrSignature: the signature does not verify.
	ErrSignature = errors.New("verifier: invalid signature")
	// ErrExpired: exp is missing or not in the future.
	ErrExpired = errors.New("verifier: token expired")
	// ErrNotYetValid: nbf is in the future, or iat is in the future.
	ErrNotYetValid = errors.New("verifier: token not yet valid")
	// ErrIssuer: iss is missing or differs from the configured issuer.
	ErrIssuer = errors.New("verifier: issuer mismatch")
	// ErrAudience: aud is missing or contains none of the configured audiences.
	ErrAudience = errors.New("verifier: audience mismatch")
	// ErrNonce: the nonce asked for with WithNonce is missing or different.
	ErrNonce = errors.New("verifier: nonce mismatch")
	// ErrMaxAge: auth_time is missing or too old for WithMaxAge.
	ErrMaxAge = errors.New("verifier: authentication too old")
	// ErrOrganization: org_id or org_name is missing or differs from the
	// organization asked for.
	ErrOrganization = errors.New("verifier: organization mismatch")
	// ErrAuthorizedParty: azp (or client_id) is missing or not allowed.
	ErrAuthorizedParty = errors.New("verifier: authorized party mismatch")
	// ErrKeysUnavailable: the key source cannot provide keys at all (for
	// example the JWKS endpoint has never answered). It is not the token's
	// fault: HTTP layers answer 503, not 401.
	ErrKeysUnavailable = errors.New("verifier: keys unavailable")
	// ErrTokenType: the typ header is not one this verifier accepts (access
	// tokens vs ID tokens, RFC 8725 section 3.11).
	ErrTokenType = errors.New("verifier: token type not accepted")
	// ErrMissingClaim: a claim the rules require (sub and iat of an ID
	// token) or one listed in Config.RequiredClaims is absent.
	ErrMissingClaim = errors.New("verifier: required claim missing")
	// ErrBoundToken: the token is sender-constrained (it carries cnf, RFC
	// 7800) and the call did not say, with WithBindings, that it checks
	// that binding; or cnf holds a method no option covers. Such a token
	// sent as a plain bearer token must not pass (RFC 9449 section 7.2).
	ErrBoundToken = errors.New("verifier: token is sender-constrained")
)

// ValidationError is the one error type of this package. Err is one of the
// sentinels above (for a Typed's Validate hook, an error that matches
// ErrClaimsRejected and unwraps to the hook's error); Claim names the header member or claim at fault ("alg",
// "kid", "signature", "exp", "aud", ...); Message is a human-readable text
// that never contains the token.
//
// Every error of Verify is a *ValidationError, matchable with errors.Is on
// its sentinel, except the context's error when the key source gives up
// because ctx ended (Reason reports "canceled" or "timeout").
type ValidationError struct {
	Claim   string
	Message string
	Err     error
}

func (e *ValidationError) Error() string {
	if e.Message == "" {
		return e.Err.Error()
	}
	return e.Err.Error() + ": " + e.Message
}

// Unwrap returns the sentinel.
func (e *ValidationError) Unwrap() error { return e.Err }

func newError(sentinel error, claim, msg string) error {
	return &ValidationError{Claim: claim, Message: msg, Err: sentinel}
}

// Reason maps an error returned by Verify to a short, bounded label for
// logs and metrics: "ok" for nil, then "malformed", "algorithm",
// "unknown_kid", "bad_signature", "expired", "not_yet_valid", "bad_issuer",
// "bad_audience", "bad_nonce", "max_age", "bad_organization",
// "bad_authorized_party", "revocation_unavailable", "keys_unavailable",
// "revoked", "token_type", "decrypt" (an encrypted token that does not
// decrypt),
// "missing_claim", "bound_token", "claims_rejected" (a Typed's Validate
// hook, whatever its error wraps), "canceled" (the caller's context was
// canceled), "timeout" (a deadline ended) or "other". The label never contains token data.
// HTTP responses must not reveal it: "unknown_kid" and "bad_signature" look
// the same to a client.
func Reason(err error) string {
	if err == nil {
		return "ok"
	}
	for _, r := range reasons {
		if errors.Is(err, r.err) {
			return r.label
		}
	}
	return "other"
}

var reasons = []struct {
	err   error
	label string
}{
	{ErrClaimsRejected, "claims_rejected"}, // first: the hook's own error may wrap anything
	{ErrSignature, "bad_signature"},
	{ErrKeyNotFound, "unknown_kid"},
	{ErrRevocationUnavailable, "revocation_unavailable"}, // before ErrKeysUnavailable, which it wraps
	{ErrKeysUnavailable, "keys_unavailable"},
	{ErrRevoked, "revoked"},
	{ErrDecrypt, "decrypt"},
	{ErrMalformed, "malformed"},
	{ErrAlgorithm, "algorithm"},
	{ErrExpired, "expired"},
	{ErrNotYetValid, "not_yet_valid"},
	{ErrIssuer, "bad_issuer"},
	{ErrAudience, "bad_audience"},
	{ErrNonce, "bad_nonce"},
	{ErrMaxAge, "max_age"},
	{ErrOrganization, "bad_organization"},
	{ErrAuthorizedParty, "bad_authorized_party"},
	{ErrTokenType, "token_type"},
	{ErrMissingClaim, "missing_claim"},
	{ErrBoundToken, "bound_token"},
	{context.Canceled, "canceled"},
	{context.DeadlineExceeded, "timeout"},
}
