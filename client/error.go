package client

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// UnknownErrorCode is the Code of an Error whose body names no error code
// (the value the Auth0 SDKs use).
const UnknownErrorCode = "a0.sdk.internal.unknown"

// ErrResponseTooLarge is returned (wrapped) when a success body is larger
// than Config.MaxResponseSize.
var ErrResponseTooLarge = errors.New("auth0: response body too large")

// ErrInvalidBaseURL is returned (wrapped) by BaseURL and by the
// constructors of the Authentication and Management clients for a tenant
// domain they refuse: not a host name, or a URL with user information, a
// query or a fragment, or plain http to a host that is not loopback.
var ErrInvalidBaseURL = errors.New("auth0 client: invalid domain or base URL")

// maxErrorText bounds the code and message shown by Error.Error, so a large
// or hostile body cannot flood logs.
const maxErrorText = 512

// Error is an error answer of an Auth0 API: any status that is not 2xx
// (normally >= 400). Code and Message are parsed from the body as the Auth0
// SDKs do.
type Error struct {
	StatusCode int
	// Code is errorCode, else error, else code of a JSON body (a string,
	// or the text of a number or boolean); otherwise UnknownErrorCode.
	Code string
	// Message is error_description, else message (when non-empty), else
	// error of a JSON body; the body text for other bodies. Secret values
	// of the request echoed in it, and the values of secret-named pairs,
	// are replaced by Redacted.
	Message string
	Header  http.Header
	// Body is the raw body, at most 64 KiB of it. It is what the server
	// sent (an mfa_token, for example): do not log it.
	Body []byte
	// MFAToken is the mfa_token of an "mfa_required" answer, needed to
	// continue with the MFA API.
	MFAToken string
}

// Error returns "auth0: <status> <code>: <message>", code and message cut
// to a bounded length and stripped of control characters.
func (e *Error) Error() string {
	msg := e.Message
	if msg == "" {
		msg = http.StatusText(e.StatusCode)
	}
	return fmt.Sprintf("auth0: %d %s: %s", e.StatusCode, clean(e.Code), clean(msg))
}

// clean makes s safe for one log line: printable runes only, bounded length.
func clean(s string) string {
	if len(s) > maxErrorText {
		s = s[:maxErrorText]
		for len(s) > 0 && !utf8.ValidString(s) {
			s = s[:len(s)-1] // do not cut a rune in half
		}
		s += "…"
	}
	return strings.Map(func(r rune) rune {
		if r == utf8.RuneError || !unicode.IsPrint(r) {
			if r == '\n' || r == '\t' || r == '\r' {
				return ' '
			}
			return -1
		}
		return r
	}, s)
}

// RateLimitError is a 429 answer that was not retried, or whose retries ran
// out. errors.As finds it and, through Unwrap, the *Error inside it.
//
// The *Error is a named field, not an embedded one: an embedded *Error would
// be a field called Error, and a type cannot have both a field and a method
// named Error.
type RateLimitError struct {
	Err *Error
	// ResetAt is when the limit resets: X-RateLimit-Reset (unix seconds),
	// else now + Retry-After; zero when neither header is usable. It is at
	// most 24 hours ahead: a later value is not believed.
	ResetAt time.Time
	// Limit and Remaining are X-RateLimit-Limit and X-RateLimit-Remaining,
	// -1 when absent or not a number.
	Limit, Remaining int
}

func (e *RateLimitError) Error() string {
	s := e.Err.Error()
	if !e.ResetAt.IsZero() {
		s += " (rate limit resets at " + e.ResetAt.UTC().Format(time.RFC3339) + ")"
	}
	return s
}

// Unwrap returns the *Error of the 429 answer.
func (e *RateLimitError) Unwrap() error { return e.Err }
