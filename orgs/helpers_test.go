package orgs_test

import (
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
	"sync"
	"testing"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/tokengate/tokengate/middleware"
	"github.com/tokengate/tokengate/verifier"
)

// Fixtures: a real RSA key, generated once per test binary, and a verifier
// trusting it with a fixed clock.
var (
	keyOnce sync.Once
	rsaKey  *rsa.PrivateKey
)

const (
	testIss = "https://tenant.example.com/"
	testAud = "https://api.example.com"
)

var testNow = time.Unix(1_800_000_000, 0)

// token signs an RS256 access token with the default claims plus over (a
// nil value removes a claim).
func token(t testing.TB, over map[string]any) string {
	t.Helper()
	keyOnce.Do(func() {
		var err error
		if rsaKey, err = rsa.GenerateKey(rand.Reader, 2048); err != nil {
			panic(err)
		}
	})
	c := map[string]any{"iss": testIss, "aud": testAud, "sub": "auth0|alice",
		"exp": testNow.Add(time.Hour).Unix(), "scope": "read:items"}
	for k, v := range over {
		if v == nil {
			delete(c, k)
		} else {
			c[k] = v
		}
	}
	enc := base64.RawURLEncoding.EncodeToString
	h, _ := json.Marshal(map[string]string{"alg": "RS256", "typ": "JWT", "kid": "k1"})
	p, err := json.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	input := enc(h) + "." + enc(p)
	sum := sha256.Sum256([]byte(input))
	sig, err := rsa.SignPKCS1v15(rand.Reader, rsaKey, crypto.SHA256, sum[:])
	if err != nil {
		t.Fatal(err)
	}
	return input + "." + enc(sig)
}

func newVerifier(t testing.TB) *verifier.Verifier {
	t.Helper()
	token(t, nil) // the key
	k, err := verifier.NewKey("k1", "RS256", &rsaKey.PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	ks, err := verifier.NewKeySet(k)
	if err != nil {
		t.Fatal(err)
	}
	v, err := verifier.New(verifier.Config{Issuer: testIss, Audience: []string{testAud}, Keys: ks,
		Now: func() time.Time { return testNow }})
	if err != nil {
		t.Fatal(err)
	}
	return v
}

type mw = func(http.Handler) http.Handler

// echo answers 200 with the token's subject and organization.
var echo = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
	c, ok := middleware.ClaimsFromContext(r.Context())
	if !ok {
		io.WriteString(w, "anonymous")
		return
	}
	fmt.Fprintf(w, "sub=%s org=%s", c.Subject, c.OrgID+c.OrgName)
})

func wrap(h http.Handler, chain []mw) http.Handler {
	for i := len(chain) - 1; i >= 0; i-- {
		h = chain[i](h)
	}
	return h
}

// routers puts the chain on GET pattern, on http.ServeMux and on chi.
var routers = []struct {
	name  string
	serve func(pattern string, chain ...mw) http.Handler
}{
	{"ServeMux", func(pattern string, chain ...mw) http.Handler {
		mux := http.NewServeMux()
		mux.Handle("GET "+pattern, wrap(echo, chain))
		return mux
	}},
	{"chi", func(pattern string, chain ...mw) http.Handler {
		r := chi.NewRouter()
		r.With(chain...).Get(pattern, echo)
		return r
	}},
}

func server(t *testing.T, h http.Handler) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv
}

func call(t *testing.T, srv *httptest.Server, target string, header http.Header) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, srv.URL+target, nil)
	if err != nil {
		t.Fatal(err)
	}
	for k, vs := range header {
		if k == "Host" {
			req.Host = vs[0]
			continue
		}
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

const (
	bodyDenied        = `{"error":"access_denied","error_description":"the access token is not valid for this organization"}` + "\n"
	bodyMissing       = `{"error":"access_denied","error_description":"the request names no organization this token can be checked against"}` + "\n"
	bodyNotMember     = `{"error":"access_denied","error_description":"the user is not a member of the token's organization"}` + "\n"
	bodyUnavailable   = `{"error":"temporarily_unavailable","error_description":"the organization cannot be checked right now; try again later"}` + "\n"
	bodyUnauthorized  = `{"error":"unauthorized","error_description":"a bearer token is required"}` + "\n"
	challengeNoBearer = `Bearer realm="api"`
)

// want is an expected answer; an empty challenge means no WWW-Authenticate.
type want struct {
	status     int
	challenge  string
	body       string
	retryAfter string
}

func check(t *testing.T, resp *http.Response, body string, w want) {
	t.Helper()
	if resp.StatusCode != w.status {
		t.Errorf("status: got %d, want %d (body %q)", resp.StatusCode, w.status, body)
	}
	if got := resp.Header.Get("WWW-Authenticate"); got != w.challenge {
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

// readAll reads and closes a response body (at most 64 KiB).
func readAll(t *testing.T, resp *http.Response) string {
	t.Helper()
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 1<<16))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
