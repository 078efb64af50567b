package authtest

import (
	"context"
	"crypto/x509"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/tokengate/tokengate/dpop"
	"github.com/tokengate/tokengate/verifier"
)

// TestDPoPTokenEndpoint (SECURITY.md DP21): a client_credentials request
// with a DPoP proof gets a token bound to the proof's key (cnf.jkt,
// token_type DPoP); a bad proof, a replayed one or two DPoP headers get 400
// invalid_dpop_proof; without a proof the token is a Bearer token as
// before.
func TestDPoPTokenEndpoint(t *testing.T) {
	tn := newTenant(t, fixtureConfig())
	key, err := NewDPoPKey("ES256")
	if err != nil {
		t.Fatal(err)
	}
	form := url.Values{"grant_type": {GrantClientCredentials}, "client_id": {m2mID}, "client_secret": {m2mSecret}, "audience": {testAPI}}
	post := func(proofs ...string) response {
		req, err := http.NewRequest(http.MethodPost, tn.URL+"/oauth/token", strings.NewReader(form.Encode()))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		for _, p := range proofs {
			req.Header.Add("DPoP", p)
		}
		return do(t, tn, req)
	}
	good, err := key.Proof(Proof{Method: "POST", URL: tn.URL + "/oauth/token"})
	if err != nil {
		t.Fatal(err)
	}
	res := post(good)
	if res.status != 200 || res.json(t)["token_type"] != "DPoP" {
		t.Fatalf("DP21/bound: got %d, token_type %v, want 200 with token_type DPoP", res.status, res.json(t)["token_type"])
	}
	tok := res.json(t)["access_token"].(string)
	v, err := verifier.New(verifier.Config{Issuer: tn.Issuer(), Audience: []string{testAPI}, Keys: tn})
	if err != nil {
		t.Fatal(err)
	}
	c, err := v.Verify(context.Background(), tok, verifier.WithBindings(verifier.BindingDPoP))
	if err != nil || c.Confirmation == nil || c.Confirmation.JKT != key.JKT() {
		t.Fatalf("DP21/bound: got claims %+v, %v; want cnf.jkt %q", c, err, key.JKT())
	}
	if _, err := v.Verify(context.Background(), tok); err == nil {
		t.Error("DP17/bound-as-bearer: the bound token verified without WithBindings")
	}
	bad, _ := key.Proof(Proof{Method: "GET", URL: tn.URL + "/oauth/token"})
	other, _ := key.Proof(Proof{Method: "POST", URL: tn.URL + "/oauth/token"})
	for name, proofs := range map[string][]string{
		"DP21/replayed":   {good},
		"DP21/wrong-htm":  {bad},
		"DP21/two-proofs": {other, other},
	} {
		res := post(proofs...)
		if res.status != 400 || res.json(t)["error"] != "invalid_dpop_proof" {
			t.Errorf("%s: got %d, error %v, want 400 invalid_dpop_proof", name, res.status, res.json(t)["error"])
		}
	}
	if res := post(); res.status != 200 || res.json(t)["token_type"] != "Bearer" {
		t.Errorf("DP21/no-proof: got %d, token_type %v, want a Bearer token", res.status, res.json(t)["token_type"])
	}
}

// TestDPoPKey: the proofs and bound tokens authtest mints pass package
// dpop, for every algorithm it offers.
func TestDPoPKey(t *testing.T) {
	tn := newTenant(t, Config{})
	now := time.Now()
	for _, alg := range []string{"ES256", "ES384", "ES512", "EdDSA", "RS256", "PS256"} {
		t.Run(alg, func(t *testing.T) {
			key, err := NewDPoPKey(alg)
			if err != nil {
				t.Fatal(err)
			}
			tok := tn.BoundAccessToken(key, "auth0|alice", testAPI, "read:items")
			p, err := key.Proof(Proof{URL: "https://api.example.com/items", AccessToken: tok, IssuedAt: now})
			if err != nil {
				t.Fatal(err)
			}
			d, err := dpop.New(dpop.Config{Algorithms: []string{alg}})
			if err != nil {
				t.Fatal(err)
			}
			c, err := verify(t, tn, tok, verifier.Config{Audience: []string{testAPI}})
			if err == nil || c != nil {
				t.Fatalf("a bound token verified without WithBindings")
			}
			v, _ := verifier.New(verifier.Config{Issuer: tn.Issuer(), Audience: []string{testAPI}, Keys: tn})
			claims, err := v.Verify(context.Background(), tok, verifier.WithBindings(verifier.BindingDPoP))
			if err != nil {
				t.Fatal(err)
			}
			if _, err := d.Verify(context.Background(), p, dpop.Request{Method: "GET", URL: "https://api.example.com/items", AccessToken: tok, JKT: claims.Confirmation.JKT}); err != nil {
				t.Errorf("got %v, want the proof accepted", err)
			}
		})
	}
	if _, err := NewDPoPKey("HS256"); err == nil {
		t.Error("NewDPoPKey(HS256): got a key, want an error")
	}
}

// TestCertificateBoundToken: Token.Certificate binds a token to a client
// certificate: cnf x5t#S256 is the SHA-256 of its DER.
func TestCertificateBoundToken(t *testing.T) {
	tn := newTenant(t, Config{})
	cert, err := NewClientCertificate("client")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := x509.ParseCertificate(cert.Certificate[0]); err != nil || cert.Leaf == nil {
		t.Fatalf("certificate: %v", err)
	}
	key, _ := NewDPoPKey("")
	tok, err := tn.Mint(Token{Claims: map[string]any{"aud": testAPI}, Certificate: cert.Leaf, DPoP: key})
	if err != nil {
		t.Fatal(err)
	}
	v, _ := verifier.New(verifier.Config{Issuer: tn.Issuer(), Audience: []string{testAPI}, Keys: tn})
	c, err := v.Verify(context.Background(), tok, verifier.WithBindings(verifier.BindingMTLS|verifier.BindingDPoP))
	if err != nil || c.Confirmation.X5TS256 != CertificateThumbprint(cert.Leaf) || c.Confirmation.JKT != key.JKT() {
		t.Fatalf("got %+v, %v; want both bindings", c, err)
	}
}
