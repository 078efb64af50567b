package jwks

import (
	"errors"
	"fmt"
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
	// RetryAfter is the server's Retry-After, when it sent one.
	RetryAfter time.Duration
	// Err is the cause.
	Err error
}

func (e *FetchError) Error() string {
	if e.StatusCode != 0 {
		return fmt.Sprintf("jwks: fetch %s: HTTP %d: %v", e.URL, e.StatusCode, e.Err)
	}
	return fmt.Sprintf("jwks: fetch %s: %v", e.URL, e.Err)
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
