package middleware

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/pem"
	"errors"
	"fmt"
	"net/http"
	"net/netip"
	"net/url"
	"strings"

	"github.com/tokengate/tokengate/internal/httpx"
	"github.com/tokengate/tokengate/verifier"
)

// The refusals of certificate-bound tokens (RFC 8705 section 3), answered
// 401 error="invalid_token" as the RFC says. Event.Reason is
// "mtls_no_certificate" or "mtls_certificate_mismatch".
var (
	// ErrNoCertificate: the token is bound to a client certificate and the
	// request presented none (no TLS client certificate, and no forwarded
	// certificate from a trusted proxy).
	ErrNoCertificate = errors.New("middleware: certificate-bound token without a client certificate")
	// ErrCertificateMismatch: the request's client certificate is not the
	// one the token is bound to (its SHA-256 thumbprint differs from
	// cnf["x5t#S256"]), or a forwarded certificate could not be read.
	ErrCertificateMismatch = errors.New("middleware: client certificate does not match the token's cnf x5t#S256")
)

// MTLSOption configures WithMTLS. It is a type of its own: an option of
// another function given to WithMTLS does not compile.
type MTLSOption func(*mtlsConfig)

type mtlsConfig struct {
	header  string
	proxies httpx.Proxies
}

// WithMTLS makes Authenticate accept certificate-bound access tokens
// (RFC 8705): the token is verified with
// verifier.WithBindings(BindingMTLS), and a token whose cnf holds
// "x5t#S256" passes only when the request's client certificate has that
// SHA-256 thumbprint (of its DER encoding). Tokens without that member are
// not affected. The certificate is the leaf of the TLS connection
// (r.TLS.PeerCertificates[0]; the server must ask for client certificates,
// tls.Config.ClientAuth), or, with ForwardedCertificate, the one a trusted
// proxy forwards. A bound token without a matching certificate is refused
// with 401 error="invalid_token" (RFC 8705 section 3), on cache hits too.
//
// Behind a proxy that terminates TLS, r.TLS holds no client certificate:
// without ForwardedCertificate, every certificate-bound token is refused.
func WithMTLS(opts ...MTLSOption) Option {
	c := &mtlsConfig{}
	for _, o := range opts {
		if o == nil {
			panic("middleware: nil MTLSOption")
		}
		o(c)
	}
	if c.header != "" {
		if !validCookieName(c.header) { // an RFC 9110 token, as a field name is
			panic(fmt.Sprintf("middleware: invalid header name %q", c.header))
		}
		if len(c.proxies) == 0 {
			panic("middleware: ForwardedCertificate needs the addresses of the trusted proxies: from anyone else the header is whatever the client sent")
		}
		if err := httpx.CheckProxies(c.proxies); err != nil {
			panic("middleware: ForwardedCertificate: " + err.Error())
		}
	}
	return func(cfg *config) { cfg.mtls = c }
}

// ForwardedCertificate reads the client certificate from the header a
// TLS-terminating proxy sets, when the request's immediate peer
// (r.RemoteAddr) is in trusted; from any other peer the header is ignored.
// The header must be sent once, holding the certificate either as an RFC
// 9440 Client-Cert byte sequence (":base64 DER:") or as URL-encoded PEM
// (nginx $ssl_client_escaped_cert, AWS ALB X-Amzn-Mtls-Clientcert). The
// proxy must overwrite the header on every request, so that a client can
// never set it.
func ForwardedCertificate(header string, trusted ...netip.Prefix) MTLSOption {
	return func(c *mtlsConfig) {
		c.header, c.proxies = header, append(httpx.Proxies(nil), trusted...)
	}
}

// checkCertificate enforces cnf x5t#S256 when WithMTLS is on (without it,
// Verify has refused such tokens already).
func (a *authenticator) checkCertificate(r *http.Request, c *verifier.Claims) error {
	m := a.cfg.mtls
	if m == nil || c.Confirmation == nil || c.Confirmation.X5TS256 == "" {
		return nil
	}
	der, err := m.certificate(r)
	if err != nil {
		return err
	}
	sum := sha256.Sum256(der)
	var want [sha256.Size]byte
	n, err := base64.RawURLEncoding.Strict().Decode(want[:], []byte(c.Confirmation.X5TS256))
	if err != nil || n != sha256.Size || len(c.Confirmation.X5TS256) != 43 {
		return ErrCertificateMismatch
	}
	if subtle.ConstantTimeCompare(sum[:], want[:]) != 1 {
		return ErrCertificateMismatch
	}
	return nil
}

// certificate returns the DER of the request's client certificate.
func (m *mtlsConfig) certificate(r *http.Request) ([]byte, error) {
	if m.header != "" && m.proxies.Trusts(r) {
		v, ok, err := httpx.SingleValue(r.Header, m.header)
		if err != nil {
			return nil, fmt.Errorf("%w: %s: %v", ErrCertificateMismatch, m.header, err)
		}
		if !ok {
			return nil, ErrNoCertificate
		}
		der, err := parseForwardedCertificate(v)
		if err != nil {
			return nil, fmt.Errorf("%w: %s: %v", ErrCertificateMismatch, m.header, err)
		}
		return der, nil
	}
	if r.TLS != nil && len(r.TLS.PeerCertificates) > 0 {
		return r.TLS.PeerCertificates[0].Raw, nil
	}
	return nil, ErrNoCertificate
}

// maxForwardedCertificate bounds the header value we decode.
const maxForwardedCertificate = 16 << 10

// parseForwardedCertificate reads an RFC 9440 byte sequence (":base64:")
// or a URL-encoded PEM certificate.
func parseForwardedCertificate(v string) ([]byte, error) {
	if len(v) > maxForwardedCertificate {
		return nil, errors.New("certificate too large")
	}
	if len(v) >= 2 && v[0] == ':' && v[len(v)-1] == ':' {
		der, err := base64.StdEncoding.Strict().DecodeString(v[1 : len(v)-1])
		if err != nil || len(der) == 0 {
			return nil, errors.New("not an RFC 9440 byte sequence")
		}
		return der, nil
	}
	text, err := url.PathUnescape(v)
	if err != nil {
		return nil, errors.New("not URL-encoded")
	}
	block, rest := pem.Decode([]byte(text))
	if block == nil || block.Type != "CERTIFICATE" || strings.TrimSpace(string(rest)) != "" {
		return nil, errors.New("not one PEM certificate")
	}
	return block.Bytes, nil
}

// certificateReason is the Event.Reason of a certificate refusal.
func certificateReason(err error) string {
	if errors.Is(err, ErrNoCertificate) {
		return "mtls_no_certificate"
	}
	return "mtls_certificate_mismatch"
}
