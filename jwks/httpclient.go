package jwks

import (
	"crypto/tls"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"time"
)

// maxRedirects bounds same-origin redirects (Go's default is 10).
const maxRedirects = 3

// checkURL accepts https URLs, and http URLs of loopback hosts, without
// credentials or a fragment.
func checkURL(raw string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrInsecureURL, err)
	}
	switch {
	case u.Opaque != "" || u.Host == "" || u.Hostname() == "":
		return nil, fmt.Errorf("%w: %q is not an absolute URL with a host", ErrInsecureURL, raw)
	case u.User != nil:
		return nil, fmt.Errorf("%w: credentials in the URL", ErrInsecureURL)
	case u.Fragment != "" || strings.Contains(raw, "#"):
		return nil, fmt.Errorf("%w: fragment in the URL", ErrInsecureURL)
	case u.Scheme == "https":
		return u, nil
	case u.Scheme == "http" && isLoopback(u.Hostname()):
		return u, nil
	}
	return nil, fmt.Errorf("%w: %s", ErrInsecureURL, u.Redacted())
}

// isLoopback reports whether host is "localhost" or a loopback IP address.
func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	a, err := netip.ParseAddr(host)
	return err == nil && a.Unmap().IsLoopback()
}

// sameOrigin compares scheme, host (case-insensitively) and port.
func sameOrigin(a, b *url.URL) bool {
	return a.Scheme == b.Scheme && strings.EqualFold(a.Host, b.Host)
}

// httpClient returns the client to use: a copy of hc with the redirect
// policy, or a client of this package. tr is the package's own transport
// (to close its idle connections), or nil.
func httpClient(hc *http.Client, timeout time.Duration) (c *http.Client, tr *http.Transport, err error) {
	if hc == nil {
		tr = &http.Transport{
			// No Proxy: the process environment does not redirect key
			// fetches (SECURITY-CASES F13). Pass a client to use a proxy.
			Proxy:                  nil,
			DialContext:            (&net.Dialer{Timeout: timeout, KeepAlive: 30 * time.Second}).DialContext,
			TLSClientConfig:        &tls.Config{MinVersion: tls.VersionTLS12},
			TLSHandshakeTimeout:    timeout,
			ResponseHeaderTimeout:  timeout,
			MaxIdleConns:           4,
			IdleConnTimeout:        90 * time.Second,
			MaxResponseHeaderBytes: 64 << 10,
			ForceAttemptHTTP2:      true,
		}
		return &http.Client{Transport: tr, Timeout: timeout, CheckRedirect: checkRedirect(nil)}, tr, nil
	}
	if t, ok := hc.Transport.(*http.Transport); ok && t.TLSClientConfig != nil && t.TLSClientConfig.InsecureSkipVerify {
		return nil, nil, configError("HTTPClient skips TLS verification")
	}
	c = new(http.Client)
	*c = *hc
	c.CheckRedirect = checkRedirect(hc.CheckRedirect)
	if c.Timeout == 0 {
		c.Timeout = timeout
	}
	return c, nil, nil
}

// checkRedirect allows at most maxRedirects redirects, each to the origin
// of the first request, then applies next.
func checkRedirect(next func(*http.Request, []*http.Request) error) func(*http.Request, []*http.Request) error {
	return func(req *http.Request, via []*http.Request) error {
		if len(via) > maxRedirects {
			return fmt.Errorf("%w: more than %d redirects", ErrRedirect, maxRedirects)
		}
		if !sameOrigin(req.URL, via[0].URL) {
			return fmt.Errorf("%w: to another origin (%s)", ErrRedirect, req.URL.Redacted())
		}
		if next != nil {
			return next(req, via)
		}
		return nil
	}
}
