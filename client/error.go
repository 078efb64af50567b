package client

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/tokengate/tokengate/internal/httpx"
)

// UnknownErrorCode is the Code of an Error whose body names no error code
// (the value the Auth0 SDKs use).
const UnknownErrorCode = "a0.sdk.internal.unknown"

// maxErrorBody bounds how much of an error answer is kept in Error.Body.
const maxErrorBody = 64 << 10

// maxErrorText bounds the code and message shown by Error.Error, so a large
// or hostile body cannot flood logs.
const maxErrorText = 512

// ErrResponseTooLarge is returned (wrapped) when a response body is larger
// than the limit set with WithMaxResponseSize.
var ErrResponseTooLarge = errors.New("auth0: response body too large")

// Error is an error answer of an Auth0 API: any status that is not 2xx
// (normally >= 400). Code and Message are parsed from the body as the Auth0
// SDKs do (see ParseError).
type Error struct {
	StatusCode int
	// Code is errorCode, else error, else code of a JSON body; otherwise
	// UnknownErrorCode.
	Code string
	// Message is error_description, else message (when non-empty), else
	// error of a JSON body; the body text for other bodies.
	Message string
	Header  http.Header
	// Body is the raw body, at most 64 KiB of it.
	Body []byte
	// MFAToken is the mfa_token of an "mfa_required" answer, needed to
	// continue with the MFA API.
	MFAToken string
}

// Error returns "auth0: <status> <code>: <message>". Code and message are
// cut to a bounded length and stripped of control characters; request
// secrets echoed by a server are removed before the Error is returned by
// Client.Do.
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
	// most 24 hours ahead (httpx.MaxHeaderWait): a later value is not
	// believed.
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

// newRateLimitError reads the X-RateLimit-* and Retry-After headers of a 429.
func newRateLimitError(e *Error, now time.Time) *RateLimitError {
	rl := &RateLimitError{
		Err:       e,
		Limit:     headerInt(e.Header, "X-RateLimit-Limit"),
		Remaining: headerInt(e.Header, "X-RateLimit-Remaining"),
	}
	if d, ok := httpx.RateLimitReset(e.Header, now); ok {
		rl.ResetAt = now.Add(d)
	} else if d, ok := httpx.RetryAfter(e.Header, now); ok {
		rl.ResetAt = now.Add(d)
	}
	return rl
}

// headerInt is a non-negative integer header, or -1.
func headerInt(h http.Header, name string) int {
	v := strings.TrimSpace(h.Get(name))
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		return -1
	}
	return n
}

// ParseError builds the Error for a non-2xx answer from its status, headers
// and body, with the precedence of the Auth0 SDKs:
//   - Code: errorCode, then error, then code (first present and not null),
//     else UnknownErrorCode;
//   - Message: error_description (present and not null), then message if it
//     is a non-empty string, then error, else "";
//   - a body that is not a JSON object keeps its text as Message (a JSON
//     string body is unquoted); an empty body gives an empty Message.
//
// String fields are taken as they are; numbers and booleans as their JSON
// text; objects and arrays are ignored. The body is kept, cut to 64 KiB.
func ParseError(status int, header http.Header, body []byte) *Error {
	if len(body) > maxErrorBody {
		body = body[:maxErrorBody]
	}
	e := &Error{
		StatusCode: status,
		Code:       UnknownErrorCode,
		Header:     header,
		Body:       body,
	}
	trimmed := bytes.TrimSpace(body)
	if len(trimmed) == 0 {
		return e
	}
	var obj map[string]json.RawMessage
	if trimmed[0] != '{' || json.Unmarshal(trimmed, &obj) != nil {
		var s string
		if trimmed[0] == '"' && json.Unmarshal(trimmed, &s) == nil {
			e.Message = s
		} else {
			e.Message = string(trimmed)
		}
		return e
	}
	field := func(name string) (string, bool) {
		raw, ok := obj[name]
		if !ok {
			return "", false
		}
		return scalar(raw)
	}
	for _, name := range [...]string{"errorCode", "error", "code"} {
		if v, ok := field(name); ok {
			e.Code = v
			break
		}
	}
	if v, ok := field("error_description"); ok {
		e.Message = v
	} else if v, ok := field("message"); ok && v != "" {
		e.Message = v
	} else if v, ok := field("error"); ok {
		e.Message = v
	}
	if e.Code == "mfa_required" {
		e.MFAToken, _ = field("mfa_token")
	}
	return e
}

// scalar renders a JSON string, number or boolean; false for null, objects
// and arrays.
func scalar(raw json.RawMessage) (string, bool) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return "", false
	}
	switch raw[0] {
	case '"':
		var s string
		if json.Unmarshal(raw, &s) != nil {
			return "", false
		}
		return s, true
	case 't', 'f', '-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9':
		return string(raw), true
	}
	return "", false
}
