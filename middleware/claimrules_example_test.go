package middleware_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/tokengate/tokengate/middleware"
	"github.com/tokengate/tokengate/verifier"
)

// An API's namespaced claims, decoded once per token into a struct (while
// the token is cached, later requests get the decoded value), checked by a
// Validate hook and read in handlers.
func ExampleAuthenticateTyped() {
	tenant, v := exampleTenant()
	defer tenant.Close()

	type AppClaims struct {
		Tenant string   `json:"https://example.com/tenant"`
		Roles  []string `json:"https://example.com/roles"`
	}
	tv, err := verifier.NewTyped(v, verifier.TypedConfig[AppClaims]{
		Validate: func(_ context.Context, _ *verifier.Claims, c *AppClaims) error {
			if c.Tenant == "" {
				return errors.New("token has no tenant")
			}
			return nil
		},
	})
	if err != nil {
		panic(err)
	}

	r := chi.NewRouter()
	r.Use(middleware.AuthenticateTyped(tv))
	r.Get("/me", func(w http.ResponseWriter, r *http.Request) {
		app, _ := middleware.CustomClaimsFromContext[AppClaims](r.Context())
		fmt.Println("handler sees", app.Tenant, app.Roles)
	})
	srv := httptest.NewServer(r)
	defer srv.Close()

	exampleGet(srv.URL+"/me", exampleToken(tenant, map[string]any{
		"https://example.com/tenant": "acme", "https://example.com/roles": []string{"admin"}}))
	exampleGet(srv.URL+"/me", exampleToken(tenant, nil))
	// Output:
	// handler sees acme [admin]
	// 200
	// 401 Bearer realm="api", error="invalid_token", error_description="the access token's claims are not accepted by this resource"
}

// Claim rules per route, beside RequireScopes. A token that verified but
// does not satisfy a rule is answered 403 access_denied, without a
// challenge: signing in again would not help.
func ExampleRequireClaims() {
	tenant, v := exampleTenant()
	defer tenant.Close()

	r := chi.NewRouter()
	r.Use(middleware.Authenticate(v))
	r.With(middleware.RequireClaims(
		middleware.ClaimEquals("https://example.com/plan", "enterprise").
			WithDescription("this resource needs the enterprise plan"),
	)).Get("/reports", func(w http.ResponseWriter, r *http.Request) {})
	r.With(middleware.RequireClaims(
		middleware.ClaimIncludes("https://example.com/roles", "admin"),
		middleware.ClaimEquals("https://example.com/mfa", true),
	)).Delete("/users/{id}", func(w http.ResponseWriter, r *http.Request) {})
	srv := httptest.NewServer(r)
	defer srv.Close()

	tok := exampleToken(tenant, map[string]any{
		"https://example.com/plan":  "enterprise",
		"https://example.com/roles": []string{"editor"},
		"https://example.com/mfa":   true,
	})
	exampleGet(srv.URL+"/reports", tok)
	resp, body := exampleDoBody(http.MethodDelete, srv.URL+"/users/1", tok)
	fmt.Println(resp, body)
	// Output:
	// 200
	// 403 {"error":"access_denied","error_description":"the access token does not include a claim value this resource requires"}
}

// exampleDoBody sends a request with the token and returns the status and
// the body.
func exampleDoBody(method, url, token string) (int, string) {
	req, _ := http.NewRequest(method, url, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := (&http.Client{Timeout: 5 * time.Second}).Do(req)
	if err != nil {
		panic(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 1<<12))
	if err != nil {
		panic(err)
	}
	return resp.StatusCode, strings.TrimSpace(string(b))
}
