package grpcauth_test

import (
	"testing"
	"time"

	"google.golang.org/grpc/codes"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"

	"github.com/tokengate/tokengate/authtest"
	"github.com/tokengate/tokengate/dpop"
	"github.com/tokengate/tokengate/grpcauth"
	"github.com/tokengate/tokengate/middleware"
)

const serviceURL = "https://api.example.com"

const (
	dpCh        = `DPoP realm="api", algs="ES256"`
	msgNoToken  = "an access token is required"
	msgDPoPOnly = "this resource requires a DPoP-bound access token sent with the DPoP scheme"
	msgNonce    = "the resource server requires a fresh nonce in the DPoP proof"
)

func newDPoP(t testing.TB, cfg dpop.Config) *dpop.Verifier {
	t.Helper()
	d, err := dpop.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func newKey(t testing.TB) *authtest.DPoPKey {
	t.Helper()
	k, err := authtest.NewDPoPKey("ES256")
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func proof(t testing.TB, k *authtest.DPoPKey, p authtest.Proof) string {
	t.Helper()
	s, err := k.Proof(p)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func boundToken(t testing.TB, k *authtest.DPoPKey) string {
	t.Helper()
	s, err := theTenant(t).Mint(authtest.Token{Claims: map[string]any{"sub": "auth0|alice", "aud": audience, "scope": "read:items"}, DPoP: k})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestGR6DPoP: DPoP-bound tokens with the dpop metadata. The proof names
// the call as POST to ServiceURL + the full method; the client's
// :authority decides nothing; each proof passes once; a bound token sent
// as Bearer, a proof of another call, key or token is refused; DPoPRequired
// refuses Bearer tokens unverified.
func TestGR6DPoP(t *testing.T) {
	key, thief := newKey(t), newKey(t)
	tok := boundToken(t, key)
	htu := serviceURL + echoM
	good := func() string { return proof(t, key, authtest.Proof{Method: "POST", URL: htu, AccessToken: tok}) }
	allowed := serve(t, grpcauth.Config{Verifier: newVerifier(t, nil), DPoP: newDPoP(t, dpop.Config{}),
		DPoPMode: middleware.DPoPAllowed, ServiceURL: serviceURL + "/"})
	required := serve(t, grpcauth.Config{Verifier: newVerifier(t, nil), DPoP: newDPoP(t, dpop.Config{}),
		DPoPMode: middleware.DPoPRequired, ServiceURL: serviceURL})
	bothBadToken := `Bearer realm="api", error="invalid_token", error_description="` + msgBound + `", ` + dpCh
	// Each refused proof gets the description of its class, as
	// middleware.WithDPoP answers it.
	badProof := func(msg string) expect {
		return expect{codes.Unauthenticated, msg, dpCh + `, error="invalid_dpop_proof", error_description="` + msg + `"`}
	}
	const (
		proofInvalid = "the DPoP proof is malformed or its signature cannot be verified"
		proofRequest = "the DPoP proof was made for another method or URL"
		proofKey     = "the access token is not bound to the DPoP proof's key"
	)
	dpBadToken := expect{codes.Unauthenticated, proofKey, dpCh + `, error="invalid_token", error_description="` + proofKey + `"`}
	ok := expect{codes.OK, "", ""}
	replayed := good()
	if r := unary(t, allowed, echoM, &healthpb.HealthCheckRequest{}, "authorization", "DPoP "+tok, "dpop", replayed); r.code != codes.OK {
		t.Fatalf("first use of a proof: got %v %q, want OK", r.code, r.msg)
	}
	unbound := token(t, nil)
	tests := []struct {
		name string
		conn bool // true: the DPoPRequired server
		md   []string
		want expect
	}{
		{"GR6/ok", false, []string{"authorization", "DPoP " + tok, "dpop", good()}, ok},
		{"GR6/ok-required", true, []string{"authorization", "DPoP " + tok, "dpop", good()}, ok},
		{"GR6/ok-lower-case-scheme", false, []string{"authorization", "dpop " + tok, "dpop", good()}, ok},
		{"GR6/replay", false, []string{"authorization", "DPoP " + tok, "dpop", replayed}, badProof("the DPoP proof was already used")},
		{"GR6/no-proof", false, []string{"authorization", "DPoP " + tok}, badProof("a DPoP proof is required")},
		{"GR6/two-proofs", false, []string{"authorization", "DPoP " + tok, "dpop", good(), "dpop", good()}, badProof(proofInvalid)},
		{"GR6/htm-get", false, []string{"authorization", "DPoP " + tok, "dpop", proof(t, key, authtest.Proof{Method: "GET", URL: htu, AccessToken: tok})}, badProof(proofRequest)},
		{"GR6/htu-other-method", false, []string{"authorization", "DPoP " + tok, "dpop", proof(t, key, authtest.Proof{Method: "POST", URL: serviceURL + checkM, AccessToken: tok})}, badProof(proofRequest)},
		{"GR6/htu-client-authority", false, []string{"authorization", "DPoP " + tok, "dpop", proof(t, key, authtest.Proof{Method: "POST", URL: "http://127.0.0.1" + echoM, AccessToken: tok})}, badProof(proofRequest)},
		{"GR6/htu-other-host", false, []string{"authorization", "DPoP " + tok, "dpop", proof(t, key, authtest.Proof{Method: "POST", URL: "https://evil.example.com" + echoM, AccessToken: tok})}, badProof(proofRequest)},
		{"GR6/htu-normalized", false, []string{"authorization", "DPoP " + tok, "dpop", proof(t, key, authtest.Proof{Method: "POST", URL: "HTTPS://API.example.com:443" + echoM, AccessToken: tok})}, ok},
		{"GR6/other-key", false, []string{"authorization", "DPoP " + tok, "dpop", proof(t, thief, authtest.Proof{Method: "POST", URL: htu, AccessToken: tok})}, badProof(proofKey)},
		{"GR6/other-token", false, []string{"authorization", "DPoP " + tok, "dpop", proof(t, key, authtest.Proof{Method: "POST", URL: htu, AccessToken: unbound})}, badProof("the DPoP proof was made for another access token")},
		{"GR6/stale", false, []string{"authorization", "DPoP " + tok, "dpop", proof(t, key, authtest.Proof{Method: "POST", URL: htu, AccessToken: tok, IssuedAt: time.Now().Add(-5 * time.Minute)})}, badProof("the DPoP proof is too old or too new")},
		{"GR6/unbound-token-with-dpop-scheme", false, []string{"authorization", "DPoP " + unbound, "dpop", proof(t, key, authtest.Proof{Method: "POST", URL: htu, AccessToken: unbound})}, dpBadToken},
		{"GR6/bound-token-as-bearer", false, []string{"authorization", "Bearer " + tok, "dpop", good()}, expect{codes.Unauthenticated, msgBound, bothBadToken}},
		{"GR6/unbound-bearer-allowed", false, bearer(unbound), ok},
		{"GR6/unbound-bearer-required", true, bearer(unbound), expect{codes.Unauthenticated, msgDPoPOnly, dpCh + `, error="invalid_token", error_description="` + msgDPoPOnly + `"`}},
		{"GR6/none-required", true, nil, expect{codes.Unauthenticated, msgNoToken, dpCh}},
		{"GR6/none-allowed", false, nil, expect{codes.Unauthenticated, msgNoToken, `Bearer realm="api", ` + dpCh}},
		{"GR6/malformed-dpop", false, []string{"authorization", "DPoP  " + tok, "dpop", good()},
			expect{codes.Unauthenticated, msgRequest, dpCh + `, error="invalid_request", error_description="` + msgRequest + `"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			conn := allowed
			if tt.conn {
				conn = required
			}
			r := unary(t, conn, echoM, &healthpb.HealthCheckRequest{}, tt.md...)
			checkResult(t, r, tt.want, tok)
		})
	}
}

// TestGR6Nonce: with server nonces, a proof without one is refused with
// use_dpop_nonce and the nonce in a dpop-nonce trailer; the retry with it
// passes.
func TestGR6Nonce(t *testing.T) {
	key := newKey(t)
	tok := boundToken(t, key)
	d := newDPoP(t, dpop.Config{NonceSecret: []byte("0123456789abcdef0123456789abcdef")})
	conn := serve(t, grpcauth.Config{Verifier: newVerifier(t, nil), DPoP: d, DPoPMode: middleware.DPoPRequired, ServiceURL: serviceURL})
	p := proof(t, key, authtest.Proof{Method: "POST", URL: serviceURL + echoM, AccessToken: tok})
	r := unary(t, conn, echoM, &healthpb.HealthCheckRequest{}, "authorization", "DPoP "+tok, "dpop", p)
	checkResult(t, r, expect{codes.Unauthenticated, msgNonce, dpCh + `, error="use_dpop_nonce", error_description="` + msgNonce + `"`}, tok)
	nonce := r.trailer.Get("dpop-nonce")
	if len(nonce) != 1 || nonce[0] != d.Nonce() {
		t.Fatalf("dpop-nonce trailer: got %q, want [%s]", nonce, d.Nonce())
	}
	p = proof(t, key, authtest.Proof{Method: "POST", URL: serviceURL + echoM, AccessToken: tok, Nonce: nonce[0]})
	r = unary(t, conn, echoM, &healthpb.HealthCheckRequest{}, "authorization", "DPoP "+tok, "dpop", p)
	checkResult(t, r, expect{codes.OK, "", ""})
}
