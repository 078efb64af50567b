package dpop

import (
	"context"
	"errors"
)

// The refusal reasons. Every error of Verify and VerifyRequest wraps exactly
// one of them inside an *Error; match them with errors.Is. Reason gives each
// a bounded label for logs and metrics.
var (
	// ErrMissing: the request has no DPoP header.
	ErrMissing = errors.New("dpop: proof missing")
	// ErrMalformed: more than one DPoP header, a proof larger than
	// MaxProofSize, not a compact JWS in canonical base64url, header or
	// claims that are not strict JSON objects, or a required claim (jti,
	// htm, htu, iat) absent, empty or of the wrong type.
	ErrMalformed = errors.New("dpop: proof malformed")
	// ErrType: typ is not dpop+jwt.
	ErrType = errors.New("dpop: proof type is not dpop+jwt")
	// ErrAlgorithm: alg is absent, "none", symmetric, or not in
	// Config.Algorithms.
	ErrAlgorithm = errors.New("dpop: proof algorithm not allowed")
	// ErrKey: the jwk header is absent, holds private key members, is not a
	// public key this package accepts, does not fit alg, or fails the key
	// policy of verifier.NewKey.
	ErrKey = errors.New("dpop: proof key refused")
	// ErrSignature: the proof's signature does not verify with its jwk.
	ErrSignature = errors.New("dpop: proof signature invalid")
	// ErrMethod: htm is not the request's method.
	ErrMethod = errors.New("dpop: htm does not match the request method")
	// ErrURL: htu is not the request's URL (query and fragment ignored,
	// after normalization), or the request's URL cannot be determined (a
	// Host that is not a host).
	ErrURL = errors.New("dpop: htu does not match the request URL")
	// ErrIssuedAt: iat is further from now than Config.Window.
	ErrIssuedAt = errors.New("dpop: proof iat outside the accepted window")
	// ErrTokenHash: ath is absent, or is not the hash of the access token.
	ErrTokenHash = errors.New("dpop: ath does not match the access token")
	// ErrBinding: the proof's key is not the key the access token is bound
	// to (its thumbprint differs from cnf.jkt).
	ErrBinding = errors.New("dpop: proof key does not match the token's cnf.jkt")
	// ErrNotBound: the access token carries no cnf.jkt, so no proof can be
	// bound to it.
	ErrNotBound = errors.New("dpop: access token is not bound to a DPoP key")
	// ErrNonce: server nonces are on and the proof's nonce is absent, stale
	// or wrong. Answer with use_dpop_nonce and a DPoP-Nonce header holding
	// Verifier.Nonce.
	ErrNonce = errors.New("dpop: nonce missing, stale or wrong")
	// ErrReplay: a proof with this key and jti was seen while it could
	// still pass the iat window.
	ErrReplay = errors.New("dpop: proof replayed")
	// ErrStoreFull: the replay store is full (every entry unexpired), so the
	// proof cannot be remembered and is refused (fail closed). Not the
	// client's fault: answer 503.
	ErrStoreFull = errors.New("dpop: replay store full")
	// ErrStoreUnavailable: the replay store failed (any error other than
	// ErrReplay and ErrStoreFull, such as a network error of a shared
	// store); the proof is refused. Answer 503.
	ErrStoreUnavailable = errors.New("dpop: replay store unavailable")
)

// Error is a refused proof: one sentinel (Err) and a message that names
// what failed. Messages never hold the proof, the access token or a claim
// value.
type Error struct {
	Err     error
	Message string
	cause   error // the replay store's error, for ErrStoreUnavailable
}

func (e *Error) Error() string {
	msg := e.Err.Error()
	if e.Message != "" {
		msg += ": " + e.Message
	}
	if e.cause != nil {
		msg += ": " + e.cause.Error()
	}
	return msg
}

// Unwrap returns the sentinel and, for store errors, the store's error.
func (e *Error) Unwrap() []error {
	if e.cause != nil {
		return []error{e.Err, e.cause}
	}
	return []error{e.Err}
}

func fail(sentinel error, msg string) error { return &Error{Err: sentinel, Message: msg} }

var reasons = [...]struct {
	err   error
	label string
}{
	{ErrMissing, "dpop_missing"},
	{ErrMalformed, "dpop_malformed"},
	{ErrType, "dpop_type"},
	{ErrAlgorithm, "dpop_algorithm"},
	{ErrKey, "dpop_key"},
	{ErrSignature, "dpop_signature"},
	{ErrMethod, "dpop_htm"},
	{ErrURL, "dpop_htu"},
	{ErrIssuedAt, "dpop_iat"},
	{ErrTokenHash, "dpop_ath"},
	{ErrBinding, "dpop_jkt"},
	{ErrNotBound, "dpop_not_bound"},
	{ErrNonce, "dpop_nonce"},
	{ErrReplay, "dpop_replay"},
	{ErrStoreFull, "dpop_store_full"},
	{ErrStoreUnavailable, "dpop_store_unavailable"},
	{context.Canceled, "canceled"},
	{context.DeadlineExceeded, "timeout"},
}

// Reason returns a bounded label for err: "ok" for nil, one label per
// sentinel ("dpop_signature", "dpop_replay", ...), "other" for anything
// else. Labels never carry request data, so they are fit for metrics.
func Reason(err error) string {
	if err == nil {
		return "ok"
	}
	if e, ok := err.(*Error); ok {
		for _, r := range reasons {
			if e.Err == r.err {
				return r.label
			}
		}
	}
	for _, r := range reasons {
		if errors.Is(err, r.err) {
			return r.label
		}
	}
	return "other"
}

// Reasons lists every label Reason returns, in a fixed order ("ok" first,
// "other" last), so that metrics can create their series up front.
func Reasons() []string {
	out := make([]string, 0, len(reasons)+2)
	out = append(out, "ok")
	for _, r := range reasons {
		out = append(out, r.label)
	}
	return append(out, "other")
}
