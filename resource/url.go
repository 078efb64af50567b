package resource

import (
	"errors"
	"net/netip"
	"net/url"
	"strconv"
	"strings"

	"github.com/tokengate/tokengate/internal/httpx"
)

// wellKnown is the well-known URI suffix of RFC 9728 section 3.
const wellKnown = "/.well-known/oauth-protected-resource"

// maxURL bounds the configured URLs.
const maxURL = 2048

// WellKnownURL returns the URL of the metadata of the protected resource
// identified by resource (RFC 9728 section 3.1): the well-known path
// inserted between the host and the resource's path. resource must be in
// the canonical form New accepts.
func WellKnownURL(resource string) (string, error) {
	r, err := parseResource(resource)
	if err != nil {
		return "", err
	}
	return r.origin + r.wellKnownPath(), nil
}

// resourceURL is a checked resource identifier: scheme://host[:port], and
// a path that is empty or starts with "/".
type resourceURL struct {
	origin, path string
}

func (r resourceURL) wellKnownPath() string {
	if r.path == "/" {
		return wellKnown
	}
	return wellKnown + r.path
}

// parseResource checks that s is a resource identifier in canonical form
// (see Config.Resource) and splits it.
func parseResource(s string) (resourceURL, error) {
	var r resourceURL
	if err := checkChars(s); err != nil {
		return r, err
	}
	if strings.ContainsAny(s, "?#") {
		return r, errors.New("a resource identifier has no query or fragment")
	}
	u, err := parseAbsolute(s)
	if err != nil {
		return r, err
	}
	host, err := canonicalHost(u)
	if err != nil {
		return r, err
	}
	r.origin = u.Scheme + "://" + host
	if !strings.HasPrefix(s, r.origin) { // url.Parse lower-cases the scheme
		return r, errors.New("the scheme must be written in lower case")
	}
	r.path = s[len(r.origin):]
	if err := checkPath(r.path); err != nil {
		return r, err
	}
	return r, nil
}

// checkServerURL checks an authorization server's issuer or a
// documentation URL: absolute https (http on loopback), with a host, no
// user info, query or fragment.
func checkServerURL(s string) error {
	if err := checkChars(s); err != nil {
		return err
	}
	if strings.ContainsAny(s, "?#") {
		return errors.New("no query or fragment")
	}
	_, err := parseAbsolute(s)
	return err
}

// checkChars: not empty, bounded, printable ASCII without spaces, quotes or
// backslashes (a URL that also fits in a header's quoted-string).
func checkChars(s string) error {
	if s == "" {
		return errors.New("empty")
	}
	if len(s) > maxURL {
		return errors.New("longer than 2048 bytes")
	}
	for i := 0; i < len(s); i++ {
		if b := s[i]; b <= ' ' || b >= 0x7f || b == '"' || b == '\\' {
			return errors.New("not printable ASCII without spaces, '\"' or '\\'")
		}
	}
	return nil
}

// parseAbsolute parses an absolute https URL (http on a loopback host) with
// a host and without user info.
func parseAbsolute(s string) (*url.URL, error) {
	u, err := url.Parse(s)
	switch {
	case err != nil:
		return nil, errors.New("not a URL")
	case u.Scheme != "https" && !(u.Scheme == "http" && httpx.IsLoopback(u.Hostname())):
		return nil, errors.New("want an absolute https URL (http only on a loopback host)")
	case u.Opaque != "" || u.Hostname() == "":
		return nil, errors.New("no host")
	case u.User != nil:
		return nil, errors.New("user info is not allowed")
	}
	return u, nil
}

// canonicalHost returns u's host[:port] when it is written canonically: a
// lower-case DNS name or an IP address (IPv6 in brackets, no zone), and a
// port only when it is not the scheme's default, without leading zeros.
func canonicalHost(u *url.URL) (string, error) {
	name, port := u.Hostname(), u.Port()
	if strings.HasPrefix(u.Host, "[") {
		a, err := netip.ParseAddr(name)
		if err != nil || !a.Is6() || a.Zone() != "" || a.String() != name {
			return "", errors.New("an IPv6 host must be a canonical address without zone")
		}
	} else if !validName(name) {
		return "", errors.New("the host must be a lower-case DNS name or an IPv4 address")
	}
	if strings.HasSuffix(u.Host, ":") {
		return "", errors.New("empty port")
	}
	if port != "" {
		n, err := strconv.Atoi(port)
		switch {
		case err != nil || n < 1 || n > 65535 || strconv.Itoa(n) != port:
			return "", errors.New("the port must be a number from 1 to 65535 without leading zeros")
		case u.Scheme == "https" && n == 443, u.Scheme == "http" && n == 80:
			return "", errors.New("the scheme's default port must be left out")
		}
	}
	return u.Host, nil
}

func validName(s string) bool {
	if s == "" || len(s) > 253 {
		return false
	}
	for i := 0; i < len(s); i++ {
		b := s[i]
		if !('a' <= b && b <= 'z' || '0' <= b && b <= '9' || b == '-' || b == '.') {
			return false
		}
	}
	return true
}

// checkPath: "" or "/", or "/" followed by non-empty segments of
// unreserved characters and sub-delimiters other than those a ServeMux
// pattern gives a meaning to, no "." or ".." segment, no trailing slash.
// The well-known path is this path behind a prefix, so it must be matched
// literally by every router.
func checkPath(p string) error {
	if p == "" || p == "/" {
		return nil
	}
	if p[0] != '/' {
		return errors.New("path does not start with '/'")
	}
	for _, seg := range strings.Split(p[1:], "/") {
		switch seg {
		case "":
			return errors.New("empty path segment (a double or trailing slash)")
		case ".", "..":
			return errors.New("dot segment in the path")
		}
		for i := 0; i < len(seg); i++ {
			if !pathChar(seg[i]) {
				return errors.New("the path may hold letters, digits and -._~!&'()*+,;=:@ only (no percent-encoding)")
			}
		}
	}
	return nil
}

func pathChar(b byte) bool {
	return 'a' <= b && b <= 'z' || 'A' <= b && b <= 'Z' || '0' <= b && b <= '9' ||
		strings.IndexByte("-._~!&'()*+,;=:@", b) >= 0
}
