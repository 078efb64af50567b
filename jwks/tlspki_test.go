package jwks_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"
)

// testPKI is a private CA for TLS tests, and certificates from it.
type testPKI struct {
	ca    *x509.Certificate
	caKey *ecdsa.PrivateKey
	pool  *x509.CertPool
}

func newTestPKI(t testing.TB) *testPKI {
	t.Helper()
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "tokengate test CA"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	ca, _ := x509.ParseCertificate(der)
	pool := x509.NewCertPool()
	pool.AddCert(ca)
	return &testPKI{ca: ca, caKey: key, pool: pool}
}

// leaf issues a server certificate; selfSigned signs it with its own key.
func (p *testPKI) leaf(t testing.TB, dns []string, ips []net.IP, notAfter time.Time, selfSigned bool) tls.Certificate {
	t.Helper()
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(time.Now().UnixNano()), Subject: pkix.Name{CommonName: "jwks test server"},
		NotBefore: time.Now().Add(-48 * time.Hour), NotAfter: notAfter,
		DNSNames: dns, IPAddresses: ips,
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	parent, signer := p.ca, any(p.caKey)
	if selfSigned {
		parent, signer = tmpl, key
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, &key.PublicKey, signer)
	if err != nil {
		t.Fatal(err)
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}
}

func (p *testPKI) good(t testing.TB) tls.Certificate {
	return p.leaf(t, nil, []net.IP{net.IPv4(127, 0, 0, 1)}, time.Now().Add(time.Hour), false)
}

// client trusts the CA only.
func (p *testPKI) client() *http.Client {
	return &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: p.pool}}}
}

// server starts a TLS server presenting cert (chosen per connection).
func (p *testPKI) server(t testing.TB, cert func() tls.Certificate, h http.Handler) *httptest.Server {
	t.Helper()
	srv := httptest.NewUnstartedServer(h)
	srv.TLS = &tls.Config{GetConfigForClient: func(*tls.ClientHelloInfo) (*tls.Config, error) {
		return &tls.Config{Certificates: []tls.Certificate{cert()}}, nil
	}}
	srv.Config.SetKeepAlivesEnabled(false) // a handshake per request
	srv.Config.ErrorLog = quietLog()
	srv.StartTLS()
	t.Cleanup(srv.Close)
	return srv
}

// switchableServer serves body with a good certificate until bad is set,
// then with a self-signed one.
func (p *testPKI) switchableServer(t testing.TB, body string) (*httptest.Server, *atomic.Bool) {
	good, self := p.good(t), p.leaf(t, nil, []net.IP{net.IPv4(127, 0, 0, 1)}, time.Now().Add(time.Hour), true)
	bad := new(atomic.Bool)
	srv := p.server(t, func() tls.Certificate {
		if bad.Load() {
			return self
		}
		return good
	}, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { _, _ = w.Write([]byte(body)) }))
	return srv, bad
}
