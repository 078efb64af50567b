package middleware_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tokengate/tokengate/authtest"
	"github.com/tokengate/tokengate/dpop"
	"github.com/tokengate/tokengate/middleware"
	"github.com/tokengate/tokengate/verifier"
)

var (
	dpopOnce         sync.Once
	clientKey, thief *authtest.DPoPKey
)

func dpopKeys(t testing.TB) {
	t.Helper()
	dpopOnce.Do(func() {
		var err error
		if clientKey, err = authtest.NewDPoPKey("ES256"); err != nil {
			panic(err)
		}
		if thief, err = authtest.NewDPoPKey("ES256"); err != nil {
			panic(err)
		}
	})
}

// newDPoP is a proof verifier on the tests' clock.
func newDPoP(t testing.TB, adjust func(*dpop.Config)) *dpop.Verifier {
	t.Helper()
	cfg := dpop.Config{Now: func() time.Time { return testNow }}
	if adjust != nil {
		adjust(&cfg)
	}
	d, err := dpop.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// boundToken is a valid token bound to key.
func boundToken(t testing.TB, key *authtest.DPoPKey) string {
	return token(t, map[string]any{"cnf": map[string]any{"jkt": key.JKT()}})
}

// mkProof signs a proof with key for method and url bound to tok, made at
// testNow unless p says otherwise.
func mkProof(t testing.TB, key *authtest.DPoPKey, method, url, tok string, p authtest.Proof) string {
	t.Helper()
	p.Method, p.URL = method, url
	if p.AccessToken == "" {
		p.AccessToken = tok
	}
	if p.IssuedAt.IsZero() {
		p.IssuedAt = testNow
	}
	s, err := key.Proof(p)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func dpopHeader(tok string, proofs ...string) http.Header {
	h := http.Header{"Authorization": {"DPoP " + tok}}
	if len(proofs) > 0 {
		h["Dpop"] = proofs
	}
	return h
}

const (
	chDPoP      = `DPoP realm="api", algs="ES256"`
	chBoth      = `Bearer realm="api", ` + chDPoP
	bodyNoToken = `{"error":"unauthorized","error_description":"an access token is required"}` + "\n"
)

// The descriptions of refused proofs, one per class (internal/errclass).
const (
	descProofMissing = "a DPoP proof is required"
	descProofInvalid = "the DPoP proof is malformed or its signature cannot be verified"
	descProofRequest = "the DPoP proof was made for another method or URL"
	descProofTime    = "the DPoP proof is too old or too new"
	descProofToken   = "the DPoP proof was made for another access token"
	descProofReplay  = "the DPoP proof was already used"
	descProofKey     = "the access token is not bound to the DPoP proof's key"
)

func chProof(desc string) string {
	return chDPoP + `, error="invalid_dpop_proof", error_description="` + desc + `"`
}

func bodyProof(desc string) string {
	return `{"error":"invalid_dpop_proof","error_description":"` + desc + `"}` + "\n"
}

func chDPoPToken(desc string) string {
	return chDPoP + `, error="invalid_token", error_description="` + desc + `"`
}

// dpopCase is one request through Authenticate with WithDPoP. build
// returns the request's headers given the server's URL.
type dpopCase struct {
	id      string
	mode    middleware.DPoPMode // 0: Authenticate without WithDPoP
	build   func(t *testing.T, base string) http.Header
	status  int
	ch      string // WWW-Authenticate, "" for none
	body    string
	outcome string
	reason  string
}

// TestDPoPRefusals: one row per refusal reason, through HTTP (SECURITY.md
// DP1-DP22): the status, the challenge of RFC 9449 section 7.1, a body that
// never holds the token or the proof, and the Observer's outcome and
// reason.
func TestDPoPRefusals(t *testing.T) {
	dpopKeys(t)
	bound := boundToken(t, clientKey)
	unbound := token(t, nil)
	p := func(key *authtest.DPoPKey, method, path, tok string, over authtest.Proof) func(*testing.T, string) http.Header {
		return func(t *testing.T, base string) http.Header {
			return dpopHeader(tok, mkProof(t, key, method, base+path, tok, over))
		}
	}
	good := p(clientKey, "GET", "/items", bound, authtest.Proof{})
	cases := []dpopCase{
		{id: "DP21/accepted-allowed", mode: middleware.DPoPAllowed, build: good, status: 200, body: "sub=auth0|alice", outcome: "ok", reason: "ok"},
		{id: "DP21/accepted-required", mode: middleware.DPoPRequired, build: good, status: 200, body: "sub=auth0|alice", outcome: "ok", reason: "ok"},
		{id: "DP21/no-token-allowed", mode: middleware.DPoPAllowed, build: func(*testing.T, string) http.Header { return nil },
			status: 401, ch: chBoth, body: bodyNoToken, outcome: "missing_token"},
		{id: "DP21/no-token-required", mode: middleware.DPoPRequired, build: func(*testing.T, string) http.Header { return nil },
			status: 401, ch: chDPoP, body: bodyNoToken, outcome: "missing_token"},
		{id: "DP21/dpop-scheme-without-token", mode: middleware.DPoPAllowed, build: func(*testing.T, string) http.Header {
			return http.Header{"Authorization": {"DPoP "}}
		}, status: 401, ch: chDPoP + `, error="invalid_request", error_description="the request's bearer credentials are malformed or ambiguous"`, body: bodyBadRequest, outcome: "invalid_request"},
		{id: "DP21/dpop-token-and-query-token", mode: middleware.DPoPAllowed, build: func(t *testing.T, base string) http.Header {
			return good(t, base+"?access_token=x")
		}, status: 401, ch: chDPoP + `, error="invalid_request", error_description="the request's bearer credentials are malformed or ambiguous"`, body: bodyBadRequest, outcome: "invalid_request"},

		{id: "DP17/bound-as-bearer-no-dpop", build: func(*testing.T, string) http.Header { return bearer(bound) },
			status: 401, ch: chToken(descBound), body: bodyToken(descBound), outcome: "invalid_token", reason: "bound_token"},
		{id: "DP17/bound-as-bearer-allowed", mode: middleware.DPoPAllowed, build: func(*testing.T, string) http.Header { return bearer(bound) },
			status: 401, ch: chToken(descBound) + ", " + chDPoP, body: bodyToken(descBound), outcome: "invalid_token", reason: "bound_token"},
		{id: "DP17/bound-as-bearer-with-proof-allowed", mode: middleware.DPoPAllowed, build: func(t *testing.T, base string) http.Header {
			h := good(t, base)
			h["Authorization"] = []string{"Bearer " + bound}
			return h
		}, status: 401, ch: chToken(descBound) + ", " + chDPoP, body: bodyToken(descBound), outcome: "invalid_token", reason: "bound_token"},
		{id: "DP17/bound-as-bearer-required", mode: middleware.DPoPRequired, build: func(*testing.T, string) http.Header { return bearer(bound) },
			status: 401, ch: chDPoP + `, error="invalid_token", error_description="this resource requires a DPoP-bound access token sent with the DPoP scheme"`,
			body: `{"error":"invalid_token","error_description":"this resource requires a DPoP-bound access token sent with the DPoP scheme"}` + "\n", outcome: "invalid_token", reason: "dpop_required"},
		{id: "DP22/unbound-bearer-allowed", mode: middleware.DPoPAllowed, build: func(*testing.T, string) http.Header { return bearer(unbound) },
			status: 200, body: "sub=auth0|alice", outcome: "ok", reason: "ok"},
		{id: "DP22/unbound-bearer-required", mode: middleware.DPoPRequired, build: func(*testing.T, string) http.Header { return bearer(unbound) },
			status: 401, ch: chDPoP + `, error="invalid_token", error_description="this resource requires a DPoP-bound access token sent with the DPoP scheme"`,
			body: `{"error":"invalid_token","error_description":"this resource requires a DPoP-bound access token sent with the DPoP scheme"}` + "\n", outcome: "invalid_token", reason: "dpop_required"},

		{id: "DP16/unbound-token-dpop-scheme", mode: middleware.DPoPAllowed, build: p(clientKey, "GET", "/items", unbound, authtest.Proof{}),
			status: 401, ch: chDPoPToken(descProofKey), body: bodyToken(descProofKey), outcome: "invalid_token", reason: "dpop_not_bound"},
		{id: "DP16/unbound-token-dpop-scheme-required", mode: middleware.DPoPRequired, build: p(clientKey, "GET", "/items", unbound, authtest.Proof{}),
			status: 401, ch: chDPoPToken(descProofKey), body: bodyToken(descProofKey), outcome: "invalid_token", reason: "dpop_not_bound"},
		{id: "DP21/invalid-token", mode: middleware.DPoPAllowed, build: p(clientKey, "GET", "/items", token(t, map[string]any{"aud": "other", "cnf": map[string]any{"jkt": clientKey.JKT()}}), authtest.Proof{}),
			status: 401, ch: chDPoPToken(descAudience), body: bodyToken(descAudience), outcome: "invalid_token", reason: "bad_audience"},

		{id: "DP20/no-proof", mode: middleware.DPoPAllowed, build: func(*testing.T, string) http.Header { return dpopHeader(bound) },
			status: 401, ch: chProof(descProofMissing), body: bodyProof(descProofMissing), outcome: "invalid_dpop_proof", reason: "dpop_missing"},
		{id: "DP20/two-proofs", mode: middleware.DPoPAllowed, build: func(t *testing.T, base string) http.Header {
			return dpopHeader(bound, mkProof(t, clientKey, "GET", base+"/items", bound, authtest.Proof{}), mkProof(t, clientKey, "GET", base+"/items", bound, authtest.Proof{}))
		}, status: 401, ch: chProof(descProofInvalid), body: bodyProof(descProofInvalid), outcome: "invalid_dpop_proof", reason: "dpop_malformed"},
		{id: "DP1/typ", mode: middleware.DPoPAllowed, build: p(clientKey, "GET", "/items", bound, authtest.Proof{Header: map[string]any{"typ": "JWT"}}),
			status: 401, ch: chProof(descProofInvalid), body: bodyProof(descProofInvalid), outcome: "invalid_dpop_proof", reason: "dpop_type"},
		{id: "DP2/HS256", mode: middleware.DPoPAllowed, build: p(clientKey, "GET", "/items", bound, authtest.Proof{Header: map[string]any{"alg": "HS256"}, Secret: []byte("0123456789abcdef0123456789abcdef")}),
			status: 401, ch: chProof(descProofInvalid), body: bodyProof(descProofInvalid), outcome: "invalid_dpop_proof", reason: "dpop_algorithm"},
		{id: "DP3/none", mode: middleware.DPoPAllowed, build: p(clientKey, "GET", "/items", bound, authtest.Proof{Header: map[string]any{"alg": "none"}}),
			status: 401, ch: chProof(descProofInvalid), body: bodyProof(descProofInvalid), outcome: "invalid_dpop_proof", reason: "dpop_malformed"},
		{id: "DP5/private-key", mode: middleware.DPoPAllowed, build: p(clientKey, "GET", "/items", bound, authtest.Proof{Header: map[string]any{"jwk": clientKey.PrivateJWK()}}),
			status: 401, ch: chProof(descProofInvalid), body: bodyProof(descProofInvalid), outcome: "invalid_dpop_proof", reason: "dpop_key"},
		{id: "DP7/bad-signature", mode: middleware.DPoPAllowed, build: p(clientKey, "GET", "/items", bound, authtest.Proof{SignWith: thief.Signer()}),
			status: 401, ch: chProof(descProofInvalid), body: bodyProof(descProofInvalid), outcome: "invalid_dpop_proof", reason: "dpop_signature"},
		{id: "DP8/htm", mode: middleware.DPoPAllowed, build: p(clientKey, "POST", "/items", bound, authtest.Proof{}),
			status: 401, ch: chProof(descProofRequest), body: bodyProof(descProofRequest), outcome: "invalid_dpop_proof", reason: "dpop_htm"},
		{id: "DP9/htu-path", mode: middleware.DPoPAllowed, build: func(t *testing.T, base string) http.Header {
			return dpopHeader(bound, mkProof(t, clientKey, "GET", base+"/admin", bound, authtest.Proof{}))
		}, status: 401, ch: chProof(descProofRequest), body: bodyProof(descProofRequest), outcome: "invalid_dpop_proof", reason: "dpop_htu"},
		{id: "DP9/htu-scheme", mode: middleware.DPoPAllowed, build: func(t *testing.T, base string) http.Header {
			return dpopHeader(bound, mkProof(t, clientKey, "GET", strings.Replace(base, "http:", "https:", 1)+"/items", bound, authtest.Proof{}))
		}, status: 401, ch: chProof(descProofRequest), body: bodyProof(descProofRequest), outcome: "invalid_dpop_proof", reason: "dpop_htu"},
		{id: "DP9/htu-query-ignored", mode: middleware.DPoPAllowed, build: func(t *testing.T, base string) http.Header {
			return dpopHeader(bound, mkProof(t, clientKey, "GET", base+"/items?other=1", bound, authtest.Proof{}))
		}, status: 200, body: "sub=auth0|alice", outcome: "ok", reason: "ok"},
		{id: "DP11/iat-old", mode: middleware.DPoPAllowed, build: p(clientKey, "GET", "/items", bound, authtest.Proof{IssuedAt: testNow.Add(-2 * time.Minute)}),
			status: 401, ch: chProof(descProofTime), body: bodyProof(descProofTime), outcome: "invalid_dpop_proof", reason: "dpop_iat"},
		{id: "DP11/iat-new", mode: middleware.DPoPAllowed, build: p(clientKey, "GET", "/items", bound, authtest.Proof{IssuedAt: testNow.Add(2 * time.Minute)}),
			status: 401, ch: chProof(descProofTime), body: bodyProof(descProofTime), outcome: "invalid_dpop_proof", reason: "dpop_iat"},
		{id: "DP12/jti-missing", mode: middleware.DPoPAllowed, build: p(clientKey, "GET", "/items", bound, authtest.Proof{Claims: map[string]any{"jti": nil}}),
			status: 401, ch: chProof(descProofInvalid), body: bodyProof(descProofInvalid), outcome: "invalid_dpop_proof", reason: "dpop_malformed"},
		{id: "DP14/ath-other-token", mode: middleware.DPoPAllowed, build: p(clientKey, "GET", "/items", bound, authtest.Proof{AccessToken: unbound}),
			status: 401, ch: chProof(descProofToken), body: bodyProof(descProofToken), outcome: "invalid_dpop_proof", reason: "dpop_ath"},
		{id: "DP14/ath-missing", mode: middleware.DPoPAllowed, build: p(clientKey, "GET", "/items", bound, authtest.Proof{Claims: map[string]any{"ath": nil}}),
			status: 401, ch: chProof(descProofToken), body: bodyProof(descProofToken), outcome: "invalid_dpop_proof", reason: "dpop_ath"},
		{id: "DP15/jkt-mismatch", mode: middleware.DPoPAllowed, build: p(thief, "GET", "/items", bound, authtest.Proof{}),
			status: 401, ch: chProof(descProofKey), body: bodyProof(descProofKey), outcome: "invalid_dpop_proof", reason: "dpop_jkt"},
	}
	for _, tc := range cases {
		t.Run(tc.id, func(t *testing.T) {
			var ev events
			opts := []middleware.Option{middleware.WithObserver(&ev)}
			if tc.mode != 0 {
				opts = append(opts, middleware.WithDPoP(newDPoP(t, nil), tc.mode))
			}
			srv := server(t, middleware.Authenticate(newVerifier(t, nil), opts...)(echo))
			h := tc.build(t, srv.URL)
			target := "/items"
			if strings.Contains(tc.id, "query-token") {
				target = "/items?access_token=x"
			}
			resp, body := call(t, srv, http.MethodGet, target, h)
			if tc.status == 200 {
				if resp.StatusCode != 200 || body != tc.body {
					t.Fatalf("got %d %q, want 200 %q", resp.StatusCode, body, tc.body)
				}
			} else {
				wantBody := tc.body
				checkResponse(t, resp, body, want{status: tc.status, challenge: tc.ch, body: wantBody})
			}
			for _, secret := range append(h["Authorization"], h["Dpop"]...) {
				if len(secret) > 30 && (strings.Contains(body, secret[len(secret)-30:]) || strings.Contains(resp.Header.Get("WWW-Authenticate"), secret[len(secret)-30:])) {
					t.Errorf("the answer echoes the token or the proof")
				}
			}
			got := ev.take()
			if len(got) != 1 || got[0].Outcome != tc.outcome || got[0].Reason != tc.reason {
				t.Errorf("got events %+v, want one with outcome %q, reason %q", got, tc.outcome, tc.reason)
			}
		})
	}
}

// TestDP13ReplayThroughCache: the verified-token cache never skips the
// proof: on a cache hit of the token, a request still needs a fresh proof
// that verifies, and a proof already used is refused as a replay.
func TestDP13ReplayThroughCache(t *testing.T) {
	dpopKeys(t)
	v := newVerifier(t, nil)
	var ev events
	srv := server(t, middleware.Authenticate(v, middleware.WithDPoP(newDPoP(t, nil), middleware.DPoPAllowed), middleware.WithObserver(&ev))(echo))
	tok := boundToken(t, clientKey)
	first := mkProof(t, clientKey, "GET", srv.URL+"/items", tok, authtest.Proof{})
	steps := []struct {
		id     string
		h      http.Header
		status int
		reason string
	}{
		{"DP13/first", dpopHeader(tok, first), 200, "ok"},
		{"DP13/same-proof-on-cache-hit", dpopHeader(tok, first), 401, "dpop_replay"},
		{"DP13/fresh-proof-on-cache-hit", dpopHeader(tok, mkProof(t, clientKey, "GET", srv.URL+"/items", tok, authtest.Proof{})), 200, "ok"},
		{"DP13/no-proof-on-cache-hit", dpopHeader(tok), 401, "dpop_missing"},
		{"DP13/bad-signature-on-cache-hit", dpopHeader(tok, mkProof(t, clientKey, "GET", srv.URL+"/items", tok, authtest.Proof{SignWith: thief.Signer()})), 401, "dpop_signature"},
		{"DP13/other-key-on-cache-hit", dpopHeader(tok, mkProof(t, thief, "GET", srv.URL+"/items", tok, authtest.Proof{})), 401, "dpop_jkt"},
		{"DP13/stale-iat-on-cache-hit", dpopHeader(tok, mkProof(t, clientKey, "GET", srv.URL+"/items", tok, authtest.Proof{IssuedAt: testNow.Add(-time.Hour)})), 401, "dpop_iat"},
		{"DP13/other-path-on-cache-hit", dpopHeader(tok, mkProof(t, clientKey, "GET", srv.URL+"/other", tok, authtest.Proof{})), 401, "dpop_htu"},
	}
	for _, s := range steps {
		resp, body := call(t, srv, http.MethodGet, "/items", s.h)
		got := ev.take()
		if resp.StatusCode != s.status || len(got) != 1 || got[0].Reason != s.reason {
			t.Errorf("%s: got %d %q, events %+v; want %d, reason %q", s.id, resp.StatusCode, body, got, s.status, s.reason)
		}
	}
	if n := v.Stats().CacheEntries; n != 1 {
		t.Errorf("got %d tokens in the verified-token cache, want 1 (the later requests were cache hits)", n)
	}
}

// TestDP10ForgedHostMiddleware: a proof made for /items is replayed on
// /other with a Host (or an untrusted X-Forwarded-Host) that a naive URL
// builder would turn into the proof's htu. Go's server refuses such a Host
// on the wire; a handler can still be given one (another server, a test),
// so the request goes to the handler directly.
func TestDP10ForgedHostMiddleware(t *testing.T) {
	dpopKeys(t)
	tok := boundToken(t, clientKey)
	htu := "https://api.example.com/items"
	for _, tc := range []struct {
		id, target, host, xfh string
		status                int
		reason                string
	}{
		{"DP10/genuine", "/items", "api.example.com", "", 200, "ok"},
		{"DP10/path-in-host", "/other", "api.example.com/items?", "", 401, "dpop_htu"},
		{"DP10/x-forwarded-host-from-client", "/items", "internal.local", "api.example.com", 401, "dpop_htu"},
	} {
		t.Run(tc.id, func(t *testing.T) {
			var ev events
			h := middleware.Authenticate(newVerifier(t, nil), middleware.WithObserver(&ev),
				middleware.WithDPoP(newDPoP(t, nil), middleware.DPoPAllowed))(echo)
			r := httptest.NewRequest(http.MethodGet, "https://api.example.com"+tc.target, nil)
			r.Host = tc.host
			r.Header.Set("Authorization", "DPoP "+tok)
			r.Header.Set("DPoP", mkProof(t, clientKey, "GET", htu, tok, authtest.Proof{}))
			if tc.xfh != "" {
				r.Header.Set("X-Forwarded-Host", tc.xfh)
			}
			w := httptest.NewRecorder()
			h.ServeHTTP(w, r)
			got := ev.take()
			if w.Code != tc.status || len(got) != 1 || got[0].Reason != tc.reason {
				t.Errorf("got %d, events %+v; want %d, reason %q", w.Code, got, tc.status, tc.reason)
			}
		})
	}
}

// TestDP18NonceMiddleware: with server nonces, a proof without the nonce is
// answered 401 use_dpop_nonce with a DPoP-Nonce header; the retry with it
// passes; a proof with the previous slot's nonce passes and the answer
// carries the current one (rotation).
func TestDP18NonceMiddleware(t *testing.T) {
	dpopKeys(t)
	secret := []byte("nonce-secret-0123456789abcdef0123456789")
	clockNow := testNow
	d := newDPoP(t, func(c *dpop.Config) {
		c.NonceSecret, c.Now = secret, func() time.Time { return clockNow }
	})
	var ev events
	v, err := verifier.New(verifier.Config{Issuer: testIss, Audience: []string{testAud}, Keys: keySet(t), Now: func() time.Time { return clockNow }})
	if err != nil {
		t.Fatal(err)
	}
	srv := server(t, middleware.Authenticate(v, middleware.WithDPoP(d, middleware.DPoPRequired), middleware.WithObserver(&ev))(echo))
	tok := boundToken(t, clientKey)
	u := srv.URL + "/items"

	resp, body := call(t, srv, "GET", "/items", dpopHeader(tok, mkProof(t, clientKey, "GET", u, tok, authtest.Proof{})))
	nonce := resp.Header.Get("DPoP-Nonce")
	checkResponse(t, resp, body, want{status: 401,
		challenge: chDPoP + `, error="use_dpop_nonce", error_description="the resource server requires a fresh nonce in the DPoP proof"`,
		body:      `{"error":"use_dpop_nonce","error_description":"the resource server requires a fresh nonce in the DPoP proof"}` + "\n"})
	if got := ev.take(); nonce == "" || len(got) != 1 || got[0].Outcome != middleware.OutcomeNonceRequired || got[0].Reason != "dpop_nonce" {
		t.Fatalf("DP18/missing: got DPoP-Nonce %q, events %+v; want a nonce, outcome use_dpop_nonce", nonce, got)
	}
	resp, body = call(t, srv, "GET", "/items", dpopHeader(tok, mkProof(t, clientKey, "GET", u, tok, authtest.Proof{Nonce: "wrong"})))
	if resp.StatusCode != 401 || resp.Header.Get("DPoP-Nonce") != nonce {
		t.Errorf("DP18/wrong: got %d %q with DPoP-Nonce %q, want 401 and the nonce again", resp.StatusCode, body, resp.Header.Get("DPoP-Nonce"))
	}
	resp, body = call(t, srv, "GET", "/items", dpopHeader(tok, mkProof(t, clientKey, "GET", u, tok, authtest.Proof{Nonce: nonce})))
	if resp.StatusCode != 200 || resp.Header.Get("DPoP-Nonce") != "" {
		t.Errorf("DP18/current: got %d %q, DPoP-Nonce %q; want 200 and no new nonce", resp.StatusCode, body, resp.Header.Get("DPoP-Nonce"))
	}
	clockNow = testNow.Add(time.Minute) // the next slot: the old nonce still passes, the answer rotates it
	resp, body = call(t, srv, "GET", "/items", dpopHeader(tok, mkProof(t, clientKey, "GET", u, tok, authtest.Proof{Nonce: nonce, IssuedAt: clockNow})))
	next := resp.Header.Get("DPoP-Nonce")
	if resp.StatusCode != 200 || next == "" || next == nonce {
		t.Errorf("DP18/rotation: got %d %q, DPoP-Nonce %q; want 200 and a new nonce", resp.StatusCode, body, next)
	}
	clockNow = testNow.Add(2 * time.Minute) // two slots on: the first nonce is stale
	resp, _ = call(t, srv, "GET", "/items", dpopHeader(tok, mkProof(t, clientKey, "GET", u, tok, authtest.Proof{Nonce: nonce, IssuedAt: clockNow})))
	if resp.StatusCode != 401 || resp.Header.Get("DPoP-Nonce") == "" {
		t.Errorf("DP18/stale: got %d, want 401 use_dpop_nonce", resp.StatusCode)
	}
}

// TestDP19StoreFullMiddleware: a full replay store answers 503 with
// Retry-After (fail closed, the client is not at fault), reason
// dpop_store_full.
func TestDP19StoreFullMiddleware(t *testing.T) {
	dpopKeys(t)
	store, err := dpop.NewMemoryStore(dpop.MemoryConfig{MaxEntries: 1, Now: func() time.Time { return testNow }})
	if err != nil {
		t.Fatal(err)
	}
	var ev events
	srv := server(t, middleware.Authenticate(newVerifier(t, nil), middleware.WithObserver(&ev),
		middleware.WithDPoP(newDPoP(t, func(c *dpop.Config) { c.Replay = store }), middleware.DPoPAllowed))(echo))
	tok := boundToken(t, clientKey)
	for i, wantStatus := range []int{200, 503} {
		resp, body := call(t, srv, "GET", "/items", dpopHeader(tok, mkProof(t, clientKey, "GET", srv.URL+"/items", tok, authtest.Proof{})))
		if resp.StatusCode != wantStatus {
			t.Fatalf("request %d: got %d %q, want %d", i, resp.StatusCode, body, wantStatus)
		}
		if wantStatus == 503 {
			checkResponse(t, resp, body, want{status: 503, body: bodyUnavailable, retryAfter: "10"})
		}
	}
	if got := ev.take(); len(got) != 2 || got[1].Outcome != middleware.OutcomeReplayStoreUnavailable || got[1].Reason != "dpop_store_full" {
		t.Errorf("got events %+v, want the second with reason dpop_store_full", got)
	}
}

// TestWithDPoPPanics: misuse is found when Authenticate is built.
func TestWithDPoPPanics(t *testing.T) {
	d := newDPoP(t, nil)
	v := newVerifier(t, nil)
	for name, opts := range map[string][]middleware.Option{
		"nil verifier":   {middleware.WithDPoP(nil, middleware.DPoPAllowed)},
		"unknown mode":   {middleware.WithDPoP(d, 0)},
		"with extractor": {middleware.WithDPoP(d, middleware.DPoPAllowed), middleware.WithTokenExtractor(func(*http.Request) (string, error) { return "", nil })},
	} {
		t.Run(name, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Error("got no panic")
				}
			}()
			middleware.Authenticate(v, opts...)
		})
	}
}

// TestDP25ProofKeyNeverVerifiesTokens (SECURITY.md DP25, H1, H4 for DPoP):
// an attacker signs an access token with the DPoP key itself, puts that
// key in the token's jwk header, names the tenant's EC kid and binds the
// token to the key (cnf.jkt), then sends it with a valid proof. The proof
// passes on its own, but the token is checked only with the configured
// keys: refused.
func TestDP25ProofKeyNeverVerifiesTokens(t *testing.T) {
	dpopKeys(t)
	tenant, err := authtest.NewTenant(authtest.Config{Now: func() time.Time { return testNow }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(tenant.Close)
	forged, err := tenant.Mint(authtest.Token{Alg: "ES256", Key: clientKey.Signer(), DPoP: clientKey,
		Claims: map[string]any{"aud": testAud}, Header: map[string]any{"jwk": clientKey.PublicJWK()}})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		id     string
		reject bool // RejectEmbeddedKeys (H4)
		reason string
	}{{"DP25/H1", false, "bad_signature"}, {"DP25/H4", true, "malformed"}} {
		t.Run(tc.id, func(t *testing.T) {
			v, err := verifier.New(verifier.Config{Issuer: tenant.Issuer(), Audience: []string{testAud}, Algorithms: []string{"RS256", "ES256"},
				Keys: tenant.KeySet(), RejectEmbeddedKeys: tc.reject, Now: func() time.Time { return testNow }})
			if err != nil {
				t.Fatal(err)
			}
			var ev events
			h := middleware.Authenticate(v, middleware.WithObserver(&ev), middleware.WithDPoP(newDPoP(t, nil), middleware.DPoPRequired))(echo)
			r := httptest.NewRequest(http.MethodGet, "https://api.example.com/items", nil)
			r.Header.Set("Authorization", "DPoP "+forged)
			r.Header.Set("DPoP", mkProof(t, clientKey, "GET", "https://api.example.com/items", forged, authtest.Proof{}))
			w := httptest.NewRecorder()
			h.ServeHTTP(w, r)
			got := ev.take()
			if w.Code != 401 || len(got) != 1 || got[0].Reason != tc.reason {
				t.Errorf("got %d, events %+v; want 401, reason %q", w.Code, got, tc.reason)
			}
		})
	}
}
