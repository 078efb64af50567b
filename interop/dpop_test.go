package interop

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/tokengate/tokengate/authtest"
	"github.com/tokengate/tokengate/dpop"
	"github.com/tokengate/tokengate/middleware"
	"github.com/tokengate/tokengate/verifier"
)

// resourceDPoP is provider.mjs's RS256 resource for DPoP-bound tokens.
const resourceDPoP = "https://dpop.interop.test"

// proofRequest asks provider.mjs (POST /test/dpop-proof) for a DPoP proof
// signed with npm jose; the fields are dpopProof's options there.
type proofRequest struct {
	Alg         string         `json:"alg,omitempty"`
	HTM         string         `json:"htm"`
	HTU         string         `json:"htu"`
	AccessToken string         `json:"accessToken,omitempty"`
	Nonce       string         `json:"nonce,omitempty"`
	IatOffset   int            `json:"iatOffset,omitempty"`
	Omit        []string       `json:"omit,omitempty"`
	Header      map[string]any `json:"header,omitempty"`
	PrivateJWK  bool           `json:"privateJwk,omitempty"`
	SignWith    string         `json:"signWith,omitempty"`
	None        bool           `json:"none,omitempty"`
	HS256       bool           `json:"hs256,omitempty"`
	Secret      string         `json:"secret,omitempty"`
}

type proofAnswer struct {
	Proof string         `json:"proof"`
	JWK   map[string]any `json:"jwk"`
	JKT   string         `json:"jkt"` // RFC 7638 thumbprint, computed by jose
}

func joseProof(t *testing.T, pr proofRequest) proofAnswer {
	t.Helper()
	b, _ := json.Marshal(pr)
	resp, err := httpClient().Post(issuer+"/test/dpop-proof", "application/json", bytes.NewReader(b))
	if err != nil {
		t.Fatalf("/test/dpop-proof: %v", err)
	}
	body := readBody(t, resp)
	var a proofAnswer
	if err := json.Unmarshal(body, &a); err != nil || resp.StatusCode != 200 || a.Proof == "" {
		t.Fatalf("/test/dpop-proof: status %d, body %s, %v", resp.StatusCode, body, err)
	}
	return a
}

// dpopTokenRequest sends a client-credentials request for resourceDPoP
// with proof in the DPoP header, and returns the status and answer.
func dpopTokenRequest(t *testing.T, proof string) (int, tokenResponse) {
	t.Helper()
	form := url.Values{"grant_type": {"client_credentials"}, "resource": {resourceDPoP}, "scope": {"read:things"}}
	req, err := http.NewRequest(http.MethodPost, issuer+"/token", strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("DPoP", proof)
	req.SetBasicAuth(url.QueryEscape(ccClient), url.QueryEscape(ccSecret))
	resp, err := httpClient().Do(req)
	if err != nil {
		t.Fatalf("token request: %v", err)
	}
	body := readBody(t, resp)
	var tr tokenResponse
	if err := json.Unmarshal(body, &tr); err != nil {
		t.Fatalf("token response (status %d): %v", resp.StatusCode, err)
	}
	return resp.StatusCode, tr
}

// dpopAPI is an httptest API behind Authenticate with WithDPoP, whose
// proof verifier knows the API's URL.
type dpopAPI struct {
	srv    *httptest.Server
	events chan middleware.Event
}

func newDPoPAPI(t *testing.T, v *verifier.Verifier, mode middleware.DPoPMode, cfg dpop.Config) *dpopAPI {
	t.Helper()
	a := &dpopAPI{events: make(chan middleware.Event, 64)}
	var h http.Handler // set below: the proof verifier needs the server's URL
	a.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { h.ServeHTTP(w, r) }))
	t.Cleanup(a.srv.Close)
	cfg.URL = a.srv.URL
	d, err := dpop.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ok := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, _ := middleware.ClaimsFromContext(r.Context())
		io.WriteString(w, c.ClientID)
	})
	h = middleware.Authenticate(v, middleware.WithDPoP(d, mode), middleware.WithObserver(middleware.ObserverFunc(func(_ context.Context, e middleware.Event) {
		select {
		case a.events <- e:
		default:
		}
	})))(ok)
	return a
}

type dpopAnswer struct {
	status  int
	wwwAuth string
	nonce   string
	body    string
	reason  string
}

// call sends GET /things with the Authorization value and proof ("" for
// none) and returns the answer with the middleware's reason label.
func (a *dpopAPI) call(t *testing.T, authorization, proof string) dpopAnswer {
	t.Helper()
	req, _ := http.NewRequestWithContext(context.Background(), http.MethodGet, a.srv.URL+"/things", nil)
	req.Header.Set("Authorization", authorization)
	if proof != "" {
		req.Header.Set("DPoP", proof)
	}
	resp, err := a.srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body := readBody(t, resp)
	ans := dpopAnswer{status: resp.StatusCode, wwwAuth: resp.Header.Get("WWW-Authenticate"), nonce: resp.Header.Get("DPoP-Nonce"), body: string(body)}
	select {
	case e := <-a.events:
		ans.reason = e.Reason
	case <-t.Context().Done():
	}
	return ans
}

// TestDPoPJose: oidc-provider binds a client-credentials token to the key
// of a DPoP proof signed with npm jose (cnf.jkt, jose's thumbprint, equal
// to ours); the token is refused without a proof (X1) and as Bearer; proofs
// signed by jose for the API pass, and broken ones are refused, each for
// its own reason (SECURITY.md DP1-DP18).
func TestDPoPJose(t *testing.T) {
	rk := newRemoteKeys(t, nil)
	got := joseProof(t, proofRequest{HTM: "POST", HTU: issuer + "/token"})
	status, tr := dpopTokenRequest(t, got.Proof)
	if status != 200 || tr.TokenType != "DPoP" || tr.AccessToken == "" {
		t.Fatalf("token request with a jose proof: got %d, token_type %q (%s: %s); want 200 DPoP", status, tr.TokenType, tr.Error, tr.Description)
	}
	tok := tr.AccessToken
	v := accessVerifier(t, rk, resourceDPoP, "RS256")

	// The binding: the provider's cnf.jkt is jose's thumbprint, and ours.
	if _, err := v.Verify(context.Background(), tok); !errors.Is(err, verifier.ErrBoundToken) {
		t.Fatalf("X1: the provider's DPoP-bound token without WithBindings: got %v, want ErrBoundToken", err)
	}
	claims, err := v.Verify(context.Background(), tok, verifier.WithBindings(verifier.BindingDPoP))
	if err != nil || claims.Confirmation == nil || claims.Confirmation.JKT != got.JKT {
		t.Fatalf("got claims %+v, %v; want cnf.jkt %q (jose's thumbprint)", claims, err, got.JKT)
	}

	api := newDPoPAPI(t, v, middleware.DPoPRequired, dpop.Config{Algorithms: []string{"ES256", "EdDSA"}})
	htu := api.srv.URL + "/things"
	proof := func(pr proofRequest) string {
		if pr.HTM == "" {
			pr.HTM = "GET"
		}
		if pr.HTU == "" {
			pr.HTU = htu
		}
		if pr.AccessToken == "" {
			pr.AccessToken = tok
		}
		return joseProof(t, pr).Proof
	}
	good := proof(proofRequest{})
	if a := api.call(t, "DPoP "+tok, good); a.status != 200 || a.body != ccClient {
		t.Fatalf("jose proof: got %d %q (%s, reason %s); want 200", a.status, a.body, a.wwwAuth, a.reason)
	}
	for _, tc := range []struct {
		id            string
		authorization string
		proof         func() string
		reason        string
	}{
		{"DP13/replay", "DPoP " + tok, func() string { return good }, "dpop_replay"},
		{"DP17/as-bearer", "Bearer " + tok, func() string { return "" }, "dpop_required"},
		{"DP1/typ-JWT", "DPoP " + tok, func() string { return proof(proofRequest{Header: map[string]any{"typ": "JWT"}}) }, "dpop_type"},
		{"DP2/HS256", "DPoP " + tok, func() string { return proof(proofRequest{HS256: true, Secret: "0123456789abcdef0123456789abcdef"}) }, "dpop_algorithm"},
		{"DP3/none", "DPoP " + tok, func() string { return proof(proofRequest{None: true}) }, "dpop_malformed"},
		{"DP5/private-key", "DPoP " + tok, func() string { return proof(proofRequest{PrivateJWK: true}) }, "dpop_key"},
		{"DP7/bad-signature", "DPoP " + tok, func() string { return proof(proofRequest{SignWith: "other"}) }, "dpop_signature"},
		{"DP8/htm", "DPoP " + tok, func() string { return proof(proofRequest{HTM: "POST"}) }, "dpop_htm"},
		{"DP9/htu-path", "DPoP " + tok, func() string { return proof(proofRequest{HTU: api.srv.URL + "/admin"}) }, "dpop_htu"},
		{"DP9/htu-scheme", "DPoP " + tok, func() string { return proof(proofRequest{HTU: strings.Replace(htu, "http:", "https:", 1)}) }, "dpop_htu"},
		{"DP11/iat-old", "DPoP " + tok, func() string { return proof(proofRequest{IatOffset: -120}) }, "dpop_iat"},
		{"DP11/iat-new", "DPoP " + tok, func() string { return proof(proofRequest{IatOffset: 120}) }, "dpop_iat"},
		{"DP12/no-jti", "DPoP " + tok, func() string { return proof(proofRequest{Omit: []string{"jti"}}) }, "dpop_malformed"},
		{"DP14/ath-other-token", "DPoP " + tok, func() string { return proof(proofRequest{AccessToken: "another-token"}) }, "dpop_ath"},
		{"DP14/no-ath", "DPoP " + tok, func() string { return proof(proofRequest{Omit: []string{"ath"}}) }, "dpop_ath"},
		{"DP15/other-key", "DPoP " + tok, func() string { return proof(proofRequest{Alg: "EdDSA"}) }, "dpop_jkt"},
		{"DP20/no-proof", "DPoP " + tok, func() string { return "" }, "dpop_missing"},
	} {
		t.Run(tc.id, func(t *testing.T) {
			a := api.call(t, tc.authorization, tc.proof())
			if a.status != 401 || a.reason != tc.reason || !strings.HasPrefix(a.wwwAuth, `DPoP realm="api", algs="ES256 EdDSA"`) {
				t.Errorf("got %d, reason %q, WWW-Authenticate %q; want 401, reason %q", a.status, a.reason, a.wwwAuth, tc.reason)
			}
			if strings.Contains(a.body, tok[len(tok)-20:]) {
				t.Error("the answer echoes the token")
			}
		})
	}

	t.Run("DP18/nonce", func(t *testing.T) {
		api := newDPoPAPI(t, v, middleware.DPoPRequired, dpop.Config{NonceSecret: []byte("interop-nonce-secret-0123456789abcdef")})
		htu := api.srv.URL + "/things"
		a := api.call(t, "DPoP "+tok, joseProof(t, proofRequest{HTM: "GET", HTU: htu, AccessToken: tok}).Proof)
		if a.status != 401 || a.nonce == "" || !strings.Contains(a.wwwAuth, `error="use_dpop_nonce"`) {
			t.Fatalf("without a nonce: got %d, DPoP-Nonce %q, %q; want 401 use_dpop_nonce with a nonce", a.status, a.nonce, a.wwwAuth)
		}
		if b := api.call(t, "DPoP "+tok, joseProof(t, proofRequest{HTM: "GET", HTU: htu, AccessToken: tok, Nonce: "wrong"}).Proof); b.status != 401 || b.reason != "dpop_nonce" {
			t.Errorf("wrong nonce: got %d, reason %q; want 401 dpop_nonce", b.status, b.reason)
		}
		if b := api.call(t, "DPoP "+tok, joseProof(t, proofRequest{HTM: "GET", HTU: htu, AccessToken: tok, Nonce: a.nonce}).Proof); b.status != 200 {
			t.Errorf("with the nonce: got %d (%s), want 200", b.status, b.wwwAuth)
		}
	})
}

// TestDPoPAuthtestProofs: proofs signed by authtest pass oidc-provider's
// token endpoint (a cross-check of our proof format by another
// implementation), bind the token to authtest's key, and pass the API.
func TestDPoPAuthtestProofs(t *testing.T) {
	rk := newRemoteKeys(t, nil)
	for _, alg := range []string{"ES256", "EdDSA"} {
		t.Run(alg, func(t *testing.T) {
			key, err := authtest.NewDPoPKey(alg)
			if err != nil {
				t.Fatal(err)
			}
			bad, _ := key.Proof(authtest.Proof{Method: "POST", URL: issuer + "/other"})
			if status, tr := dpopTokenRequest(t, bad); status != 400 || tr.Error != "invalid_dpop_proof" {
				t.Errorf("authtest proof with a wrong htu at the provider: got %d %s, want 400 invalid_dpop_proof", status, tr.Error)
			}
			p, err := key.Proof(authtest.Proof{Method: "POST", URL: issuer + "/token"})
			if err != nil {
				t.Fatal(err)
			}
			status, tr := dpopTokenRequest(t, p)
			if status != 200 || tr.TokenType != "DPoP" {
				t.Fatalf("authtest proof at the provider: got %d %s (%s), want 200 DPoP", status, tr.Error, tr.Description)
			}
			v := accessVerifier(t, rk, resourceDPoP, "RS256")
			c, err := v.Verify(context.Background(), tr.AccessToken, verifier.WithBindings(verifier.BindingDPoP))
			if err != nil || c.Confirmation.JKT != key.JKT() {
				t.Fatalf("got %+v, %v; want cnf.jkt %q (authtest's thumbprint)", c, err, key.JKT())
			}
			api := newDPoPAPI(t, v, middleware.DPoPAllowed, dpop.Config{Algorithms: []string{"ES256", "EdDSA"}})
			ap, _ := key.Proof(authtest.Proof{URL: api.srv.URL + "/things", AccessToken: tr.AccessToken})
			if a := api.call(t, "DPoP "+tr.AccessToken, ap); a.status != 200 {
				t.Errorf("authtest proof at the API: got %d (%s, %s)", a.status, a.wwwAuth, a.reason)
			}
			if a := api.call(t, "Bearer "+tr.AccessToken, ""); a.status != 401 || a.reason != "bound_token" {
				t.Errorf("DP17: the bound token as Bearer in DPoPAllowed: got %d, reason %q; want 401 bound_token", a.status, a.reason)
			}
		})
	}
}
