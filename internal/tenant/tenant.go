package tenant

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/tokengate/tokengate/internal/httpx"
)

// Parse reads a tenant domain, "tenant.eu.auth0.com" or
// "https://tenant.eu.auth0.com" with or without one trailing slash (a
// custom domain too), through BaseURL, and returns the tenant's base URL
// ("https://tenant.eu.auth0.com"), host lower-cased. Stricter than
// BaseURL, since the issuer is compared exactly: a path, a port (except on
// a loopback host, for tests), non-ASCII (IDNs go in their xn-- form) and
// the empty string are refused.
func Parse(domain string) (string, error) {
	fail := func(format string, a ...any) (string, error) {
		return "", fmt.Errorf("tenant domain %s "+format, append([]any{quote(domain)}, a...)...)
	}
	if domain == "" {
		return fail("is empty")
	}
	for i := 0; i < len(domain); i++ {
		if domain[i] >= utf8.RuneSelf || domain[i] < ' ' || domain[i] == 0x7f {
			return fail("has a character that is not printable ASCII (write an IDN in its xn-- form)")
		}
	}
	base, err := BaseURL(strings.TrimSuffix(domain, "/"))
	if errors.Is(err, ErrNotHost) {
		return fail("is not a host name")
	}
	if err != nil {
		return fail("is not a tenant's URL: %v", err)
	}
	u, err := url.Parse(base)
	if err != nil { // BaseURL's result always parses
		return fail("is not a tenant's URL: %v", err)
	}
	switch {
	case u.Path != "" || u.RawPath != "":
		return fail("has a path: give the tenant's domain only, as in %q", u.Scheme+"://"+u.Host)
	case u.Port() != "" && !httpx.IsLoopback(u.Hostname()):
		return fail("has a port: a tenant is served on 443")
	}
	host := strings.ToLower(u.Hostname())
	switch {
	case u.Port() != "":
		host = net.JoinHostPort(host, u.Port())
	case strings.Contains(host, ":"):
		host = "[" + host + "]"
	}
	return u.Scheme + "://" + host, nil
}

// ManagementAudience is the audience of a tenant's Management API
// tokens, from its base URL (BaseURL, Parse).
func ManagementAudience(base string) string { return base + "/api/v2/" }

// IsAuth0Host reports whether host (no port) is a host of Auth0's own
// domains, where every issuer is "https://" + host + "/".
func IsAuth0Host(host string) bool {
	host = strings.ToLower(host)
	return strings.HasSuffix(host, ".auth0.com") && len(host) > len(".auth0.com")
}

// IssuerMistake returns, for an issuer that cannot be what its author
// meant, why and the fix ("looks like a host name: an Auth0 issuer is
// \"https://tenant.eu.auth0.com/\""), to follow the quoted value; "" for
// an issuer that may be right. Refused: a bare host name (a dot, no scheme:
// "tenant.eu.auth0.com", "login.example.com:443"), and any issuer on an
// Auth0 host (*.auth0.com) other than exactly "https://" + host + "/"
// (http, no trailing slash, a path, a port, upper case), which no Auth0
// token carries. Non-URL issuers without a dot stay legal (iss is a
// StringOrURI: "billing-service"), as do URNs and other URLs.
func IssuerMistake(iss string) string {
	if strings.Contains(iss, "://") {
		u, err := url.Parse(iss)
		if err != nil || !IsAuth0Host(u.Hostname()) {
			return ""
		}
		fix := "https://" + strings.ToLower(u.Hostname()) + "/"
		if iss == fix {
			return ""
		}
		return "will never equal an Auth0 token's iss: an Auth0 issuer is " + quote(fix)
	}
	host, ok := bareHost(iss)
	if !ok {
		return ""
	}
	fix := quote("https://" + host + "/")
	if IsAuth0Host(host) {
		return "looks like a host name: an Auth0 issuer is " + fix
	}
	return "looks like a host name: an issuer is a URL, such as " + fix
}

// bareHost reports whether s, which has no scheme, looks like a host name
// with an optional port and path ("tenant.auth0.com",
// "login.example.com:443/"), and returns the host, lower-cased, with a
// port other than 443. A host name here has a dot and ends in a label of
// letters (a top-level domain), or is an IPv4 address: "billing.v2" and
// "urn:x" are not.
func bareHost(s string) (string, bool) {
	hostport, _, _ := strings.Cut(s, "/")
	host, port, hasPort := strings.Cut(hostport, ":")
	if !strings.Contains(host, ".") {
		return "", false
	}
	labels := strings.Split(host, ".")
	for _, l := range labels {
		if l == "" || !isLDH(l) {
			return "", false
		}
	}
	last := labels[len(labels)-1]
	if !isAlpha(last) && !(len(labels) == 4 && allDigits(labels)) {
		return "", false
	}
	if hasPort && (port == "" || !allDigits([]string{port})) {
		return "", false
	}
	host = strings.ToLower(host)
	if hasPort && port != "443" {
		host += ":" + port
	}
	return host, true
}

func isLDH(l string) bool {
	for i := 0; i < len(l); i++ {
		c := l[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}

func isAlpha(l string) bool {
	if len(l) < 2 {
		return false
	}
	for i := 0; i < len(l); i++ {
		c := l[i] | 0x20
		if c < 'a' || c > 'z' {
			return false
		}
	}
	return true
}

func allDigits(ls []string) bool {
	for _, l := range ls {
		if l == "" {
			return false
		}
		for i := 0; i < len(l); i++ {
			if l[i] < '0' || l[i] > '9' {
				return false
			}
		}
	}
	return true
}

// quoteLimit bounds a quoted value in a message, escapes included.
const quoteLimit = 128

// quote escapes and bounds a configured value for a message: the quoted
// text, escapes included, is at most quoteLimit bytes plus "...".
func quote(s string) string {
	q := strconv.Quote(s)
	if len(q) <= quoteLimit {
		return q
	}
	// Cut the value, not its escapes, where the quoted prefix fits.
	n := min(len(s), quoteLimit)
	for ; n > 0; n-- {
		if q = strconv.Quote(s[:n]); len(q) <= quoteLimit {
			break
		}
	}
	return q + "..."
}

// Quote is quote for the callers' own messages about the same values.
func Quote(s string) string { return quote(s) }
