package middleware_test

import (
	"context"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/tokengate/tokengate/middleware"
	"github.com/tokengate/tokengate/verifier"
)

// Fixtures: real RSA keys, generated once per test binary.
var (
	keysOnce sync.Once
	rsaKey   *rsa.PrivateKey // k1, in the verifier's key set
	rogueKey *rsa.PrivateKey // not in any key set
)

const (
	testIss = "https://tenant.example.com/"
	testAud = "https://api.example.com"
)

var testNow = time.Unix(1_800_000_000, 0)

func loadKeys(t testing.TB) {
	t.Helper()
	keysOnce.Do(func() {
		var err error
		if rsaKey, err = rsa.GenerateKey(rand.Reader, 2048); err != nil {
			panic(err)
		}
		if rogueKey, err = rsa.GenerateKey(rand.Reader, 2048); err != nil {
			panic(err)
		}
	})
}

func b64(b []byte) string { return base64.RawURLEncoding.EncodeToString(b) }

// mint signs an RS256 token with key under kid. over changes the default
// claims; a nil value removes a claim.
func mint(t testing.TB, key *rsa.PrivateKey, kid string, over map[string]any) string {
	t.Helper()
	c := map[string]any{
		"iss":   testIss,
		"sub":   "auth0|alice",
		"aud":   testAud,
		"iat":   testNow.Add(-time.Minute).Unix(),
		"exp":   testNow.Add(time.Hour).Unix(),
		"scope": "openid read:items write:items",
	}
	for k, v := range over {
		if v == nil {
			delete(c, k)
		} else {
			c[k] = v
		}
	}
	hdr, _ := json.Marshal(map[string]string{"alg": "RS256", "typ": "JWT", "kid": kid})
	payload, err := json.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	input := b64(hdr) + "." + b64(payload)
	sum := sha256.Sum256([]byte(input))
	sig, err := rsa.SignPKCS1v15(rand.Reader, key, crypto.SHA256, sum[:])
	if err != nil {
		t.Fatal(err)
	}
	return input + "." + b64(sig)
}

// token is a valid token with the default claims plus over.
func token(t testing.TB, over map[string]any) string {
	loadKeys(t)
	return mint(t, rsaKey, "k1", over)
}

func keySet(t testing.TB) *verifier.KeySet {
	t.Helper()
	loadKeys(t)
	k, err := verifier.NewKey("k1", "RS256", &rsaKey.PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	s, err := verifier.NewKeySet(k)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func newVerifier(t testing.TB, keys verifier.KeySource) *verifier.Verifier {
	t.Helper()
	if keys == nil {
		keys = keySet(t)
	}
	v, err := verifier.New(verifier.Config{Issuer: testIss, Audience: []string{testAud}, Keys: keys,
		Now: func() time.Time { return testNow }})
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// downKeys is a key source whose keys cannot be had (a JWKS endpoint that
// never answered).
type downKeys struct{}

func (downKeys) Key(context.Context, string, string) (*verifier.Key, error) {
	return nil, fmt.Errorf("%w: jwks endpoint unreachable", verifier.ErrKeysUnavailable)
}

// ctxKeys fails with the context's error once it ends, after telling
// entered that it was called.
type ctxKeys struct{ entered chan struct{} }

func (k ctxKeys) Key(ctx context.Context, _, _ string) (*verifier.Key, error) {
	if k.entered != nil {
		close(k.entered)
	}
	<-ctx.Done()
	return nil, ctx.Err()
}

type mw = func(http.Handler) http.Handler

// route is one protected route: a pattern in the syntax both routers share,
// an optional method ("" for any) and the middleware chain, outermost first.
type route struct {
	method, pattern string
	chain           []mw
}

func get(pattern string, chain ...mw) route { return route{http.MethodGet, pattern, chain} }

// echo answers 200 with what the handler saw: the subject and organization
// of the claims, or "anonymous".
var echo = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
	c, ok := middleware.ClaimsFromContext(r.Context())
	if !ok {
		io.WriteString(w, "anonymous")
		return
	}
	fmt.Fprintf(w, "sub=%s", c.Subject)
})

func wrap(h http.Handler, chain []mw) http.Handler {
	for i := len(chain) - 1; i >= 0; i-- {
		h = chain[i](h)
	}
	return h
}

// routers builds the same routes on http.ServeMux and on chi.
var routers = []struct {
	name  string
	serve func(routes ...route) http.Handler
}{
	{"ServeMux", func(routes ...route) http.Handler {
		mux := http.NewServeMux()
		for _, rt := range routes {
			p := rt.pattern
			if rt.method != "" {
				p = rt.method + " " + p
			}
			mux.Handle(p, wrap(echo, rt.chain))
		}
		return mux
	}},
	{"chi", func(routes ...route) http.Handler {
		r := chi.NewRouter()
		for _, rt := range routes {
			if rt.method == "" {
				r.With(rt.chain...).Handle(rt.pattern, echo)
			} else {
				r.With(rt.chain...).Method(rt.method, rt.pattern, echo)
			}
		}
		return r
	}},
}

func server(t *testing.T, h http.Handler) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv
}

// call sends one request and returns the response with its body read.
func call(t *testing.T, srv *httptest.Server, method, target string, header http.Header) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(method, srv.URL+target, nil)
	if err != nil {
		t.Fatal(err)
	}
	for k, vs := range header {
		req.Header[k] = vs
	}
	c := *srv.Client() // a copy: tests call in parallel
	c.Timeout = 10 * time.Second
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 1<<16))
	if err != nil {
		t.Fatal(err)
	}
	return resp, string(b)
}

func bearer(tok string) http.Header { return http.Header{"Authorization": {"Bearer " + tok}} }

// Expected answers, written out in full.
const (
	bodyMissing     = `{"error":"unauthorized","error_description":"a bearer token is required"}` + "\n"
	bodyBadRequest  = `{"error":"invalid_request","error_description":"the request's bearer credentials are malformed or ambiguous"}` + "\n"
	bodyScope       = `{"error":"insufficient_scope","error_description":"the access token lacks a required scope or permission"}` + "\n"
	bodyUnavailable = `{"error":"temporarily_unavailable","error_description":"the token cannot be checked right now; try again later"}` + "\n"

	chMissing    = `Bearer realm="api"`
	chBadRequest = `Bearer realm="api", error="invalid_request", error_description="the request's bearer credentials are malformed or ambiguous"`
)

// The descriptions of refused tokens, one per failure class
// (internal/errclass), and the answers that carry them.
const (
	descUniform   = "the access token is invalid or has expired"
	descSignature = "the access token's signature cannot be verified"
	descExpired   = "the access token has expired"
	descAudience  = "the access token is not meant for this resource"
	descIssuer    = "the access token is not from an issuer this resource trusts"
	descMalformed = "the access token is malformed"
	descOrg       = "the access token is not valid for this organization"
	descBound     = "the access token is sender-constrained and was sent without its proof of possession"
	descRejected  = "the access token's claims are not accepted by this resource"
	descCert      = "the access token is not bound to the client certificate of this connection"

	// The most frequent refusal of the tests: a token signed by rogueKey.
	chBadToken   = `Bearer realm="api", error="invalid_token", error_description="` + descSignature + `"`
	bodyBadToken = `{"error":"invalid_token","error_description":"` + descSignature + `"}` + "\n"
)

// chToken and bodyToken are the challenge and body of a refused token of
// the class described by desc.
func chToken(desc string) string {
	return `Bearer realm="api", error="invalid_token", error_description="` + desc + `"`
}

func bodyToken(desc string) string {
	return `{"error":"invalid_token","error_description":"` + desc + `"}` + "\n"
}

func chScope(scope string) string {
	return `Bearer realm="api", error="insufficient_scope", error_description="the access token lacks a required scope or permission", scope="` + scope + `"`
}

// want is an expected answer. An empty challenge means no WWW-Authenticate.
type want struct {
	status     int
	challenge  string
	body       string
	retryAfter string
}

func checkResponse(t *testing.T, resp *http.Response, body string, w want) {
	t.Helper()
	if resp.StatusCode != w.status {
		t.Errorf("status: got %d, want %d (body %q)", resp.StatusCode, w.status, body)
	}
	if got := resp.Header.Values("WWW-Authenticate"); w.challenge == "" && len(got) != 0 || w.challenge != "" && (len(got) != 1 || got[0] != w.challenge) {
		t.Errorf("WWW-Authenticate: got %q, want %q", got, w.challenge)
	}
	if body != w.body {
		t.Errorf("body: got %q, want %q", body, w.body)
	}
	if got := resp.Header.Get("Retry-After"); got != w.retryAfter {
		t.Errorf("Retry-After: got %q, want %q", got, w.retryAfter)
	}
	if w.status >= 400 {
		if got := resp.Header.Get("Content-Type"); got != "application/json" {
			t.Errorf("Content-Type: got %q, want application/json", got)
		}
		if got := resp.Header.Get("Cache-Control"); got != "no-store" {
			t.Errorf("Cache-Control: got %q, want no-store", got)
		}
	}
}

// events collects Observer events. It checks that each came with the
// request's context, a start, a duration and the method, then clears them,
// so that tests compare the labels.
type events struct {
	mu     sync.Mutex
	ev     []middleware.Event
	broken []string // events without context, start or method
}

func (e *events) ObserveRequest(ctx context.Context, ev middleware.Event) {
	e.mu.Lock()
	if ctx == nil || ev.Start.IsZero() || ev.Duration < 0 || ev.Method == "" {
		e.broken = append(e.broken, fmt.Sprintf("%+v", ev))
	}
	ev.Start, ev.Duration, ev.Method = time.Time{}, 0, ""
	e.ev = append(e.ev, ev)
	e.mu.Unlock()
}

func (e *events) take() []middleware.Event {
	e.mu.Lock()
	defer e.mu.Unlock()
	if len(e.broken) > 0 {
		panic(fmt.Sprintf("events without context, start, duration or method: %v", e.broken))
	}
	out := e.ev
	e.ev = nil
	return out
}

func contains(s string, parts ...string) (string, bool) {
	for _, p := range parts {
		if p != "" && strings.Contains(s, p) {
			return p, true
		}
	}
	return "", false
}
