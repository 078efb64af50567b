// Package client is the REST core shared by the Auth0 Authentication and
// Management API clients of tokengate: one Client per API base URL, typed
// errors, retries, rate limits, telemetry and redacted debugging.
//
// # Errors
//
// A non-2xx answer is an *Error (status, code, message, headers, body)
// parsed as the Auth0 SDKs do (see ParseError); an "mfa_required" answer
// keeps its mfa_token in Error.MFAToken. A 429 is a *RateLimitError (reset
// time, limit, remaining) that unwraps to its *Error, so errors.As finds
// either. Transport, timeout and context failures are returned wrapped
// (errors.Is works on context.DeadlineExceeded, context.Canceled, ...).
//
// # Retries
//
// 429 is always retried; 5xx and network errors only for idempotent
// requests, so a POST that may have been processed is never sent twice.
// Waits honour Retry-After and X-RateLimit-Reset, otherwise back off
// exponentially with jitter; each wait is capped, and ends with the
// context. Attempts are bounded (3 retries by default, at most 10).
//
// Header values are never trusted with arithmetic: Retry-After and
// X-RateLimit-Reset are read by one shared parser that clamps them to
// [0, 24h] first (a reset time past year 9999 is ignored), the jitter and
// the exponential backoff cannot overflow, and the final wait is clamped
// to [0, maxWait] (WithBackoff, 60 s by default) in one place.
//
// # Hooks
//
// Observers (WithObserver), the debug hook (WithDebug) and the logger
// (WithLogger) run synchronously on the caller's goroutine. A panic in any
// of them is stopped and logged (a panicking logger loses its line): the
// request goes on, and no panic can escape from a token fetch that other
// callers share.
//
// # What is trusted, what fails closed
//
// The base URL comes only from configuration: https, or http for a
// loopback host only. Paths with dot segments are refused. Redirects are
// never followed (a body carrying a client secret is never re-sent
// elsewhere). Every attempt has a timeout (10 s by default); every body is
// read through a size cap (10 MiB for success bodies, 64 KiB kept of error
// bodies); a success body over the cap is an error, never a truncated
// result. The default transport is a private clone of
// http.DefaultTransport, never http.DefaultClient.
//
// Secrets never appear in error strings, debug events or log lines
// (WithLogger: attempts at Debug, retry waits at Info, giving up at Warn;
// WithObserver feeds package metrics). One table in redact.go says what a
// secret is, for both APIs and both directions:
//   - names (IsSecretName), matched ignoring case and the separators
//     '_', '-', '.' and space, so client_secret, clientSecret and
//     Client-Secret are one name: client secrets and assertions, passwords,
//     codes, OTPs, every kind of token, API keys, the credentials of email
//     providers (secretAccessKey, clientSecret, connectionString, smtp_pass,
//     ...), Guardian providers and log streams (segmentWriteKey,
//     sumoSourceAddress, httpAuthorization, ...), and the answers that
//     embed one (a password-change ticket, a Guardian ticket_url, an
//     organization invitation_url, an MFA barcode_uri, which holds the TOTP
//     seed), plus any name ending in secret, password, token, apikey,
//     privatekey, authorization, ... or containing "secret";
//   - members secret under a given parent (a connection's
//     options.configuration);
//   - endpoints whose bodies are secret through and through (hook secrets,
//     rules-configs values): their request and answer bodies are never
//     shown.
//
// Their values are replaced by "[REDACTED]" in JSON bodies at any depth,
// form bodies, query strings and headers (Authorization, cookies, X-Api-Key,
// ...), and in text that is not a whole JSON document (a body cut at its
// size cap) where they appear as "name": value or name=value. The request's
// secret values are also removed wherever a server echoes them, in every
// common escaping (JSON with or without HTML-safe escapes, HTML entities,
// form and path escaping, and these once more inside JSON). Error.Body is
// the raw answer, kept for callers that need it: it may hold what the server
// sent (an mfa_token, for example); do not log it.
//
// # Telemetry
//
// Each request carries Auth0-Client, the standard base64 of
// {"name":"tokengate","version":Version,"env":{"go":runtime.Version()}},
// and User-Agent "tokengate/<Version> (<go version>)"; WithoutTelemetry
// drops both.
package client
