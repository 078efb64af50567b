package middleware

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
)

// errCrossSite is the cause of a cookie token refused on an unsafe request
// that was not shown to come from the site (WithCookie).
var errCrossSite = errors.New("middleware: cookie token on an unsafe request not shown to come from the site itself")

// CookieOption configures how WithCookie tells a request of the site's own
// pages from a cross-site one.
type CookieOption func(*csrfPolicy)

// TrustedOrigins also lets unsafe requests with the cookie token through
// when their Origin header is one of origins: front ends served from other
// origins than the API (https://app.example.com calling
// https://api.example.com), whose requests browsers mark cross-site or
// same-site. Each origin is scheme://host[:port], without path; the
// comparison is exact, after lower-casing the configured value (browsers
// send origins in lower case); it panics on a value browsers never send
// (a path, a default port, a non-ASCII host: give it in punycode). "null"
// is never trusted.
func TrustedOrigins(origins ...string) CookieOption {
	return func(p *csrfPolicy) { p.origins = append(p.origins, origins...) }
}

// CSRFHeader also lets unsafe requests with the cookie token through when
// they carry the request header name with a non-empty value (for example
// X-Requested-With): a page of another site cannot add a custom header to a
// cross-origin request without a CORS preflight that the API's CORS policy
// refuses (OWASP's "custom request header" defence). It suits non-browser
// clients that use the cookie and browsers that send no Fetch Metadata.
func CSRFHeader(name string) CookieOption {
	return func(p *csrfPolicy) { p.header = name }
}

// csrfPolicy decides which unsafe requests may use the cookie token.
type csrfPolicy struct {
	origins []string // exact, lower-case serialized origins
	header  string   // canonical header name, or ""
}

// newCSRFPolicy applies opts and checks the result; it panics on an invalid
// origin or header name, as the other options do.
func newCSRFPolicy(opts []CookieOption) csrfPolicy {
	var p csrfPolicy
	for _, o := range opts {
		if o == nil {
			panic("middleware: nil CookieOption")
		}
		o(&p)
	}
	for i, o := range p.origins {
		norm, ok := normalizeOrigin(o)
		if !ok {
			panic(fmt.Sprintf("middleware: TrustedOrigins: %q is not an origin (scheme://host[:port])", o))
		}
		p.origins[i] = norm
	}
	if p.header != "" {
		if !validCookieName(p.header) { // an RFC 9110 token, as a field name is
			panic(fmt.Sprintf("middleware: CSRFHeader: invalid header name %q", p.header))
		}
		p.header = http.CanonicalHeaderKey(p.header)
	}
	return p
}

// normalizeOrigin checks that s is an origin as browsers serialize it in
// the Origin header (RFC 6454 section 6.2: scheme://host[:port], ASCII, the
// host in punycode, no default port) and lower-cases it. A value that no
// browser would send is refused rather than kept, since it would never
// match.
func normalizeOrigin(s string) (string, bool) {
	for i := 0; i < len(s); i++ {
		if s[i] <= ' ' || s[i] > '~' {
			return "", false
		}
	}
	u, err := url.Parse(strings.ToLower(s))
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" ||
		u.User != nil || u.Path != "" || u.RawQuery != "" || u.Fragment != "" || u.Opaque != "" ||
		strings.ContainsAny(s, "?#") ||
		u.Scheme == "https" && u.Port() == "443" || u.Scheme == "http" && u.Port() == "80" {
		return "", false
	}
	return u.Scheme + "://" + u.Host, true
}

// allows reports whether r may use the cookie token. Requests with a safe
// method (RFC 9110 section 9.2.1: GET, HEAD, OPTIONS, TRACE, written in
// upper case as methods are case-sensitive) always may: they must not
// change state, and the token does not leave the server. An unsafe request
// may when a browser marked it same-origin (Sec-Fetch-Site), when its Origin
// is trusted, or when it carries the CSRFHeader. Anything else is refused,
// including requests with neither Sec-Fetch-Site nor Origin (old browsers,
// non-browser clients: they should send the token in the Authorization
// header, which no other site can make a browser send), and
// Sec-Fetch-Site: none, which browsers send for navigations the user
// started (typed URLs, bookmarks): those are GETs, never an API's unsafe
// request.
func (p *csrfPolicy) allows(r *http.Request) bool {
	switch r.Method {
	case http.MethodGet, http.MethodHead, http.MethodOptions, http.MethodTrace:
		return true
	}
	if site := r.Header["Sec-Fetch-Site"]; len(site) == 1 && site[0] == "same-origin" {
		return true
	}
	if origin := r.Header["Origin"]; len(origin) == 1 {
		for _, o := range p.origins {
			if origin[0] == o {
				return true
			}
		}
	}
	if p.header != "" {
		if v := r.Header[p.header]; len(v) > 0 && v[0] != "" {
			return true
		}
	}
	return false
}
