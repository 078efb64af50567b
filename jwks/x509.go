package jwks

import (
	"bytes"
	"crypto"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
)

// maxChain bounds the certificates of one x5c.
const maxChain = 10

// checkX509 holds a key's certificate members to what RFC 7517 sections
// 4.7 to 4.9 say of them, so that a key set never publishes a certificate
// or thumbprint that disagrees with the key it comes with:
//   - x5c, when present, is a non-empty array of at most 10 strings, each
//     the standard base64 (RFC 4648 section 4, padded; not base64url) of
//     one DER certificate with nothing after it, and the first
//     certificate holds pub;
//   - x5t and x5t#S256, when present, are canonical base64url of 20 and 32
//     bytes, and when x5c is present, they are the SHA-1 and SHA-256 of
//     the first certificate's DER.
//
// The chain is not verified: keys are trusted for the channel they come
// from (the configured URL over TLS), never for a certificate. x5u is
// never fetched.
func checkX509(m map[string]json.RawMessage, pub any) error {
	var leaf []byte
	if raw, ok := m["x5c"]; ok {
		cert, err := parseX5c(raw)
		if err != nil {
			return err
		}
		e, ok := pub.(interface{ Equal(crypto.PublicKey) bool })
		if !ok || !e.Equal(cert.PublicKey) {
			return errors.New("x5c: the first certificate holds another public key than the JWK")
		}
		leaf = cert.Raw
	}
	for _, t := range []struct {
		name string
		sum  func([]byte) []byte
		size int
	}{
		{"x5t", func(b []byte) []byte { s := sha1.Sum(b); return s[:] }, sha1.Size},
		{"x5t#S256", func(b []byte) []byte { s := sha256.Sum256(b); return s[:] }, sha256.Size},
	} {
		if _, ok := m[t.name]; !ok {
			continue
		}
		b, err := b64Member(m, t.name)
		if err != nil {
			return err
		}
		if len(b) != t.size {
			return fmt.Errorf("%s is %d bytes; want %d", t.name, len(b), t.size)
		}
		if leaf != nil && !bytes.Equal(b, t.sum(leaf)) {
			return fmt.Errorf("%s is not the thumbprint of the first x5c certificate", t.name)
		}
	}
	return nil
}

// parseX5c checks every entry of an x5c member and returns its first
// certificate.
func parseX5c(raw json.RawMessage) (*x509.Certificate, error) {
	if first(raw) != '[' {
		return nil, errors.New("x5c is not an array")
	}
	var list []json.RawMessage
	if err := json.Unmarshal(raw, &list); err != nil {
		return nil, fmt.Errorf("x5c: %v", err)
	}
	switch {
	case len(list) == 0:
		return nil, errors.New("x5c is empty")
	case len(list) > maxChain:
		return nil, fmt.Errorf("x5c holds %d certificates; at most %d", len(list), maxChain)
	}
	var leaf *x509.Certificate
	for i, e := range list {
		var s string
		if first(e) != '"' || json.Unmarshal(e, &s) != nil {
			return nil, fmt.Errorf("x5c[%d] is not a string", i)
		}
		der, err := stdBase64(s)
		if err != nil {
			return nil, fmt.Errorf("x5c[%d] %v", i, err)
		}
		cert, err := x509.ParseCertificate(der)
		if err != nil {
			return nil, fmt.Errorf("x5c[%d] is not a DER certificate", i)
		}
		if i == 0 {
			leaf = cert
		}
	}
	return leaf, nil
}

// stdBase64 decodes canonical standard base64: only that alphabet (Go's
// decoder skips CR and LF), padded, no non-zero trailing bits.
func stdBase64(s string) ([]byte, error) {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '+' || c == '/' || c == '=') {
			return nil, errors.New("is not standard base64 (RFC 7517 section 4.7; not base64url)")
		}
	}
	b, err := base64.StdEncoding.Strict().DecodeString(s)
	if err != nil {
		return nil, errors.New("is not canonical padded base64")
	}
	return b, nil
}
