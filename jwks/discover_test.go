package jwks_test

import (
	"context"
	"crypto/tls"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/tokengate/tokengate/jwks"
)

// discoveryServer serves /.well-known/openid-configuration built by doc
// from the server's own URL.
func discoveryServer(t *testing.T, doc func(base string) string) (*httptest.Server, *atomic.Int64) {
	t.Helper()
	var hits atomic.Int64
	var srv *httptest.Server
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		if r.URL.Path != "/.well-known/openid-configuration" {
			http.NotFound(w, r)
			return
		}
		_, _ = w.Write([]byte(doc(srv.URL)))
	}))
	t.Cleanup(srv.Close)
	return srv, &hits
}

// sized pads the JSON object doc with spaces before its closing brace to
// exactly n bytes.
func sized(doc string, n int) string {
	return doc[:len(doc)-1] + strings.Repeat(" ", n-len(doc)) + "}"
}

// TestF12_Discovery: the document's issuer must equal the configured one
// exactly, jwks_uri must be https (loopback excepted) and, with
// SameOrigin, on the issuer's origin.
func TestF12_Discovery(t *testing.T) {
	type tc struct {
		name   string
		doc    func(base string) string
		issuer func(base string) string // default base + "/"
		opts   []jwks.DiscoverOption
		want   func(base string) string // "" = refused
		err    error
	}
	slash := func(b string) string { return b + "/" }
	good := func(b string) string { return `{"issuer":"` + b + `/","jwks_uri":"` + b + `/.well-known/jwks.json"}` }
	for _, c := range []tc{
		{name: "good", doc: good, want: func(b string) string { return b + "/.well-known/jwks.json" }},
		{name: "issuer_without_slash", doc: func(b string) string {
			return `{"issuer":"` + b + `","jwks_uri":"` + b + `/keys"}`
		}, issuer: func(b string) string { return b }, want: func(b string) string { return b + "/keys" }},
		{name: "issuer_mismatch_trailing_slash", doc: good, issuer: func(b string) string { return b }, err: jwks.ErrDiscovery},
		{name: "issuer_other_host", doc: func(b string) string {
			return `{"issuer":"https://evil.example/","jwks_uri":"` + b + `/keys"}`
		}, err: jwks.ErrDiscovery},
		{name: "issuer_case_changed", doc: func(b string) string {
			return `{"issuer":"` + strings.ToUpper(b) + `/","jwks_uri":"` + b + `/keys"}`
		}, err: jwks.ErrDiscovery},
		{name: "issuer_missing", doc: func(b string) string { return `{"jwks_uri":"` + b + `/keys"}` }, err: jwks.ErrDiscovery},
		{name: "issuer_not_a_string", doc: func(b string) string { return `{"issuer":["` + b + `/"],"jwks_uri":"` + b + `/keys"}` }, err: jwks.ErrDiscovery},
		{name: "issuer_twice", doc: func(b string) string {
			return `{"issuer":"https://evil.example/","issuer":"` + b + `/","jwks_uri":"` + b + `/keys"}`
		}, err: jwks.ErrDiscovery},
		{name: "jwks_uri_http_other_host", doc: func(b string) string {
			return `{"issuer":"` + b + `/","jwks_uri":"http://evil.example/keys"}`
		}, err: jwks.ErrInsecureURL},
		{name: "jwks_uri_missing", doc: func(b string) string { return `{"issuer":"` + b + `/"}` }, err: jwks.ErrDiscovery},
		{name: "jwks_uri_other_host_allowed", doc: func(b string) string {
			return `{"issuer":"` + b + `/","jwks_uri":"https://keys.example/jwks"}`
		}, want: func(string) string { return "https://keys.example/jwks" }},
		{name: "jwks_uri_other_host_SameOrigin", doc: func(b string) string {
			return `{"issuer":"` + b + `/","jwks_uri":"https://keys.example/jwks"}`
		}, opts: []jwks.DiscoverOption{jwks.SameOrigin()}, err: jwks.ErrDiscovery},
		{name: "jwks_uri_same_origin_SameOrigin", doc: good, opts: []jwks.DiscoverOption{jwks.SameOrigin()},
			want: func(b string) string { return b + "/.well-known/jwks.json" }},
		{name: "not_JSON", doc: func(string) string { return `<html>` }, err: jwks.ErrDiscovery},
		{name: "trailing_data", doc: func(b string) string { return good(b) + `{}` }, err: jwks.ErrDiscovery},
		{name: "too_large", doc: func(b string) string { return good(b)[:len(good(b))-1] + `,"x":"` + strings.Repeat("a", 1<<20) + `"}` }, err: jwks.ErrBodyTooLarge},
		// The cap is exact: 1 MiB is read, one byte more is refused.
		{name: "exactly_1MiB", doc: func(b string) string { return sized(good(b), 1<<20) },
			want: func(b string) string { return b + "/.well-known/jwks.json" }},
		{name: "1MiB_and_one_byte", doc: func(b string) string { return sized(good(b), 1<<20+1) }, err: jwks.ErrBodyTooLarge},
	} {
		t.Run(c.name, func(t *testing.T) {
			srv, _ := discoveryServer(t, c.doc)
			issuer := slash(srv.URL)
			if c.issuer != nil {
				issuer = c.issuer(srv.URL)
			}
			got, err := jwks.Discover(context.Background(), issuer, nil, c.opts...)
			if c.want != nil {
				if err != nil || got != c.want(srv.URL) {
					t.Fatalf("Discover: got %q, %v; want %q", got, err, c.want(srv.URL))
				}
				return
			}
			if !errors.Is(err, c.err) {
				t.Fatalf("Discover: got %q, %v; want an error wrapping %v", got, err, c.err)
			}
		})
	}
	t.Run("insecure_issuer_no_request", func(t *testing.T) {
		_, err := jwks.Discover(context.Background(), "http://idp.example.com/", nil)
		if !errors.Is(err, jwks.ErrInsecureURL) {
			t.Fatalf("Discover(http://...): got %v, want ErrInsecureURL", err)
		}
	})
	t.Run("status_404", func(t *testing.T) {
		srv := httptest.NewServer(http.NotFoundHandler())
		defer srv.Close()
		if _, err := jwks.Discover(context.Background(), srv.URL+"/", nil); !errors.Is(err, jwks.ErrStatus) {
			t.Fatalf("Discover: got %v, want ErrStatus", err)
		}
	})
	t.Run("redirect_to_other_host", func(t *testing.T) {
		target, hits := discoveryServer(t, good)
		srv := httptest.NewServer(http.RedirectHandler(target.URL+"/.well-known/openid-configuration", http.StatusFound))
		defer srv.Close()
		if _, err := jwks.Discover(context.Background(), srv.URL+"/", nil); !errors.Is(err, jwks.ErrRedirect) {
			t.Fatalf("Discover: got %v, want ErrRedirect", err)
		}
		if hits.Load() != 0 {
			t.Fatalf("redirect target: got %d requests, want 0", hits.Load())
		}
	})
	t.Run("then_New", func(t *testing.T) {
		keys := newJWKSServer(t, oneKeyDoc())
		srv, _ := discoveryServer(t, func(b string) string {
			return `{"issuer":"` + b + `/","jwks_uri":"` + keys.URL + `/jwks"}`
		})
		u, err := jwks.Discover(context.Background(), srv.URL+"/", srv.Client())
		if err != nil {
			t.Fatal(err)
		}
		c := newCache(t, u, newFakeClock(), nil)
		if _, err := lookup(c, "k1", "RS256"); err != nil {
			t.Fatalf("k1 via discovery: %v", err)
		}
	})
}

// TestX11DiscoveryLoopbackHTTPOnlyForLoopbackIssuer: an https issuer's
// discovery document may not point jwks_uri at plain http, not even on a
// loopback host (OpenID Connect Discovery section 7, RFC 8414: the keys
// are trusted for the TLS channel the issuer was reached over). The
// loopback exception holds only when the configured issuer itself is
// http on loopback.
func TestX11DiscoveryLoopbackHTTPOnlyForLoopbackIssuer(t *testing.T) {
	pki := newTestPKI(t)
	var jwksURI atomic.Value
	var base string
	srv := pki.server(t, func() tls.Certificate { return pki.good(t) }, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write([]byte(`{"issuer":"` + base + `/","jwks_uri":"` + jwksURI.Load().(string) + `"}`))
	}))
	base = srv.URL
	plain, _ := discoveryServer(t, func(b string) string {
		return `{"issuer":"` + b + `/","jwks_uri":"` + jwksURI.Load().(string) + `"}`
	})
	for _, tc := range []struct {
		name, issuer, jwksURI string
		ok                    bool
	}{
		{"https_issuer_http_127.0.0.1", srv.URL + "/", "http://127.0.0.1:9/jwks", false},
		{"https_issuer_http_localhost", srv.URL + "/", "http://localhost:9/jwks", false},
		{"https_issuer_http_LOCALHOST", srv.URL + "/", "http://LOCALHOST/jwks", false},
		{"https_issuer_http_::1", srv.URL + "/", "http://[::1]:9/jwks", false},
		{"https_issuer_http_127.1.2.3", srv.URL + "/", "http://127.1.2.3/jwks", false},
		{"https_issuer_http_mapped_v4", srv.URL + "/", "http://[::ffff:127.0.0.1]/jwks", false},
		{"https_issuer_https_loopback", srv.URL + "/", "https://127.0.0.1:9/jwks", true},
		{"https_issuer_https_other_host", srv.URL + "/", "https://keys.example.com/jwks", true},
		{"http_loopback_issuer_http_loopback", plain.URL + "/", "http://127.0.0.1:9/jwks", true},
		{"http_loopback_issuer_https", plain.URL + "/", "https://keys.example.com/jwks", true},
		{"http_loopback_issuer_http_other_host", plain.URL + "/", "http://keys.example.com/jwks", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			jwksURI.Store(tc.jwksURI)
			got, err := jwks.Discover(context.Background(), tc.issuer, pki.client())
			if tc.ok {
				if err != nil || got != tc.jwksURI {
					t.Fatalf("Discover(%s) naming %s: got %q, %v; want it", tc.issuer, tc.jwksURI, got, err)
				}
				return
			}
			if !errors.Is(err, jwks.ErrDiscovery) || !errors.Is(err, jwks.ErrInsecureURL) {
				t.Fatalf("Discover(%s) naming %s: got %q, %v; want ErrDiscovery and ErrInsecureURL", tc.issuer, tc.jwksURI, got, err)
			}
		})
	}
}
