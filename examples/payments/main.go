// Command payments runs a payment-initiation API of the kind banks expose
// under open-banking rules, protected the way such APIs on Auth0 are: a
// token must carry a Rich Authorization Request detail (RFC 9396) that
// covers the very payment asked for, and come from a recent login with
// multi-factor authentication (step-up, RFC 9470). A local tenant
// (package authtest) issues the tokens.
//
//	go run ./examples/payments          # serve, print a curl command per case
//	go run ./examples/payments -demo    # make the calls, check the answers, exit
//
// The route POST /accounts/{account}/payments requires:
//
//   - a payment_initiation detail in authorization_details, decoded into
//     the PaymentInitiation type once per token (verifier.DetailOf), whose
//     debtor account is the {account} of the path, whose actions include
//     "initiate" and whose amount is at most 10,000.00 EUR
//     (middleware.DetailCheck): otherwise 403 access_denied;
//   - a login with MFA (acr of Auth0's multi-factor policy, or amr holding
//     "mfa") at most 5 minutes ago (middleware.RequireStepUp): otherwise 401
//     with WWW-Authenticate: Bearer error="insufficient_user_authentication",
//     acr_values="...", max_age=300, which tells the client how to log in
//     again;
//   - authorization_details well formed: an array of objects, each with a
//     string type this API registered; otherwise the token is invalid (401
//     invalid_token).
//
// With -demo it makes each call itself, prints the answer with the expected
// status, and exits with status 1 if any differs. It needs no network
// beyond loopback.
//
// Flags:
//
//	-addr   listen address of the API (default 127.0.0.1:0, any free port)
//	-demo   make the calls, check the answers, exit
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/tokengate/tokengate/authtest"
	"github.com/tokengate/tokengate/jwks"
	"github.com/tokengate/tokengate/verifier"
)

const audience = "https://bank.example.com/payments"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "payments:", err)
		os.Exit(1)
	}
}

// run is the whole program; main_test.go calls it too.
func run(ctx context.Context, args []string, out, logs io.Writer) error {
	fs := flag.NewFlagSet("payments", flag.ContinueOnError)
	fs.SetOutput(logs)
	addr := fs.String("addr", "127.0.0.1:0", "listen address of the API (port 0: any free port)")
	demo := fs.Bool("demo", false, "make the calls, check the answers, exit")
	if err := fs.Parse(args); errors.Is(err, flag.ErrHelp) {
		return nil
	} else if err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments %q", fs.Args())
	}

	// 1. The identity provider: a local tenant that mints the tokens an
	// Auth0 tenant would issue after a RAR authorization request.
	tenant, err := authtest.NewTenant(authtest.Config{})
	if err != nil {
		return err
	}
	defer tenant.Close()

	// 2. The API's verifier, keys from the tenant's JWKS as with Auth0.
	jwksURL, err := jwks.Discover(ctx, tenant.Issuer(), nil)
	if err != nil {
		return err
	}
	keys, err := jwks.New(jwks.Config{URL: jwksURL, Prefetch: 5 * time.Second})
	if err != nil {
		return err
	}
	defer keys.Close()
	v, err := verifier.New(verifier.Config{Issuer: tenant.Issuer(), Audience: []string{audience}, Keys: keys})
	if err != nil {
		return err
	}

	// 3. The API (api.go).
	h, err := newAPI(v)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 5 * time.Second}
	go srv.Serve(ln)
	defer srv.Close()

	// 4. The calls (demo.go).
	d := &demoRun{hc: &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{}}, tenant: tenant, api: "http://" + ln.Addr().String()}
	defer d.hc.CloseIdleConnections()
	cases, err := d.cases(time.Now())
	if err != nil {
		return err
	}
	if *demo {
		return d.run(ctx, out, cases)
	}
	d.print(out, cases)
	fmt.Fprintf(out, "\nServing until interrupted (Ctrl-C).\n")
	<-ctx.Done()
	return nil
}
