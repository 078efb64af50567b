package dpop

import (
	"errors"
	"net/http"
	"net/netip"
	"net/url"
	"strconv"
	"strings"

	"github.com/tokengate/tokengate/internal/httpx"
)

// RequestURL returns the URL r was sent to, as htu must name it
// (RFC 9449 section 4.3: the request's URI without query and fragment):
// Config.URL followed by the request's path when URL is set; otherwise the
// scheme (https over TLS, else http) and the Host header, each replaced by
// the forwarded header Config names when the request's immediate peer is
// one of Config.TrustedProxies. The path is the one the client sent
// (r.RequestURI, left alone by http.StripPrefix). A Host that is not a
// host (a path, a query, user info, characters outside a host name) is
// refused rather than cut or rewritten, and so is a forwarded header sent
// twice or holding a list: a proof for one endpoint must never match
// another (the htu bypass fixed in auth0/node-oauth2-jwt-bearer #244).
// Errors wrap ErrURL.
func (v *Verifier) RequestURL(r *http.Request) (string, error) {
	path, err := requestPath(r)
	if err != nil {
		return "", err
	}
	if v.base != "" {
		return v.base + path, nil
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	host := r.Host
	if v.proxies.Trusts(r) {
		if v.fwdProto != "" {
			p, ok, err := httpx.SingleValue(r.Header, v.fwdProto)
			if err != nil {
				return "", fail(ErrURL, v.fwdProto+": "+err.Error())
			}
			if ok {
				switch strings.ToLower(p) {
				case "http", "https":
					scheme = strings.ToLower(p)
				default:
					return "", fail(ErrURL, v.fwdProto+" is neither http nor https")
				}
			}
		}
		if v.fwdHost != "" {
			h, ok, err := httpx.SingleValue(r.Header, v.fwdHost)
			if err != nil {
				return "", fail(ErrURL, v.fwdHost+": "+err.Error())
			}
			if ok {
				host = h
			}
		}
	}
	h, ok := normalizeHost(scheme, host)
	if !ok {
		return "", fail(ErrURL, "the request's host is not a valid host")
	}
	return scheme + "://" + h + path, nil
}

// requestPath is the path of the request target the client sent, escaped
// as sent, "/" when empty.
func requestPath(r *http.Request) (string, error) {
	t := r.RequestURI
	if t == "" { // a request built by a client or a test, not read from the wire
		if r.URL == nil {
			return "", fail(ErrURL, "request without a URL")
		}
		return nonEmpty(r.URL.EscapedPath()), nil
	}
	if t[0] == '/' {
		if i := strings.IndexAny(t, "?#"); i >= 0 {
			t = t[:i]
		}
		if !validPath(t) {
			return "", fail(ErrURL, "request path is not a valid URI path")
		}
		return t, nil
	}
	// absolute-form ("GET https://host/path HTTP/1.1") or "*".
	u, err := url.ParseRequestURI(t)
	if err != nil || u.Scheme == "" {
		return "", fail(ErrURL, "request target is neither a path nor an absolute URL")
	}
	return nonEmpty(u.EscapedPath()), nil
}

// validPath reports whether p is printable ASCII whose every '%' starts a
// percent-encoding (net/http's server refuses other paths already; a
// handler given a hand-made request gets the same rule).
func validPath(p string) bool {
	for i := 0; i < len(p); i++ {
		c := p[i]
		switch {
		case c <= 0x20 || c >= 0x7f:
			return false
		case c == '%':
			if i+2 >= len(p) {
				return false
			}
			if _, ok := unhex(p[i+1]); !ok {
				return false
			}
			if _, ok := unhex(p[i+2]); !ok {
				return false
			}
		}
	}
	return true
}

func nonEmpty(p string) string {
	if p == "" {
		return "/"
	}
	return p
}

// parseBaseURL checks and normalizes Config.URL: http or https, a valid
// host, an optional port and path prefix; no user info, query or fragment.
// The result has no trailing slash, so that the request's path follows.
func parseBaseURL(s string) (string, error) {
	u, err := url.Parse(s)
	if err != nil {
		return "", err
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return "", errors.New("scheme must be http or https")
	}
	if u.User != nil || u.RawQuery != "" || u.ForceQuery || u.Fragment != "" || u.Opaque != "" {
		return "", errors.New("no user info, query or fragment")
	}
	h, ok := normalizeHost(u.Scheme, u.Host)
	if !ok {
		return "", errors.New("invalid host")
	}
	p := strings.TrimSuffix(u.EscapedPath(), "/")
	return u.Scheme + "://" + h + normalizePath(p), nil
}

// normalizeHost checks host (a Host header or URL authority without user
// info) and returns it in normal form: lower case, without the scheme's
// default port (RFC 3986 section 6.2.3). The host must be a name of
// letters, digits, '-', '.' and '_', or an IPv4 address, or an IPv6 address
// in brackets (no zone); the port, when present, 1 to 65535.
func normalizeHost(scheme, host string) (string, bool) {
	if host == "" || len(host) > 262 {
		return "", false
	}
	name, port := host, ""
	if host[0] == '[' {
		end := strings.IndexByte(host, ']')
		if end < 0 {
			return "", false
		}
		port = host[end+1:]
		if port != "" && port[0] != ':' {
			return "", false
		}
		a, err := netipParse(host[1:end])
		if err != nil {
			return "", false
		}
		name = "[" + a + "]"
	} else {
		if i := strings.LastIndexByte(host, ':'); i >= 0 {
			name, port = host[:i], host[i:]
		}
		if name == "" || len(name) > 255 {
			return "", false
		}
		for i := 0; i < len(name); i++ {
			b := name[i]
			switch {
			case 'a' <= b && b <= 'z', '0' <= b && b <= '9', b == '-', b == '.', b == '_':
			case 'A' <= b && b <= 'Z':
			default:
				return "", false
			}
		}
		name = strings.ToLower(name)
	}
	if port != "" {
		port = port[1:] // the ':'
		if port != "" {
			if len(port) > 5 {
				return "", false
			}
			n, err := strconv.Atoi(port)
			if err != nil || n < 1 || n > 65535 || port[0] == '+' || port[0] == '-' {
				return "", false
			}
			port = strconv.Itoa(n) // no leading zeros
			if scheme == "http" && n == 80 || scheme == "https" && n == 443 {
				port = ""
			}
		}
	}
	if port == "" {
		return name, true
	}
	return name + ":" + port, true
}

// matchURL reports whether htu names the URL want (RequestURL's result),
// ignoring htu's query and fragment: exactly, or after both are normalized.
func matchURL(htu, want string) bool {
	if i := strings.IndexAny(htu, "?#"); i >= 0 {
		htu = htu[:i]
	}
	if htu == want {
		return true
	}
	a, ok := normalizeURL(htu)
	if !ok {
		return false
	}
	b, ok := normalizeURL(want)
	return ok && a == b
}

// normalizeURL applies RFC 3986 syntax-based and scheme-based normalization
// (section 6.2.2 and 6.2.3), as RFC 9449 section 4.3 asks: scheme and host in
// lower case, the default port dropped, an empty path as "/",
// percent-encodings of unreserved characters decoded and the others in
// upper case, dot segments removed. Query and fragment are dropped; user
// info is refused.
func normalizeURL(s string) (string, bool) {
	u, err := url.Parse(s)
	if err != nil || u.Opaque != "" || u.User != nil {
		return "", false
	}
	scheme := strings.ToLower(u.Scheme)
	if scheme != "http" && scheme != "https" {
		return "", false
	}
	h, ok := normalizeHost(scheme, u.Host)
	if !ok {
		return "", false
	}
	return scheme + "://" + h + normalizePath(nonEmpty(u.EscapedPath())), true
}

// normalizePath normalizes percent-encodings and removes dot segments.
func normalizePath(p string) string {
	if strings.IndexByte(p, '%') >= 0 {
		var b strings.Builder
		for i := 0; i < len(p); i++ {
			c := p[i]
			if c == '%' && i+2 < len(p) {
				hi, ok1 := unhex(p[i+1])
				lo, ok2 := unhex(p[i+2])
				if ok1 && ok2 {
					d := hi<<4 | lo
					if unreserved(d) {
						b.WriteByte(d)
					} else {
						b.WriteByte('%')
						b.WriteByte(upperHex[hi])
						b.WriteByte(upperHex[lo])
					}
					i += 2
					continue
				}
			}
			b.WriteByte(c)
		}
		p = b.String()
	}
	return removeDotSegments(p)
}

const upperHex = "0123456789ABCDEF"

func unhex(c byte) (byte, bool) {
	switch {
	case '0' <= c && c <= '9':
		return c - '0', true
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10, true
	case 'A' <= c && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

func unreserved(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' ||
		c == '-' || c == '.' || c == '_' || c == '~'
}

// removeDotSegments is RFC 3986 section 5.2.4 for an absolute path (one
// that starts with "/", or is empty).
func removeDotSegments(p string) string {
	if !strings.Contains(p, "/.") {
		return p
	}
	segs := strings.Split(p, "/")[1:]
	out := make([]string, 0, len(segs))
	for i, s := range segs {
		last := i == len(segs)-1
		switch s {
		case ".":
		case "..":
			if len(out) > 0 {
				out = out[:len(out)-1]
			}
		default:
			out = append(out, s)
			continue
		}
		if last {
			out = append(out, "")
		}
	}
	return "/" + strings.Join(out, "/")
}

// netipParse returns the normal form of an IPv6 address literal (the part
// between the brackets); zones and IPv4 addresses are refused.
func netipParse(s string) (string, error) {
	a, err := netip.ParseAddr(s)
	if err != nil {
		return "", err
	}
	if a.Zone() != "" || !a.Is6() {
		return "", errors.New("not an IPv6 address without zone")
	}
	return a.String(), nil
}
