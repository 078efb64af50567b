// Package exchange calls downstream APIs on behalf of the caller: from a
// handler behind middleware.Authenticate, it exchanges the verified
// incoming access token (middleware.TokenFromContext) for a token for
// another API (Auth0 Custom Token Exchange, RFC 8693) or for the access
// token of one of the user's connections (Auth0 Token Vault), and caches
// the result.
//
//	client ──token A (aud api)──▶ API: Authenticate verifies A
//	API ──POST /oauth/token grant=token-exchange subject_token=A audience=downstream──▶ Auth0
//	Auth0 ──token B (aud downstream, sub = A's sub, azp = the API's client)──▶ API (cached)
//	API ──Bearer B──▶ downstream API
//
// It sits above both middleware and client/authentication (client/* never
// imports middleware): [Exchanger.Token] reads the caller's claims and raw
// token from the request context and calls the client's
// CustomTokenExchange or AccessTokenForConnection. [Exchanger.TokenSource]
// returns the same as an oauth2.TokenSource, for oauth2.NewClient and the
// client libraries that take one.
//
// # Cache
//
// Results are cached per caller and target: the key is the incoming
// token's iss, sub, org_id and azp (client_id when azp is absent), its
// scope and permissions (as sets), its act chain, the target audience or
// connection, the requested scope, organization and login hint, and a hash
// of the actor token. Every part is length-prefixed, so that no crafted
// value makes two callers share a key. Two tokens of one user with the
// same grant share the result; a user's token with fewer scopes or
// permissions does not get what a broader one obtained. A result is kept
// until its expiry minus Config.Margin, at most Config.MaxTTL after
// receipt, in a bounded LRU (Config.CacheSize); one without expires_in is
// not cached. Concurrent calls for one key send one request
// (single-flight); each caller still stops waiting when its own context
// ends, and the request goes on for the others, bounded by the client's
// timeout. Errors are not cached.
//
// # What is refused
//
// A request without a verified token (ErrNoToken); a DPoP- or
// certificate-bound token (ErrSenderConstrained: exchanging it would need
// a proof made with its key, which the API does not hold, and sending it
// as a bearer token would strip the binding); answers of the
// authorization server that are not usable: token_type other than Bearer,
// no access_token, a lifetime that is not a number (ErrRefused); with
// Config.TokenVerifier, an issued token that does not verify for the
// target, or lacks act when an actor token was sent (ErrRefused).
// expires_in is clamped to [0, 30 days] by the client before any
// arithmetic. Refusals are *Error values matching ErrConsentRequired
// (consent_required, interaction_required), ErrConnectionMissing
// (federated_connection_refresh_token_not_found) or ErrRefused; a 429, a
// 5xx or a network failure is returned as the client's error, not as a
// refusal.
//
// # Auth0 setup
//
// Custom Token Exchange: Auth0 refuses subject token types in the
// urn:ietf: namespace for it, so the incoming access token is sent under a
// type URI of your own ("urn:acme:api-access-token"), and New refuses
// urn:ietf: types. In the tenant:
//
//  1. Create an Action on the "Custom Token Exchange" trigger that
//     validates the subject token: verify its signature with the tenant's
//     JWKS, its iss, that its aud is your API's identifier, its exp, and
//     that event.client.client_id is your API's application; then
//     api.authentication.setUserById(sub) with the token's sub (never a
//     value the request names otherwise).
//  2. Create a Token Exchange Profile (Management API
//     POST /api/v2/token-exchange-profiles) with subject_token_type your
//     type URI and action_id the Action's ID.
//  3. Give your API's application (confidential: client secret or
//     private_key_jwt) the Token Exchange grant, and the downstream API's
//     permissions the users may obtain.
//  4. Config{Client: that application's authentication.Client,
//     SubjectTokenType: "urn:acme:api-access-token"}.
//
// Token Vault: enable Token Vault on the connection (Connected Accounts),
// give the application the grant
// urn:auth0:params:oauth:grant-type:token-exchange:federated-connection-access-token,
// and ask with Request.Connection; the subject token type is
// urn:ietf:params:oauth:token-type:access_token (Config.ConnectionSubjectTokenType).
//
// The incoming token goes to the tenant that issued it and nowhere else;
// never log it, nor the exchanged token (Token.String redacts it).
package exchange
