package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/metadata"
	reflectionpb "google.golang.org/grpc/reflection/grpc_reflection_v1"
	"google.golang.org/grpc/status"

	"github.com/tokengate/tokengate/authtest"
)

// clientToken asks the tenant's token endpoint for an access token with
// client credentials.
func clientToken(ctx context.Context, tenant *authtest.Tenant, clientID string) (string, error) {
	form := url.Values{"grant_type": {"client_credentials"}, "client_id": {clientID},
		"client_secret": {clientSecret}, "audience": {audience}}
	req, err := http.NewRequestWithContext(ctx, "POST", tenant.URL+"/oauth/token", strings.NewReader(form.Encode()))
	if err != nil {
		return "", err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := tenant.Client().Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	var body struct {
		AccessToken string `json:"access_token"`
	}
	if err := json.NewDecoder(io.LimitReader(resp.Body, 1<<20)).Decode(&body); err != nil || resp.StatusCode != 200 || body.AccessToken == "" {
		return "", fmt.Errorf("token for %s: status %d: %v", clientID, resp.StatusCode, err)
	}
	return body.AccessToken, nil
}

// step is one call of the demo and the code it must get.
type step struct {
	name  string
	token string // "" for none
	call  func(ctx context.Context, conn *grpc.ClientConn) error
	want  codes.Code
}

func check(ctx context.Context, conn *grpc.ClientConn) error {
	_, err := healthpb.NewHealthClient(conn).Check(ctx, &healthpb.HealthCheckRequest{})
	return err
}

// watch reads the first answer of a Watch.
func watch(ctx context.Context, conn *grpc.ClientConn) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	w, err := healthpb.NewHealthClient(conn).Watch(ctx, &healthpb.HealthCheckRequest{})
	if err != nil {
		return err
	}
	_, err = w.Recv()
	return err
}

// listServices asks server reflection for the services (exempt: no token).
func listServices(ctx context.Context, conn *grpc.ClientConn) error {
	s, err := reflectionpb.NewServerReflectionClient(conn).ServerReflectionInfo(ctx)
	if err != nil {
		return err
	}
	if err := s.Send(&reflectionpb.ServerReflectionRequest{MessageRequest: &reflectionpb.ServerReflectionRequest_ListServices{}}); err != nil {
		return err
	}
	_, err = s.Recv()
	s.CloseSend()
	return err
}

// runDemo makes every call and compares the codes.
func runDemo(ctx context.Context, out io.Writer, target, good, narrow string) error {
	conn, err := grpc.NewClient(target, grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		return err
	}
	defer conn.Close()
	steps := []step{
		{"Check, token with health:read", good, check, codes.OK},
		{"Check, no token", "", check, codes.Unauthenticated},
		{"Check, token with items:read only", narrow, check, codes.PermissionDenied},
		{"Check, garbage token", "not-a-token", check, codes.Unauthenticated},
		{"Watch, token with items:read only", narrow, watch, codes.OK},
		{"Watch, no token", "", watch, codes.Unauthenticated},
		{"reflection (exempt), no token", "", listServices, codes.OK},
	}
	failed := 0
	for _, s := range steps {
		cctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		if s.token != "" {
			cctx = metadata.AppendToOutgoingContext(cctx, "authorization", "Bearer "+s.token)
		}
		got := status.Code(s.call(cctx, conn))
		cancel()
		mark := "ok  "
		if got != s.want {
			mark, failed = "FAIL", failed+1
		}
		fmt.Fprintf(out, "%s %-36s -> %-16v (want %v)\n", mark, s.name, got, s.want)
	}
	if failed > 0 {
		return fmt.Errorf("%d of %d answers not as expected", failed, len(steps))
	}
	fmt.Fprintf(out, "all %d answers as expected\n", len(steps))
	return nil
}

// printCommands prints grpcurl commands for the same calls (tokens
// expire after the tenant's token lifetime).
func printCommands(out io.Writer, target, good, narrow string) {
	fmt.Fprintf(out, "gRPC health service on %s (reflection on: grpcurl needs no .proto).\n\n", target)
	fmt.Fprintf(out, "# Check with a token granted health:read -> SERVING\n")
	fmt.Fprintf(out, "grpcurl -plaintext -H 'authorization: Bearer %s' %s grpc.health.v1.Health/Check\n\n", good, target)
	fmt.Fprintf(out, "# Check with a token granted items:read only -> PermissionDenied\n")
	fmt.Fprintf(out, "grpcurl -plaintext -H 'authorization: Bearer %s' %s grpc.health.v1.Health/Check\n\n", narrow, target)
	fmt.Fprintf(out, "# Check without a token -> Unauthenticated\n")
	fmt.Fprintf(out, "grpcurl -plaintext %s grpc.health.v1.Health/Check\n\n", target)
	fmt.Fprintf(out, "# reflection is exempt: list the services without a token\n")
	fmt.Fprintf(out, "grpcurl -plaintext %s list\n", target)
}
