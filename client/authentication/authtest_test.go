package authentication_test

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"errors"
	"testing"

	"github.com/tokengate/tokengate/authtest"
	"github.com/tokengate/tokengate/client"
	"github.com/tokengate/tokengate/client/authentication"
	"github.com/tokengate/tokengate/verifier"
)

// TestAgainstAuthtest runs the client against the project's local Auth0-like
// tenant: client secret, private_key_jwt (the tenant refuses a replayed
// jti), password-realm login with the returned ID token verified, userinfo.
func TestAgainstAuthtest(t *testing.T) {
	assertionKey, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	pub, err := verifier.NewKey("", "RS256", &assertionKey.PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	const api = "https://api.example.com"
	tenant, err := authtest.NewTenant(authtest.Config{
		Clients: []authtest.Client{
			{ID: "m2m", Secret: "m2m-secret-value", Grants: map[string][]string{api: {"read:items"}}},
			{ID: "pkjwt", AssertionKey: pub, Grants: map[string][]string{api: {"read:items"}}},
			{ID: "webapp", Secret: "webapp-secret-value"},
		},
		Users: []authtest.User{{ID: "u1", Email: "ada@example.com", EmailVerified: true, Password: "correct horse battery", Name: "Ada"}},
		APIs:  []string{api},
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(tenant.Close)
	ctx := context.Background()

	t.Run("client secret", func(t *testing.T) {
		c, err := authentication.New(tenant.URL, authentication.Config{ClientID: "m2m", ClientSecret: "m2m-secret-value"})
		if err != nil {
			t.Fatal(err)
		}
		tok, err := c.ClientCredentials(ctx, authentication.ClientCredentialsRequest{Audience: api})
		if err != nil {
			t.Fatal(err)
		}
		if tok.AccessToken == "" || tok.TokenType != "Bearer" || tok.Scope != "read:items" || tok.ExpiresAt.IsZero() {
			t.Errorf("got %v (expires %v), want a Bearer token with read:items", tok, tok.ExpiresAt)
		}
	})

	t.Run("wrong secret", func(t *testing.T) {
		c, _ := authentication.New(tenant.URL, authentication.Config{ClientID: "m2m", ClientSecret: "wrong"})
		_, err := c.ClientCredentials(ctx, authentication.ClientCredentialsRequest{Audience: api})
		var e *client.Error
		if !errors.As(err, &e) || e.StatusCode != 401 || e.Code != "access_denied" {
			t.Errorf("got %v, want 401 access_denied", err)
		}
	})

	t.Run("private_key_jwt", func(t *testing.T) {
		c, err := authentication.New(tenant.URL, authentication.Config{ClientID: "pkjwt", ClientAssertionKey: assertionKey, ClientAssertionAlg: "RS256"})
		if err != nil {
			t.Fatal(err)
		}
		for i := range 3 { // a fresh jti each time, or the tenant refuses
			if _, err := c.ClientCredentials(ctx, authentication.ClientCredentialsRequest{Audience: api}); err != nil {
				t.Fatalf("request %d: %v", i+1, err)
			}
		}
	})

	t.Run("login with a verified ID token, then userinfo", func(t *testing.T) {
		v, err := verifier.New(verifier.Config{Issuer: tenant.Issuer(), Audience: []string{"webapp"}, Keys: tenant, Kind: verifier.IDToken})
		if err != nil {
			t.Fatal(err)
		}
		c, err := authentication.New(tenant.URL, authentication.Config{ClientID: "webapp", ClientSecret: "webapp-secret-value", IDTokenVerifier: v})
		if err != nil {
			t.Fatal(err)
		}
		tok, err := c.Login(ctx, authentication.LoginRequest{Username: "ada@example.com", Password: "correct horse battery",
			Realm: authtest.DefaultConnection, Scope: "openid profile email", Audience: api})
		if err != nil {
			t.Fatal(err)
		}
		if tok.IDTokenClaims == nil || tok.IDTokenClaims.Subject != "auth0|u1" {
			t.Fatalf("IDTokenClaims: got %+v, want sub auth0|u1", tok.IDTokenClaims)
		}
		u, err := c.UserInfo(ctx, tok.AccessToken)
		if err != nil {
			t.Fatal(err)
		}
		if u.Subject != "auth0|u1" || u.Email != "ada@example.com" || !u.EmailVerified {
			t.Errorf("userinfo: got %+v, want ada's profile", u)
		}
	})

	t.Run("ID token of the wrong client fails the login", func(t *testing.T) {
		v, _ := verifier.New(verifier.Config{Issuer: tenant.Issuer(), Audience: []string{"another-app"}, Keys: tenant, Kind: verifier.IDToken})
		c, _ := authentication.New(tenant.URL, authentication.Config{ClientID: "webapp", ClientSecret: "webapp-secret-value", IDTokenVerifier: v})
		tok, err := c.Login(ctx, authentication.LoginRequest{Username: "ada@example.com", Password: "correct horse battery",
			Realm: authtest.DefaultConnection, Scope: "openid"})
		if !errors.Is(err, authentication.ErrIDToken) || !errors.Is(err, verifier.ErrAudience) || tok != nil {
			t.Errorf("got %v, %v; want nil, ErrIDToken with ErrAudience", tok, err)
		}
	})

	t.Run("wrong password", func(t *testing.T) {
		c, _ := authentication.New(tenant.URL, authentication.Config{ClientID: "webapp", ClientSecret: "webapp-secret-value"})
		_, err := c.Login(ctx, authentication.LoginRequest{Username: "ada@example.com", Password: "wrong", Realm: authtest.DefaultConnection})
		var e *client.Error
		if !errors.As(err, &e) || e.StatusCode != 403 || e.Code != "invalid_grant" || e.Message != "Wrong email or password." {
			t.Errorf("got %v, want 403 invalid_grant", err)
		}
	})
}
