// Command quickstart runs an API protected by tokengate, with everything it
// needs on this machine:
//
//	go run ./examples/quickstart          # serve, print curl commands to try
//	go run ./examples/quickstart -demo    # send the requests, check the answers, exit
//
// It starts a local Auth0-like tenant (package authtest) with one API, two
// roles, two organizations with a user each, and one machine-to-machine
// application; then an API on loopback that trusts that tenant the way a
// production API trusts Auth0: the verifier's keys come from the tenant's
// JWKS, found by OpenID Connect discovery (jwks.Discover) and kept by a
// remote key cache (jwks.New), not from a key handed over in memory.
//
// The API (routes.go) has a public route, a route for any valid token, a
// route needing the read:items scope, one needing the write:items
// permission, and a route per organization, /orgs/{org}/items, where {org}
// is an organization ID (org_...) or name and the token must belong to that
// organization (orgs.Require). GET /metrics serves the Prometheus metrics
// of the verifier, the key cache and the routes (package metrics).
//
// Without -demo it prints the tenant and API URLs, fresh tokens from the
// tenant's /oauth/token (and two bad ones), and ready-to-paste curl
// commands with the status each should get; then it serves until
// interrupted (Ctrl-C or SIGTERM) and shuts down gracefully. Each request's
// outcome is logged to standard error. The tokens are printed on purpose:
// they come from a throwaway tenant that lives as long as the program.
//
// With -demo it sends those requests itself, prints each with its status
// and the expected status, and exits with status 1 if any differs. It needs
// no network beyond loopback and finishes in a few seconds.
//
// # A real Auth0 tenant
//
// With AUTH0_DOMAIN (such as "example.us.auth0.com") and AUTH0_AUDIENCE
// (the API identifier) both set, no local tenant is started: the issuer is
// https://AUTH0_DOMAIN/, its JWKS is discovered as above, and the program
// prints how to ask that tenant for a token with curl instead of minting
// any. A domain given with a scheme ("http://127.0.0.1:4000") is used as
// the base URL as it is; plain http is accepted for loopback hosts only.
//
// Against a real tenant, -demo sends only the requests that need no valid
// token (the public route, no token, a malformed token), unless -token
// gives an access token for the API: then it also expects 200 from
// /api/me with that token and 401 with a copy whose signature was
// altered. Routes needing scopes, permissions or organizations depend on
// how the tenant is set up, so the demo leaves them to you.
//
// Flags:
//
//	-addr   listen address of the API (default 127.0.0.1:0, any free port)
//	-demo   send the example requests, check the answers, exit
//	-token  an access token for the API, used by -demo (mostly with a real tenant)
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

	"github.com/tokengate/tokengate/jwks"
	"github.com/tokengate/tokengate/metrics"
	"github.com/tokengate/tokengate/middleware"
	"github.com/tokengate/tokengate/verifier"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "quickstart:", err)
		os.Exit(1)
	}
}

// run is the whole program; main_test.go calls it too. getenv reads
// AUTH0_DOMAIN and AUTH0_AUDIENCE; out gets the report, logs the request
// log of the serving mode.
func run(ctx context.Context, args []string, getenv func(string) string, out, logs io.Writer) error {
	fs := flag.NewFlagSet("quickstart", flag.ContinueOnError)
	fs.SetOutput(logs)
	addr := fs.String("addr", "127.0.0.1:0", "listen address of the API (port 0: any free port)")
	demo := fs.Bool("demo", false, "send the example requests, check the answers, exit")
	userToken := fs.String("token", "", "an access token for the API, used by -demo")
	if err := fs.Parse(args); errors.Is(err, flag.ErrHelp) {
		return nil // -h: the usage is printed, nothing else to do
	} else if err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments %q", fs.Args())
	}

	// 1. The identity provider: a local tenant, or the real one of
	// AUTH0_DOMAIN.
	idp, err := startIdP(ctx, getenv)
	if err != nil {
		return err
	}
	defer idp.close()
	if *userToken != "" && idp.tokens != nil {
		return errors.New("-token is for a real tenant (AUTH0_DOMAIN and AUTH0_AUDIENCE): the local tenant's keys are new at each run")
	}

	// 2. The verifier. Its keys come from the provider's JWKS: discovered
	// from the issuer, fetched before the first request (Prefetch), then
	// kept fresh in the background and refetched for an unknown kid.
	jwksURL, err := jwks.Discover(ctx, idp.issuer, nil)
	if err != nil {
		return fmt.Errorf("discovering the JWKS of %s: %w", idp.issuer, err)
	}
	// Metrics on a registry of our own, served at GET /metrics.
	reg := metrics.NewRegistry()
	m, err := metrics.New(reg, metrics.Config{})
	if err != nil {
		return err
	}
	keys, err := jwks.New(jwks.Config{URL: jwksURL, Prefetch: 5 * time.Second, Observer: m.JWKSObserver("idp")})
	if err != nil {
		return fmt.Errorf("fetching the JWKS: %w", err)
	}
	defer keys.Close()
	if err := m.WatchJWKS("idp", keys); err != nil {
		return err
	}
	v, err := verifier.New(verifier.Config{
		Issuer:   idp.issuer,
		Audience: []string{idp.audience},
		Keys:     keys,
		Observer: m.VerifierObserver(),
	})
	if err != nil {
		return err
	}
	m.WatchVerifier(v)

	// 3. The API on loopback. Every request's outcome is counted for
	// /metrics and, in serving mode, logged (never the token).
	observer := m.MiddlewareObserver()
	if !*demo {
		reqLog, counted := requestLog(slog.New(slog.NewTextHandler(logs, nil))), observer
		observer = middleware.JoinObservers(counted, reqLog)
	}
	authOpts := []middleware.Option{middleware.WithObserver(observer)}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	srv := &http.Server{
		Handler:           routes(v, m, metrics.Handler(reg), authOpts...),
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       10 * time.Second,
		WriteTimeout:      10 * time.Second,
		IdleTimeout:       time.Minute,
	}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	apiURL := "http://" + ln.Addr().String()

	fmt.Fprintf(out, "tokengate quickstart\n  tenant  %s  (%s)\n  API     %s  (audience %s)\n\n",
		idp.issuer, idp.kind, apiURL, idp.audience)
	calls := idp.calls(*userToken)

	var runErr error
	if *demo {
		runErr = runDemo(ctx, out, apiURL, calls)
	} else {
		printTry(out, apiURL, idp, calls)
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

// requestLog logs the outcome of each request: bounded labels only. The
// reason is there when a token was verified; the status only when the auth
// layer answered (a request let through, outcome=ok, gets the handler's).
func requestLog(log *slog.Logger) middleware.ObserverFunc {
	return func(ctx context.Context, ev middleware.Event) {
		attrs := make([]slog.Attr, 0, 4)
		attrs = append(attrs, slog.String("route", ev.Route), slog.String("outcome", ev.Outcome))
		if ev.Reason != "" {
			attrs = append(attrs, slog.String("reason", ev.Reason))
		}
		if ev.Status != 0 {
			attrs = append(attrs, slog.Int("status", ev.Status))
		}
		log.LogAttrs(ctx, slog.LevelInfo, "request", attrs...)
	}
}
