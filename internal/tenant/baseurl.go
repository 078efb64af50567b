package tenant

import (
	"errors"
	"net/url"
	"strings"

	"github.com/tokengate/tokengate/internal/httpx"
)

// BaseURL turns a tenant domain into the base URL of its APIs, without a
// trailing slash: "tenant.auth0.com" gives "https://tenant.auth0.com". A
// value with a scheme is used as it is, without its trailing slashes
// ("http://127.0.0.1:8080"), which is how tests point a client at a local
// server.
//
// Policy (fail closed): plain http only for loopback hosts (httpx.IsLoopback,
// which never consults DNS); user information, queries and fragments are
// refused. The errors say why, without the value or a package prefix:
// callers wrap them.
func BaseURL(domain string) (string, error) {
	if strings.Contains(domain, "://") {
		u, err := parseBase(domain)
		if err != nil {
			return "", err
		}
		return u.String(), nil
	}
	if domain == "" || strings.ContainsAny(domain, "/?#@\\ \t\r\n%") {
		return "", ErrNotHost
	}
	u, err := url.Parse("https://" + domain)
	if err != nil || u.Host != domain || u.Hostname() == "" {
		return "", ErrNotHost
	}
	return "https://" + domain, nil
}

// ErrNotHost: a domain without a scheme is not a host name (with an
// optional port).
var ErrNotHost = errors.New("not a host name")

// parseBase validates an absolute base URL and drops its trailing slashes.
func parseBase(s string) (*url.URL, error) {
	u, err := url.Parse(s)
	if err != nil {
		// The reason only: the value, of any length, is the caller's to
		// quote.
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return nil, err
	}
	switch {
	case u.Scheme != "https" && u.Scheme != "http":
		return nil, errors.New("scheme must be https (or http for a loopback host)")
	case u.Opaque != "" || u.Host == "" || u.Hostname() == "":
		return nil, errors.New("no host")
	case u.User != nil:
		return nil, errors.New("user information is not allowed")
	case u.RawQuery != "" || u.ForceQuery || u.Fragment != "" || strings.Contains(s, "#"):
		return nil, errors.New("query and fragment are not allowed")
	case u.Scheme == "http" && !httpx.IsLoopback(u.Hostname()):
		return nil, errors.New("plain http is allowed only for loopback hosts")
	}
	u.Path = strings.TrimRight(u.Path, "/")
	u.RawPath = strings.TrimRight(u.RawPath, "/")
	return u, nil
}
