package authentication_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"

	"github.com/tokengate/tokengate/client/authentication"
)

// A machine-to-machine access token with the client credentials grant. The
// test server stands in for the tenant; pass "tenant.auth0.com" in real
// code.
func ExampleClient_ClientCredentials() {
	tenant := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.ParseForm()
		if r.URL.Path != "/oauth/token" || r.PostForm.Get("grant_type") != "client_credentials" || r.PostForm.Get("client_secret") != "my-secret" {
			http.Error(w, `{"error":"access_denied","error_description":"Unauthorized"}`, http.StatusUnauthorized)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"access_token":"eyJz93a...k4laUWw","token_type":"Bearer","expires_in":86400,"scope":"read:users"}`)
	}))
	defer tenant.Close()

	auth, err := authentication.New(tenant.URL, authentication.Config{ClientID: "my-client-id", ClientSecret: "my-secret"})
	if err != nil {
		fmt.Println(err)
		return
	}
	tok, err := auth.ClientCredentials(context.Background(), authentication.ClientCredentialsRequest{
		Audience: "https://api.example.com/",
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(tok.TokenType, tok.ExpiresIn, tok.Scope)
	fmt.Println(tok) // tokens never print
	// Output:
	// Bearer 86400 read:users
	// TokenResponse{access_token=[REDACTED] id_token=none refresh_token=none recovery_code=none token_type=Bearer expires_in=86400 scope="read:users"}
}

// The URL to send the browser to, for a login into an organization from an
// invitation link. No request is made.
func ExampleClient_AuthorizeURL() {
	auth, err := authentication.New("tenant.auth0.com", authentication.Config{ClientID: "my-client-id"})
	if err != nil {
		fmt.Println(err)
		return
	}
	u, err := auth.AuthorizeURL(authentication.AuthorizeParams{
		RedirectURI:  "https://app.example.com/callback",
		Scope:        "openid profile email",
		State:        "af0ifjsldkj",
		Organization: "org_W3wo2TP4s6UzBXkD",
		Invitation:   "1XOMaOEd5ph6ZpnNnSxCAHhwAxudnFNM",
	})
	fmt.Println(u, err)
	// Output:
	// https://tenant.auth0.com/authorize?client_id=my-client-id&invitation=1XOMaOEd5ph6ZpnNnSxCAHhwAxudnFNM&organization=org_W3wo2TP4s6UzBXkD&redirect_uri=https%3A%2F%2Fapp.example.com%2Fcallback&response_type=code&scope=openid+profile+email&state=af0ifjsldkj <nil>
}

func ExampleClient_LogoutURL() {
	auth, _ := authentication.New("tenant.auth0.com", authentication.Config{ClientID: "my-client-id"})
	fmt.Println(auth.LogoutURL(authentication.LogoutParams{ReturnTo: "https://app.example.com/", Federated: true}))
	// Output:
	// https://tenant.auth0.com/v2/logout?federated&client_id=my-client-id&returnTo=https%3A%2F%2Fapp.example.com%2F
}

// private_key_jwt with a PEM key, as the Auth0 dashboard hands it out. A
// Client (and a Config) prints without its credentials.
func ExampleParsePrivateKeyPEM() {
	// In a program: pemKey, err := os.ReadFile("private-key.pem")
	ecKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	der, _ := x509.MarshalPKCS8PrivateKey(ecKey)
	pemKey := pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})

	key, err := authentication.ParsePrivateKeyPEM(pemKey)
	if err != nil {
		fmt.Println(err)
		return
	}
	auth, err := authentication.New("tenant.auth0.com", authentication.Config{
		ClientID:           "my-client-id",
		ClientAssertionKey: key,
		ClientAssertionAlg: "ES256",
	})
	fmt.Println(auth, err)
	// Output: authentication.Client{https://tenant.auth0.com client_id="my-client-id" auth=private_key_jwt ES256} <nil>
}
