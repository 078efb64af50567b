// Command chi-orgs is a multi-tenant API on the chi router: every route
// under /orgs/{org} belongs to one Auth0 Organization, and a token may only
// reach the routes of its own organization, with the permissions (Auth0
// RBAC) each route needs.
//
//	go run ./examples/chi-orgs -issuer https://example.us.auth0.com/ -audience https://api.example.com
//	AUTH0_DOMAIN=example.us.auth0.com AUTH0_AUDIENCE=https://api.example.com go run ./examples/chi-orgs
//
// {org} is an organization ID (org_...), compared exactly with the token's
// org_id, or a name, lower-cased and compared exactly with org_name. Reading needs
// the read:items permission, changing needs write:items ("Add Permissions
// in the Access Token" must be on for the API in Auth0).
//
// A token stays valid until it expires, even after its user left the
// organization. To refuse removed members at once, set AUTH0_MGMT_CLIENT_ID
// and AUTH0_MGMT_CLIENT_SECRET (an application allowed the Management API
// with read:users and read:organizations): every request is then also
// checked against the organization's members (orgs.RequireMember, answers
// cached for 30 s).
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"log"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/tokengate/tokengate/client/management"
	"github.com/tokengate/tokengate/jwks"
	"github.com/tokengate/tokengate/middleware"
	"github.com/tokengate/tokengate/orgs"
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

	v, closeKeys, err := newVerifier(ctx, *issuer, *audience)
	if err != nil {
		log.Fatal(err)
	}
	defer closeKeys()

	// Optional live membership check, through the Management API of the
	// same tenant (its domain is the issuer without the trailing slash).
	var members orgs.MembershipChecker
	if id, secret := os.Getenv("AUTH0_MGMT_CLIENT_ID"), os.Getenv("AUTH0_MGMT_CLIENT_SECRET"); id != "" && secret != "" {
		m, err := management.New(strings.TrimSuffix(*issuer, "/"), management.Config{ClientID: id, ClientSecret: secret})
		if err != nil {
			log.Fatal(err)
		}
		members = &management.MembershipChecker{Management: m}
	}

	srv := &http.Server{Addr: *addr, Handler: newRouter(v, members), ReadHeaderTimeout: 5 * time.Second}
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

// newVerifier checks tokens of issuer for audience, with the keys of the
// issuer's JWKS (discovered, fetched before the first request, kept fresh).
// closeKeys stops the key cache.
func newVerifier(ctx context.Context, issuer, audience string) (v *verifier.Verifier, closeKeys func() error, err error) {
	jwksURL, err := jwks.Discover(ctx, issuer, nil)
	if err != nil {
		return nil, nil, err
	}
	keys, err := jwks.New(jwks.Config{URL: jwksURL, Prefetch: 10 * time.Second})
	if err != nil {
		return nil, nil, err
	}
	if v, err = verifier.New(verifier.Config{Issuer: issuer, Audience: []string{audience}, Keys: keys}); err != nil {
		keys.Close()
		return nil, nil, err
	}
	return v, keys.Close, nil
}

// newRouter is the API. members, when not nil, confirms each request's
// organization membership live.
func newRouter(v *verifier.Verifier, members orgs.MembershipChecker) http.Handler {
	r := chi.NewRouter()
	r.Get("/healthz", func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("ok\n")) })

	r.Group(func(r chi.Router) {
		// Every route of this group needs a valid token: 401 otherwise.
		r.Use(middleware.Authenticate(v))

		r.Route("/orgs/{org}", func(r chi.Router) {
			// The token must belong to the organization in the path: 403
			// otherwise. chi fills r.PathValue("org") before this runs.
			r.Use(orgs.Require(orgs.FromPath("org")))
			// Optional: the token's user must still be a member, asked of a
			// Management-backed checker (cached; 503 when it cannot tell).
			if members != nil {
				r.Use(orgs.RequireMember(members))
			}

			// Reading: the read:items permission (403 insufficient_scope
			// without it).
			r.With(middleware.RequirePermissions("read:items")).Get("/items", listItems)

			// Changing: a group with another permission.
			r.Group(func(r chi.Router) {
				r.Use(middleware.RequirePermissions("write:items"))
				r.Post("/items", createItem)
				r.Delete("/items/{item}", deleteItem)
			})
		})
	})
	return r
}

// The handlers read the organization orgs.Require checked from the context
// (orgs.Checked), not from the path again: a sub-route that reused the
// parameter name ("/orgs/{org}/projects/{org}") would give them another
// value than the one checked. The data served is then the organization's
// the token belongs to.

func listItems(w http.ResponseWriter, r *http.Request) {
	org, _ := orgs.Checked(r.Context()) // always set behind orgs.Require
	writeJSON(w, http.StatusOK, map[string]any{"organization": org.Value, "items": []string{"anvil", "rocket skates"}})
}

func createItem(w http.ResponseWriter, r *http.Request) {
	org, _ := orgs.Checked(r.Context())
	claims, _ := middleware.ClaimsFromContext(r.Context())
	writeJSON(w, http.StatusCreated, map[string]string{"organization": org.Value, "created_by": claims.Subject})
}

func deleteItem(w http.ResponseWriter, r *http.Request) {
	w.WriteHeader(http.StatusNoContent)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}
