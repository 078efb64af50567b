// Package dpop verifies DPoP proofs (RFC 9449, OAuth 2.0 Demonstrating
// Proof of Possession): the JWT a client signs with its own key for each
// request, in the DPoP header, to show that it holds the key an access
// token is bound to (the token's cnf.jkt). A stolen DPoP-bound token is
// useless without that key.
//
// It sits between package verifier, which checks the access token, and
// package middleware, whose WithDPoP option uses it: the token is verified
// with verifier.WithBindings(verifier.BindingDPoP), then its proof with
// [Verifier.VerifyRequest]. [Verifier.Verify] is the same check without
// net/http, for other transports and for token endpoints
// ([Request.Issuing]).
//
// # What is checked
//
// Every check of RFC 9449 section 4.3, in its order, each failure its own
// sentinel error (see [Reason]): exactly one DPoP header; a compact JWS of
// at most Config.MaxProofSize bytes, in canonical base64url, parsed by the
// same strict JOSE code as access tokens (duplicate-free UTF-8 JSON, crit
// and JWE members refused); typ dpop+jwt; an asymmetric alg on the allow
// list (ES256 by default; "none" and HMAC never); a jwk header holding a
// public key only (a private member refuses the proof) that fits alg and
// passes tokengate's key policy ([verifier.NewKey]); that key's RFC 7638
// thumbprint equal to the token's cnf.jkt, checked before the signature so
// that a proof with another key costs no signature check; the signature
// with that key; then the claims (strict JSON; jti, htm, htu, iat
// required): htm equal to the method; htu equal to the request's URL,
// query and fragment ignored, after RFC 3986 normalization (scheme and
// host in lower case, default port dropped, percent-encodings and dot
// segments normalized); the server nonce, when on; iat within
// Config.Window of now (±60 s by default; the one tolerance, leeway is not
// added again); ath equal to the base64url SHA-256 of the access token;
// and last, the replay store. A proof's jwk verifies that proof and
// nothing else, and only once its thumbprint equals cnf.jkt: it is never a
// key for access tokens (those come from configuration only).
//
// # Replay
//
// Every proof that passes is recorded in a [ReplayStore] under its key's
// thumbprint and its jti ([ReplayKey]) until iat + Window, the instant it
// could no longer pass the iat window; the same proof again in that time
// fails with ErrReplay, also when the access token is a verified-token
// cache hit (the cache never skips a proof check). The default store,
// [MemoryStore], holds for one process: O(1) per proof, safe for concurrent
// use, and bounded (Config: DefaultMemoryEntries) without ever forgetting
// an unexpired proof; when it is full, new proofs are refused with
// ErrStoreFull (fail closed; answer 503) and counted by the Observer. An API
// served by several replicas needs a store they share behind the
// ReplayStore interface (one on Redis, for example), or a replayed proof
// passes once on each replica.
//
// # Nonces
//
// With Config.NonceSecret, proofs must carry a server nonce (RFC 9449
// section 9). Nonces are stateless: the HMAC-SHA256 of a time slot
// (Config.NonceLifetime, 1 min by default) under the secret, so replicas
// that share the secret accept each other's nonces without sharing state.
// A nonce is accepted during its slot and the next, and in the slot before
// its own (clocks of replicas up to one slot apart): it stays valid for
// between one and two lifetimes. A proof without an accepted nonce fails
// with ErrNonce: answer 401 with error="use_dpop_nonce" and the current
// nonce ([Verifier.Nonce]) in a DPoP-Nonce header. A proof with an older
// accepted nonce passes, and [Proof.NextNonce] is the nonce to send back
// (rotation).
//
// # What is trusted
//
// The configuration, and nothing of the request. The URL htu must match
// comes from Config.URL when set. Otherwise it is built from the request:
// its scheme (TLS or not) and its Host header, which must be a plain host
// (no path, query or user info: a Host such as "api.example.com/other?"
// is refused, not rewritten). Forwarded headers (Config.ForwardedHost,
// ForwardedProto) are read only from a peer in Config.TrustedProxies, and
// must then hold exactly one value; from any other peer they are ignored.
//
// # What fails closed
//
// New refuses HMAC algorithms and "none", forwarded headers without
// trusted proxies, short nonce secrets. Any proof that fails a check is
// refused; a replay store that is full or fails refuses the proof; a
// panicking Observer or custom ReplayStore is stopped and the proof
// refused (store) or its outcome kept (Observer). Errors name the check
// that failed, never the proof or the token.
package dpop
