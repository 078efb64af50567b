package client

import (
	"errors"
	"fmt"

	"github.com/tokengate/tokengate/internal/tenant"
)

// BaseURL turns a tenant domain into the base URL of its APIs, as the
// constructors of the Authentication and Management clients do; with "/"
// appended it is the tenant's issuer:
// "tenant.auth0.com" gives "https://tenant.auth0.com". A value with a scheme
// is used as it is, without a trailing slash ("http://127.0.0.1:8080"), which
// is how tests point a client at a local server.
//
// Policy (fail closed): plain http is accepted only for loopback hosts
// (localhost, 127.0.0.0/8, ::1: httpx.IsLoopback, the one loopback test of
// tokengate, which never consults DNS), so client secrets never cross a
// network in clear; user information, queries and fragments are refused.
// verifier.Auth0Tenant reads a domain the same way (internal/tenant), and
// derives the tenant's issuer, JWKS URL and Management audience from it.
func BaseURL(domain string) (string, error) {
	s, err := tenant.BaseURL(domain)
	if errors.Is(err, tenant.ErrNotHost) {
		return "", fmt.Errorf("%w: %q is not a host name", ErrInvalidBaseURL, domain)
	}
	if err != nil {
		return "", fmt.Errorf("%w: %v", ErrInvalidBaseURL, err)
	}
	return s, nil
}
