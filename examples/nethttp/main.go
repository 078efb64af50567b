// Command nethttp is an API on the standard library's http.ServeMux (Go 1.22
// patterns) protected by tokengate: a public health check and a route that
// needs an access token with the read:messages scope.
//
//	go run ./examples/nethttp -issuer https://example.us.auth0.com/ -audience https://api.example.com
//	AUTH0_DOMAIN=example.us.auth0.com AUTH0_AUDIENCE=https://api.example.com go run ./examples/nethttp
//
// The flags win over the environment. The verifier's keys come from the
// issuer's JWKS, found by OpenID Connect discovery and kept fresh by a
// jwks.Cache; the program fails at start when they cannot be fetched.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"log"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/tokengate/tokengate/jwks"
	"github.com/tokengate/tokengate/middleware"
	"github.com/tokengate/tokengate/verifier"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:8080", "listen address")
	issuer := flag.String("issuer", "", "token issuer, such as https://example.us.auth0.com/ (default https://$AUTH0_DOMAIN/)")
	audience := flag.String("audience", os.Getenv("AUTH0_AUDIENCE"), "API identifier the tokens must be for (default $AUTH0_AUDIENCE)")
	flag.Parse()
	if *issuer == "" && os.Getenv("AUTH0_DOMAIN") != "" {
		domain := strings.TrimSuffix(strings.TrimPrefix(os.Getenv("AUTH0_DOMAIN"), "https://"), "/")
		*issuer = "https://" + domain + "/" // Auth0 issuers end with a slash
	}
	if *issuer == "" || *audience == "" {
		log.Fatal("set -issuer and -audience, or AUTH0_DOMAIN and AUTH0_AUDIENCE")
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	h, closeKeys, err := newHandler(ctx, *issuer, *audience)
	if err != nil {
		log.Fatal(err)
	}
	defer closeKeys()

	srv := &http.Server{Addr: *addr, Handler: h, ReadHeaderTimeout: 5 * time.Second}
	go func() {
		<-ctx.Done()
		shutdownCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		srv.Shutdown(shutdownCtx) // let requests in flight finish
	}()
	log.Printf("listening on http://%s", *addr)
	if err := srv.ListenAndServe(); !errors.Is(err, http.ErrServerClosed) {
		log.Print(err)
	}
}

// newHandler builds the API for tokens of issuer for audience. closeKeys
// stops the key cache's background refresh.
func newHandler(ctx context.Context, issuer, audience string) (h http.Handler, closeKeys func() error, err error) {
	// Discovery reads issuer/.well-known/openid-configuration and returns
	// its jwks_uri; the document's issuer must equal ours exactly.
	jwksURL, err := jwks.Discover(ctx, issuer, nil)
	if err != nil {
		return nil, nil, err
	}
	// Prefetch: fail now rather than answer 503 until the keys arrive.
	keys, err := jwks.New(jwks.Config{URL: jwksURL, Prefetch: 10 * time.Second})
	if err != nil {
		return nil, nil, err
	}
	v, err := verifier.New(verifier.Config{
		Issuer:   issuer,
		Audience: []string{audience},
		Keys:     keys, // RS256 only, the default, as Auth0 signs
	})
	if err != nil {
		keys.Close()
		return nil, nil, err
	}

	// Authenticate is built once and wraps each protected route: 401
	// without a valid token; RequireScopes after it: 403 without the scope.
	auth := middleware.Authenticate(v)
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintln(w, "ok")
	})
	mux.Handle("GET /api/messages", auth(middleware.RequireScopes("read:messages")(http.HandlerFunc(messages))))
	return mux, keys.Close, nil
}

// messages runs only after Authenticate and RequireScopes let the request
// through, so the claims are there: ClaimsFromContext's ok is false only
// when the handler is mounted without Authenticate.
func messages(w http.ResponseWriter, r *http.Request) {
	claims, ok := middleware.ClaimsFromContext(r.Context())
	if !ok {
		http.Error(w, "not authenticated", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(map[string]any{
		"for":      claims.Subject,
		"messages": []string{"hello from a protected route"},
	})
}
