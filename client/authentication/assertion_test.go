package authentication

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"testing"

	"github.com/tokengate/tokengate/client"
)

func TestAssertionAlgorithms(t *testing.T) {
	rsaKey := testRSAKey(t)
	p256, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	p384, _ := ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
	p521, _ := ecdsa.GenerateKey(elliptic.P521(), rand.Reader)
	_, edKey, _ := ed25519.GenerateKey(rand.Reader)
	cases := []struct {
		alg     string
		key     crypto.Signer
		wantAlg string
	}{
		{"", rsaKey, "RS256"},
		{"RS256", rsaKey, "RS256"},
		{"RS384", rsaKey, "RS384"},
		{"RS512", rsaKey, "RS512"},
		{"PS256", rsaKey, "PS256"},
		{"ES256", p256, "ES256"},
		{"ES384", p384, "ES384"},
		{"ES512", p521, "ES512"},
		{"EdDSA", edKey, "EdDSA"},
	}
	for _, tc := range cases {
		t.Run(tc.wantAlg+"/"+tc.alg, func(t *testing.T) {
			srv := newServer(t, jsonReply(200, `{"access_token":"at","token_type":"Bearer"}`))
			c := newTestClient(t, srv.URL, Config{ClientID: "cid", ClientAssertionKey: tc.key, ClientAssertionAlg: tc.alg})
			for range 2 {
				if _, err := c.ClientCredentials(context.Background(), ClientCredentialsRequest{Audience: "https://api/"}); err != nil {
					t.Fatal(err)
				}
			}
			reqs := srv.requests()
			jti1 := checkAssertion(t, reqs[0].Form.Get("client_assertion"), tc.key.Public(), tc.wantAlg, "cid", srv.URL+"/")
			jti2 := checkAssertion(t, reqs[1].Form.Get("client_assertion"), tc.key.Public(), tc.wantAlg, "cid", srv.URL+"/")
			if jti1 == jti2 {
				t.Errorf("jti repeated across requests: %q", jti1)
			}
		})
	}
}

// TestAssertionAudienceIsTenant: aud is "https://{domain}/" for a domain.
func TestAssertionAudienceIsTenant(t *testing.T) {
	c, err := New("tenant.eu.auth0.com", Config{ClientID: "cid", ClientAssertionKey: testRSAKey(t), ClientAssertionAlg: "RS256"})
	if err != nil {
		t.Fatal(err)
	}
	tok, err := c.signer.assertion()
	if err != nil {
		t.Fatal(err)
	}
	checkAssertion(t, tok, testRSAKey(t).Public(), "RS256", "cid", "https://tenant.eu.auth0.com/")
}

// TestAssertionFreshPerRetry: a retried request carries a new assertion,
// so no jti is ever sent twice.
func TestAssertionFreshPerRetry(t *testing.T) {
	srv := newServer(t, func(n int, w http.ResponseWriter, r *http.Request) {
		if n == 1 {
			w.Header().Set("Retry-After", "0")
			w.WriteHeader(http.StatusTooManyRequests)
			return
		}
		jsonReply(200, `{"access_token":"at","token_type":"Bearer"}`)(n, w, r)
	})
	key := testRSAKey(t)
	c := newTestClient(t, srv.URL, Config{ClientID: "cid", ClientAssertionKey: key, ClientAssertionAlg: "RS256"})
	if _, err := c.ClientCredentials(context.Background(), ClientCredentialsRequest{Audience: "https://api/"}); err != nil {
		t.Fatal(err)
	}
	reqs := srv.requests()
	if len(reqs) != 2 {
		t.Fatalf("requests: got %d, want 2", len(reqs))
	}
	a1, a2 := reqs[0].Form.Get("client_assertion"), reqs[1].Form.Get("client_assertion")
	j1 := checkAssertion(t, a1, key.Public(), "RS256", "cid", srv.URL+"/")
	j2 := checkAssertion(t, a2, key.Public(), "RS256", "cid", srv.URL+"/")
	if a1 == a2 || j1 == j2 {
		t.Errorf("the retry re-sent the same assertion (jti %q)", j1)
	}
}

func TestAssertionPEM(t *testing.T) {
	rsaKey := testRSAKey(t)
	ecKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	pkcs8, _ := x509.MarshalPKCS8PrivateKey(rsaKey)
	sec1, _ := x509.MarshalECPrivateKey(ecKey)
	cases := []struct {
		name string
		pem  []byte
		alg  string
		pub  crypto.PublicKey
	}{
		{"PKCS8 RSA", pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: pkcs8}), "RS256", rsaKey.Public()},
		{"PKCS1 RSA", pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(rsaKey)}), "RS256", rsaKey.Public()},
		{"SEC1 EC", pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: sec1}), "ES256", ecKey.Public()},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			key, err := ParsePrivateKeyPEM(tc.pem)
			if err != nil {
				t.Fatal(err)
			}
			c, err := New("tenant.auth0.com", Config{ClientID: "cid", ClientAssertionKey: key, ClientAssertionAlg: tc.alg})
			if err != nil {
				t.Fatal(err)
			}
			tok, err := c.signer.assertion()
			if err != nil {
				t.Fatal(err)
			}
			checkAssertion(t, tok, tc.pub, tc.alg, "cid", "https://tenant.auth0.com/")
		})
	}
}

func TestNewRefuses(t *testing.T) {
	rsaKey := testRSAKey(t)
	small, _ := rsa.GenerateKey(rand.Reader, 1024)
	p384, _ := ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
	cases := []struct {
		name   string
		domain string
		cfg    Config
		want   string
	}{
		{"empty domain", "", Config{}, "invalid domain"},
		{"plain http to a remote host", "http://tenant.auth0.com", Config{}, "loopback"},
		{"secret without client ID", "tenant.auth0.com", Config{ClientSecret: "s"}, "ClientID"},
		{"key without client ID", "tenant.auth0.com", Config{ClientAssertionKey: rsaKey, ClientAssertionAlg: "RS256"}, "ClientID"},
		{"RSA key too small", "tenant.auth0.com", Config{ClientID: "c", ClientAssertionKey: small, ClientAssertionAlg: "RS256"}, "2048"},
		{"RS256 with an EC key", "tenant.auth0.com", Config{ClientID: "c", ClientAssertionKey: p384, ClientAssertionAlg: "RS256"}, "RSA key"},
		{"ES256 with a P-384 key", "tenant.auth0.com", Config{ClientID: "c", ClientAssertionKey: p384, ClientAssertionAlg: "ES256"}, "P-256"},
		{"EdDSA with an RSA key", "tenant.auth0.com", Config{ClientID: "c", ClientAssertionKey: rsaKey, ClientAssertionAlg: "EdDSA"}, "Ed25519"},
		{"HS256", "tenant.auth0.com", Config{ClientID: "c", ClientAssertionKey: rsaKey, ClientAssertionAlg: "HS256"}, "not supported"},
		{"none", "tenant.auth0.com", Config{ClientID: "c", ClientAssertionKey: rsaKey, ClientAssertionAlg: "none"}, "not supported"},
		{"typed nil RSA key", "tenant.auth0.com", Config{ClientID: "c", ClientAssertionKey: (*rsa.PrivateKey)(nil)}, "nil"},
		{"typed nil EC key", "tenant.auth0.com", Config{ClientID: "c", ClientAssertionKey: (*ecdsa.PrivateKey)(nil), ClientAssertionAlg: "ES256"}, "nil"},
		{"short Ed25519 key", "tenant.auth0.com", Config{ClientID: "c", ClientAssertionKey: ed25519.PrivateKey{1, 2, 3}, ClientAssertionAlg: "EdDSA"}, "nil"},
		{"algorithm without key", "tenant.auth0.com", Config{ClientID: "c", ClientSecret: "s", ClientAssertionAlg: "RS256"}, "without ClientAssertionKey"},
		{"bad HTTP config", "tenant.auth0.com", Config{HTTP: client.Config{Timeout: -1}}, "negative"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, err := New(tc.domain, tc.cfg)
			if err == nil {
				t.Fatalf("got %v, nil error; want an error", c)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q does not mention %q", err, tc.want)
			}
		})
	}
}

func TestParsePrivateKeyPEMRefuses(t *testing.T) {
	rsaKey := testRSAKey(t)
	pub, _ := x509.MarshalPKIXPublicKey(rsaKey.Public())
	cases := []struct {
		name string
		pem  []byte
		want string
	}{
		{"empty", nil, "no PEM block"},
		{"garbage", []byte("not a key"), "no PEM block"},
		{"public key", pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: pub}), "not a private key"},
		{"certificate", pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: pub}), "not a private key"},
		{"truncated PKCS8", pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: []byte{0x30, 0x82}}), "parsing"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			key, err := ParsePrivateKeyPEM(tc.pem)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("got %v, %v; want an error mentioning %q", key, err, tc.want)
			}
		})
	}
}

// TestConfigStringHidesCredentials: printing or logging a Config (with
// fmt's verbs or log/slog) never shows the client secret or the key.
func TestConfigStringHidesCredentials(t *testing.T) {
	const secret = "s3cr3t-client-secret-value"
	key := testRSAKey(t)
	cfgs := map[string]Config{
		"secret":    {ClientID: "cid", ClientSecret: secret},
		"assertion": {ClientID: "cid", ClientSecret: secret, ClientAssertionKey: key, ClientAssertionAlg: "PS256"},
	}
	for name, cfg := range cfgs {
		t.Run(name, func(t *testing.T) {
			var logs strings.Builder
			slog.New(slog.NewJSONHandler(&logs, nil)).Info("config", "cfg", cfg)
			slog.New(slog.NewTextHandler(&logs, nil)).Info("config", "cfg", cfg)
			out := fmt.Sprintf("%v %+v %#v %s", cfg, cfg, cfg, cfg) + logs.String()
			if strings.Contains(out, secret) || strings.Contains(out, key.N.String()[:20]) || strings.Contains(out, key.D.String()[:20]) {
				t.Errorf("a credential shows in %s", out)
			}
			if !strings.Contains(out, `client_id=\"cid\"`) && !strings.Contains(out, `client_id="cid"`) {
				t.Errorf("the client ID does not show in %s", out)
			}
		})
	}
}
