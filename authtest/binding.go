package authtest

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"math/big"
	"strings"
	"time"
)

// confirmation returns the cnf claim binding a token to key and cert, nil
// for neither.
func confirmation(key *DPoPKey, cert *x509.Certificate) map[string]any {
	if key == nil && cert == nil {
		return nil
	}
	cnf := map[string]any{}
	if key != nil {
		cnf["jkt"] = key.JKT()
	}
	if cert != nil {
		cnf["x5t#S256"] = CertificateThumbprint(cert)
	}
	return cnf
}

// BoundAccessToken mints a valid RS256 access token for the API aud, as
// AccessToken does, bound to the DPoP key (cnf.jkt).
func (t *Tenant) BoundAccessToken(key *DPoPKey, sub, aud string, scopes ...string) string {
	claims := map[string]any{"sub": sub, "aud": aud}
	if len(scopes) > 0 {
		claims["scope"] = strings.Join(scopes, " ")
	}
	tok, err := t.Mint(Token{Claims: claims, DPoP: key})
	if err != nil {
		panic(err)
	}
	return tok
}

// CertificateThumbprint returns the x5t#S256 of cert: the base64url
// SHA-256 of its DER encoding (RFC 8705 section 3.1), the cnf member of a
// token bound to it.
func CertificateThumbprint(cert *x509.Certificate) string {
	sum := sha256.Sum256(cert.Raw)
	return b64.EncodeToString(sum[:])
}

// NewClientCertificate returns a self-signed TLS client certificate (P-256,
// valid for a day) for mutual-TLS tests: present it from an http.Client's
// tls.Config.Certificates, and bind tokens to its Leaf (Token.Certificate).
func NewClientCertificate(commonName string) (tls.Certificate, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return tls.Certificate{}, err
	}
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 62))
	if err != nil {
		return tls.Certificate{}, err
	}
	now := time.Now()
	tmpl := &x509.Certificate{
		SerialNumber: serial,
		Subject:      pkix.Name{CommonName: commonName},
		NotBefore:    now.Add(-time.Hour),
		NotAfter:     now.Add(24 * time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return tls.Certificate{}, err
	}
	leaf, err := x509.ParseCertificate(der)
	if err != nil {
		return tls.Certificate{}, err
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: leaf}, nil
}
