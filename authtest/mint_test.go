package authtest

import (
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/tokengate/tokengate/verifier"
)

func TestMint(t *testing.T) {
	now := time.Unix(1_800_000_000, 0)
	tn := newTenant(t, withClock(Config{}, now))
	clock := func() time.Time { return now }
	secret := []byte("0123456789abcdef0123456789abcdef")
	secret48 := []byte("0123456789abcdef0123456789abcdef0123456789abcdef")
	edPub, edPriv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	hs256, err := verifier.Secret(secret)
	if err != nil {
		t.Fatal(err)
	}
	hs384, err := verifier.SecretFor("HS384", secret48)
	if err != nil {
		t.Fatal(err)
	}
	edKey, err := verifier.NewKey("", "EdDSA", edPub)
	if err != nil {
		t.Fatal(err)
	}
	edSet, err := verifier.NewKeySet(edKey)
	if err != nil {
		t.Fatal(err)
	}
	aud := map[string]any{"sub": "someone", "aud": testAPI}
	cases := []struct {
		name    string
		tok     Token
		algs    []string
		keys    verifier.KeySource
		wantErr error
	}{
		{name: "defaults", tok: Token{Claims: aud}},
		{name: "ES256", tok: Token{Alg: "ES256", Claims: aud}, algs: []string{"ES256"}},
		{name: "HS256", tok: Token{Alg: "HS256", Secret: secret, Claims: aud}, algs: []string{"HS256"}, keys: hs256},
		{name: "HS384", tok: Token{Alg: "HS384", Secret: secret48, Claims: aud}, algs: []string{"HS384"}, keys: hs384},
		{name: "EdDSA with a given key", tok: Token{Alg: "EdDSA", Key: edPriv, Claims: aud}, algs: []string{"EdDSA"}, keys: edSet},
		{name: "no kid, one RSA key", tok: Token{Header: map[string]any{"kid": nil}, Claims: aud}},
		{name: "typ at+jwt", tok: Token{Header: map[string]any{"typ": "at+jwt"}, Claims: aud}},
		{name: "unknown kid", tok: Token{Header: map[string]any{"kid": "unknown"}, Claims: aud}, wantErr: verifier.ErrKeyNotFound},
		{name: "header lies about alg", tok: Token{Header: map[string]any{"alg": "HS256"}, Claims: aud}, wantErr: verifier.ErrAlgorithm},
		{name: "PS256 with the RS256 key", tok: Token{Alg: "PS256", Claims: aud}, algs: []string{"RS256", "PS256"}, wantErr: verifier.ErrKeyNotFound},
		{name: "RS384 not allowed", tok: Token{Alg: "RS384", Claims: aud}, wantErr: verifier.ErrAlgorithm},
		{name: "another key, the tenant's kid", tok: Token{Key: testRSA2(), Claims: aud}, wantErr: verifier.ErrSignature},
		{name: "expired", tok: Token{ExpiresIn: -time.Minute, Claims: aud}, wantErr: verifier.ErrExpired},
		{name: "without exp", tok: Token{Claims: map[string]any{"sub": "someone", "aud": testAPI, "exp": nil}}, wantErr: verifier.ErrExpired},
		{name: "other issuer", tok: Token{Claims: map[string]any{"sub": "someone", "aud": testAPI, "iss": "https://evil.example.com/"}}, wantErr: verifier.ErrIssuer},
		{name: "other audience", tok: Token{Claims: map[string]any{"aud": otherAPI}}, wantErr: verifier.ErrAudience},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			tok, err := tn.Mint(c.tok)
			if err != nil {
				t.Fatalf("Mint: %v", err)
			}
			_, err = verify(t, tn, tok, verifier.Config{Audience: []string{testAPI}, Algorithms: c.algs, Keys: c.keys, Now: clock})
			if !errors.Is(err, c.wantErr) {
				t.Errorf("verify: got %v, want %v", err, c.wantErr)
			}
		})
	}

	t.Run("default header and claims", func(t *testing.T) {
		tok := mustMint(t, tn, Token{})
		if got, want := decodePart(t, tok, 0), map[string]any{"alg": "RS256", "typ": "JWT", "kid": tn.SigningKeyID("RS256")}; !reflect.DeepEqual(got, want) {
			t.Errorf("header: got %v, want %v", got, want)
		}
		want := map[string]any{"iss": tn.Issuer(), "iat": float64(now.Unix()), "exp": float64(now.Add(defaultTokenTTL).Unix())}
		if got := decodePart(t, tok, 1); !reflect.DeepEqual(got, want) {
			t.Errorf("claims: got %v, want %v", got, want)
		}
	})
	t.Run("ES256 header names the EC key", func(t *testing.T) {
		tok := mustMint(t, tn, Token{Alg: "ES256"})
		if got := decodePart(t, tok, 0)["kid"]; got != tn.SigningKeyID("ES256") {
			t.Errorf("kid: got %v, want %q", got, tn.SigningKeyID("ES256"))
		}
	})
	t.Run("header extras", func(t *testing.T) {
		tok := mustMint(t, tn, Token{Header: map[string]any{"jku": "https://attacker.example.com/jwks.json", "typ": nil}})
		h := decodePart(t, tok, 0)
		if h["jku"] != "https://attacker.example.com/jwks.json" || h["typ"] != nil {
			t.Errorf("header: got %v, want jku set and no typ", h)
		}
	})
}

func TestMintErrors(t *testing.T) {
	tn := newTenant(t, Config{})
	p384, err := ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name string
		tok  Token
	}{
		{"none", Token{Alg: "none"}},
		{"unknown alg", Token{Alg: "RS1"}},
		{"HS256 without secret", Token{Alg: "HS256"}},
		{"ES384 without key", Token{Alg: "ES384"}},
		{"EdDSA without key", Token{Alg: "EdDSA"}},
		{"ES256 with a P-384 key", Token{Alg: "ES256", Key: p384}},
		{"RS256 with an EC key", Token{Alg: "RS256", Key: p384}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if tok, err := tn.Mint(c.tok); !errors.Is(err, ErrKey) {
				t.Errorf("got %q, %v; want ErrKey", tok, err)
			}
		})
	}
	t.Run("claims that are not JSON", func(t *testing.T) {
		if _, err := tn.Mint(Token{Claims: map[string]any{"bad": make(chan int)}}); err == nil {
			t.Error("got no error, want one")
		}
	})
	t.Run("header that is not JSON", func(t *testing.T) {
		if _, err := tn.Mint(Token{Header: map[string]any{"bad": func() {}}}); err == nil {
			t.Error("got no error, want one")
		}
	})
}

func TestAccessToken(t *testing.T) {
	now := time.Unix(1_800_000_000, 0)
	tn := newTenant(t, withClock(Config{}, now))
	cases := []struct {
		name   string
		scopes []string
		want   map[string]any
	}{
		{"with scopes", []string{"read:items", "write:items"}, map[string]any{"scope": "read:items write:items"}},
		{"without scopes", nil, map[string]any{}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			tok := tn.AccessToken("auth0|u1", testAPI, c.scopes...)
			want := map[string]any{"iss": tn.Issuer(), "sub": "auth0|u1", "aud": testAPI,
				"iat": float64(now.Unix()), "exp": float64(now.Add(defaultTokenTTL).Unix())}
			for k, v := range c.want {
				want[k] = v
			}
			if got := decodePart(t, tok, 1); !reflect.DeepEqual(got, want) {
				t.Errorf("claims: got %v, want %v", got, want)
			}
			claims, err := verify(t, tn, tok, verifier.Config{Audience: []string{testAPI}, Now: func() time.Time { return now }})
			if err != nil {
				t.Fatal(err)
			}
			if len(c.scopes) > 0 && !reflect.DeepEqual(claims.Scope, c.scopes) {
				t.Errorf("Scope: got %v, want %v", claims.Scope, c.scopes)
			}
		})
	}
}
