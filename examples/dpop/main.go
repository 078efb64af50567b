// Command dpop runs an API that requires DPoP-bound access tokens (RFC
// 9449), with a local tenant that issues them, and shows a DPoP call step
// by step:
//
//	go run ./examples/dpop          # serve, print the curl commands of each step
//	go run ./examples/dpop -demo    # make the calls, check the answers, exit
//
// The client holds a P-256 key. It asks the tenant (package authtest) for
// a token with client credentials and a DPoP proof of that request: the
// token comes back bound to the key (cnf.jkt, token_type DPoP). It then
// calls the API with "Authorization: DPoP <token>" and, in the DPoP header,
// a fresh proof of that call: the method, the URL, the hash of the token
// (ath), signed with the key. The API (middleware.WithDPoP in DPoPRequired
// mode, package dpop) checks the token, then the proof, on every request,
// and remembers each proof so that it passes once. A second route requires
// server nonces: the first call is answered 401 use_dpop_nonce with a
// DPoP-Nonce header, and the retry with that nonce in the proof passes.
//
// Proofs are single-use and expire 60 s after they were made: the curl
// commands printed in serving mode carry fresh proofs, so run them within a
// minute, each once (run the program again for new ones). The tokens and
// keys come from a throwaway tenant that lives as long as the program.
//
// With -demo it makes every call itself, prints each answer with the
// expected status, and exits with status 1 if any differs. It needs no
// network beyond loopback.
//
// Flags:
//
//	-addr   listen address of the API (default 127.0.0.1:0, any free port)
//	-demo   make the calls, check the answers, exit
package main

import (
	"context"
	"crypto/rand"
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
	"github.com/tokengate/tokengate/dpop"
	"github.com/tokengate/tokengate/jwks"
	"github.com/tokengate/tokengate/middleware"
	"github.com/tokengate/tokengate/verifier"
)

const (
	audience     = "https://api.example.com"
	clientID     = "dpop-client"
	clientSecret = "dpop-client-secret-1a2b3c4d"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "dpop:", err)
		os.Exit(1)
	}
}

// run is the whole program; main_test.go calls it too.
func run(ctx context.Context, args []string, out, logs io.Writer) error {
	fs := flag.NewFlagSet("dpop", flag.ContinueOnError)
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

	// 1. The identity provider: a local tenant with one machine client
	// allowed to read the API.
	tenant, err := authtest.NewTenant(authtest.Config{Clients: []authtest.Client{{
		ID: clientID, Secret: clientSecret, Name: "DPoP client",
		Grants: map[string][]string{audience: {"read:items"}},
	}}})
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

	// 3. The API. Its URL is configuration: proofs must name it (htu), and
	// nothing the client sends (Host, X-Forwarded-Host) changes that.
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	apiURL := "http://" + ln.Addr().String()
	proofs, err := dpop.New(dpop.Config{URL: apiURL})
	if err != nil {
		ln.Close()
		return err
	}
	secret := make([]byte, 32)
	rand.Read(secret)
	withNonces, err := dpop.New(dpop.Config{URL: apiURL, NonceSecret: secret})
	if err != nil {
		ln.Close()
		return err
	}
	mux := http.NewServeMux()
	items := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, _ := middleware.ClaimsFromContext(r.Context())
		fmt.Fprintf(w, "{\"items\":[\"a\",\"b\"],\"client\":%q}\n", c.Subject)
	})
	mux.Handle("GET /api/items", middleware.Authenticate(v, middleware.WithDPoP(proofs, middleware.DPoPRequired))(items))
	mux.Handle("GET /api/nonce/items", middleware.Authenticate(v, middleware.WithDPoP(withNonces, middleware.DPoPRequired))(items))
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	go srv.Serve(ln)
	defer srv.Close()

	// 4. The client's key, and the calls.
	key, err := authtest.NewDPoPKey("ES256")
	if err != nil {
		return err
	}
	c := &client{hc: &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{}}, key: key, tenant: tenant, api: apiURL}
	defer c.hc.CloseIdleConnections()
	if *demo {
		return c.demo(ctx, out)
	}
	if err := c.printSteps(ctx, out); err != nil {
		return err
	}
	fmt.Fprintf(out, "\nServing until interrupted (Ctrl-C).\n")
	<-ctx.Done()
	return nil
}
