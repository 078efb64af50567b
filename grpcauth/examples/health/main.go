// Command health serves the gRPC health service (grpc_health_v1, which
// ships with grpc-go: no protoc needed) behind the grpcauth interceptors,
// with a local tenant that issues the tokens:
//
//	go run ./examples/health          # serve, print grpcurl commands
//	go run ./examples/health -demo    # make the calls, check the codes, exit
//
// (from the grpcauth directory). Check needs a token with the scope
// health:read; Watch any token that verifies; server reflection is exempt,
// so that grpcurl can list the services without a token. The tokens come
// from the tenant's /oauth/token with client credentials, as a service
// would get them from Auth0: one client is granted health:read, the other
// only items:read.
//
// With -demo it calls Check with the good token, with none, with the
// wrong-scope token and with a garbage token, Watch with none, and the
// reflection service with none; it prints each answer with the expected
// code and exits with status 1 if any differs. It needs no network beyond
// loopback.
//
// Flags:
//
//	-addr   listen address of the gRPC server (default 127.0.0.1:0, any free port)
//	-demo   make the calls, check the codes, exit
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"syscall"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/health"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/reflection"

	"github.com/tokengate/tokengate/authtest"
	"github.com/tokengate/tokengate/grpcauth"
	"github.com/tokengate/tokengate/jwks"
	"github.com/tokengate/tokengate/verifier"
)

const (
	audience      = "https://health.example.com"
	goodClient    = "health-monitor"
	narrowClient  = "items-reader"
	clientSecret  = "health-demo-secret-5e6f7a8b"
	checkMethod   = "/grpc.health.v1.Health/Check"
	reflectionV1  = "/grpc.reflection.v1.ServerReflection/ServerReflectionInfo"
	reflectionV1a = "/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "health:", err)
		os.Exit(1)
	}
}

// run is the whole program; main_test.go calls it too.
func run(ctx context.Context, args []string, out, logs io.Writer) error {
	fs := flag.NewFlagSet("health", flag.ContinueOnError)
	fs.SetOutput(logs)
	addr := fs.String("addr", "127.0.0.1:0", "listen address of the gRPC server (port 0: any free port)")
	demo := fs.Bool("demo", false, "make the calls, check the codes, exit")
	if err := fs.Parse(args); errors.Is(err, flag.ErrHelp) {
		return nil
	} else if err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments %q", fs.Args())
	}

	// 1. The identity provider: a local tenant with two machine clients.
	tenant, err := authtest.NewTenant(authtest.Config{Clients: []authtest.Client{
		{ID: goodClient, Secret: clientSecret, Name: "Health monitor", Grants: map[string][]string{audience: {"health:read"}}},
		{ID: narrowClient, Secret: clientSecret, Name: "Items reader", Grants: map[string][]string{audience: {"items:read"}}},
	}})
	if err != nil {
		return err
	}
	defer tenant.Close()

	// 2. The verifier, keys from the tenant's JWKS as with Auth0.
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

	// 3. The gRPC server: the interceptors first, then the services.
	auth, err := grpcauth.New(grpcauth.Config{
		Verifier: v,
		Methods:  map[string]grpcauth.Rule{checkMethod: {Scopes: []string{"health:read"}}},
		Exempt:   []string{reflectionV1, reflectionV1a},
		Logger:   slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelInfo})),
	})
	if err != nil {
		return err
	}
	srv := grpc.NewServer(auth.ServerOptions()...)
	hs := health.NewServer()
	hs.SetServingStatus("", healthpb.HealthCheckResponse_SERVING)
	healthpb.RegisterHealthServer(srv, hs)
	reflection.Register(srv)
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	go srv.Serve(ln)
	defer srv.Stop()

	// 4. The tokens, from the token endpoint.
	good, err := clientToken(ctx, tenant, goodClient)
	if err != nil {
		return err
	}
	narrow, err := clientToken(ctx, tenant, narrowClient)
	if err != nil {
		return err
	}
	target := ln.Addr().String()
	if *demo {
		return runDemo(ctx, out, target, good, narrow)
	}
	printCommands(out, target, good, narrow)
	fmt.Fprintf(out, "\nServing on %s until interrupted (Ctrl-C).\n", target)
	<-ctx.Done()
	return nil
}
