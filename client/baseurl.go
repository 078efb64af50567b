package client

import (
	"fmt"
	"net/url"
	"strings"

	"github.com/tokengate/tokengate/internal/httpx"
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
func BaseURL(domain string) (string, error) {
	if strings.Contains(domain, "://") {
		u, err := parseBase(domain)
		if err != nil {
			return "", err
		}
		return u.String(), nil
	}
	if domain == "" || strings.ContainsAny(domain, "/?#@\\ \t\r\n%") {
		return "", fmt.Errorf("%w: %q is not a host name", ErrInvalidBaseURL, domain)
	}
	u, err := url.Parse("https://" + domain)
	if err != nil || u.Host != domain || u.Hostname() == "" {
		return "", fmt.Errorf("%w: %q is not a host name", ErrInvalidBaseURL, domain)
	}
	return "https://" + domain, nil
}

// parseBase validates an absolute base URL and drops its trailing slash.
func parseBase(s string) (*url.URL, error) {
	u, err := url.Parse(s)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrInvalidBaseURL, err)
	}
	bad := func(why string) (*url.URL, error) {
		return nil, fmt.Errorf("%w: %s", ErrInvalidBaseURL, why)
	}
	switch {
	case u.Scheme != "https" && u.Scheme != "http":
		return bad("scheme must be https (or http for a loopback host)")
	case u.Opaque != "" || u.Host == "" || u.Hostname() == "":
		return bad("no host")
	case u.User != nil:
		return bad("user information is not allowed")
	case u.RawQuery != "" || u.ForceQuery || u.Fragment != "" || strings.Contains(s, "#"):
		return bad("query and fragment are not allowed")
	case u.Scheme == "http" && !httpx.IsLoopback(u.Hostname()):
		return bad("plain http is allowed only for loopback hosts")
	}
	u.Path = strings.TrimRight(u.Path, "/")
	u.RawPath = strings.TrimRight(u.RawPath, "/")
	return u, nil
}
