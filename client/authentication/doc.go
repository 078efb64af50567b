// Package authentication is a client of the Auth0 Authentication API for
// one tenant and one application: every endpoint of the Auth0 Python SDK
// (4.13/5.x) with typed requests and answers, the /authorize and
// /v2/logout URL builders of its 3.x line, and the MFA API.
//
//	auth, err := authentication.New("tenant.auth0.com",
//		authentication.WithClientID(id), authentication.WithClientSecret(secret))
//	tok, err := auth.ClientCredentials(ctx, authentication.ClientCredentialsRequest{Audience: api})
//
// # Client authentication
//
// Endpoints that authenticate the application (the token grants except
// PKCE, passwordless start, revocation, back-channel login, PAR, MFA) send
// a private_key_jwt client assertion when a key is configured
// (WithClientAssertionKey / WithClientAssertionPEM), else the client secret,
// else only client_id (public clients). The assertion is a JWT signed with
// lestrrat-go/jwx/v3: iss = sub = client ID, aud = "https://{domain}/", iat,
// exp = iat + 180 s and a random jti; a new one is signed for every request
// and every retry, so no jti is sent twice. The algorithm is checked
// against the key in New. AuthorizationCodePKCE, Signup, ChangePassword,
// SocialLogin and Delegation never send credentials (as the Python SDK).
//
// # Wire format
//
// Grants to /oauth/token are form-encoded (RFC 6749 section 4, and what
// the recorded Auth0 traffic shows), as are /bc-authorize and /oauth/par;
// the other endpoints send JSON. Optional parameters left empty are
// omitted, never sent as null or "": the Python SDK sends null for unset
// GetToken fields, which the API treats as absent. Extra fields (Extra)
// may add parameters but not replace those this package sets.
//
// # Errors and retries
//
// Errors come from package client: *client.Error (with MFAToken for
// "mfa_required"), *client.RateLimitError. Unlike the Python SDK, 429
// answers are retried (the request was not processed); 5xx answers and
// network errors are retried only for GET requests (UserInfo, metadata,
// authenticators), never for the POSTs, which may have been processed.
//
// # What is trusted, what fails closed
//
// The tenant URL comes only from configuration (https, or http for
// loopback hosts). Token answers are decoded in one place: a 2xx answer
// whose access_token or token_type is absent, null, empty or not a string
// (RFC 6749 section 5.1), or whose expires_in is not a number, is a
// *TokenResponseError (errors.Is ErrTokenResponse) and none of its tokens
// are returned; expires_in is clamped to [0, 30 days] before ExpiresAt is
// computed. When ID-token checks are given (IDTokenChecks: nonce, max age,
// organization), an answer without an id_token is a *TokenResponseError on
// "id_token" (errors.Is ErrIDToken too), and checks given to a Client
// without a verifier fail with ErrNoIDTokenVerifier before anything is
// sent: requested checks are never skipped. When an ID-token verifier is configured
// (WithIDTokenVerifier), every ID token in a token answer is verified,
// including those of SocialLogin, Delegation and the MFA grants; if one
// fails, the call returns ErrIDToken with the verifier's error and none of
// the tokens. Without a verifier, ID tokens are returned unverified:
// verify them before trusting their claims. Secrets (client secret,
// assertion, passwords, codes, tokens, an MFA enrollment's secret and
// barcode_uri) never appear in error strings, log lines, debug output or
// the String form of a Client or TokenResponse (the table of secrets of
// package client; TestX22RedactionEveryAuthMethod walks every method).
package authentication
