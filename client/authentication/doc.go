// Package authentication is a client of the Auth0 Authentication API for
// one tenant and one application: every endpoint of the Auth0 Python SDK
// (4.13/5.x) with typed requests and answers, the /authorize and
// /v2/logout URL builders of its 3.x line, and the MFA API.
//
//	auth, err := authentication.New("tenant.auth0.com", authentication.Config{ClientID: id, ClientSecret: secret})
//	tok, err := auth.ClientCredentials(ctx, authentication.ClientCredentialsRequest{Audience: api})
//
// New takes the tenant domain and a Config whose zero value is safe (a
// public client; every field is optional) and validates it; the HTTP
// behaviour (timeout, retries, hooks, clock) is the client.Config in its
// HTTP field, shared with package management. Errors are *client.Error
// (with MFAToken for "mfa_required") and *client.RateLimitError.
//
// The endpoints that authenticate the application (the token grants but
// PKCE, passwordless start, revocation, back-channel login, PAR, MFA) send
// a private_key_jwt client assertion when Config.ClientAssertionKey is set
// (a new one, with a new jti, for every request and retry), else the
// client secret, else only client_id. Grants to /oauth/token,
// /bc-authorize and /oauth/par are form-encoded, except the passwordless
// one-time-code grant, JSON as the Auth0 SDKs send it; other endpoints
// send JSON;
// optional parameters left empty are omitted, and Extra may add parameters
// but not replace those this package sets.
//
// # What is trusted, what fails closed
//
// The tenant URL comes only from configuration (https, or http for
// loopback hosts). Token answers are decoded in one place: a 2xx answer
// without a usable access_token and token_type, or with an expires_in that
// is not a number, is a *TokenResponseError and none of its tokens are
// returned; expires_in is clamped to [0, 30 days]. ID-token checks asked
// for (IDTokenChecks) are never skipped: without Config.IDTokenVerifier
// they fail with ErrNoIDTokenVerifier before anything is sent, and an
// answer without an id_token fails with ErrIDToken. With a verifier, every
// ID token of a token answer is verified and one that fails fails the
// call; without one, ID tokens are returned unverified. Retries follow
// package client: 5xx answers and network errors are retried only for the
// GET endpoints, never for the POSTs, which may have been processed.
//
// Secrets (client secret, assertion, passwords, codes, tokens, an MFA
// enrollment's secret and barcode_uri) never appear in error strings, log
// lines, debug events or the String form of a Config, Client or
// TokenResponse; TestX22RedactionEveryAuthMethod walks every method.
//
// testdata/methods.tsv lists every method that sends a request, with its
// endpoint and source; TestReplay replays recorded traffic through them
// (the file named by TOKENGATE_RECORDINGS, or testdata's), building each
// call from the recorded request.
package authentication
