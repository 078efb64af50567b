package orgs

import (
	"context"
	"net/http"

	"github.com/tokengate/tokengate/internal/httpx"
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

// canonicalHost is httpx.CanonicalHost: the host of a Host value in lower
// case, without port or trailing dot (the tests of this package check it).
func canonicalHost(h string) (string, bool) { return httpx.CanonicalHost(h) }
