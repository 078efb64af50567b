package jwks_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"log"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tokengate/tokengate/jwks"
	"github.com/tokengate/tokengate/verifier"
)

func quietLog() *log.Logger { return log.New(io.Discard, "", 0) }

// forceFetch makes the cache fetch now (an unknown kid past the cooldown)
// and returns the failure it recorded, or nil.
func forceFetch(t *testing.T, c *jwks.Cache, clk *fakeClock) error {
	t.Helper()
	clk.Advance(time.Minute)
	_, _ = lookup(c, "force-a-fetch", "RS256")
	return c.Stats().LastError
}

// TestF8_BodyCaps: oversized bodies are cut at the cap and keep the last
// good keys.
func TestF8_BodyCaps(t *testing.T) {
	big := `{"keys":[` + strings.Repeat(" ", 10<<20) + `]}`
	for _, tc := range []struct {
		name string
		h    http.HandlerFunc
	}{
		{"10MB_with_length", func(w http.ResponseWriter, r *http.Request) { _, _ = io.WriteString(w, big) }},
		{"10MB_chunked", func(w http.ResponseWriter, r *http.Request) {
			w.(http.Flusher).Flush()
			_, _ = io.WriteString(w, big)
		}},
		{"infinite_chunked", func(w http.ResponseWriter, r *http.Request) {
			chunk := bytes.Repeat([]byte(" "), 32<<10)
			_, _ = io.WriteString(w, `{"keys":[`)
			for r.Context().Err() == nil {
				if _, err := w.Write(chunk); err != nil {
					return
				}
				w.(http.Flusher).Flush()
			}
		}},
		{"Content-Length_10GB", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Length", "10737418240")
			_, _ = io.WriteString(w, `{"keys":[`)
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := newJWKSServer(t, oneKeyDoc())
			srv.Config.ErrorLog = quietLog()
			clk := newFakeClock()
			c := newCache(t, srv.URL, clk, nil)
			srv.setHandler(tc.h)
			start := time.Now()
			if err := forceFetch(t, c, clk); !errors.Is(err, jwks.ErrBodyTooLarge) {
				t.Fatalf("fetch: got %v, want ErrBodyTooLarge", err)
			}
			if el := time.Since(start); el > 3*time.Second {
				t.Fatalf("fetch took %v", el)
			}
			if _, err := lookup(c, "k1", "RS256"); err != nil {
				t.Fatalf("k1 after the oversized body: %v", err)
			}
		})
	}
	t.Run("exactly_the_cap_accepted", func(t *testing.T) {
		body := oneKeyDoc()
		body = body[:len(body)-1] + strings.Repeat(" ", jwks.DefaultMaxBodySize-len(body)) + "}"
		srv := newJWKSServer(t, body)
		c := newCache(t, srv.URL, newFakeClock(), nil)
		if st := c.Stats(); st.Keys != 1 {
			t.Fatalf("keys: got %d, want 1", st.Keys)
		}
	})
}

func gzipped(s string) []byte {
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	_, _ = io.WriteString(zw, s)
	zw.Close()
	return buf.Bytes()
}

// TestF9_GzipBomb: the body cap applies after the transport's
// decompression.
func TestF9_GzipBomb(t *testing.T) {
	bomb := gzipped(`{"keys":[` + strings.Repeat(" ", 16<<20) + `]}`)
	if len(bomb) > 64<<10 {
		t.Fatalf("bomb: %d compressed bytes, want a small one", len(bomb))
	}
	var asked atomic.Bool
	serve := func(body []byte) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			asked.Store(strings.Contains(r.Header.Get("Accept-Encoding"), "gzip"))
			w.Header().Set("Content-Encoding", "gzip")
			_, _ = w.Write(body)
		}
	}
	srv := newJWKSServer(t, "")
	srv.setHandler(serve(gzipped(oneKeyDoc())))
	clk := newFakeClock()
	c := newCache(t, srv.URL, clk, nil) // a compressed good set is read
	if !asked.Load() {
		t.Fatalf("request without Accept-Encoding: gzip, want the transport to ask for it")
	}
	srv.setHandler(serve(bomb))
	if err := forceFetch(t, c, clk); !errors.Is(err, jwks.ErrBodyTooLarge) {
		t.Fatalf("bomb of %d compressed bytes: got %v, want ErrBodyTooLarge", len(bomb), err)
	}
	if _, err := lookup(c, "k1", "RS256"); err != nil {
		t.Fatalf("k1 after the bomb: %v", err)
	}
}

// TestF10_Slow: a slow endpoint is cut at FetchTimeout, whatever it stalls.
func TestF10_Slow(t *testing.T) {
	stall := func(w http.ResponseWriter, r *http.Request) { <-r.Context().Done() }
	trickle := func(w http.ResponseWriter, r *http.Request) {
		for _, b := range []byte(oneKeyDoc()) {
			if _, err := w.Write([]byte{b}); err != nil {
				return
			}
			w.(http.Flusher).Flush()
			select {
			case <-time.After(time.Second):
			case <-r.Context().Done():
				return
			}
		}
	}
	// A TCP listener that accepts and never speaks: the TLS handshake stalls.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			t.Cleanup(func() { conn.Close() })
		}
	}()
	for _, tc := range []struct {
		name string
		url  func(t *testing.T) string
	}{
		{"1_byte_per_second", func(t *testing.T) string { s := newJWKSServer(t, ""); s.setHandler(trickle); return s.URL }},
		{"headers_never_complete", func(t *testing.T) string { s := newJWKSServer(t, ""); s.setHandler(stall); return s.URL }},
		{"TLS_handshake_stalls", func(t *testing.T) string { return "https://" + ln.Addr().String() + "/jwks" }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			start := time.Now()
			_, err := jwks.New(jwks.Config{URL: tc.url(t), FetchTimeout: 300 * time.Millisecond, Prefetch: 5 * time.Second})
			if !errors.Is(err, verifier.ErrKeysUnavailable) {
				t.Fatalf("New: got %v, want ErrKeysUnavailable", err)
			}
			if el := time.Since(start); el > 2*time.Second {
				t.Fatalf("fetch took %v, want about the 300ms FetchTimeout", el)
			}
		})
	}
	if jwks.DefaultFetchTimeout != 5*time.Second {
		t.Fatalf("DefaultFetchTimeout: got %v, want 5s", jwks.DefaultFetchTimeout)
	}
}

// TestF11_Redirects: redirects to another origin, to http, to a metadata
// address, or in a loop are refused; the target sees no request.
func TestF11_Redirects(t *testing.T) {
	var targetHits atomic.Int64
	hit := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		targetHits.Add(1)
		_, _ = w.Write([]byte(oneKeyDoc()))
	})
	other := httptest.NewTLSServer(hit)
	defer other.Close()
	plain := httptest.NewServer(hit)
	defer plain.Close()
	var originHits atomic.Int64
	var target atomic.Value
	origin := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		originHits.Add(1)
		if r.URL.Path == "/keys" {
			_, _ = w.Write([]byte(oneKeyDoc()))
			return
		}
		to := target.Load().(string)
		if to == "loop" {
			to = "/loop" + r.URL.Path
		}
		http.Redirect(w, r, to, http.StatusFound)
	}))
	defer origin.Close()
	for _, tc := range []struct {
		name, to string
		ok       bool
	}{
		{"another_host", other.URL + "/jwks", false},
		{"to_http", plain.URL + "/jwks", false},
		{"metadata_address", "https://169.254.169.254/latest/meta-data/", false},
		{"loop", "loop", false},
		{"same_origin", "/keys", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			target.Store(tc.to)
			targetHits.Store(0)
			originHits.Store(0)
			c, err := jwks.New(jwks.Config{URL: origin.URL + "/jwks", HTTPClient: origin.Client(), Prefetch: 5 * time.Second})
			if tc.ok {
				if err != nil {
					t.Fatalf("same-origin redirect: %v", err)
				}
				c.Close()
				return
			}
			if !errors.Is(err, jwks.ErrRedirect) {
				t.Fatalf("New: got %v, want ErrRedirect", err)
			}
			if got := targetHits.Load(); got != 0 {
				t.Fatalf("requests at the redirect target: got %d, want 0", got)
			}
			if tc.to == "loop" && originHits.Load() != 4 {
				t.Fatalf("loop: origin requests %d, want 4 (3 redirects followed)", originHits.Load())
			}
		})
	}
}

// TestF13_ProxyFromEnvironmentIgnored: HTTPS_PROXY does not redirect the
// default client; a caller's client may use a proxy.
func TestF13_ProxyFromEnvironmentIgnored(t *testing.T) {
	var proxied atomic.Int64
	proxy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		proxied.Add(1)
		http.Error(w, "no", http.StatusBadGateway)
	}))
	defer proxy.Close()
	t.Setenv("HTTPS_PROXY", proxy.URL)
	t.Setenv("HTTP_PROXY", proxy.URL)
	t.Setenv("NO_PROXY", "")
	const url = "https://jwks.tokengate.invalid/.well-known/jwks.json"
	_, err := jwks.New(jwks.Config{URL: url, FetchTimeout: time.Second, Prefetch: 5 * time.Second})
	if err == nil {
		t.Fatalf("New: got nil error for an unresolvable host")
	}
	if got := proxied.Load(); got != 0 {
		t.Fatalf("default client: proxy requests %d, want 0", got)
	}
	hc := &http.Client{Transport: &http.Transport{Proxy: http.ProxyURL(mustURL(proxy.URL))}}
	_, _ = jwks.New(jwks.Config{URL: url, HTTPClient: hc, FetchTimeout: time.Second, Prefetch: 5 * time.Second})
	if got := proxied.Load(); got == 0 {
		t.Fatalf("caller's client with a proxy: proxy requests %d, want at least 1", got)
	}
}

// TestF17_TLS: certificates for the wrong host, expired or self-signed fail
// the fetch; the control certificate from the trusted CA works.
func TestF17_TLS(t *testing.T) {
	pki := newTestPKI(t)
	localhost := []net.IP{net.IPv4(127, 0, 0, 1)}
	for _, tc := range []struct {
		name string
		cert tls.Certificate
		want any // pointer to the x509 error type expected in the chain
	}{
		{"wrong_host", pki.leaf(t, []string{"wrong.example"}, nil, time.Now().Add(time.Hour), false), new(x509.HostnameError)},
		{"expired", pki.leaf(t, nil, localhost, time.Now().Add(-time.Hour), false), new(x509.CertificateInvalidError)},
		{"self_signed", pki.leaf(t, nil, localhost, time.Now().Add(time.Hour), true), new(x509.UnknownAuthorityError)},
		{"trusted_control", pki.good(t), nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var hits atomic.Int64
			srv := pki.server(t, func() tls.Certificate { return tc.cert }, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				hits.Add(1)
				_, _ = w.Write([]byte(oneKeyDoc()))
			}))
			c, err := jwks.New(jwks.Config{URL: srv.URL, HTTPClient: pki.client(), Prefetch: 5 * time.Second})
			if tc.want == nil {
				if err != nil {
					t.Fatalf("trusted certificate: %v", err)
				}
				c.Close()
				return
			}
			if !errors.Is(err, verifier.ErrKeysUnavailable) {
				t.Fatalf("New: got %v, want ErrKeysUnavailable", err)
			}
			switch want := tc.want.(type) {
			case *x509.HostnameError:
				if !errors.As(err, want) {
					t.Fatalf("got %v, want a hostname error", err)
				}
			case *x509.CertificateInvalidError:
				if !errors.As(err, want) || want.Reason != x509.Expired {
					t.Fatalf("got %v, want an expired-certificate error", err)
				}
			case *x509.UnknownAuthorityError:
				if !errors.As(err, want) {
					t.Fatalf("got %v, want an unknown-authority error", err)
				}
			}
			if got := hits.Load(); got != 0 {
				t.Fatalf("requests that reached the handler: got %d, want 0", got)
			}
		})
	}
	t.Run("default_client_untrusted_server", func(t *testing.T) {
		srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { _, _ = w.Write([]byte(oneKeyDoc())) }))
		srv.Config.ErrorLog = quietLog()
		defer srv.Close()
		_, err := jwks.New(jwks.Config{URL: srv.URL, Prefetch: 5 * time.Second})
		var ua x509.UnknownAuthorityError
		if !errors.As(err, &ua) {
			t.Fatalf("default client and a test certificate: got %v, want an unknown-authority error", err)
		}
	})
	t.Run("InsecureSkipVerify_refused", func(t *testing.T) {
		hc := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}}}
		_, err := jwks.New(jwks.Config{URL: "https://idp.example.com/jwks", HTTPClient: hc})
		if !errors.Is(err, jwks.ErrConfig) {
			t.Fatalf("New with InsecureSkipVerify: got %v, want ErrConfig", err)
		}
	})
}

// TestM8_PrivateMembersLogged: a key with private members is dropped and
// logged as a security event, without its material.
func TestM8_PrivateMembersLogged(t *testing.T) {
	loadKeys()
	secretD := b64(rsaKey2.D.Bytes())
	leaked := with(rsaJWK("leaky", &rsaKey2.PublicKey), "d", secretD)
	srv := newJWKSServer(t, doc(rsaJWK("k1", &rsaKey.PublicKey), leaked))
	var buf bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	c := newCache(t, srv.URL, newFakeClock(), func(cfg *jwks.Config) { cfg.Logger = logger })
	if _, err := lookup(c, "leaky", "RS256"); !errors.Is(err, verifier.ErrKeyNotFound) {
		t.Fatalf("leaky key: got %v, want ErrKeyNotFound", err)
	}
	out := buf.String()
	if !strings.Contains(out, "security event") || !strings.Contains(out, `leaky`) {
		t.Fatalf("log: got %q, want a security event naming the kid", out)
	}
	for name, material := range map[string]string{"d": secretD, "n": b64(rsaKey2.N.Bytes())[:40]} {
		if strings.Contains(out, material) {
			t.Fatalf("log contains the key's %s", name)
		}
	}
}

// TestURLPolicy: https only, http for loopback hosts, no credentials or
// fragments.
func TestURLPolicy(t *testing.T) {
	for _, tc := range []struct {
		url string
		ok  bool
	}{
		{"https://idp.example.com/.well-known/jwks.json", true},
		{"http://127.0.0.1:8080/jwks", true},
		{"http://127.9.9.9/jwks", true},
		{"http://[::1]:8080/jwks", true},
		{"http://localhost:8080/jwks", true},
		{"http://LOCALHOST/jwks", true},
		{"http://idp.example.com/jwks", false},
		{"http://10.0.0.1/jwks", false},
		{"http://[::ffff:10.0.0.1]/jwks", false},
		{"http://localhost.evil.example/jwks", false},
		{"ftp://idp.example.com/jwks", false},
		{"https://user:pass@idp.example.com/jwks", false},
		{"https://idp.example.com/jwks#frag", false},
		{"https:///jwks", false},
		{"/jwks", false},
		{"", false},
	} {
		t.Run(tc.url, func(t *testing.T) {
			c, err := jwks.New(jwks.Config{URL: tc.url, Now: newFakeClock().Now})
			if c != nil {
				c.Close()
			}
			if tc.ok && err != nil {
				t.Fatalf("New(%q): got %v, want accepted", tc.url, err)
			}
			if !tc.ok && !errors.Is(err, jwks.ErrInsecureURL) && !errors.Is(err, jwks.ErrConfig) {
				t.Fatalf("New(%q): got %v, want ErrInsecureURL", tc.url, err)
			}
		})
	}
}

// TestConfigValidation: invalid bounds are refused.
func TestConfigValidation(t *testing.T) {
	for name, cfg := range map[string]jwks.Config{
		"negative_cooldown":   {Cooldown: -1},
		"min_above_max":       {MinRefreshInterval: time.Hour, MaxRefreshInterval: time.Minute},
		"backoff_min_above":   {MinBackoff: time.Hour, MaxBackoff: time.Minute},
		"negative_body":       {MaxBodySize: -1},
		"negative_prefetch":   {Prefetch: -time.Second},
		"negative_fetch_time": {FetchTimeout: -time.Second},
	} {
		t.Run(name, func(t *testing.T) {
			cfg.URL = "https://idp.example.com/jwks"
			if _, err := jwks.New(cfg); !errors.Is(err, jwks.ErrConfig) {
				t.Fatalf("New: got %v, want ErrConfig", err)
			}
		})
	}
}

var _ = context.Background
