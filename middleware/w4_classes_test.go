package middleware_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/tokengate/tokengate/authtest"
	"github.com/tokengate/tokengate/middleware"
	"github.com/tokengate/tokengate/verifier"
)

// classVerifier is newVerifier with the settings that give every failure
// class a token of its own: a required org_id claim, a revocation set in
// which auth0|revoked logged out, and a Typed hook that refuses the
// subject auth0|rejected.
func classVerifier(t *testing.T) (*verifier.Verifier, *verifier.Typed[struct{}]) {
	t.Helper()
	revs, err := verifier.NewMemoryRevocationSet(verifier.MemoryRevocationConfig{Now: func() time.Time { return testNow }})
	if err != nil {
		t.Fatal(err)
	}
	if err := revs.Revoke(context.Background(), verifier.Revocation{Issuer: testIss, Subject: "auth0|revoked", Before: testNow}); err != nil {
		t.Fatal(err)
	}
	v, err := verifier.New(verifier.Config{Issuer: testIss, Audience: []string{testAud}, Keys: keySet(t),
		RequiredClaims: []string{"org_id"}, Revocations: revs, Now: func() time.Time { return testNow }})
	if err != nil {
		t.Fatal(err)
	}
	tv, err := verifier.NewTyped(v, verifier.TypedConfig[struct{}]{Validate: func(_ context.Context, c *verifier.Claims, _ *struct{}) error {
		if c.Subject == "auth0|rejected" {
			return errors.New("subject refused by the application")
		}
		return nil
	}})
	if err != nil {
		t.Fatal(err)
	}
	return v, tv
}

// classTokens are the refused tokens of TestW4PerClassDescriptions, by
// failure class, each with the verifier.Reason it must have (so that the
// table tests the class a token really has) and the description the
// client is told.
func classTokens(t *testing.T) []struct{ name, tok, reason, desc string } {
	org := map[string]any{"org_id": "org_abc"}
	with := func(over map[string]any) map[string]any {
		m := map[string]any{"org_id": "org_abc"}
		for k, v := range over {
			m[k] = v
		}
		return m
	}
	loadKeys(t)
	return []struct{ name, tok, reason, desc string }{
		{"expired", token(t, with(map[string]any{"exp": testNow.Unix() - 10})), "expired", "the access token has expired"},
		{"not yet valid", token(t, with(map[string]any{"nbf": testNow.Unix() + 600})), "not_yet_valid", "the access token is not valid yet"},
		{"wrong audience", token(t, with(map[string]any{"aud": "https://other.example.com"})), "bad_audience", "the access token is not meant for this resource"},
		{"wrong issuer", token(t, with(map[string]any{"iss": "https://evil.example.com/"})), "bad_issuer", "the access token is not from an issuer this resource trusts"},
		{"bad signature", mint(t, rogueKey, "k1", org), "bad_signature", "the access token's signature cannot be verified"},
		{"unknown kid", mint(t, rsaKey, "no-such-kid", org), "unknown_kid", "the access token's signature cannot be verified"},
		{"malformed", "a.b.c", "malformed", "the access token is malformed"},
		{"missing claim", token(t, nil), "missing_claim", "the access token lacks a claim this resource requires"},
		{"bound token", token(t, with(map[string]any{"cnf": map[string]any{"jkt": "0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I"}})), "bound_token",
			"the access token is sender-constrained and was sent without its proof of possession"},
		{"revoked", token(t, with(map[string]any{"sub": "auth0|revoked"})), "revoked", "the access token has been revoked"},
		{"claims rejected", token(t, with(map[string]any{"sub": "auth0|rejected"})), "claims_rejected", "the access token's claims are not accepted by this resource"},
	}
}

// TestW4PerClassDescriptions: each failure class of a refused token has its
// own constant error_description, in the body and in the challenge; bad
// signature and unknown kid are one class; WithUniformErrors restores the
// one text; no description holds any part of the token.
func TestW4PerClassDescriptions(t *testing.T) {
	v, tv := classVerifier(t)
	for _, uniform := range []bool{false, true} {
		var opts []middleware.Option
		if uniform {
			opts = append(opts, middleware.WithUniformErrors())
		}
		srv := server(t, routers[0].serve(get("/items", middleware.AuthenticateTyped(tv, opts...))))
		for _, c := range classTokens(t) {
			name := c.name
			if uniform {
				name = "uniform/" + name
			}
			t.Run(name, func(t *testing.T) {
				_, err := v.Verify(context.Background(), c.tok)
				if c.reason != "claims_rejected" {
					if got := verifier.Reason(err); got != c.reason {
						t.Fatalf("fixture: verifier.Reason: got %q, want %q (%v)", got, c.reason, err)
					}
				}
				desc := c.desc
				if uniform {
					desc = "the access token is invalid or has expired"
				}
				resp, body := call(t, srv, "GET", "/items", bearer(c.tok))
				checkResponse(t, resp, body, want{401,
					`Bearer realm="api", error="invalid_token", error_description="` + desc + `"`,
					`{"error":"invalid_token","error_description":"` + desc + `"}` + "\n", ""})
				all := body + strings.Join(resp.Header.Values("WWW-Authenticate"), "")
				if p, found := contains(all, longParts(c.tok)...); found {
					t.Errorf("response contains token part %q", p)
				}
			})
		}
	}
}

// TestW4DescriptionsNeverEchoToken: whatever a token carries (claims that
// spell out description words, quotes, a kid like a description), the
// answer holds no part of it longer than a few bytes.
func TestW4DescriptionsNeverEchoToken(t *testing.T) {
	v, _ := classVerifier(t)
	srv := server(t, routers[0].serve(get("/items", middleware.Authenticate(v))))
	hostile := map[string]string{
		"aud spells a description": token(t, map[string]any{"org_id": "org_abc", "aud": "the access token has expired"}),
		"iss with quotes":          token(t, map[string]any{"org_id": "org_abc", "iss": `https://x/", error="ok`}),
		"kid like a description":   mint(t, rsaKey, "the access token is malformed", nil),
		"huge claim":               token(t, map[string]any{"aud": strings.Repeat("Q", 4000)}),
	}
	for name, tok := range hostile {
		t.Run(name, func(t *testing.T) {
			resp, body := call(t, srv, "GET", "/items", bearer(tok))
			if resp.StatusCode != http.StatusUnauthorized {
				t.Fatalf("status: got %d, want 401", resp.StatusCode)
			}
			all := body + strings.Join(resp.Header.Values("WWW-Authenticate"), "")
			if p, found := contains(all, longParts(tok)...); found {
				t.Errorf("response contains token part %q: %s", p, all)
			}
			if p, found := contains(all, "QQQQ", `error="ok`, "evil"); found {
				t.Errorf("response contains token content %q: %s", p, all)
			}
		})
	}
}

// TestW4UniformDPoP: with WithDPoP, WithUniformErrors gives every refused
// proof one text and every refused DPoP token another, the texts of before
// the failure classes; without it each gets its class's.
func TestW4UniformDPoP(t *testing.T) {
	dpopKeys(t)
	bound := boundToken(t, clientKey)
	unbound := token(t, nil)
	tests := []struct {
		name       string
		uniform    bool
		tok        string
		proof      authtest.Proof
		method     string
		code, desc string
	}{
		{"per-class/proof-htm", false, bound, authtest.Proof{}, "POST", "invalid_dpop_proof", descProofRequest},
		{"per-class/unbound-token", false, unbound, authtest.Proof{}, "GET", "invalid_token", descProofKey},
		{"uniform/proof-htm", true, bound, authtest.Proof{}, "POST", "invalid_dpop_proof", "the DPoP proof is missing or invalid"},
		{"uniform/unbound-token", true, unbound, authtest.Proof{}, "GET", "invalid_token", "the access token is invalid, has expired or is not bound to the DPoP proof's key"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			opts := []middleware.Option{middleware.WithDPoP(newDPoP(t, nil), middleware.DPoPAllowed)}
			if tc.uniform {
				opts = append(opts, middleware.WithUniformErrors())
			}
			srv := server(t, middleware.Authenticate(newVerifier(t, nil), opts...)(echo))
			h := dpopHeader(tc.tok, mkProof(t, clientKey, tc.method, srv.URL+"/items", tc.tok, tc.proof))
			resp, body := call(t, srv, http.MethodGet, "/items", h)
			wantBody := `{"error":"` + tc.code + `","error_description":"` + tc.desc + `"}` + "\n"
			checkResponse(t, resp, body, want{status: 401, challenge: chDPoP + `, error="` + tc.code + `", error_description="` + tc.desc + `"`, body: wantBody})
		})
	}
}
