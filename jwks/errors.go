package jwks

import (
	"errors"
	"fmt"
	"mime"
	"net/http"
	"strings"
	"time"
)

// Sentinel errors. Lookups through a Cache or a Set return errors wrapping
// verifier.ErrKeyNotFound or verifier.ErrKeysUnavailable instead; these are
// for Parse, New, Discover and the causes inside a FetchError.
var (
	// ErrInvalidSet: the JWKS document as a whole is refused (not strict
	// JSON, duplicate members, no "keys" array, too many keys, duplicate
	// kids of one key type, no usable key, ...).
	ErrInvalidSet = errors.New("jwks: key set refused")
	// ErrBodyTooLarge: a response body exceeded the configured cap (after
	// decompression).
	ErrBodyTooLarge = errors.New("jwks: response body too large")
	// ErrStatus: the server answered with an HTTP status other than 200
	// (or 304 to a conditional request).
	ErrStatus = errors.New("jwks: unexpected HTTP status")
	// ErrInsecureURL: a JWKS, issuer or jwks_uri URL is not https (plain
	// http is accepted for loopback hosts only), or carries credentials or
	// a fragment.
	ErrInsecureURL = errors.New("jwks: URL must be https (http only for loopback hosts)")
	// ErrInsecureTLS: TLS verification is skipped: the HTTP client's
	// transport is configured to skip it (refused by New and Discover,
	// wrapped in ErrConfig), or a response came over a TLS connection
	// whose certificate was not verified (the fetch fails).
	ErrInsecureTLS = errors.New("jwks: TLS verification skipped")
	// ErrRedirect: the server redirected to another origin, to http, or
	// too many times.
	ErrRedirect = errors.New("jwks: redirect refused")
	// ErrDiscovery: the OpenID configuration document is refused (issuer
	// mismatch, missing or insecure jwks_uri, not strict JSON).
	ErrDiscovery = errors.New("jwks: discovery document refused")
	// ErrConfig: New was given an invalid Config.
	ErrConfig = errors.New("jwks: invalid configuration")
)

// FetchError describes a failed fetch of a key set. It is the cause kept
// in Stats.LastError and passed to the Observer; errors.Is sees through it
// to ErrStatus, ErrBodyTooLarge, ErrInvalidSet, ErrRedirect or the network
// error.
type FetchError struct {
	// URL is the configured JWKS URL.
	URL string
	// StatusCode is the HTTP status, or 0 when no response arrived.
	StatusCode int
	// ContentType is the response's media type, without parameters and
	// cut to 64 bytes ("text/html"), or "" when there was no response or
	// no valid Content-Type.
	ContentType string
	// RetryAfter is the server's Retry-After, when it sent one.
	RetryAfter time.Duration
	// Err is the cause.
	Err error
}

// Error says what happened once: the URL, the status and content type,
// the cause when the status does not say it all, and, for a response that
// shows the URL serves no key set (Misconfigured), that the URL is wrong.
// The body is never quoted.
func (e *FetchError) Error() string {
	var b strings.Builder
	b.WriteString("jwks: fetch ")
	b.WriteString(e.URL)
	if e.StatusCode != 0 {
		fmt.Fprintf(&b, ": HTTP %d", e.StatusCode)
		if e.ContentType != "" {
			fmt.Fprintf(&b, " (%s)", e.ContentType)
		}
	}
	var se *statusError
	if e.Err != nil && !(errors.As(e.Err, &se) && se.code == e.StatusCode && se.detail == "") {
		b.WriteString(": ")
		b.WriteString(strings.TrimPrefix(e.Err.Error(), "jwks: "))
	}
	if e.Misconfigured() {
		b.WriteString(": not a key set URL: check the configured JWKS URL")
	}
	return b.String()
}

// Misconfigured reports whether the response shows that the URL serves no
// key set, a configuration problem rather than an outage: a 4xx status
// other than 408 and 429 (404, 401, 403, 410, ...), or a 200 whose body is
// not a JWKS document at all (not JSON, not an object, no "keys" array:
// an HTML page, an OpenID configuration). A set whose keys the policy
// refuses is not counted here.
func (e *FetchError) Misconfigured() bool {
	s := e.StatusCode
	if s >= 400 && s < 500 && s != http.StatusRequestTimeout && s != http.StatusTooManyRequests {
		return true
	}
	var n *notKeySet
	return errors.As(e.Err, &n)
}

// statusError is the cause of a FetchError for an unexpected status; it
// matches ErrStatus.
type statusError struct {
	code   int
	detail string // more to say than the status, or ""
}

func (e *statusError) Error() string {
	return fmt.Sprintf("%v %d%s", ErrStatus, e.code, e.detail)
}

func (e *statusError) Is(target error) bool { return target == ErrStatus }

// notKeySet is the cause for a document that is not a key set at all
// (not JSON, not an object, no "keys" array). It matches ErrInvalidSet,
// with the same text as setError's.
type notKeySet struct{ why string }

func (e *notKeySet) Error() string { return ErrInvalidSet.Error() + ": " + e.why }

func (e *notKeySet) Is(target error) bool { return target == ErrInvalidSet }

// mediaType returns the media type of a Content-Type for a report: no
// parameters, cut; "" when h has none or it does not parse.
func mediaType(h http.Header) string {
	if h == nil {
		return ""
	}
	mt, _, err := mime.ParseMediaType(h.Get("Content-Type"))
	if err != nil {
		return ""
	}
	return cut(mt)
}

// Unwrap returns the cause.
func (e *FetchError) Unwrap() error { return e.Err }

func configError(format string, a ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrConfig}, a...)...)
}

func setError(format string, a ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrInvalidSet}, a...)...)
}

// reportLen cuts attacker-chosen strings kept in DroppedKey and messages.
const reportLen = 64

// cut bounds an attacker-chosen string kept for reports.
func cut(s string) string {
	if len(s) > reportLen {
		return s[:reportLen]
	}
	return s
}

// quote escapes and bounds an attacker-chosen string for a message.
func quote(s string) string {
	if len(s) > reportLen {
		return fmt.Sprintf("%q...", s[:reportLen])
	}
	return fmt.Sprintf("%q", s)
}
