package jwks

import (
	"crypto/tls"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/tokengate/tokengate/internal/httpx"
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
	case u.Scheme == "http" && httpx.IsLoopback(u.Hostname()):
		return u, nil
	}
	return nil, fmt.Errorf("%w: %s", ErrInsecureURL, u.Redacted())
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
			// fetches (SECURITY.md F13). Pass a client to use a proxy.
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
	if skipsVerification(hc.Transport) {
		return nil, nil, configError("%w: HTTPClient's transport sets InsecureSkipVerify", ErrInsecureTLS)
	}
	c = new(http.Client)
	*c = *hc
	c.Transport = verifiedTLS{hc.Transport}
	c.CheckRedirect = checkRedirect(hc.CheckRedirect)
	if c.Timeout == 0 {
		c.Timeout = timeout
	}
	return c, nil, nil
}

// maxUnwrap bounds how many wrappers skipsVerification looks through.
const maxUnwrap = 8

// skipsVerification reports whether the transport a client will use is
// an *http.Transport whose TLS configuration skips verification. A nil rt
// is http.DefaultTransport, as for http.Client; wrappers are followed when
// they expose the transport they wrap with an Unwrap() http.RoundTripper
// method (a nil result again meaning http.DefaultTransport), at most
// maxUnwrap of them. A transport that cannot be reached this way (a
// wrapper that hides it, as otelhttp's does, or a RoundTripper of another
// type) is not judged here; verifiedTLS checks its responses instead.
func skipsVerification(rt http.RoundTripper) bool {
	for range maxUnwrap {
		if rt == nil {
			rt = http.DefaultTransport
		}
		switch t := rt.(type) {
		case *http.Transport:
			return t.TLSClientConfig != nil && t.TLSClientConfig.InsecureSkipVerify
		case interface{ Unwrap() http.RoundTripper }:
			rt = t.Unwrap()
		default:
			return false
		}
	}
	return false
}

// verifiedTLS is the transport of a copy of a caller's client. It refuses
// every https response, redirects included, whose TLS connection state
// shows no verified certificate chain: crypto/tls leaves VerifiedChains
// empty exactly when verification was skipped (InsecureSkipVerify, also
// behind a wrapper that hides it, in a custom TLS dialer, or in an
// http.DefaultTransport changed after New). A response without TLS state
// (a RoundTripper that does not report it; Go's transports always do) is
// not judged: what it guarantees is up to that RoundTripper.
type verifiedTLS struct{ rt http.RoundTripper }

func (v verifiedTLS) RoundTrip(req *http.Request) (*http.Response, error) {
	rt := v.rt
	if rt == nil {
		rt = http.DefaultTransport
	}
	res, err := rt.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	if req.URL.Scheme == "https" && res.TLS != nil && len(res.TLS.VerifiedChains) == 0 {
		res.Body.Close()
		return nil, fmt.Errorf("%w: the certificate of %s was not verified", ErrInsecureTLS, req.URL.Host)
	}
	return res, nil
}

// Unwrap returns the caller's transport (nil: http.DefaultTransport).
func (v verifiedTLS) Unwrap() http.RoundTripper { return v.rt }

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
