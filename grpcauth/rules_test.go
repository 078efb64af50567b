package grpcauth_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"

	"github.com/tokengate/tokengate/grpcauth"
	"github.com/tokengate/tokengate/verifier"
)

// downKeys is a key source whose keys cannot be had.
type downKeys struct{}

func (downKeys) Key(context.Context, string, string) (*verifier.Key, error) {
	return nil, fmt.Errorf("%w: jwks endpoint unreachable", verifier.ErrKeysUnavailable)
}

// slowKeys answers only when the call's context ends.
type slowKeys struct{}

func (slowKeys) Key(ctx context.Context, _, _ string) (*verifier.Key, error) {
	<-ctx.Done()
	return nil, ctx.Err()
}

// TestGR3Unavailable: keys that cannot be had are the server's outage,
// never the token's fault: Unavailable with a retry pushback, through a
// real server. A deadline that ends while keys are fetched is Unavailable
// too, and a client that went away Canceled (the interceptor called with
// those contexts, since a real client stops listening first).
func TestGR3Unavailable(t *testing.T) {
	tok := token(t, nil)
	conn := serve(t, grpcauth.Config{Verifier: newVerifier(t, downKeys{}), RetryAfter: 3 * time.Second})
	r := unary(t, conn, echoM, &healthpb.HealthCheckRequest{}, bearer(tok)...)
	checkResult(t, r, expect{codes.Unavailable, "the token cannot be checked right now; try again later", ""}, tok)
	if got := r.trailer.Get("grpc-retry-pushback-ms"); len(got) != 1 || got[0] != "3000" {
		t.Errorf("grpc-retry-pushback-ms: got %q, want [3000]", got)
	}

	ic, err := grpcauth.New(grpcauth.Config{Verifier: newVerifier(t, slowKeys{})})
	if err != nil {
		t.Fatal(err)
	}
	in := metadata.NewIncomingContext(context.Background(), metadata.Pairs("authorization", "Bearer "+tok))
	never := func(context.Context, any) (any, error) {
		t.Error("the handler ran")
		return nil, nil
	}
	info := &grpc.UnaryServerInfo{FullMethod: echoM}

	ctx, cancel := context.WithTimeout(in, 20*time.Millisecond)
	defer cancel()
	_, err = ic.Unary()(ctx, &healthpb.HealthCheckRequest{}, info, never)
	if st := status.Convert(err); st.Code() != codes.Unavailable {
		t.Errorf("GR3/deadline: got %v, want Unavailable", st)
	}

	ctx, cancel = context.WithCancel(in)
	cancel()
	_, err = ic.Unary()(ctx, &healthpb.HealthCheckRequest{}, info, never)
	if st := status.Convert(err); st.Code() != codes.Canceled {
		t.Errorf("GR3/canceled: got %v, want Canceled", st)
	}
}

// TestGR4ScopesPerMethod: scopes and permissions per full method name;
// a method without a rule needs a token, nothing more; the refusal is
// PermissionDenied with the insufficient_scope challenge naming the rule's
// values.
func TestGR4ScopesPerMethod(t *testing.T) {
	conn := serve(t, grpcauth.Config{
		Verifier: newVerifier(t, nil),
		Methods: map[string]grpcauth.Rule{
			echoM:  {Scopes: []string{"read:items"}, Permissions: []string{"items:echo"}},
			checkM: {ScopesOrPermissions: []string{"health:read"}},
		},
	})
	echoCh := `Bearer realm="api", error="insufficient_scope", error_description="` + msgScope + `", scope="read:items items:echo"`
	checkCh := `Bearer realm="api", error="insufficient_scope", error_description="` + msgScope + `", scope="health:read"`
	tests := []struct {
		name, method string
		claims       map[string]any
		want         expect
	}{
		{"GR4/all", echoM, map[string]any{"scope": "read:items", "permissions": []string{"items:echo"}}, expect{codes.OK, "", ""}},
		{"GR4/scope-missing", echoM, map[string]any{"scope": "openid", "permissions": []string{"items:echo"}}, expect{codes.PermissionDenied, msgScope, echoCh}},
		{"GR4/permission-missing", echoM, map[string]any{"scope": "read:items"}, expect{codes.PermissionDenied, msgScope, echoCh}},
		{"GR4/permission-in-scope-is-not-a-permission", echoM, map[string]any{"scope": "read:items items:echo"}, expect{codes.PermissionDenied, msgScope, echoCh}},
		{"GR4/either-scope", checkM, map[string]any{"scope": "health:read"}, expect{codes.OK, "", ""}},
		{"GR4/either-permission", checkM, map[string]any{"scope": "", "permissions": []string{"health:read"}}, expect{codes.OK, "", ""}},
		{"GR4/either-none", checkM, map[string]any{"scope": "read:items"}, expect{codes.PermissionDenied, msgScope, checkCh}},
		{"GR4/no-rule", chatM, map[string]any{"scope": ""}, expect{codes.OK, "", ""}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var r result
			if tt.method == chatM {
				r = chat(t, conn, chatM, []*healthpb.HealthCheckRequest{{}}, bearer(token(t, tt.claims))...)
			} else {
				r = unary(t, conn, tt.method, &healthpb.HealthCheckRequest{Service: "items"}, bearer(token(t, tt.claims))...)
			}
			checkResult(t, r, tt.want)
		})
	}
}

// TestGR7Exempt: nothing is exempt by default; Exempt names full methods
// exactly (Check, not Watch); an exempt call carries no claims.
func TestGR7Exempt(t *testing.T) {
	conn := serve(t, grpcauth.Config{Verifier: newVerifier(t, nil)})
	r := unary(t, conn, checkM, &healthpb.HealthCheckRequest{Service: "items"})
	checkResult(t, r, expect{codes.Unauthenticated, msgMissing, chMissing})

	conn = serve(t, grpcauth.Config{Verifier: newVerifier(t, nil), Exempt: []string{checkM}})
	r = unary(t, conn, checkM, &healthpb.HealthCheckRequest{Service: "items"})
	checkResult(t, r, expect{codes.OK, "", ""})
	r = watch(t, conn, &healthpb.HealthCheckRequest{Service: "items"})
	checkResult(t, r, expect{codes.Unauthenticated, msgMissing, chMissing})
	r = unary(t, conn, echoM, &healthpb.HealthCheckRequest{})
	checkResult(t, r, expect{codes.Unauthenticated, msgMissing, chMissing})
}

// TestGR7UnknownMethods: with grpc.UnknownServiceHandler, calls of methods
// the server does not know reach the stream interceptor: they are
// authenticated like any other, and reported with an empty Route.
func TestGR7UnknownMethods(t *testing.T) {
	var ev events
	unknown := grpc.UnknownServiceHandler(func(srv any, ss grpc.ServerStream) error { return nil })
	conn := serve(t, grpcauth.Config{Verifier: newVerifier(t, nil), Observer: &ev}, unknown)
	for _, m := range []string{"/no.Such/Method", "/grpc.health.v1.Health/Unknown"} {
		r := unary(t, conn, m, &healthpb.HealthCheckRequest{})
		checkResult(t, r, expect{codes.Unauthenticated, msgMissing, chMissing})
	}
	r := unary(t, conn, "/no.Such/Method", &healthpb.HealthCheckRequest{}, bearer(token(t, nil))...)
	if r.code == codes.Unauthenticated {
		t.Errorf("a good token on an unknown method: got %v, want it let through to the unknown-service handler", r.code)
	}
	for _, e := range ev.take() {
		if e.Route != "" {
			t.Errorf("Event.Route of an unknown method: got %q, want empty", e.Route)
		}
	}
}
