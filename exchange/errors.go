package exchange

import (
	"errors"
	"strconv"
)

var (
	// ErrNoToken: the context holds no verified token (Authenticate is not
	// in front of the handler, or the request was anonymous).
	ErrNoToken = errors.New("exchange: no verified token on the request context")
	// ErrSenderConstrained: the incoming token is DPoP- or
	// certificate-bound (cnf). Exchanging it would need a proof with its
	// key, which the API does not hold; it is refused before any request.
	ErrSenderConstrained = errors.New("exchange: the token is sender-constrained (DPoP or mTLS) and cannot be exchanged")
	// ErrConsentRequired: the authorization server needs the user's
	// consent (or another interaction) first: error consent_required or
	// interaction_required.
	ErrConsentRequired = errors.New("exchange: the user's consent is required")
	// ErrConnectionMissing: Token Vault holds no tokens of the connection
	// for this user (error federated_connection_refresh_token_not_found):
	// the user must connect the account first.
	ErrConnectionMissing = errors.New("exchange: the user has not connected this account")
	// ErrRefused: the authorization server refused the exchange (any other
	// 4xx answer but 429), or its answer is not usable (not a token
	// response, token_type other than Bearer, an issued token that fails
	// Config.TokenVerifier or lacks act for an actor).
	ErrRefused = errors.New("exchange: the token exchange was refused")
)

// Error is a refused exchange. errors.Is matches Kind (ErrConsentRequired,
// ErrConnectionMissing or ErrRefused) and the cause (a *client.Error, an
// authentication.TokenResponseError, a verifier error).
type Error struct {
	Kind error
	// Code is the authorization server's error code ("invalid_grant"), or
	// the field of the answer at fault ("token_type", "act"); may be empty.
	Code string
	Err  error
}

func (e *Error) Error() string {
	s := e.Kind.Error()
	if e.Code != "" {
		s += " (" + strconv.Quote(cut(e.Code)) + ")"
	}
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

// Unwrap returns Kind and the cause.
func (e *Error) Unwrap() []error {
	if e.Err == nil {
		return []error{e.Kind}
	}
	return []error{e.Kind, e.Err}
}

// cut bounds a code copied from an answer.
func cut(s string) string {
	if len(s) > 64 {
		return s[:64]
	}
	return s
}
