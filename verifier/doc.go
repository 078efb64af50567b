// Package verifier checks JSON Web Tokens (RFC 7519) signed as compact JWS:
// Auth0 and OpenID Connect access tokens and ID tokens.
//
// # What is trusted
//
// Only the configuration. The token never chooses a key, a key source, a URL
// or an algorithm family: keys come from the Config's KeySource, each key is
// bound to exactly one algorithm, and the header's alg must be in the
// Config's allow list (RS256 by default) and match the key. "none" does not
// exist. Embedded keys and key URLs (jwk, jku, x5u, x5c) are never used.
//
// # What fails closed
//
// Everything not understood: JWE and JSON serializations, non-canonical
// base64url, duplicate or case-folded JSON members at any depth, invalid
// UTF-8, crit, b64, cty, claims of the wrong JSON type (null is not absent),
// NumericDates outside year 0 to 9999, oversized tokens, headers, kids and
// lists. The signature is checked before any claim is read, so an expired
// token with a bad signature reports ErrSignature. Claims are never returned
// with an error.
//
// # Organizations
//
// WithOrganization (and Claims.CheckOrganization, which package orgs uses
// per route) takes an Auth0 organization id or name. A value whose first
// four bytes are "org_" in any ASCII case is an id and must equal org_id
// exactly: "ORG_abc" matches no token, and is never compared with the name
// of an organization that chose to be called "org_abc". Any other value is
// lower-cased with strings.ToLower, as the Auth0 SDKs do, and must equal
// org_name exactly; there is no further case folding (strings.EqualFold
// would match "ſ" to "s").
//
// # Sender-constrained tokens
//
// A token with a cnf claim (RFC 7800) is bound to a key: a DPoP key (cnf
// jkt, RFC 9449) or a TLS client certificate (cnf x5t#S256, RFC 8705).
// Verify refuses it with ErrBoundToken unless the call says, with
// WithBindings, that it checks each binding the token carries; the caller
// then compares Claims.Confirmation with the proof. A cnf of any other form
// (an empty object, another member, an empty value) is refused always, and
// one of the wrong JSON type is malformed. So a bound token sent as a plain
// bearer token never passes (RFC 9449 section 7.2).
//
// # Errors
//
// Every error of Verify is a *ValidationError wrapping one sentinel
// (ErrMalformed, ErrAlgorithm, ErrKeyNotFound, ErrSignature, ErrExpired,
// ...), matchable with errors.Is, except the context's error when the key
// source gives up because ctx ended (Reason reports "canceled").
// ErrKeysUnavailable means the key source could not provide keys at all:
// HTTP layers answer 503, not 401.
//
// # Token strings are not identifiers
//
// Every segment must be canonical base64url, but ECDSA signatures are
// malleable by design: if (r, s) verifies, so does (r, n-s). Two different
// token strings can thus carry the same claims under valid signatures. Do
// not key replay or revocation lists on the raw token; use jti.
//
// # Verified-token cache
//
// A Verifier remembers, by exact token string, the tokens it verified (10,000
// by default, CLOCK eviction, tokens up to 4 KiB). A hit costs a map lookup:
// it re-checks exp and nbf, that the key has not been retired by its source,
// and the per-call options (WithNonce, WithMaxAge, WithOrganization). Claims
// from the cache are shared: treat *Claims as read-only. Stats reports
// the number of cached tokens and hits, for metrics.
//
// # Observing and logging
//
// Config.Observer is told every Verify outcome as an Event of bounded labels
// (Reason of the error, cache hit, algorithm) and, for cache misses, the
// time taken; package metrics implements it. Config.Logger logs refused
// tokens at Debug with the same labels, the kid quoted and cut, and the
// error message; never the token.
package verifier
