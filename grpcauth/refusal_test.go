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
	msgMissing   = "a bearer token is required"
	msgRequest   = "the request's bearer credentials are malformed or ambiguous"
	msgUniform   = "the access token is invalid or has expired"
	msgSignature = "the access token's signature cannot be verified"
	msgMalformed = "the access token is malformed"
	msgBound     = "the access token is sender-constrained and was sent without its proof of possession"
	msgScope     = "the access token lacks a required scope or permission"
)

// badToken is the refusal of a token of the class msg describes.
func badToken(msg string) expect {
	return expect{codes.Unauthenticated, msg, `Bearer realm="api", error="invalid_token", error_description="` + msg + `"`}
}

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
		{"GR1/huge", []string{"authorization", "Bearer " + strings.Repeat("a", 12<<10)}, badToken(msgMalformed)},
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

// TestGR2InvalidTokens: a token that does not verify is Unauthenticated,
// invalid_token, with the constant message of its failure class (bad
// signature and unknown kid one class), or the one uniform message with
// Config.UniformErrors; never a part of the token.
func TestGR2InvalidTokens(t *testing.T) {
	v := newVerifier(t, nil)
	conn := serve(t, grpcauth.Config{Verifier: v})
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
	// The status message is the failure class's, the error_description
	// middleware.Authenticate sends for the same token; with
	// Config.UniformErrors it is one text for all.
	uniform := serve(t, grpcauth.Config{Verifier: v, UniformErrors: true})
	tests := []struct {
		name string
		tok  string
		msg  string
	}{
		{"GR2/expired", mint(authtest.Token{Claims: base, ExpiresIn: -time.Hour}), "the access token has expired"},
		{"GR2/other-audience", mint(authtest.Token{Claims: with("aud", "https://other.example.com")}), "the access token is not meant for this resource"},
		{"GR2/other-issuer", mint(authtest.Token{Claims: with("iss", "https://evil.example.com/")}), "the access token is not from an issuer this resource trusts"},
		{"GR2/bad-signature", mint(authtest.Token{Claims: base, Alg: "ES256", Key: rogue.Signer()}), msgSignature},
		{"GR2/unknown-kid", mint(authtest.Token{Claims: base, Header: map[string]any{"kid": "unknown"}}), msgSignature},
		{"GR2/dpop-bound-as-bearer", mint(authtest.Token{Claims: base, DPoP: rogue}), msgBound},
		{"GR2/not-a-jwt", "abc.def.ghi", msgMalformed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := unary(t, conn, echoM, &healthpb.HealthCheckRequest{}, bearer(tt.tok)...)
			checkResult(t, r, badToken(tt.msg), tt.tok)
			r = unary(t, uniform, echoM, &healthpb.HealthCheckRequest{}, bearer(tt.tok)...)
			checkResult(t, r, badToken(msgUniform), tt.tok)
		})
	}
}
