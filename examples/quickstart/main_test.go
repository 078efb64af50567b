package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tokengate/tokengate/authtest"
)

func noEnv(string) string { return "" }

func env(kv map[string]string) func(string) string {
	return func(k string) string { return kv[k] }
}

func testContext(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// The README's first command with -demo: what .ci/run checks, in process.
func TestDemo(t *testing.T) {
	var out, logs bytes.Buffer
	if err := run(testContext(t), []string{"-demo"}, noEnv, &out, &logs); err != nil {
		t.Fatalf("run -demo: got %v, want nil; output:\n%s", err, out.String())
	}
	got := out.String()
	// The answers issue 5 asks the demo to show, each as expected.
	for _, line := range []string{
		`ok   GET  /public +- +-> 200 +want 200`,
		`ok   GET  /api/items +- +-> 401 unauthorized +want 401`,
		`ok   GET  /api/items +\$TAMPERED -> 401 invalid_token +want 401`,
		`ok   GET  /api/items +\$EXPIRED +-> 401 invalid_token +want 401`,
		`ok   POST /api/items +\$BOB +-> 403 insufficient_scope +want 403`,
		`ok   GET  /orgs/globex/items +\$ALICE +-> 403 access_denied +want 403`,
		`ok   GET  /orgs/org_\w+/items +\$ALICE +-> 200 +want 200`,
		`ok   GET  /metrics +- +-> 200 +want 200`,
		`(?m)^all 14 answers as expected$`,
	} {
		if !regexp.MustCompile(line).MatchString(got) {
			t.Errorf("output: no line matching %q in:\n%s", line, got)
		}
	}
	if strings.Contains(got, "BAD") {
		t.Errorf("output: got an unexpected answer:\n%s", got)
	}
	if logs.Len() != 0 {
		t.Errorf("logs: got %q, want nothing in -demo mode", logs.String())
	}
}

// runDemo must fail, and say so, when an answer is not the expected one.
func TestDemoReportsUnexpectedStatus(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/open" {
			w.WriteHeader(http.StatusOK)
			return
		}
		w.WriteHeader(http.StatusUnauthorized)
	}))
	defer srv.Close()
	var out bytes.Buffer
	err := runDemo(testContext(t), &out, srv.URL, []call{
		{method: "GET", path: "/closed", want: 401, about: "as expected"},
		{method: "GET", path: "/open", want: 401, about: "a route left open"},
		{method: "GET", path: "/closed", token: &bearer{name: "T", value: "x"}, want: 200, about: "a good token refused"},
	})
	if err == nil || err.Error() != "2 of 3 answers were not the expected ones" {
		t.Errorf("runDemo: got error %v, want 2 of 3 answers were not the expected ones", err)
	}
	if got := strings.Count(out.String(), "BAD"); got != 2 {
		t.Errorf("output: got %d BAD lines, want 2:\n%s", got, out.String())
	}
}

// AUTH0_DOMAIN and AUTH0_AUDIENCE select a "real" tenant: here a local one
// given with its scheme, so that the path is tested without the network.
func TestRealTenant(t *testing.T) {
	const aud = "https://api.real.example"
	tenant, err := authtest.NewTenant(authtest.Config{APIs: []string{aud}})
	if err != nil {
		t.Fatal(err)
	}
	defer tenant.Close()
	real := env(map[string]string{"AUTH0_DOMAIN": tenant.URL, "AUTH0_AUDIENCE": aud})
	good := tenant.AccessToken("auth0|carol", aud, "read:items")
	other := tenant.AccessToken("auth0|carol", "https://another.example", "read:items")

	tests := []struct {
		name    string
		args    []string
		getenv  func(string) string
		wantErr string // "" for success
		want    []string
	}{
		{"no token: only the 401s", []string{"-demo"}, real, "",
			[]string{"ok   GET  /api/me", "-> 401 invalid_token", "(4 requests skipped", "all 3 answers as expected"}},
		{"with a token", []string{"-demo", "-token", good}, real, "",
			[]string{"$TOKEN    -> 200", "$TAMPERED -> 401 invalid_token", "all 5 answers as expected"}},
		{"a token for another API", []string{"-demo", "-token", other}, real, "1 of 5 answers",
			[]string{"BAD  GET  /api/me", "$TOKEN    -> 401 invalid_token"}},
		{"domain without audience", []string{"-demo"}, env(map[string]string{"AUTH0_DOMAIN": tenant.URL}), "set both", nil},
		{"audience without domain", []string{"-demo"}, env(map[string]string{"AUTH0_AUDIENCE": aud}), "set both", nil},
		{"a token for the local tenant", []string{"-demo", "-token", good}, noEnv, "-token is for a real tenant", nil},
		{"a stray argument", []string{"-demo", "extra"}, noEnv, "unexpected arguments", nil},
		{"an unknown flag", []string{"-demo", "-port", "80"}, noEnv, "flag provided but not defined", nil},
		{"help", []string{"-h"}, noEnv, "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out, logs bytes.Buffer
			err := run(testContext(t), tt.args, tt.getenv, &out, &logs)
			if tt.wantErr == "" && err != nil || tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)) {
				t.Fatalf("run: got error %v, want %q; output:\n%s", err, tt.wantErr, out.String())
			}
			for _, w := range tt.want {
				if !strings.Contains(out.String(), w) {
					t.Errorf("output: no %q in:\n%s", w, out.String())
				}
			}
			if strings.Contains(out.String(), good) || strings.Contains(out.String(), other) {
				t.Errorf("output: got the -token value printed, want it never printed")
			}
		})
	}
}

// notifyWriter collects output and closes seen once it contains marker.
type notifyWriter struct {
	mu     sync.Mutex
	buf    bytes.Buffer
	marker string
	seen   chan struct{}
	once   sync.Once
}

func (w *notifyWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.buf.Write(p)
	if strings.Contains(w.buf.String(), w.marker) {
		w.once.Do(func() { close(w.seen) })
	}
	return len(p), nil
}

func (w *notifyWriter) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.buf.String()
}

// Without -demo it serves what it printed until the context ends (the
// signal), then shuts down.
func TestServeUntilInterrupted(t *testing.T) {
	ctx, cancel := context.WithCancel(testContext(t))
	defer cancel()
	out := &notifyWriter{marker: "Serving until interrupted", seen: make(chan struct{})}
	logs := &notifyWriter{marker: "\n", seen: make(chan struct{})}
	done := make(chan error, 1)
	go func() { done <- run(ctx, []string{"-addr", "127.0.0.1:0"}, noEnv, out, logs) }()
	select {
	case <-out.seen:
	case err := <-done:
		t.Fatalf("run returned early: %v; output:\n%s", err, out.String())
	case <-time.After(20 * time.Second):
		t.Fatalf("run printed no banner in 20 s; output:\n%s", out.String())
	}

	text := out.String()
	apiURL := regexp.MustCompile(`API +(http://127\.0\.0\.1:\d+)`).FindStringSubmatch(text)
	alice := regexp.MustCompile(`export ALICE='([^']+)'`).FindStringSubmatch(text)
	if apiURL == nil || alice == nil {
		t.Fatalf("output: got no API URL or ALICE token in:\n%s", text)
	}
	for _, want := range []string{
		"curl -i " + apiURL[1] + "/public",
		`curl -i -H "Authorization: Bearer $ALICE" ` + apiURL[1] + "/orgs/acme/items",
		"-d grant_type=client_credentials -d client_id=quickstart-app",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("output: no %q in:\n%s", want, text)
		}
	}

	// The printed token works on the printed URL.
	req, _ := http.NewRequest(http.MethodGet, apiURL[1]+"/orgs/acme/items", nil)
	req.Header.Set("Authorization", "Bearer "+alice[1])
	resp, err := (&http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{}}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<16))
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), `"anvil"`) {
		t.Errorf("GET /orgs/acme/items: got %d %s, want 200 with acme's items", resp.StatusCode, body)
	}
	<-logs.seen
	if got, want := logs.String(), `route="GET /orgs/{org}/items" outcome=ok reason=ok`; !strings.Contains(got, want) {
		t.Errorf("logs: got %q, want a line with %q", got, want)
	}
	// A request let through has no status of the auth layer: "status=0"
	// would read as an answer with status 0.
	if got := logs.String(); strings.Contains(got, "status=0") {
		t.Errorf("logs: got %q, want no status=0 for a request let through", got)
	}
	if strings.Contains(logs.String(), alice[1]) {
		t.Errorf("logs: got the token logged, want it never logged")
	}

	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("run after the signal: got %v, want nil", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("run did not return within 10 s of the signal")
	}
}

func TestBaseURL(t *testing.T) {
	tests := []struct{ domain, want string }{
		{"example.us.auth0.com", "https://example.us.auth0.com"},
		{"example.us.auth0.com/", "https://example.us.auth0.com"},
		{"https://example.us.auth0.com/", "https://example.us.auth0.com"},
		{"http://127.0.0.1:4000", "http://127.0.0.1:4000"},
		{"example.us.auth0.com/api", ""},
		{"https://user@example.us.auth0.com", ""},
		{"example.us.auth0.com?x=1", ""},
		{"https://", ""},
		{"/", ""},
	}
	for _, tt := range tests {
		t.Run(tt.domain, func(t *testing.T) {
			got, err := baseURL(tt.domain)
			if tt.want == "" {
				if err == nil {
					t.Errorf("baseURL(%q): got %q, want an error", tt.domain, got)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Errorf("baseURL(%q): got %q, %v, want %q", tt.domain, got, err, tt.want)
			}
		})
	}
}

func FuzzBaseURL(f *testing.F) {
	for _, s := range []string{"example.us.auth0.com", "https://example.us.auth0.com/", "http://127.0.0.1:4000", "a/b", "https://", "x?y#z"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, domain string) {
		got, err := baseURL(domain)
		if err != nil {
			return
		}
		if strings.HasSuffix(got, "/") || !strings.Contains(got, "://") {
			t.Errorf("baseURL(%q) = %q: want a scheme and no trailing slash", domain, got)
		}
	})
}

func TestTamper(t *testing.T) {
	tests := []struct{ in, want string }{
		{"h.p.sigAAAA", "h.p.sigBAAA"}, // 'A' becomes 'B'
		{"h.p.abcdefg", "h.p.abcAefg"}, // others become 'A'
		{"h.p.", "h.p.x"},              // no signature: not a JWS either way
		{"no-dots", "no-dotsx"},        // not a JWS
		{"h.p.s", "h.p.A"},             // one character
	}
	for _, tt := range tests {
		if got := tamper(tt.in); got != tt.want {
			t.Errorf("tamper(%q): got %q, want %q", tt.in, got, tt.want)
		}
	}
}
