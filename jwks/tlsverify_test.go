package jwks_test

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"net"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tokengate/tokengate/jwks"
	"github.com/tokengate/tokengate/verifier"
)

// opaqueRT wraps a RoundTripper and hides it, as otelhttp.Transport does.
type opaqueRT struct{ rt http.RoundTripper }

func (o opaqueRT) RoundTrip(r *http.Request) (*http.Response, error) { return o.rt.RoundTrip(r) }

// unwrapRT wraps a RoundTripper (http.DefaultTransport when nil) and
// exposes it with Unwrap, the convention jwks follows.
type unwrapRT struct{ rt http.RoundTripper }

func (u unwrapRT) RoundTrip(r *http.Request) (*http.Response, error) {
	if u.rt == nil {
		return http.DefaultTransport.RoundTrip(r)
	}
	return u.rt.RoundTrip(r)
}
func (u unwrapRT) Unwrap() http.RoundTripper { return u.rt }

// cyclicRT's Unwrap returns itself.
type cyclicRT struct{ rt http.RoundTripper }

func (c *cyclicRT) RoundTrip(r *http.Request) (*http.Response, error) { return c.rt.RoundTrip(r) }
func (c *cyclicRT) Unwrap() http.RoundTripper                         { return c }

// TestX10TLSVerification: a client that skips TLS verification is
// refused however it is built. Where the transport that will be used is
// an *http.Transport that can be reached (set on the client, or
// http.DefaultTransport for a nil Transport, through wrappers that expose
// Unwrap), New and Discover refuse the configuration without a request.
// Where it cannot be reached (a wrapper that hides it, a custom TLS
// dialer), every https response whose connection has no verified chain is
// refused, so no key is ever taken from it.
func TestX10TLSVerification(t *testing.T) {
	pki := newTestPKI(t)
	var hits atomic.Int64
	var base string
	srv := pki.server(t, func() tls.Certificate { return pki.good(t) }, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		if r.URL.Path == "/.well-known/openid-configuration" {
			_, _ = w.Write([]byte(`{"issuer":"` + base + `","jwks_uri":"` + base + `/jwks"}`))
			return
		}
		_, _ = w.Write([]byte(oneKeyDoc()))
	}))
	base = srv.URL
	insecure := func() *http.Transport {
		return &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}}
	}
	secure := func() http.RoundTripper { return pki.client().Transport }
	const (
		refusedAtConfig = iota // New and Discover fail with ErrConfig, no request
		refusedResponse        // the request is made, its response refused
		accepted
	)
	for _, tc := range []struct {
		name      string
		transport func() http.RoundTripper
		def       func() http.RoundTripper // http.DefaultTransport during the case, when set
		want      int
	}{
		{"insecure_Transport", func() http.RoundTripper { return insecure() }, nil, refusedAtConfig},
		{"insecure_with_VerifyPeerCertificate", func() http.RoundTripper {
			tr := insecure()
			tr.TLSClientConfig.VerifyPeerCertificate = func([][]byte, [][]*x509.Certificate) error { return nil }
			return tr
		}, nil, refusedAtConfig},
		{"Unwrap_insecure", func() http.RoundTripper { return unwrapRT{insecure()} }, nil, refusedAtConfig},
		{"Unwrap_Unwrap_insecure", func() http.RoundTripper { return unwrapRT{unwrapRT{insecure()}} }, nil, refusedAtConfig},
		{"Unwrap_nil_insecure_default", func() http.RoundTripper { return unwrapRT{nil} }, func() http.RoundTripper { return insecure() }, refusedAtConfig},
		{"nil_Transport_insecure_default", nil, func() http.RoundTripper { return insecure() }, refusedAtConfig},
		{"opaque_insecure", func() http.RoundTripper { return opaqueRT{insecure()} }, nil, refusedResponse},
		{"Unwrap_opaque_insecure", func() http.RoundTripper { return unwrapRT{opaqueRT{insecure()}} }, nil, refusedResponse},
		{"cyclic_Unwrap_insecure", func() http.RoundTripper { return &cyclicRT{insecure()} }, nil, refusedResponse},
		{"nil_Transport_opaque_insecure_default", nil, func() http.RoundTripper { return opaqueRT{insecure()} }, refusedResponse},
		{"insecure_TLS_dialer", func() http.RoundTripper {
			return &http.Transport{DialTLSContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
				return (&tls.Dialer{Config: &tls.Config{InsecureSkipVerify: true}}).DialContext(ctx, network, addr)
			}}
		}, nil, refusedResponse},
		{"secure", secure, nil, accepted},
		{"Unwrap_secure", func() http.RoundTripper { return unwrapRT{secure()} }, nil, accepted},
		{"opaque_secure", func() http.RoundTripper { return opaqueRT{secure()} }, nil, accepted},
		{"nil_Transport_secure_default", nil, secure, accepted},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.def != nil {
				saved := http.DefaultTransport
				http.DefaultTransport = tc.def()
				t.Cleanup(func() { http.DefaultTransport = saved })
			}
			client := func() *http.Client {
				hc := &http.Client{}
				if tc.transport != nil {
					hc.Transport = tc.transport()
				}
				return hc
			}
			before := hits.Load()
			c, err := jwks.New(jwks.Config{URL: srv.URL + "/jwks", HTTPClient: client(), Prefetch: 5 * time.Second})
			if c != nil {
				defer c.Close()
			}
			uri, derr := jwks.Discover(context.Background(), srv.URL, client())
			switch tc.want {
			case refusedAtConfig:
				for _, e := range []error{err, derr} {
					if !errors.Is(e, jwks.ErrConfig) || !errors.Is(e, jwks.ErrInsecureTLS) {
						t.Fatalf("New: %v; Discover: %q, %v; want both refused with ErrConfig and ErrInsecureTLS", err, uri, derr)
					}
				}
				if n := hits.Load() - before; n != 0 {
					t.Fatalf("requests: got %d, want 0", n)
				}
			case refusedResponse:
				if !errors.Is(err, verifier.ErrKeysUnavailable) || !errors.Is(err, jwks.ErrInsecureTLS) || !errors.Is(derr, jwks.ErrInsecureTLS) {
					t.Fatalf("New: %v; Discover: %q, %v; want both responses refused with ErrInsecureTLS", err, uri, derr)
				}
			case accepted:
				if err != nil || derr != nil || !strings.HasSuffix(uri, "/jwks") {
					t.Fatalf("New: %v; Discover: %q, %v; want both to work", err, uri, derr)
				}
			}
		})
	}
}
