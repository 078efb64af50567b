// Package interop holds tokengate's interoperability tests; it has no API.
//
// TestMain starts a real OpenID provider, oidc-provider 9.13.3 under Node.js
// (provider.mjs next to this file, installed with npm ci), on a loopback
// port. The tests obtain tokens from it over plain HTTP (client credentials
// per resource indicator, authorization code with PKCE for ID tokens) and
// check them the way an API using tokengate would: keys from jwks.Discover
// and jwks.New (or a shared secret for the HS256 resource), a
// verifier.Verifier, and an httptest API behind middleware.Authenticate and
// middleware.RequireScopes. Tokens are accepted when they should be, and
// rejected with the right sentinel error (and 401 invalid_token through the
// middleware) for a wrong audience, organization, nonce, an expired token,
// and keys rotated or dropped by the provider; a rotation costs exactly one
// JWKS refetch.
//
// What is trusted: nothing the provider sends beyond what tokengate itself
// trusts; the tests read the provider's discovery document and JWKS through
// the jwks package, as an API would. Without node on PATH the tests are
// skipped with a message, except when the CI environment variable is set:
// then they fail.
//
// Run: npm ci --prefix interop && go test ./interop/...
package interop
