package orgs_test

import (
	"context"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/tokengate/tokengate/middleware"
	"github.com/tokengate/tokengate/orgs"
	"github.com/tokengate/tokengate/verifier"
)

func ExampleRequire() {
	// The identity provider's signing key and a verifier trusting it (in
	// production the key set is a jwks.Cache).
	priv, _ := rsa.GenerateKey(rand.Reader, 2048)
	key, _ := verifier.NewKey("k1", "RS256", &priv.PublicKey)
	keys, _ := verifier.NewKeySet(key)
	v, err := verifier.New(verifier.Config{
		Issuer:   "https://tenant.example.com/",
		Audience: []string{"https://api.example.com"},
		Keys:     keys,
	})
	if err != nil {
		panic(err)
	}

	r := chi.NewRouter()
	r.Use(middleware.Authenticate(v))
	r.Route("/orgs/{org}", func(r chi.Router) {
		// {org} is an org_id ("org_...") or an org_name (any case).
		r.Use(orgs.Require(orgs.FromPath("org")))
		r.Get("/invoices", func(w http.ResponseWriter, r *http.Request) {})
	})
	srv := httptest.NewServer(r)
	defer srv.Close()

	acme := sign(priv, map[string]any{"org_id": "org_acme", "org_name": "acme"})
	for _, path := range []string{"/orgs/org_acme/invoices", "/orgs/ACME/invoices", "/orgs/org_globex/invoices"} {
		req, _ := http.NewRequest(http.MethodGet, srv.URL+path, nil)
		req.Header.Set("Authorization", "Bearer "+acme)
		resp, err := (&http.Client{Timeout: 5 * time.Second}).Do(req)
		if err != nil {
			panic(err)
		}
		resp.Body.Close()
		fmt.Println(path, resp.StatusCode)
	}
	// Output:
	// /orgs/org_acme/invoices 200
	// /orgs/ACME/invoices 200
	// /orgs/org_globex/invoices 403
}

// Handlers read the organization Require checked from the context, not
// from the path again: in this chi sub-route {id} is the project, not the
// organization that was checked.
func ExampleChecked() {
	priv, _ := rsa.GenerateKey(rand.Reader, 2048)
	key, _ := verifier.NewKey("k1", "RS256", &priv.PublicKey)
	keys, _ := verifier.NewKeySet(key)
	v, err := verifier.New(verifier.Config{
		Issuer:   "https://tenant.example.com/",
		Audience: []string{"https://api.example.com"},
		Keys:     keys,
	})
	if err != nil {
		panic(err)
	}

	r := chi.NewRouter()
	r.Use(middleware.Authenticate(v))
	r.Route("/orgs/{id}", func(r chi.Router) {
		r.Use(orgs.Require(orgs.FromPath("id")))
		r.Get("/projects/{id}", func(w http.ResponseWriter, r *http.Request) {
			org, _ := orgs.Checked(r.Context()) // always there behind Require
			fmt.Fprintf(w, "organization %s (by name: %v), project %s", org.Value, org.ByName, r.PathValue("id"))
		})
	})
	srv := httptest.NewServer(r)
	defer srv.Close()

	req, _ := http.NewRequest(http.MethodGet, srv.URL+"/orgs/org_acme/projects/p42", nil)
	req.Header.Set("Authorization", "Bearer "+sign(priv, map[string]any{"org_id": "org_acme"}))
	resp, err := (&http.Client{Timeout: 5 * time.Second}).Do(req)
	if err != nil {
		panic(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	fmt.Println(resp.StatusCode, string(body))
	// Output:
	// 200 organization org_acme (by name: false), project p42
}

// members is a MembershipChecker over a fixed set of "org/user" pairs (in
// production: management.MembershipChecker, or the application's database).
type members map[string]bool

func (m members) IsMember(_ context.Context, orgID, userID string) (bool, error) {
	return m[orgID+"/"+userID], nil
}

// RequireMember after Require: a member removed from the organization
// loses access before their token expires, within the positive cache TTL.
// The cache options configure both functions (SharedOption); Allow,
// WithLookup and WithResolver configure Require only, and given to
// RequireMember do not compile.
func ExampleRequireMember() {
	priv, _ := rsa.GenerateKey(rand.Reader, 2048)
	key, _ := verifier.NewKey("k1", "RS256", &priv.PublicKey)
	keys, _ := verifier.NewKeySet(key)
	v, err := verifier.New(verifier.Config{
		Issuer:   "https://tenant.example.com/",
		Audience: []string{"https://api.example.com"},
		Keys:     keys,
	})
	if err != nil {
		panic(err)
	}

	checker := members{"org_acme/auth0|alice": true}
	r := chi.NewRouter()
	r.Use(middleware.Authenticate(v))
	r.Route("/orgs/{org}", func(r chi.Router) {
		r.Use(orgs.Require(orgs.FromPath("org")),
			orgs.RequireMember(checker, orgs.WithCacheTTL(time.Minute, 10*time.Second)))
		r.Get("/invoices", func(w http.ResponseWriter, r *http.Request) {})
	})
	srv := httptest.NewServer(r)
	defer srv.Close()

	for _, sub := range []string{"auth0|alice", "auth0|mallory"} {
		req, _ := http.NewRequest(http.MethodGet, srv.URL+"/orgs/org_acme/invoices", nil)
		req.Header.Set("Authorization", "Bearer "+sign(priv, map[string]any{"sub": sub, "org_id": "org_acme"}))
		resp, err := (&http.Client{Timeout: 5 * time.Second}).Do(req)
		if err != nil {
			panic(err)
		}
		resp.Body.Close()
		fmt.Println(sub, resp.StatusCode)
	}
	// Output:
	// auth0|alice 200
	// auth0|mallory 403
}

// sign issues an RS256 access token for the example's API.
func sign(priv *rsa.PrivateKey, claims map[string]any) string {
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
