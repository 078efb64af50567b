// Package verifier checks JSON Web Tokens (RFC 7519) signed as compact JWS:
// Auth0 and OpenID Connect access tokens and ID tokens. Build a Verifier
// once with New and share it; call Verify per request.
//
// Configuration follows tokengate's rule: a long-lived object built once
// takes a Config whose zero value is the safe default, and New validates it
// and returns an error; per-call checks are Options (WithNonce, WithMaxAge,
// WithOrganization, WithBindings), plain values that allocate nothing. The
// clock is Config.Now. Auth0Tenant derives Config.Issuer (and the JWKS
// URL) from a tenant's domain; New refuses issuers that can never match
// (a bare host name, an Auth0 issuer not written "https://host/").
// Config.MaxTokenAge bounds the age of a token (its iat); WithMaxAge
// bounds the age of the user's authentication (auth_time).
// CheckMaxAge applies WithMaxAge's rule (auth_time present, not in the
// future, recent enough) to verified claims, for per-route step-up
// requirements (RFC 9470).
//
// Custom claims (an API's namespaced claims) are decoded into a struct of
// the application by a Typed wrapper over the Verifier (NewTyped): once per
// token while it is cached, by the same strict scanner as the registered
// claims, with a plan built once per type; its optional Validate hook
// refuses tokens on them. A Typed also decodes the authorization_details
// claim (RFC 9396) into a Go type per detail type (DetailOf,
// TypedConfig.AuthorizationDetails, Typed.Details), strictly: a malformed
// claim or a detail of an unregistered type refuses the token. Claims.Lookup returns one claim as sent.
// Claims.Decode remains for one-off decoding. RFC 8693 delegation is typed
// on Claims: Actor (act, a chain of at most Config.MaxActorDepth actors)
// and MayAct (may_act).
//
// # Revocation
//
// A token stays valid until it expires; Config.Revocations adds a
// RevocationSet (filled by back-channel logout: a subject, or one session
// by its sid, revoked before an instant) that the Verifier consults on
// every Verify that passes the other checks, verified-token cache hits
// included, refusing with ErrRevoked a token issued before its subject's or
// session's revocation. MemoryRevocationSet holds revocations for one
// process; replicas share one through a store (the nested module
// github.com/tokengate/tokengate/redisstore). A set that cannot answer
// refuses the token with ErrRevocationUnavailable, which wraps
// ErrKeysUnavailable: HTTP layers answer 503 with Retry-After (fail
// closed).
//
// # Encrypted tokens
//
// Config.Decryption accepts (or, with Required, requires) encrypted
// tokens: a compact JWE (RFC 7516) whose content is a compact JWS, as
// Auth0 issues access tokens for an API with token encryption on. The JWE
// is decrypted with one of the API's DecryptionKeys, each bound to one
// key-management alg and chosen by kid (or, without one, as the only key of
// the alg), never by a header URL or embedded key; its content is then
// verified exactly as a plain token is. Allowed by default: RSA-OAEP-256
// with A256GCM; RSA-OAEP-384/512, ECDH-ES (with or without AES key wrap,
// the epk checked on the key's curve), dir, AES key wrap and A*CBC-HS* are
// opt-in; PBES2 and zip never. Every check that costs no key operation
// comes first; the key unwrap and the content's authentication fail with
// one error, ErrDecrypt. An uncached JWE costs a private-key operation
// (about a millisecond for RSA-2048) before anything is authenticated;
// Event.Decrypted and Event.DecryptDuration report it. The verified-token
// cache keys on the token as sent and keeps encrypted tokens up to
// Config.MaxTokenSize (plain ones up to 4 KiB).
//
// # What is trusted
//
// Only the configuration. The token never chooses a key, a key source, a URL
// or an algorithm family: keys come from the Config's KeySource, each key is
// bound to exactly one algorithm, and the header's alg must be in the
// Config's allow list (RS256 by default) and match the key. "none" does not
// exist. Embedded keys and key URLs (jwk, jku, x5u, x5c) are never used.
//
// Issuers resolved at run time: Config.Resolver (an IssuerResolver, such
// as *jwks.Issuers) takes the place of Config.Issuer and Config.Keys. The
// token's unverified iss is then only a question put to it, with facts of
// the request the server established (Request, put on the context by
// package middleware: the host, the path): the resolver's allow list says
// whether that issuer may be used here and gives that issuer's keys, the
// signature must verify with one of them, and the claims' iss must still
// be that issuer. A cached token is accepted only where its issuer is
// allowed. A resolver that fails (not one that refuses) is
// ErrKeysUnavailable: 503, not 401.
//
// # What fails closed
//
// Everything not understood: JWE (unless Config.Decryption is set) and
// JSON serializations, non-canonical
// base64url, duplicate or case-folded JSON members at any depth, invalid
// UTF-8, crit, b64, cty, claims of the wrong JSON type (null is not absent;
// for a Typed, custom claims that do not fit its type, and members that
// would fit a field only by case folding), act chains longer than
// Config.MaxActorDepth, NumericDates outside year 0 to 9999, oversized
// tokens, headers, kids and lists, and sender-constrained tokens (cnf) the
// call does not say it checks (WithBindings). The signature is checked before any claim is read,
// so an expired token with a bad signature reports ErrSignature. Claims are
// never returned with an error, and errors never echo the token. A key
// source with no keys to offer gives ErrKeysUnavailable (HTTP layers answer
// 503, not 401); a key its source withdraws (NextKeySet) stops answering
// from the verified-token cache at once.
package verifier
