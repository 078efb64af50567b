// Package tenant holds the one reading of a tenant domain that tokengate
// has: BaseURL (the API clients' constructors, through client.BaseURL),
// Parse (verifier.Auth0Tenant: issuer, JWKS URL and Management audience of
// a tenant) and IssuerMistake (the issuer values verifier.New and
// jwks.Discover refuse because they can never match an Auth0 token).
package tenant
