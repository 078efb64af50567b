// Package authtest runs a local Auth0-like tenant over real HTTP, for tests
// and for trying tokengate without an Auth0 account.
//
//	tenant, err := authtest.NewTenant(authtest.Config{
//		Clients: []authtest.Client{{ID: "api-tests", Secret: "s3cret",
//			Grants: map[string][]string{"https://api.example.com": {"read:items"}}}},
//	})
//	if err != nil { ... }
//	t.Cleanup(tenant.Close)
//
// A Tenant listens on a loopback port (HTTP, or HTTPS with Config.TLS) and
// serves:
//
//   - /.well-known/openid-configuration: the discovery document; the issuer
//     is Tenant.Issuer(), the URL with a trailing slash, as Auth0's;
//   - /.well-known/jwks.json: the public keys, an RSA 2048 key (RS256, the
//     signing key) and an EC P-256 key (ES256), with Cache-Control;
//     Rotate, RotateTo and RemoveKey change them;
//   - POST /oauth/token: client_credentials and the password grants
//     (password and Auth0's password-realm) for the clients, users, roles
//     and organizations of the Config, with JSON or form bodies, client
//     authentication by client_secret (body or HTTP Basic) or private_key_jwt,
//     and Auth0's error answers;
//   - /userinfo: the profile of the bearer of a user access token;
//   - a few Management API reads (users, user roles, the user's
//     organizations, organizations, organization members and member roles)
//     behind Management API tokens.
//
// Tokens look like Auth0's: RS256 with typ JWT and kid; iss with the
// trailing slash; sub "auth0|<id>" for users and "<client_id>@clients" for
// clients; aud a string for client credentials and [api, issuer+"userinfo"]
// for users who asked for openid; azp, scope, permissions (RBAC), gty, and
// org_id with org_name when an organization was asked for. Mint signs any
// token at all (claims, algorithm, kid, header, expiry) for negative tests,
// and AccessToken a valid one in one call.
//
// SetJWKSFault and SetJWKSDelay make the JWKS endpoint fail (connection
// dropped, 500, 429, garbage, a 5 MiB body, no keys) or slow; JWKSRequests
// and TokenRequests count the requests, to assert caching behaviour.
//
// # Token endpoint answers
//
// Errors have Auth0's shape, {"error": ..., "error_description": ...}:
//
//	400 invalid_request          missing or malformed parameter, repeated parameter,
//	                             two client authentication methods, unknown realm or organization
//	400 unsupported_grant_type   "Unsupported grant type: <grant_type>"
//	401 access_denied            "Unauthorized": unknown client, bad or missing credentials
//	403 unauthorized_client      "Grant type '<grant_type>' not allowed for the client."
//	403 access_denied            "Service not found: <audience>", no client grant for the API,
//	                             "Client has not been granted scopes: ...", no audience at all,
//	                             organization not open to the user or client
//	403 invalid_grant            "Wrong email or password."
//	413 invalid_request          body over 64 KiB
//
// Auth0's documentation is not consistent about the status of
// unsupported_grant_type; the tenant answers 400 as RFC 6749 section 5.2 says.
//
// With RBAC, a user's API scopes are the requested scopes that the user's
// roles (tenant-level, plus the roles held in the requested organization)
// grant as permissions; openid, profile, email, address, phone and
// offline_access always pass. A password login without scope gets
// "openid profile email address phone", as recorded from Auth0. No refresh
// tokens are issued.
//
// # Management API
//
// Management tokens come from client_credentials for ManagementAudience
// (Client.ManagementScopes). Each endpoint needs one scope:
//
//	GET /api/v2/users/{id}                                    read:users
//	GET /api/v2/users/{id}/roles                              read:roles
//	GET /api/v2/users/{id}/organizations                      read:organizations
//	GET /api/v2/organizations/{id}                            read:organizations
//	GET /api/v2/organizations/{id}/members                    read:organization_members
//	GET /api/v2/organizations/{id}/members/{user_id}/roles    read:organization_member_roles
//
// Lists take page, per_page (at most 100) and include_totals; members also
// take checkpoint pagination (from, take) and then answer
// {"members": [...], "next": "..."}. Errors have the Management API's shape,
// {"statusCode", "error", "message", "errorCode"}, for example 403
// "Insufficient scope, expected any of: read:users" with errorCode
// insufficient_scope.
//
// The directory is fixed when the tenant starts, except that RemoveMember
// takes a user out of an organization at run time: the member lists, the
// user's organizations and the token endpoint stop seeing the membership,
// while the tokens already issued stay valid, as on Auth0.
//
// A Tenant is also a verifier.KeySource (its current keys, no HTTP), and
// KeySet returns a static snapshot of them.
//
// # What is trusted
//
// authtest is a test double: its keys are generated in memory and it has no
// login page. It still keeps good habits: it listens only on loopback,
// compares secrets and passwords in constant time, bounds the bodies it
// reads, refuses replayed client assertions, verifies with package verifier
// every token presented to it (/userinfo, Management API), and never logs.
//
// # What fails closed
//
// NewTenant refuses a Config with unknown references (roles, organizations),
// duplicate identifiers, upper-case organization names, or a public client
// allowed client_credentials. The token endpoint refuses unknown clients,
// bad or missing credentials of a confidential client, two authentication
// methods at once, repeated parameters, unknown APIs, APIs without a client
// grant, ungranted scopes and organizations the user or client does not
// belong to.
package authtest
