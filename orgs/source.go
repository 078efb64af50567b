package orgs

import (
	"context"
	"net/http"
	"strings"
)

// Source reads the organization a request is about. It reports false when
// the request names none; Require then answers 403.
//
// Name organizations by id where you can (routes, Static, Allow): an org_id
// is never given to another organization, while a name can be changed and
// then taken by another one, whose route the old tokens, which keep the
// name until they expire, would match. Routes that must take names
// (human-readable URLs) should use WithResolver.
type Source func(r *http.Request) (org string, ok bool)

// FromPath reads the path value name (the {name} wildcard of the matched
// pattern) with r.PathValue, which http.ServeMux and chi (v5.1 and later)
// fill once they matched a route. Use it on routes whose pattern has {name}.
func FromPath(name string) Source {
	if name == "" {
		panic("orgs: FromPath needs a wildcard name")
	}
	return func(r *http.Request) (string, bool) {
		org := r.PathValue(name)
		return org, org != ""
	}
}

// FromHeader reads the request header name. A header sent twice, or empty,
// names no organization.
func FromHeader(name string) Source {
	if name == "" {
		panic("orgs: FromHeader needs a header name")
	}
	key := http.CanonicalHeaderKey(name)
	return func(r *http.Request) (string, bool) {
		v := r.Header[key]
		if len(v) != 1 || v[0] == "" {
			return "", false
		}
		return v[0], true
	}
}

// FromHost asks resolve for the organization of the request's host (for
// tenant subdomains such as acme.api.example.com). resolve receives the host
// in lower case, without port and trailing dot; a Host that is not a valid
// host[:port] never reaches it.
func FromHost(resolve func(host string) (org string, ok bool)) Source {
	if resolve == nil {
		panic("orgs: FromHost needs a resolve function")
	}
	return func(r *http.Request) (string, bool) {
		host, ok := canonicalHost(r.Host)
		if !ok {
			return "", false
		}
		org, ok := resolve(host)
		return org, ok && org != ""
	}
}

// Static names one organization for every request (a route group of one
// organization's API).
func Static(org string) Source {
	if org == "" {
		panic("orgs: Static needs an organization")
	}
	return func(*http.Request) (string, bool) { return org, true }
}

// FromContext reads the organization with get from the request's context,
// where an earlier middleware (tenant resolution, for example) put it with a
// key of its own.
func FromContext(get func(ctx context.Context) (org string, ok bool)) Source {
	if get == nil {
		panic("orgs: FromContext needs a getter")
	}
	return func(r *http.Request) (string, bool) {
		org, ok := get(r.Context())
		return org, ok && org != ""
	}
}

// canonicalHost parses a Host value (RFC 9110 section 7.2: uri-host [":"
// port]) and returns the host in lower case without port or trailing dot.
// IP literals keep their brackets off: "[::1]:8080" gives "::1".
func canonicalHost(h string) (string, bool) {
	var host, port string
	hasPort := false
	if strings.HasPrefix(h, "[") {
		end := strings.IndexByte(h, ']')
		if end < 0 {
			return "", false
		}
		host = h[1:end]
		rest := h[end+1:]
		if rest != "" {
			if rest[0] != ':' {
				return "", false
			}
			port, hasPort = rest[1:], true
		}
		if host == "" || strings.IndexFunc(host, func(c rune) bool { return !isHex(c) && c != ':' && c != '.' }) >= 0 {
			return "", false
		}
	} else {
		host = h
		if i := strings.IndexByte(h, ':'); i >= 0 {
			host, port, hasPort = h[:i], h[i+1:], true
		}
		host = strings.TrimSuffix(host, ".")
		if host == "" || host[0] == '.' || host[len(host)-1] == '.' || strings.Contains(host, "..") ||
			strings.IndexFunc(host, func(c rune) bool { return !isHostChar(c) }) >= 0 {
			return "", false
		}
	}
	if hasPort && strings.IndexFunc(port, func(c rune) bool { return c < '0' || c > '9' }) >= 0 {
		return "", false
	}
	return strings.ToLower(host), true
}

func isHex(c rune) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

func isHostChar(c rune) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '.' || c == '_'
}
