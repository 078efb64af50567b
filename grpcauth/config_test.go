package grpcauth_test

import (
	"errors"
	"testing"
	"time"

	"google.golang.org/grpc/codes"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"

	"github.com/tokengate/tokengate/dpop"
	"github.com/tokengate/tokengate/grpcauth"
	"github.com/tokengate/tokengate/middleware"
)

// TestGR12ConfigErrors: New refuses what no call could be served with, and
// contradictions, before the server starts.
func TestGR12ConfigErrors(t *testing.T) {
	v := newVerifier(t, nil)
	d := newDPoP(t, dpop.Config{})
	org := func(o grpcauth.Organization) map[string]grpcauth.Rule {
		return map[string]grpcauth.Rule{echoM: {Organization: &o}}
	}
	tests := []struct {
		name string
		cfg  grpcauth.Config
	}{
		{"GR12/no-verifier", grpcauth.Config{}},
		{"GR12/realm-quote", grpcauth.Config{Verifier: v, Realm: `a"b`}},
		{"GR12/exempt-not-a-method", grpcauth.Config{Verifier: v, Exempt: []string{"grpc.health.v1.Health/Check"}}},
		{"GR12/exempt-service-only", grpcauth.Config{Verifier: v, Exempt: []string{"/grpc.health.v1.Health/"}}},
		{"GR12/exempt-with-rule", grpcauth.Config{Verifier: v, Exempt: []string{echoM}, Methods: map[string]grpcauth.Rule{echoM: {Scopes: []string{"a"}}}}},
		{"GR12/method-name", grpcauth.Config{Verifier: v, Methods: map[string]grpcauth.Rule{"Echo": {}}}},
		{"GR12/method-space", grpcauth.Config{Verifier: v, Methods: map[string]grpcauth.Rule{"/a b/c": {}}}},
		{"GR12/scope", grpcauth.Config{Verifier: v, Methods: map[string]grpcauth.Rule{echoM: {Scopes: []string{"a b"}}}}},
		{"GR12/permission", grpcauth.Config{Verifier: v, Methods: map[string]grpcauth.Rule{echoM: {Permissions: []string{""}}}}},
		{"GR12/org-both-sources", grpcauth.Config{Verifier: v, Methods: org(grpcauth.Organization{Metadata: "x-org", FromMessage: serviceOrg})}},
		{"GR12/org-no-source", grpcauth.Config{Verifier: v, Methods: org(grpcauth.Organization{})}},
		{"GR12/org-key-upper", grpcauth.Config{Verifier: v, Methods: org(grpcauth.Organization{Metadata: "X-Org"})}},
		{"GR12/org-key-binary", grpcauth.Config{Verifier: v, Methods: org(grpcauth.Organization{Metadata: "x-org-bin"})}},
		{"GR12/org-key-reserved", grpcauth.Config{Verifier: v, Methods: org(grpcauth.Organization{Metadata: "grpc-org"})}},
		{"GR12/org-key-authorization", grpcauth.Config{Verifier: v, Methods: org(grpcauth.Organization{Metadata: "authorization"})}},
		{"GR12/org-allow-empty", grpcauth.Config{Verifier: v, Methods: org(grpcauth.Organization{Metadata: "x-org", Allow: []string{""}})}},
		{"GR12/member-without-checker", grpcauth.Config{Verifier: v, Methods: map[string]grpcauth.Rule{echoM: {Member: true}}}},
		{"GR12/dpop-without-url", grpcauth.Config{Verifier: v, DPoP: d, DPoPMode: middleware.DPoPRequired}},
		{"GR12/dpop-without-mode", grpcauth.Config{Verifier: v, DPoP: d, ServiceURL: serviceURL}},
		{"GR12/mode-without-dpop", grpcauth.Config{Verifier: v, DPoPMode: middleware.DPoPRequired, ServiceURL: serviceURL}},
		{"GR12/url-without-dpop", grpcauth.Config{Verifier: v, ServiceURL: serviceURL}},
		{"GR12/url-query", grpcauth.Config{Verifier: v, DPoP: d, DPoPMode: middleware.DPoPAllowed, ServiceURL: serviceURL + "?a=b"}},
		{"GR12/url-fragment", grpcauth.Config{Verifier: v, DPoP: d, DPoPMode: middleware.DPoPAllowed, ServiceURL: serviceURL + "#a"}},
		{"GR12/url-user", grpcauth.Config{Verifier: v, DPoP: d, DPoPMode: middleware.DPoPAllowed, ServiceURL: "https://u@api.example.com"}},
		{"GR12/url-scheme", grpcauth.Config{Verifier: v, DPoP: d, DPoPMode: middleware.DPoPAllowed, ServiceURL: "dns:///api.example.com"}},
		{"GR12/url-relative", grpcauth.Config{Verifier: v, DPoP: d, DPoPMode: middleware.DPoPAllowed, ServiceURL: "api.example.com:443"}},
		{"GR12/metadata-http", grpcauth.Config{Verifier: v, ResourceMetadata: "http://api.example.com/.well-known/oauth-protected-resource"}},
		{"GR12/metadata-quote", grpcauth.Config{Verifier: v, ResourceMetadata: `https://api.example.com/"`}},
		{"GR12/retry-negative", grpcauth.Config{Verifier: v, RetryAfter: -time.Second}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := grpcauth.New(tt.cfg); !errors.Is(err, grpcauth.ErrConfig) {
				t.Errorf("New: got %v, want an error wrapping ErrConfig", err)
			}
		})
	}
}

// TestRM5GRPCChallenges: with ResourceMetadata, the challenges
// in the trailers carry resource_metadata as the HTTP middleware's do.
func TestRM5GRPCChallenges(t *testing.T) {
	const meta = "https://api.example.com/.well-known/oauth-protected-resource"
	conn := serve(t, grpcauth.Config{Verifier: newVerifier(t, nil), ResourceMetadata: meta,
		Methods: map[string]grpcauth.Rule{echoM: {Scopes: []string{"admin"}}}})
	rm := `Bearer realm="api", resource_metadata="` + meta + `"`
	checkResult(t, unary(t, conn, echoM, &healthpb.HealthCheckRequest{}), expect{codes.Unauthenticated, msgMissing, rm})
	checkResult(t, unary(t, conn, echoM, &healthpb.HealthCheckRequest{}, bearer(token(t, nil))...), expect{codes.PermissionDenied, msgScope,
		rm + `, error="insufficient_scope", error_description="` + msgScope + `", scope="admin"`})
}
