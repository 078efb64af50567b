package verifier_test

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"errors"
	"fmt"
	"log"
	"time"

	"github.com/tokengate/tokengate/authtest"
	"github.com/tokengate/tokengate/verifier"
)

// An API that requires encrypted access tokens (Auth0's token encryption:
// RSA-OAEP-256 and A256GCM around the signed token). The API holds the
// private key; the tenant encrypts to its public half.
func ExampleDecryption() {
	apiKey, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		log.Fatal(err)
	}
	// The tenant stands in for Auth0 here.
	tenant, err := authtest.NewTenant(authtest.Config{EncryptedAPIs: []authtest.EncryptedAPI{
		{Audience: "https://api.example.com", Key: &apiKey.PublicKey, KeyID: "api-enc-1"},
	}})
	if err != nil {
		log.Fatal(err)
	}
	defer tenant.Close()

	dk, err := verifier.NewDecryptionKey("api-enc-1", "RSA-OAEP-256", apiKey)
	if err != nil {
		log.Fatal(err)
	}
	v, err := verifier.New(verifier.Config{
		Issuer:   tenant.Issuer(),
		Audience: []string{"https://api.example.com"},
		Keys:     tenant.KeySet(), // the tenant's signing keys, as a JWKS gives them
		Decryption: verifier.Decryption{
			Keys:     []*verifier.DecryptionKey{dk},
			Required: true, // plain (unencrypted) tokens are refused
		},
	})
	if err != nil {
		log.Fatal(err)
	}

	ctx := context.Background()
	claims, err := v.Verify(ctx, tenant.AccessToken("auth0|alice", "https://api.example.com", "read:items"))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("subject:", claims.Subject)

	plain, err := tenant.Mint(authtest.Token{Claims: map[string]any{"sub": "auth0|alice", "aud": "https://api.example.com"}, ExpiresIn: time.Hour})
	if err != nil {
		log.Fatal(err)
	}
	_, err = v.Verify(ctx, plain)
	fmt.Println("plain token refused:", errors.Is(err, verifier.ErrTokenType))
	// Output:
	// subject: auth0|alice
	// plain token refused: true
}
