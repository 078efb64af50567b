package grpcauth_test

import (
	"context"
	"fmt"
	"net"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/health"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"

	"github.com/tokengate/tokengate/authtest"
	"github.com/tokengate/tokengate/grpcauth"
	"github.com/tokengate/tokengate/verifier"
)

// A health service behind the interceptors: Check needs a token with the
// scope health:read; Watch any token that verifies.
func Example() {
	tenant, err := authtest.NewTenant(authtest.Config{})
	if err != nil {
		panic(err)
	}
	defer tenant.Close()
	v, err := verifier.New(verifier.Config{Issuer: tenant.Issuer(), Audience: []string{"https://api.example.com"}, Keys: tenant})
	if err != nil {
		panic(err)
	}
	auth, err := grpcauth.New(grpcauth.Config{
		Verifier: v,
		Methods: map[string]grpcauth.Rule{
			"/grpc.health.v1.Health/Check": {Scopes: []string{"health:read"}},
		},
	})
	if err != nil {
		panic(err)
	}
	srv := grpc.NewServer(auth.ServerOptions()...)
	healthpb.RegisterHealthServer(srv, health.NewServer())
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic(err)
	}
	go srv.Serve(lis)
	defer srv.Stop()

	conn, err := grpc.NewClient(lis.Addr().String(), grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		panic(err)
	}
	defer conn.Close()
	client := healthpb.NewHealthClient(conn)
	check := func(scope string) {
		ctx := context.Background()
		if scope != "" {
			tok, err := tenant.Mint(authtest.Token{Claims: map[string]any{
				"sub": "auth0|alice", "aud": "https://api.example.com", "scope": scope}})
			if err != nil {
				panic(err)
			}
			ctx = metadata.AppendToOutgoingContext(ctx, "authorization", "Bearer "+tok)
		}
		resp, err := client.Check(ctx, &healthpb.HealthCheckRequest{})
		if err != nil {
			fmt.Println(status.Code(err), status.Convert(err).Message())
			return
		}
		fmt.Println(resp.Status)
	}
	check("")
	check("openid")
	check("health:read")
	// Output:
	// Unauthenticated a bearer token is required
	// PermissionDenied the access token lacks a required scope or permission
	// SERVING
}
