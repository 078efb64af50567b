// Package logout receives OpenID Connect Back-Channel Logout 1.0 requests:
// the identity provider (Auth0: the application's "Back-Channel Logout URI")
// POSTs a signed logout token when a user's session ends, and the
// application ends its own sessions and stops accepting the user's access
// tokens.
//
// [New] returns an http.Handler for that URL. For each request it checks,
// in order: the method (POST, else 405), the Content-Type
// (application/x-www-form-urlencoded, else 400), the body size (at most
// Config.MaxBodySize, else 400), exactly one logout_token form member and
// none in the query (else 400); it verifies the token with a
// [verifier.Verifier] of Kind [verifier.LogoutToken] (section 2.6: typ,
// signature, iss, aud, iat, exp, jti, events, sub or sid, no nonce; else
// 400), refuses a token valid for longer than Config.MaxLifetime (400),
// then:
//
//  1. revokes, in Config.Revocations, the tokens of the subject (and of the
//     session when sid is given) issued before the logout (see Revoke
//     below);
//  2. records (iss, jti) in Config.Replay, a [dpop.ReplayStore], until the
//     token expires: a second delivery of the same token is refused (400),
//     so Config.OnLogout runs at most once per logout token;
//  3. calls Config.OnLogout(ctx, sub, sid) for the application's own
//     sessions (cookies, server-side session store).
//
// Answers follow section 2.8: 200 with Cache-Control: no-store and an empty
// body; 400 with a JSON body {"error": "invalid_request",
// "error_description": ...} whose description is one of a few constant
// texts (never the token or a claim); 503 with Retry-After when the key
// source, the revocation set or the replay store cannot answer (the
// provider may retry: nothing was recorded, or what was is idempotent); 500
// when OnLogout fails (the token is spent by then: OnLogout must be
// durable itself).
//
// # Revoke
//
// Dropping cached tokens logs nobody out (the token verifies again). The
// revocation set is what the API's verifiers consult on every Verify
// (verifier.Config.Revocations), cache hits included. Auth0 access tokens
// carry no sid, so the rule that matters is subject + time: each logout
// revokes the subject's tokens issued before it, unless
// Config.SessionOnly is set and the logout names a session (for providers
// whose access tokens carry sid). Before is the logout token's iat rounded
// up to the next whole second, not the time of receipt: iat and the access
// tokens' iat come from the same clock (the provider's), so the comparison
// holds whatever our clock's skew and however late a retried delivery
// arrives; a receipt time would also revoke the tokens of a login made
// after the logout but before a late delivery. Rounding up refuses the
// tokens issued in the logout's own second (integer iat cannot order them).
//
// # What is trusted
//
// Nothing of the request before the token verifies; the token's claims once
// it does. The replay store is keyed by issuer and jti with the issuer's
// length first, so that no two (iss, jti) pairs share a key. A replay store
// or revocation set shared by replicas (package redisstore of the nested
// module) is needed for a fleet: one replica's memory is not another's.
package logout
