package middleware_test

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/tokengate/tokengate/middleware"
	"github.com/tokengate/tokengate/verifier"
)

// exampleTenant plays the identity provider of the examples: a signing key
// and a verifier that trusts it. In production the key set is a jwks.Cache.
func exampleTenant() (*rsa.PrivateKey, *verifier.Verifier) {
	priv, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		panic(err)
	}
	key, err := verifier.NewKey("k1", "RS256", &priv.PublicKey)
	if err != nil {
		panic(err)
	}
	keys, err := verifier.NewKeySet(key)
	if err != nil {
		panic(err)
	}
	v, err := verifier.New(verifier.Config{
		Issuer:   "https://tenant.example.com/",
		Audience: []string{"https://api.example.com"},
		Keys:     keys,
	})
	if err != nil {
		panic(err)
	}
	return priv, v
}

// exampleToken signs an access token for the examples' API.
func exampleToken(priv *rsa.PrivateKey, claims map[string]any) string {
	c := map[string]any{
		"iss": "https://tenant.example.com/",
		"aud": "https://api.example.com",
		"sub": "auth0|alice",
		"exp": time.Now().Add(time.Hour).Unix(),
	}
	for k, v := range claims {
		c[k] = v
	}
	enc := base64.RawURLEncoding.EncodeToString
	h, _ := json.Marshal(map[string]string{"alg": "RS256", "typ": "JWT", "kid": "k1"})
	p, _ := json.Marshal(c)
	input := enc(h) + "." + enc(p)
	sum := sha256.Sum256([]byte(input))
	sig, err := rsa.SignPKCS1v15(rand.Reader, priv, crypto.SHA256, sum[:])
	if err != nil {
		panic(err)
	}
	return input + "." + enc(sig)
}

// exampleGet sends GET url with the token (if any) and prints the status.
func exampleGet(url, token string) { exampleDo(http.MethodGet, url, token) }

// exampleDo sends a request with the token (if any) and prints the status
// and the challenge.
func exampleDo(method, url, token string) {
	req, _ := http.NewRequest(method, url, nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := (&http.Client{Timeout: 5 * time.Second}).Do(req)
	if err != nil {
		panic(err)
	}
	resp.Body.Close()
	if ch := resp.Header.Get("WWW-Authenticate"); ch != "" {
		fmt.Println(resp.StatusCode, ch)
		return
	}
	fmt.Println(resp.StatusCode)
}

func ExampleAuthenticate() {
	priv, v := exampleTenant()

	r := chi.NewRouter()
	r.Use(middleware.Authenticate(v, middleware.WithRealm("items")))
	r.Get("/me", func(w http.ResponseWriter, r *http.Request) {
		claims, _ := middleware.ClaimsFromContext(r.Context())
		fmt.Println("handler sees", claims.Subject)
	})
	srv := httptest.NewServer(r)
	defer srv.Close()

	exampleGet(srv.URL+"/me", exampleToken(priv, nil))
	exampleGet(srv.URL+"/me", "")
	exampleGet(srv.URL+"/me", "not-a-token")
	// Output:
	// handler sees auth0|alice
	// 200
	// 401 Bearer realm="items"
	// 401 Bearer realm="items", error="invalid_token", error_description="the access token is invalid or has expired"
}

func ExampleRequireScopes() {
	priv, v := exampleTenant()

	r := chi.NewRouter()
	r.Use(middleware.Authenticate(v))
	r.With(middleware.RequireScopes("read:items")).Get("/items", func(w http.ResponseWriter, r *http.Request) {})
	r.With(middleware.RequireScopes("write:items")).Post("/items", func(w http.ResponseWriter, r *http.Request) {})
	// Auth0 RBAC: the permissions claim instead of scope.
	r.With(middleware.RequirePermissions("delete:items")).Delete("/items", func(w http.ResponseWriter, r *http.Request) {})
	srv := httptest.NewServer(r)
	defer srv.Close()

	reader := exampleToken(priv, map[string]any{"scope": "openid read:items", "permissions": []string{"delete:items"}})
	exampleGet(srv.URL+"/items", reader)
	exampleDo(http.MethodPost, srv.URL+"/items", reader)
	exampleDo(http.MethodDelete, srv.URL+"/items", reader)
	// Output:
	// 200
	// 403 Bearer realm="api", error="insufficient_scope", error_description="the access token lacks a required scope or permission", scope="write:items"
	// 200
}

// An Observer that logs every outcome with log/slog. The event holds bounded
// labels only, so it is also fit for metric labels.
func ExampleWithObserver() {
	priv, v := exampleTenant()
	log := slog.New(slog.NewTextHandler(os.Stdout, &slog.HandlerOptions{
		ReplaceAttr: func(_ []string, a slog.Attr) slog.Attr {
			if a.Key == slog.TimeKey {
				return slog.Attr{} // steady output for the example
			}
			return a
		},
	}))
	observe := middleware.ObserverFunc(func(e middleware.Event) {
		log.Info("auth", "outcome", e.Outcome, "reason", e.Reason, "status", e.Status, "route", e.Route)
	})

	r := chi.NewRouter()
	r.With(middleware.Authenticate(v, middleware.WithObserver(observe))).Get("/items/{id}", func(w http.ResponseWriter, r *http.Request) {})
	srv := httptest.NewServer(r)
	defer srv.Close()

	exampleGet(srv.URL+"/items/1", exampleToken(priv, nil))
	exampleGet(srv.URL+"/items/2", exampleToken(priv, map[string]any{"exp": time.Now().Add(-time.Hour).Unix()}))
	// Output:
	// level=INFO msg=auth outcome=ok reason=ok status=0 route=/items/{id}
	// 200
	// level=INFO msg=auth outcome=invalid_token reason=expired status=401 route=/items/{id}
	// 401 Bearer realm="api", error="invalid_token", error_description="the access token is invalid or has expired"
}
