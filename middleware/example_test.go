package middleware_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/tokengate/tokengate/authtest"
	"github.com/tokengate/tokengate/middleware"
	"github.com/tokengate/tokengate/verifier"
)

// exampleAPI is the audience of the examples' tokens.
const exampleAPI = "https://api.example.com"

// exampleTenant starts a local Auth0-like tenant (package authtest) and a
// verifier that trusts it. In production the key set is a jwks.Cache on the
// tenant's JWKS; close the tenant when done.
func exampleTenant() (*authtest.Tenant, *verifier.Verifier) {
	tenant, err := authtest.NewTenant(authtest.Config{})
	if err != nil {
		panic(err)
	}
	v, err := verifier.New(verifier.Config{
		Issuer:   tenant.Issuer(),
		Audience: []string{exampleAPI},
		Keys:     tenant,
	})
	if err != nil {
		panic(err)
	}
	return tenant, v
}

// exampleToken signs an access token of auth0|alice for the examples' API;
// claims are added to, or replace, the defaults.
func exampleToken(tenant *authtest.Tenant, claims map[string]any) string {
	c := map[string]any{"sub": "auth0|alice", "aud": exampleAPI}
	for k, v := range claims {
		c[k] = v
	}
	tok, err := tenant.Mint(authtest.Token{Claims: c})
	if err != nil {
		panic(err)
	}
	return tok
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
	tenant, v := exampleTenant()
	defer tenant.Close()

	r := chi.NewRouter()
	r.Use(middleware.Authenticate(v, middleware.WithRealm("items")))
	r.Get("/me", func(w http.ResponseWriter, r *http.Request) {
		claims, _ := middleware.ClaimsFromContext(r.Context())
		fmt.Println("handler sees", claims.Subject)
	})
	srv := httptest.NewServer(r)
	defer srv.Close()

	exampleGet(srv.URL+"/me", exampleToken(tenant, nil))
	exampleGet(srv.URL+"/me", "")
	exampleGet(srv.URL+"/me", "not-a-token")
	// Output:
	// handler sees auth0|alice
	// 200
	// 401 Bearer realm="items"
	// 401 Bearer realm="items", error="invalid_token", error_description="the access token is malformed"
}

func ExampleRequireScopes() {
	tenant, v := exampleTenant()
	defer tenant.Close()

	r := chi.NewRouter()
	r.Use(middleware.Authenticate(v))
	r.With(middleware.RequireScopes("read:items")).Get("/items", func(w http.ResponseWriter, r *http.Request) {})
	r.With(middleware.RequireScopes("write:items")).Post("/items", func(w http.ResponseWriter, r *http.Request) {})
	// Auth0 RBAC: the permissions claim instead of scope.
	r.With(middleware.RequirePermissions("delete:items")).Delete("/items", func(w http.ResponseWriter, r *http.Request) {})
	srv := httptest.NewServer(r)
	defer srv.Close()

	reader := exampleToken(tenant, map[string]any{"scope": "openid read:items", "permissions": []string{"delete:items"}})
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
	tenant, v := exampleTenant()
	defer tenant.Close()
	log := slog.New(slog.NewTextHandler(os.Stdout, &slog.HandlerOptions{
		ReplaceAttr: func(_ []string, a slog.Attr) slog.Attr {
			if a.Key == slog.TimeKey {
				return slog.Attr{} // steady output for the example
			}
			return a
		},
	}))
	observe := middleware.ObserverFunc(func(ctx context.Context, e middleware.Event) {
		attrs := []slog.Attr{slog.String("outcome", e.Outcome), slog.String("route", e.Route)}
		if e.Reason != "" { // no token verified, or a route check refused
			attrs = append(attrs, slog.String("reason", e.Reason))
		}
		if e.Status != 0 { // 0: let through; the handler chose the status
			attrs = append(attrs, slog.Int("status", e.Status))
		}
		log.LogAttrs(ctx, slog.LevelInfo, "auth", attrs...)
	})

	r := chi.NewRouter()
	r.With(middleware.Authenticate(v, middleware.WithObserver(observe))).Get("/items/{id}", func(w http.ResponseWriter, r *http.Request) {})
	srv := httptest.NewServer(r)
	defer srv.Close()

	exampleGet(srv.URL+"/items/1", exampleToken(tenant, nil))
	exampleGet(srv.URL+"/items/2", exampleToken(tenant, map[string]any{"exp": time.Now().Add(-time.Hour).Unix()}))
	// Output:
	// level=INFO msg=auth outcome=ok route=/items/{id} reason=ok
	// 200
	// level=INFO msg=auth outcome=invalid_token route=/items/{id} reason=expired status=401
	// 401 Bearer realm="api", error="invalid_token", error_description="the access token has expired"
}

// A handler answers a failure of its own with WriteError: the request's
// Authenticate completes the answer (here its Retry-After) and its error
// handler, when set, writes it. The request still counts as let through.
func ExampleWriteError() {
	tenant, v := exampleTenant()
	defer tenant.Close()

	r := chi.NewRouter()
	r.Use(middleware.Authenticate(v, middleware.WithRetryAfter(30*time.Second)))
	r.Get("/report", func(w http.ResponseWriter, r *http.Request) {
		middleware.WriteError(w, r, &middleware.Error{Status: http.StatusServiceUnavailable,
			Description: "the report store cannot be read right now"})
	})
	srv := httptest.NewServer(r)
	defer srv.Close()

	req, _ := http.NewRequest(http.MethodGet, srv.URL+"/report", nil)
	req.Header.Set("Authorization", "Bearer "+exampleToken(tenant, nil))
	resp, err := (&http.Client{Timeout: 5 * time.Second}).Do(req)
	if err != nil {
		panic(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	fmt.Println(resp.StatusCode, "Retry-After:", resp.Header.Get("Retry-After"))
	fmt.Print(string(body))
	// Output:
	// 503 Retry-After: 30
	// {"error":"temporarily_unavailable","error_description":"the report store cannot be read right now"}
}

// A browser front end keeps the token in an HttpOnly cookie. Reads work
// from anywhere; a state-changing request must show it comes from the
// site's own pages (here Sec-Fetch-Site, which browsers set), or it is
// refused as cross-site request forgery.
func ExampleWithCookie() {
	tenant, v := exampleTenant()
	defer tenant.Close()

	r := chi.NewRouter()
	r.Use(middleware.Authenticate(v, middleware.WithCookie("session",
		middleware.TrustedOrigins("https://app.example.com"))))
	r.Get("/items", func(w http.ResponseWriter, r *http.Request) {})
	r.Post("/items", func(w http.ResponseWriter, r *http.Request) {})
	srv := httptest.NewServer(r)
	defer srv.Close()

	tok := exampleToken(tenant, nil)
	for _, c := range []struct{ method, header, value string }{
		{http.MethodGet, "Sec-Fetch-Site", "cross-site"},
		{http.MethodPost, "Sec-Fetch-Site", "same-origin"},
		{http.MethodPost, "Origin", "https://app.example.com"},
		{http.MethodPost, "Sec-Fetch-Site", "cross-site"},
	} {
		req, _ := http.NewRequest(c.method, srv.URL+"/items", nil)
		req.AddCookie(&http.Cookie{Name: "session", Value: tok})
		req.Header.Set(c.header, c.value)
		resp, err := (&http.Client{Timeout: 5 * time.Second}).Do(req)
		if err != nil {
			panic(err)
		}
		resp.Body.Close()
		fmt.Println(c.method, c.header+":", c.value, resp.StatusCode)
	}
	// Output:
	// GET Sec-Fetch-Site: cross-site 200
	// POST Sec-Fetch-Site: same-origin 200
	// POST Origin: https://app.example.com 200
	// POST Sec-Fetch-Site: cross-site 403
}

// A route that serves anonymous and signed-in users differently. A token
// that is present must still verify.
func ExampleCredentialsOptional() {
	tenant, v := exampleTenant()
	defer tenant.Close()

	r := chi.NewRouter()
	r.Use(middleware.Authenticate(v, middleware.CredentialsOptional()))
	r.Get("/catalog", func(w http.ResponseWriter, r *http.Request) {
		if claims, ok := middleware.ClaimsFromContext(r.Context()); ok {
			fmt.Println("catalog for", claims.Subject)
			return
		}
		fmt.Println("public catalog")
	})
	srv := httptest.NewServer(r)
	defer srv.Close()

	exampleGet(srv.URL+"/catalog", "")
	exampleGet(srv.URL+"/catalog", exampleToken(tenant, nil))
	exampleGet(srv.URL+"/catalog", "not-a-token")
	// Output:
	// public catalog
	// 200
	// catalog for auth0|alice
	// 200
	// 401 Bearer realm="api", error="invalid_token", error_description="the access token is malformed"
}
