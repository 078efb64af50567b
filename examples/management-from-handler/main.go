// Command management-from-handler is an API whose handler calls the Auth0
// Management API on behalf of the caller:
//
//	go run ./examples/management-from-handler          # serve, print a curl command with a fresh token
//	go run ./examples/management-from-handler -demo    # send the example requests, check the answers, exit
//
// GET /orgs/{org}/me answers the caller's profile and their roles in the
// organization {org} (an ID, org_..., or a name), read live with the
// Management API client (m.Users.Get, m.Organizations.AllMemberRoles), not
// from the token. The route (api.go, on chi) is guarded by three
// middlewares:
//
//   - middleware.Authenticate: a valid access token for the API, verified
//     with the keys of the tenant's JWKS (found by jwks.Discover, kept by
//     jwks.New); 401 otherwise;
//   - orgs.Require(orgs.FromPath("org")): the token is of that
//     organization; 403 otherwise;
//   - orgs.RequireMember with a management.MembershipChecker: the user is
//     still a member of it (GET /users/{id}/organizations, answers cached
//     for 30 s), so a user removed from the organization gets 403 even with
//     a token that has not expired; 503 when the Management API cannot tell.
//
// The Management client gets its own tokens by client credentials, as a
// machine-to-machine application allowed the Management API with the
// scopes read:users, read:organizations and read:organization_member_roles;
// it caches them and asks again shortly before they expire.
//
// By default everything runs on this machine: a local Auth0-like tenant
// (package authtest) with two organizations, three users and that
// application. The program prints the API's URL and a curl command with a
// fresh token of alice (organization acme), then serves until interrupted.
// With -demo it sends the requests itself and exits with status 1 unless
// each answer is the expected one: no token 401; alice in acme 200 with her
// user and roles; alice in globex 403; dave, removed from acme after his
// token was issued, 403.
//
// # A real Auth0 tenant
//
// With AUTH0_DOMAIN (example.us.auth0.com), AUTH0_AUDIENCE (the API
// identifier), AUTH0_CLIENT_ID and AUTH0_CLIENT_SECRET (a machine-to-machine
// application authorized for the Management API with the scopes above) all
// set, no local tenant is started. Get an access token for the API of a user
// who logged in to an organization, and pass it with -token to -demo, which
// then expects 200 for the token's organization and 403 for another one.
//
// Flags:
//
//	-addr   listen address of the API (default 127.0.0.1:0, any free port)
//	-demo   send the example requests, check the answers, exit
//	-token  a user's access token for the API, for -demo against a real tenant
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/tokengate/tokengate/client/management"
	"github.com/tokengate/tokengate/jwks"
	"github.com/tokengate/tokengate/middleware"
	"github.com/tokengate/tokengate/verifier"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "management-from-handler:", err)
		os.Exit(1)
	}
}

// run is the whole program; main_test.go calls it too. getenv reads the
// AUTH0_* variables; out gets the report, logs the logs.
func run(ctx context.Context, args []string, getenv func(string) string, out, logs io.Writer) error {
	fs := flag.NewFlagSet("management-from-handler", flag.ContinueOnError)
	fs.SetOutput(logs)
	addr := fs.String("addr", "127.0.0.1:0", "listen address of the API (port 0: any free port)")
	demo := fs.Bool("demo", false, "send the example requests, check the answers, exit")
	userToken := fs.String("token", "", "a user's access token for the API, for -demo against a real tenant")
	if err := fs.Parse(args); errors.Is(err, flag.ErrHelp) {
		return nil
	} else if err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments %q", fs.Args())
	}

	// 1. The tenant: local, or the real one of the AUTH0_* variables.
	t, err := newTenant(getenv)
	if err != nil {
		return err
	}
	defer t.close()
	if *userToken != "" && t.local != nil {
		return errors.New("-token is for a real tenant: the local tenant's keys are new at each run")
	}

	// 2. The verifier, with the keys of the tenant's JWKS: discovered from
	// the issuer, fetched before the first request, then kept fresh.
	jwksURL, err := jwks.Discover(ctx, t.issuer, nil)
	if err != nil {
		return fmt.Errorf("discovering the JWKS of %s: %w", t.issuer, err)
	}
	keys, err := jwks.New(jwks.Config{URL: jwksURL, Prefetch: 5 * time.Second})
	if err != nil {
		return fmt.Errorf("fetching the JWKS: %w", err)
	}
	defer keys.Close()
	v, err := verifier.New(verifier.Config{Issuer: t.issuer, Audience: []string{t.audience}, Keys: keys})
	if err != nil {
		return err
	}

	// 3. The Management API client: its own token by client credentials.
	m, err := management.New(t.domain, management.Config{ClientID: t.clientID, ClientSecret: t.secret})
	if err != nil {
		return err
	}

	// 4. The API on loopback. While serving, each request's outcome is
	// logged (bounded labels, never the token).
	log := slog.New(slog.NewTextHandler(logs, nil))
	var authOpts []middleware.Option
	if !*demo {
		authOpts = append(authOpts, middleware.WithObserver(middleware.ObserverFunc(func(_ context.Context, ev middleware.Event) {
			log.Info("request", "route", ev.Route, "outcome", ev.Outcome, "status", ev.Status)
		})))
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	srv := &http.Server{
		Handler:           newRouter(v, m, log, authOpts...),
		ReadHeaderTimeout: 5 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       time.Minute,
	}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	apiURL := "http://" + ln.Addr().String()
	kind := "local tenant, package authtest"
	if t.local == nil {
		kind = "AUTH0_DOMAIN"
	}
	fmt.Fprintf(out, "tokengate: Management API from a handler\n  tenant  %s  (%s)\n  API     %s  (audience %s)\n\n",
		t.issuer, kind, apiURL, t.audience)

	var runErr error
	if *demo {
		runErr = runDemo(ctx, out, apiURL, t, v, *userToken)
	} else if runErr = printTry(ctx, out, apiURL, t); runErr == nil {
		fmt.Fprintln(out, "\nServing until interrupted (Ctrl-C).")
		select {
		case <-ctx.Done():
		case runErr = <-served: // the listener failed
		}
	}

	// Graceful shutdown: stop accepting, let requests in flight finish.
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil && runErr == nil {
		runErr = err
	}
	if errors.Is(runErr, http.ErrServerClosed) {
		runErr = nil
	}
	return runErr
}
