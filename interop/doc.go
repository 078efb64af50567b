// Package interop holds tokengate's interoperability tests; it has no API.
//
// TestMain starts a real OpenID provider, oidc-provider 9.13.3 under Node.js
// (provider.mjs next to this file, installed with npm ci), on a loopback
// port. The tests obtain tokens from it over plain HTTP (client credentials
// per resource indicator, authorization code with PKCE for ID tokens) and
// check them with tokengate's verifier: accepted when they should be, and
// rejected with the right sentinel error for a wrong audience, organization,
// nonce, an expired token, and keys rotated or dropped by the provider.
//
// What is trusted: nothing the provider sends beyond what the verifier
// itself trusts; the tests read the provider's discovery document and JWKS
// the way an API would. Without node on PATH the tests are skipped with a
// message, except when the CI environment variable is set: then they fail.
//
// Run: cd interop && npm ci && cd .. && go test ./interop/...
package interop
