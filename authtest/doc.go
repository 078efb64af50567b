// Package authtest runs a local Auth0-like tenant over real HTTP, for tests
// and for trying tokengate without an Auth0 account: OpenID discovery, a
// rotatable JWKS, the token endpoint, /userinfo and a few Management API
// reads (Tenant lists them), tokens shaped like Auth0's, and switches that
// make the JWKS endpoint fail or slow.
//
// For tests of an API's own handlers, Mint's typed Token fields (Subject,
// Audience, Scopes, Permissions, OrgID, OrgName, Custom, IssuedAt,
// ExpiresIn) make the access token Auth0 would issue without a claims map,
// and refuse what Auth0 would not (a malformed org_id, a scope with a
// space, a custom claim named iss or exp: errors wrapping ErrClaim);
// Token.Claims still mints anything, for the tokens a verifier must refuse.
//
// For sender-constrained tokens: DPoPKey signs DPoP proofs (RFC 9449),
// good or broken (Proof), BoundAccessToken and Token.DPoP mint tokens bound
// to it, and the token endpoint binds client-credentials tokens to the key
// of a DPoP proof sent with the request; NewClientCertificate and
// Token.Certificate do the same for certificate-bound tokens (RFC 8705).
//
//	tenant, err := authtest.NewTenant(authtest.Config{
//		Clients: []authtest.Client{{ID: "api-tests", Secret: "s3cret",
//			Grants: map[string][]string{"https://api.example.com": {"read:items"}}}},
//	})
//	if err != nil { ... }
//	t.Cleanup(tenant.Close)
//
// Configuration follows tokengate's rule: NewTenant takes a Config whose
// zero value is a working tenant (no clients, no users), checks it and
// returns an error; Config.Now is the clock of the claims it issues.
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
// duplicate identifiers, upper-case organization names, invitations of
// unknown users or of members, or a public client
// allowed client_credentials. The token endpoint refuses unknown clients,
// bad or missing credentials of a confidential client, two authentication
// methods at once, repeated parameters, unknown APIs, APIs without a client
// grant, ungranted scopes and organizations the user or client does not
// belong to. An invitation (Config.Invitations) counts only with its
// organization, for its invitee, once; until then the invitee is not a
// member.
package authtest
