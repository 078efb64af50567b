package grpcauth_test

import (
	"errors"
	"testing"
	"time"

	"google.golang.org/grpc/codes"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"

	"github.com/tokengate/tokengate/grpcauth"
	"github.com/tokengate/tokengate/middleware"
)

// TestSU7StepUp: a method's StepUp rule refuses a token that does not meet
// it with Unauthenticated and RFC 9470's challenge in the www-authenticate
// trailer (realm and resource_metadata of the configuration), on unary and
// stream calls; a token that meets it passes. Scope refusals come first.
func TestSU7StepUp(t *testing.T) {
	var ev events
	conn := serve(t, grpcauth.Config{
		Verifier:         newVerifier(t, nil),
		ResourceMetadata: "https://api.example.com/.well-known/oauth-protected-resource",
		Observer:         &ev,
		Methods: map[string]grpcauth.Rule{
			echoM: {StepUp: []middleware.StepUpOption{middleware.StepUpMFA(), middleware.StepUpMaxAge(5 * time.Minute)}},
			chatM: {Scopes: []string{"write:items"}, StepUp: []middleware.StepUpOption{middleware.StepUpACR("urn:example:loa:3")}},
		},
	})
	prefix := `Bearer realm="api", resource_metadata="https://api.example.com/.well-known/oauth-protected-resource", error="insufficient_user_authentication", error_description="`
	const level, recent = "a different authentication level is required", "more recent authentication is required"
	echoLevel := expect{codes.Unauthenticated, level, prefix + level + `", acr_values="` + middleware.ACRMultiFactor + `", max_age=300`}
	echoRecent := expect{codes.Unauthenticated, recent, prefix + recent + `", acr_values="` + middleware.ACRMultiFactor + `", max_age=300`}
	chatLevel := expect{codes.Unauthenticated, level, prefix + level + `", acr_values="urn:example:loa:3"`}
	scopeCh := `Bearer realm="api", resource_metadata="https://api.example.com/.well-known/oauth-protected-resource", error="insufficient_scope", error_description="` + msgScope + `", scope="write:items"`
	now := time.Now().Unix()
	ok := expect{codes.OK, "", ""}
	tests := []struct {
		name, method string
		claims       map[string]any
		want         expect
	}{
		{"SU7/mfa recent", echoM, map[string]any{"acr": middleware.ACRMultiFactor, "auth_time": now - 10}, ok},
		{"SU7/amr mfa recent", echoM, map[string]any{"amr": []string{"pwd", "mfa"}, "auth_time": now - 10}, ok},
		{"SU7/no mfa", echoM, map[string]any{"amr": []string{"pwd"}, "auth_time": now - 10}, echoLevel},
		{"SU7/acr not a string", echoM, map[string]any{"acr": []string{middleware.ACRMultiFactor}, "auth_time": now - 10}, echoLevel},
		{"SU7/amr not an array", echoM, map[string]any{"amr": "mfa", "auth_time": now - 10}, echoLevel},
		{"SU7/too old", echoM, map[string]any{"acr": middleware.ACRMultiFactor, "auth_time": now - 3600}, echoRecent},
		{"SU7/auth_time missing", echoM, map[string]any{"acr": middleware.ACRMultiFactor}, echoRecent},
		{"SU7/auth_time in the future", echoM, map[string]any{"acr": middleware.ACRMultiFactor, "auth_time": now + 3600}, echoRecent},
		{"SU7/stream acr", chatM, map[string]any{"scope": "write:items", "acr": "urn:example:loa:3"}, ok},
		{"SU7/stream acr missing", chatM, map[string]any{"scope": "write:items"}, chatLevel},
		{"SU7/stream acr other", chatM, map[string]any{"scope": "write:items", "acr": "urn:example:loa:2"}, chatLevel},
		{"SU7/scope first", chatM, map[string]any{"scope": "read:items"}, expect{codes.PermissionDenied, msgScope, scopeCh}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tok := token(t, tt.claims)
			var r result
			if tt.method == chatM {
				r = chat(t, conn, chatM, []*healthpb.HealthCheckRequest{{}}, bearer(tok)...)
			} else {
				r = unary(t, conn, tt.method, &healthpb.HealthCheckRequest{}, bearer(tok)...)
			}
			checkResult(t, r, tt.want, tok)
		})
	}
	var refused int
	for _, e := range ev.take() {
		if e.Outcome == middleware.OutcomeInsufficientAuthentication {
			refused++
			if e.Status != 401 {
				t.Errorf("event status: got %d, want 401", e.Status)
			}
		}
	}
	if refused != 8 {
		t.Errorf("insufficient_user_authentication events: got %d, want 8", refused)
	}

	// The loop: refused, then a token of a login with MFA passes.
	r := unary(t, conn, echoM, &healthpb.HealthCheckRequest{}, bearer(token(t, nil))...)
	checkResult(t, r, echoLevel)
	r = unary(t, conn, echoM, &healthpb.HealthCheckRequest{}, bearer(token(t, map[string]any{"acr": middleware.ACRMultiFactor, "auth_time": time.Now().Unix()}))...)
	checkResult(t, r, ok)
}

// TestSU8StepUpConfig: an invalid StepUp is a configuration error of New.
func TestSU8StepUpConfig(t *testing.T) {
	for name, opts := range map[string][]middleware.StepUpOption{
		"SU8/acr with space":   {middleware.StepUpACR("a b")},
		"SU8/negative max age": {middleware.StepUpMaxAge(-time.Second)},
		"SU8/nil option":       {nil},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := grpcauth.New(grpcauth.Config{Verifier: newVerifier(t, nil), Methods: map[string]grpcauth.Rule{echoM: {StepUp: opts}}})
			if !errors.Is(err, grpcauth.ErrConfig) {
				t.Errorf("got %v, want ErrConfig", err)
			}
		})
	}
}
