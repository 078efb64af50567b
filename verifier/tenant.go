package verifier

import (
	"strings"

	"github.com/tokengate/tokengate/internal/tenant"
)

// Tenant is what an Auth0 tenant's domain gives: the values a Verifier, a
// jwks.Cache and a Management client are configured with. Auth0Tenant
// makes it.
type Tenant struct {
	// Domain is the tenant's host, lower-cased ("tenant.eu.auth0.com"),
	// with its port for a loopback test tenant ("127.0.0.1:8080"): the
	// domain the API clients' constructors take.
	Domain string
	// Issuer is the iss of the tenant's tokens, for Config.Issuer:
	// "https://tenant.eu.auth0.com/", trailing slash included.
	Issuer string
	// JWKSURL is where the tenant publishes its keys, for jwks.Config.URL:
	// "https://tenant.eu.auth0.com/.well-known/jwks.json".
	JWKSURL string
	// ManagementAudience is the audience of Management API tokens:
	// "https://tenant.eu.auth0.com/api/v2/" (management.Config.Audience
	// defaults to it).
	ManagementAudience string
}

// Auth0Tenant is the one way to say "my tenant is X": it reads the
// tenant's domain as the API clients' constructors do (client.BaseURL) and
// derives its issuer, JWKS URL and Management audience, which Auth0 lays
// out the same way for its own domains (*.auth0.com) and for custom
// domains. It accepts "tenant.eu.auth0.com" or "https://tenant.eu.auth0.com",
// with or without one trailing slash, in any case; plain http only for a
// loopback host (an authtest tenant). It refuses, wrapped in ErrConfig, an
// empty value, a path, a query, a fragment, user information, a port
// (except on a loopback host) and non-ASCII (an IDN goes in its xn-- form):
// the issuer is compared exactly, so a domain that is almost right would
// refuse every token.
func Auth0Tenant(domain string) (Tenant, error) {
	base, err := tenant.Parse(domain)
	if err != nil {
		return Tenant{}, configError("%v", err)
	}
	return Tenant{
		Domain:             base[strings.Index(base, "://")+3:],
		Issuer:             base + "/",
		JWKSURL:            base + "/.well-known/jwks.json",
		ManagementAudience: tenant.ManagementAudience(base),
	}, nil
}
