package grpcauth_test

import (
	"strings"
	"testing"
	"time"

	"google.golang.org/grpc/codes"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"

	"github.com/tokengate/tokengate/authtest"
	"github.com/tokengate/tokengate/grpcauth"
)

// The expected answers, written out.
const (
	chMissing    = `Bearer realm="api"`
	chBadRequest = `Bearer realm="api", error="invalid_request", error_description="the request's bearer credentials are malformed or ambiguous"`
	chBadToken   = `Bearer realm="api", error="invalid_token", error_description="the access token is invalid or has expired"`
	msgMissing   = "a bearer token is required"
	msgRequest   = "the request's bearer credentials are malformed or ambiguous"
	msgToken     = "the access token is invalid or has expired"
	msgScope     = "the access token lacks a required scope or permission"
)

type expect struct {
	code      codes.Code
	msg       string
	challenge string
}

func checkResult(t *testing.T, r result, w expect, secrets ...string) {
	t.Helper()
	if r.code != w.code || r.msg != w.msg {
		t.Errorf("status: got %v %q, want %v %q", r.code, r.msg, w.code, w.msg)
	}
	if got := r.challenge(); got != w.challenge {
		t.Errorf("www-authenticate: got %q, want %q", got, w.challenge)
	}
	for _, s := range secrets {
		if s == "" {
			continue
		}
		if strings.Contains(r.msg, s) || strings.Contains(r.challenge(), s) {
			t.Errorf("the answer echoes a secret of the call (%.12s...)", s)
		}
	}
}

// TestGR1AuthorizationMetadata: the authorization metadata in the HTTP
// middleware's strict syntax: exactly one value, the Bearer scheme in any
// case, one space, a b64token. Every refusal is Unauthenticated with a
// constant message and never echoes the token.
func TestGR1AuthorizationMetadata(t *testing.T) {
	conn := serve(t, grpcauth.Config{Verifier: newVerifier(t, nil)})
	tok := token(t, nil)
	ok := expect{codes.OK, "", ""}
	badRequest := expect{codes.Unauthenticated, msgRequest, chBadRequest}
	missing := expect{codes.Unauthenticated, msgMissing, chMissing}
	tests := []struct {
		name string
		md   []string
		want expect
	}{
		{"GR1/ok", bearer(tok), ok},
		{"GR1/lower-case-scheme", []string{"authorization", "bearer " + tok}, ok},
		{"GR1/upper-case-scheme", []string{"authorization", "BEARER " + tok}, ok},
		{"GR1/none", nil, missing},
		{"GR1/other-scheme", []string{"authorization", "Basic dXNlcjpwYXNz"}, missing},
		{"GR1/dpop-scheme-without-dpop", []string{"authorization", "DPoP " + tok}, missing},
		{"GR1/longer-scheme", []string{"authorization", "Bearers " + tok}, missing},
		{"GR1/two-values", []string{"authorization", "Bearer " + tok, "authorization", "Bearer " + tok}, badRequest},
		{"GR1/two-values-one-empty", []string{"authorization", "Bearer " + tok, "authorization", ""}, badRequest},
		{"GR1/scheme-only", []string{"authorization", "Bearer"}, badRequest},
		{"GR1/scheme-space", []string{"authorization", "Bearer "}, badRequest},
		{"GR1/two-spaces", []string{"authorization", "Bearer  " + tok}, badRequest},
		{"GR1/trailing-space", []string{"authorization", "Bearer " + tok + " "}, badRequest},
		{"GR1/two-tokens", []string{"authorization", "Bearer " + tok + " " + tok}, badRequest},
		{"GR1/comma", []string{"authorization", "Bearer " + tok + ",x"}, badRequest},
		{"GR1/quoted", []string{"authorization", `Bearer "` + tok + `"`}, badRequest},
		{"GR1/leading-equals", []string{"authorization", "Bearer =" + tok}, badRequest},
		{"GR1/huge", []string{"authorization", "Bearer " + strings.Repeat("a", 12<<10)}, expect{codes.Unauthenticated, msgToken, chBadToken}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := unary(t, conn, echoM, &healthpb.HealthCheckRequest{}, tt.md...)
			checkResult(t, r, tt.want, tok)
			if tt.want.code == codes.OK && r.trailer.Get("x-sub")[0] != "auth0|alice" {
				t.Errorf("handler saw x-sub %q, want auth0|alice", r.trailer.Get("x-sub"))
			}
		})
	}
}

// TestGR2InvalidTokens: a token that does not verify, for any reason, is
// one class: Unauthenticated, invalid_token, the same message.
func TestGR2InvalidTokens(t *testing.T) {
	conn := serve(t, grpcauth.Config{Verifier: newVerifier(t, nil)})
	tn := theTenant(t)
	rogue, err := authtest.NewDPoPKey("ES256")
	if err != nil {
		t.Fatal(err)
	}
	mint := func(tok authtest.Token) string {
		s, err := tn.Mint(tok)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	base := map[string]any{"sub": "auth0|alice", "aud": audience}
	with := func(k string, v any) map[string]any {
		m := map[string]any{"sub": "auth0|alice", "aud": audience}
		m[k] = v
		return m
	}
	bad := expect{codes.Unauthenticated, msgToken, chBadToken}
	tests := []struct {
		name string
		tok  string
	}{
		{"GR2/expired", mint(authtest.Token{Claims: base, ExpiresIn: -time.Hour})},
		{"GR2/other-audience", mint(authtest.Token{Claims: with("aud", "https://other.example.com")})},
		{"GR2/other-issuer", mint(authtest.Token{Claims: with("iss", "https://evil.example.com/")})},
		{"GR2/bad-signature", mint(authtest.Token{Claims: base, Alg: "ES256", Key: rogue.Signer()})},
		{"GR2/unknown-kid", mint(authtest.Token{Claims: base, Header: map[string]any{"kid": "unknown"}})},
		{"GR2/dpop-bound-as-bearer", mint(authtest.Token{Claims: base, DPoP: rogue})},
		{"GR2/not-a-jwt", "abc.def.ghi"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := unary(t, conn, echoM, &healthpb.HealthCheckRequest{}, bearer(tt.tok)...)
			checkResult(t, r, bad, tt.tok)
		})
	}
}
