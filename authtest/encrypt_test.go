package authtest

import (
	"crypto/rand"
	"crypto/rsa"
	"errors"
	"net/url"
	"strings"
	"testing"

	"github.com/tokengate/tokengate/verifier"
)

// TestEncryptedAPIs: the tenant encrypts the access tokens of an API that
// turned encryption on (token endpoint, password grant, AccessToken) and
// only those; package verifier with the API's private key accepts them.
func TestEncryptedAPIs(t *testing.T) {
	apiKey, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	cfg := fixtureConfig()
	cfg.EncryptedAPIs = []EncryptedAPI{{Audience: testAPI, Key: &apiKey.PublicKey, KeyID: "api-enc"}}
	tn := newTenant(t, cfg)
	dk, err := verifier.NewDecryptionKey("api-enc", "RSA-OAEP-256", apiKey)
	if err != nil {
		t.Fatal(err)
	}
	dec := verifier.Decryption{Keys: []*verifier.DecryptionKey{dk}, Required: true}
	for _, tt := range []struct {
		name      string
		tok       func() string
		encrypted bool
	}{
		{"client credentials", func() string { return m2mToken(t, tn, testAPI) }, true},
		{"password grant", func() string {
			return accessToken(t, tn, url.Values{"grant_type": {GrantPassword}, "client_id": {webID}, "client_secret": {webSecret},
				"username": {"alice@example.com"}, "password": {alicePass}, "audience": {testAPI}, "scope": {"openid read:items"}})
		}, true},
		{"AccessToken", func() string { return tn.AccessToken("auth0|alice", testAPI, "read:items") }, true},
		{"another API", func() string { return tn.AccessToken("auth0|alice", otherAPI) }, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			tok := tt.tok()
			if got := strings.Count(tok, ".") == 4; got != tt.encrypted {
				t.Fatalf("got encrypted %v (%d dots), want %v", got, strings.Count(tok, "."), tt.encrypted)
			}
			aud := testAPI
			if !tt.encrypted {
				aud = otherAPI
			}
			_, err := verify(t, tn, tok, verifier.Config{Audience: []string{aud}, Decryption: dec})
			if tt.encrypted && err != nil {
				t.Errorf("got %v, want the encrypted token accepted", err)
			}
			if !tt.encrypted && !errors.Is(err, verifier.ErrTokenType) {
				t.Errorf("got %v, want a plain token refused when encryption is required", err)
			}
		})
	}
	t.Run("Encrypt of an expired Mint", func(t *testing.T) {
		jws, err := tn.Mint(Token{Claims: map[string]any{"sub": "x", "aud": testAPI}, ExpiresIn: -1})
		if err != nil {
			t.Fatal(err)
		}
		tok, err := Encrypt(jws, cfg.EncryptedAPIs[0])
		if err != nil {
			t.Fatal(err)
		}
		if _, err := verify(t, tn, tok, verifier.Config{Audience: []string{testAPI}, Decryption: dec}); !errors.Is(err, verifier.ErrExpired) {
			t.Errorf("got %v, want ErrExpired from the inner token", err)
		}
	})
	t.Run("config errors", func(t *testing.T) {
		for _, apis := range [][]EncryptedAPI{
			{{Audience: testAPI}},
			{{Audience: testAPI, Key: &apiKey.PublicKey, Algorithm: "RSA1_5"}},
			{{Audience: testAPI, Key: &apiKey.PublicKey}, {Audience: testAPI, Key: &apiKey.PublicKey}},
		} {
			if _, err := NewTenant(Config{EncryptedAPIs: apis, RSAKey: testRSA(), ECKey: testEC()}); err == nil {
				t.Errorf("NewTenant(%+v): got nil, want a configuration error", apis)
			}
		}
	})
}
