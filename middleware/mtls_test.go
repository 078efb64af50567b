package middleware_test

import (
	"crypto/tls"
	"encoding/base64"
	"encoding/pem"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/tokengate/tokengate/authtest"
	"github.com/tokengate/tokengate/middleware"
)

// mtlsServer serves h over TLS, asking clients for a certificate without
// requiring one (the token decides whether one is needed).
func mtlsServer(t *testing.T, h http.Handler) *httptest.Server {
	t.Helper()
	srv := httptest.NewUnstartedServer(h)
	srv.TLS = &tls.Config{ClientAuth: tls.RequestClientCert}
	srv.StartTLS()
	t.Cleanup(srv.Close)
	return srv
}

// mtlsCall sends a GET with tok as Bearer token, presenting cert when it is
// not nil.
func mtlsCall(t *testing.T, srv *httptest.Server, tok string, cert *tls.Certificate) (*http.Response, string) {
	t.Helper()
	tr := srv.Client().Transport.(*http.Transport).Clone()
	if cert != nil {
		tr.TLSClientConfig.Certificates = []tls.Certificate{*cert}
	}
	c := &http.Client{Transport: tr, Timeout: 10 * time.Second}
	t.Cleanup(c.CloseIdleConnections)
	req, _ := http.NewRequest(http.MethodGet, srv.URL+"/items", nil)
	req.Header.Set("Authorization", "Bearer "+tok)
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var b strings.Builder
	buf := make([]byte, 4096)
	for {
		n, err := resp.Body.Read(buf)
		b.Write(buf[:n])
		if err != nil {
			break
		}
	}
	return resp, b.String()
}

func clientCert(t *testing.T, cn string) tls.Certificate {
	t.Helper()
	c, err := authtest.NewClientCertificate(cn)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// certBound is a valid token bound to cert (cnf x5t#S256).
func certBound(t *testing.T, cert tls.Certificate) string {
	return token(t, map[string]any{"cnf": map[string]any{"x5t#S256": authtest.CertificateThumbprint(cert.Leaf)}})
}

// TestMTLSBoundTokens (RFC 8705, SECURITY.md MT1-MT3, MT6): over a real TLS
// connection, a certificate-bound token passes only with the certificate
// it is bound to; tokens without cnf pass with or without one.
func TestMTLSBoundTokens(t *testing.T) {
	mine, theirs := clientCert(t, "client"), clientCert(t, "other")
	bound := certBound(t, mine)
	plain := token(t, nil)
	tests := []struct {
		id     string
		opts   []middleware.Option
		tok    string
		cert   *tls.Certificate
		status int
		reason string
	}{
		{"MT1/no-certificate", []middleware.Option{middleware.WithMTLS()}, bound, nil, 401, "mtls_no_certificate"},
		{"MT2/other-certificate", []middleware.Option{middleware.WithMTLS()}, bound, &theirs, 401, "mtls_certificate_mismatch"},
		{"MT3/matching-certificate", []middleware.Option{middleware.WithMTLS()}, bound, &mine, 200, "ok"},
		{"MT3/unbound-with-certificate", []middleware.Option{middleware.WithMTLS()}, plain, &mine, 200, "ok"},
		{"MT3/unbound-without-certificate", []middleware.Option{middleware.WithMTLS()}, plain, nil, 200, "ok"},
		{"MT6/without-WithMTLS", nil, bound, &mine, 401, "bound_token"},
	}
	for _, tc := range tests {
		t.Run(tc.id, func(t *testing.T) {
			var ev events
			srv := mtlsServer(t, middleware.Authenticate(newVerifier(t, nil), append(tc.opts, middleware.WithObserver(&ev))...)(echo))
			resp, body := mtlsCall(t, srv, tc.tok, tc.cert)
			if tc.status == 401 {
				desc := descCert
				if tc.reason == "bound_token" {
					desc = descBound
				}
				checkResponse(t, resp, body, want{status: 401, challenge: chToken(desc), body: bodyToken(desc)})
			} else if resp.StatusCode != tc.status {
				t.Fatalf("got %d %q, want %d", resp.StatusCode, body, tc.status)
			}
			if got := ev.take(); len(got) != 1 || got[0].Reason != tc.reason {
				t.Errorf("got events %+v, want reason %q", got, tc.reason)
			}
		})
	}
	t.Run("MT3/cache-hit-still-checked", func(t *testing.T) {
		srv := mtlsServer(t, middleware.Authenticate(newVerifier(t, nil), middleware.WithMTLS())(echo))
		if resp, _ := mtlsCall(t, srv, bound, &mine); resp.StatusCode != 200 {
			t.Fatalf("first: got %d", resp.StatusCode)
		}
		if resp, _ := mtlsCall(t, srv, bound, &theirs); resp.StatusCode != 401 {
			t.Errorf("repeat with another certificate: got %d, want 401", resp.StatusCode)
		}
	})
}

// TestMTLSForwardedCertificate (SECURITY.md MT4, MT5): behind a proxy that
// terminates TLS, the certificate comes from the header the user names,
// and only when the request's peer is a trusted proxy; from any other peer
// the header is ignored, so a client cannot present a certificate it does
// not hold.
func TestMTLSForwardedCertificate(t *testing.T) {
	mine, theirs := clientCert(t, "client"), clientCert(t, "other")
	bound := certBound(t, mine)
	sf := func(c tls.Certificate) string { return ":" + base64.StdEncoding.EncodeToString(c.Leaf.Raw) + ":" }
	escapedPEM := func(c tls.Certificate) string {
		return url.PathEscape(string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: c.Leaf.Raw})))
	}
	const proxy, client = "10.0.0.7:5000", "203.0.113.9:5000"
	tests := []struct {
		id     string
		remote string
		values []string
		status int
		reason string
	}{
		{"MT4/untrusted-peer", client, []string{sf(mine)}, 401, "mtls_no_certificate"},
		{"MT5/trusted-rfc9440", proxy, []string{sf(mine)}, 200, "ok"},
		{"MT5/trusted-escaped-pem", proxy, []string{escapedPEM(mine)}, 200, "ok"},
		{"MT5/trusted-other-certificate", proxy, []string{sf(theirs)}, 401, "mtls_certificate_mismatch"},
		{"MT5/trusted-no-header", proxy, nil, 401, "mtls_no_certificate"},
		{"MT5/trusted-header-twice", proxy, []string{sf(mine), sf(theirs)}, 401, "mtls_certificate_mismatch"},
		{"MT5/trusted-garbage", proxy, []string{":not base64:"}, 401, "mtls_certificate_mismatch"},
		{"MT5/trusted-pem-of-a-key", proxy, []string{url.PathEscape(string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: mine.Leaf.RawSubjectPublicKeyInfo})))}, 401, "mtls_certificate_mismatch"},
	}
	for _, tc := range tests {
		t.Run(tc.id, func(t *testing.T) {
			var ev events
			h := middleware.Authenticate(newVerifier(t, nil), middleware.WithObserver(&ev),
				middleware.WithMTLS(middleware.ForwardedCertificate("Client-Cert", netip.MustParsePrefix("10.0.0.0/8"))))(echo)
			r := httptest.NewRequest(http.MethodGet, "/items", nil)
			r.RemoteAddr = tc.remote
			r.Header.Set("Authorization", "Bearer "+bound)
			for _, v := range tc.values {
				r.Header.Add("Client-Cert", v)
			}
			w := httptest.NewRecorder()
			h.ServeHTTP(w, r)
			got := ev.take()
			if w.Code != tc.status || len(got) != 1 || got[0].Reason != tc.reason {
				t.Errorf("got %d %q, events %+v; want %d, reason %q", w.Code, w.Body.String(), got, tc.status, tc.reason)
			}
		})
	}
}

// TestMTLSAndDPoP: a token bound both to a DPoP key and to a certificate
// needs both.
func TestMTLSAndDPoP(t *testing.T) {
	dpopKeys(t)
	mine, theirs := clientCert(t, "client"), clientCert(t, "other")
	tok := token(t, map[string]any{"cnf": map[string]any{"jkt": clientKey.JKT(), "x5t#S256": authtest.CertificateThumbprint(mine.Leaf)}})
	h := middleware.Authenticate(newVerifier(t, nil), middleware.WithMTLS(), middleware.WithDPoP(newDPoP(t, nil), middleware.DPoPRequired))(echo)
	for _, tc := range []struct {
		id     string
		cert   *tls.Certificate
		status int
	}{{"MT7/both", &mine, 200}, {"MT7/other-certificate", &theirs, 401}, {"MT7/no-certificate", nil, 401}} {
		t.Run(tc.id, func(t *testing.T) {
			r := httptest.NewRequest(http.MethodGet, "https://api.example.com/items", nil)
			r.Header.Set("Authorization", "DPoP "+tok)
			r.Header.Set("DPoP", mkProof(t, clientKey, "GET", "https://api.example.com/items", tok, authtest.Proof{}))
			r.TLS = &tls.ConnectionState{}
			if tc.cert != nil {
				r.TLS.PeerCertificates = append(r.TLS.PeerCertificates, tc.cert.Leaf)
			}
			w := httptest.NewRecorder()
			h.ServeHTTP(w, r)
			if w.Code != tc.status {
				t.Errorf("got %d %q, want %d", w.Code, w.Body.String(), tc.status)
			}
		})
	}
}

// TestWithMTLSPanics: a forwarded certificate without trusted proxies is a
// misconfiguration found when the option is built.
func TestWithMTLSPanics(t *testing.T) {
	for name, f := range map[string]func(){
		"no proxies": func() { middleware.WithMTLS(middleware.ForwardedCertificate("Client-Cert")) },
		"bad header": func() {
			middleware.WithMTLS(middleware.ForwardedCertificate("Client Cert", netip.MustParsePrefix("10.0.0.0/8")))
		},
		"unmasked": func() {
			middleware.WithMTLS(middleware.ForwardedCertificate("Client-Cert", netip.MustParsePrefix("10.0.0.1/8")))
		},
		"nil MTLSOption": func() { middleware.WithMTLS(nil) },
	} {
		t.Run(name, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Error("got no panic")
				}
			}()
			f()
		})
	}
}
