package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tokengate/tokengate/authtest"
	"github.com/tokengate/tokengate/client/management"
	"github.com/tokengate/tokengate/verifier"
)

func noEnv(string) string { return "" }

func testContext(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// The demo against the local tenant, as .ci/run runs it.
func TestDemo(t *testing.T) {
	var out, logs bytes.Buffer
	if err := run(testContext(t), []string{"-demo"}, noEnv, &out, &logs); err != nil {
		t.Fatalf("run -demo: got %v, want nil; output:\n%s\nlogs:\n%s", err, out.String(), logs.String())
	}
	got := out.String()
	for _, want := range []string{
		`ok   GET /orgs/acme/me +- +-> 401 want 401  no token`,
		`ok   GET /orgs/acme/me +\$ALICE +-> 200 want 200  alice, her organization`,
		`\{"organization":\{"id":"org_9dHbG2q4TnKxL1Ae","name":"acme"\},"user":\{"user_id":"auth0\|alice","email":"alice@example.com","name":"Alice"\},"roles":\["admin","viewer"\]\}`,
		`ok   GET /orgs/org_9dHbG2q4TnKxL1Ae/me +\$ALICE +-> 200 want 200`,
		`ok   GET /orgs/globex/me +\$ALICE +-> 403 want 403  alice, another organization`,
		`--   dave removed from acme; his token still verifies \(org_id org_9dHbG2q4TnKxL1Ae, expires in 1h0m0s\)`,
		`ok   GET /orgs/acme/me +\$DAVE +-> 403 want 403  dave, removed`,
		`"error_description":"the user is not a member of the token's organization"`,
		`all 5 answers as expected`,
	} {
		if !regexp.MustCompile(want).MatchString(got) {
			t.Errorf("output lacks %q; output:\n%s", want, got)
		}
	}
	if strings.Contains(got, "BAD") || logs.Len() > 0 {
		t.Errorf("got BAD answers or logs; output:\n%s\nlogs:\n%s", got, logs.String())
	}
}

// syncBuffer is a bytes.Buffer that run writes while the test reads.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// Serving mode: the printed curl command works, and run returns once
// interrupted.
func TestServe(t *testing.T) {
	ctx, cancel := context.WithCancel(testContext(t))
	defer cancel()
	var out, logs syncBuffer
	done := make(chan error, 1)
	go func() { done <- run(ctx, nil, noEnv, &out, &logs) }()

	deadline := time.Now().Add(30 * time.Second)
	for !strings.Contains(out.String(), "Serving until interrupted") {
		if time.Now().After(deadline) {
			t.Fatalf("no 'Serving' line after 30 s; output:\n%s", out.String())
		}
		select {
		case err := <-done:
			t.Fatalf("run returned early: %v; output:\n%s", err, out.String())
		case <-time.After(20 * time.Millisecond):
		}
	}
	printed := out.String()
	token := regexp.MustCompile(`export TOKEN='([^']+)'`).FindStringSubmatch(printed)
	urls := regexp.MustCompile(`curl -i -H "Authorization: Bearer \$TOKEN" (\S+)`).FindAllStringSubmatch(printed, -1)
	if token == nil || len(urls) != 2 {
		t.Fatalf("got no token or not 2 curl commands; output:\n%s", printed)
	}
	for i, want := range []int{200, 403} {
		if status, body := send(t, urls[i][1], token[1]); status != want {
			t.Errorf("%s: got %d %s, want %d", urls[i][1], status, body, want)
		}
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("run after interrupt: got %v, want nil", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("run did not return after the interrupt")
	}
	if !strings.Contains(logs.String(), "outcome=ok status=0") {
		t.Errorf("request log lacks the allowed request:\n%s", logs.String())
	}
}

func send(t *testing.T, url, token string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	hc := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{}}
	defer hc.CloseIdleConnections()
	res, err := hc.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(res.Body, 64<<10))
	return res.StatusCode, string(body)
}

// startTenant starts a local tenant with the example's directory, the
// backend allowed the Management API with scopes.
func startTenant(t *testing.T, scopes ...string) *tenant {
	t.Helper()
	cfg := localConfig()
	cfg.Clients[1].ManagementScopes = scopes
	lt, err := authtest.NewTenant(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(lt.Close)
	return &tenant{local: lt, domain: lt.URL, issuer: lt.Issuer(), audience: localAudience, clientID: backendID, secret: backendSecret}
}

// The AUTH0_* path, pointed at a local tenant that plays the real one.
func TestRealTenant(t *testing.T) {
	lt := startTenant(t, managementScopes...)
	env := func(k string) string {
		return map[string]string{"AUTH0_DOMAIN": lt.domain, "AUTH0_AUDIENCE": localAudience,
			"AUTH0_CLIENT_ID": backendID, "AUTH0_CLIENT_SECRET": backendSecret}[k]
	}
	ctx := testContext(t)
	alice, err := lt.login(ctx, "alice@example.com", "alice-password", "acme")
	if err != nil {
		t.Fatal(err)
	}
	dave, err := lt.login(ctx, "dave@example.com", "dave-password", "acme")
	if err != nil {
		t.Fatal(err)
	}
	if err := lt.local.RemoveMember("acme", "dave"); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name    string
		args    []string
		wantErr string // "" for success
		want    []string
	}{
		{"no token", []string{"-demo"}, "", []string{"all 1 answers as expected", "pass a user's access token with -token"}},
		{"token", []string{"-demo", "-token", alice}, "", []string{
			"ok   GET /orgs/org_9dHbG2q4TnKxL1Ae/me", "ok   GET /orgs/org_tokengateNoSuchOrg/me", "all 3 answers as expected"}},
		{"token of a removed member", []string{"-demo", "-token", dave}, "1 of 3 answers were not the expected ones", []string{
			"BAD  GET /orgs/org_9dHbG2q4TnKxL1Ae/me      $TOKEN  -> 403 want 200"}},
		{"token of another tenant", []string{"-demo", "-token", startTenant(t).local.AccessToken("auth0|x", localAudience)}, "-token: ", nil},
		{"token without organization", []string{"-demo", "-token", lt.local.AccessToken("auth0|alice", localAudience)}, "-token has no org_id", nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var out, logs bytes.Buffer
			err := run(ctx, c.args, env, &out, &logs)
			if c.wantErr == "" && err != nil || c.wantErr != "" && (err == nil || !strings.Contains(err.Error(), c.wantErr)) {
				t.Fatalf("got error %v, want %q; output:\n%s", err, c.wantErr, out.String())
			}
			if !strings.Contains(out.String(), "(AUTH0_DOMAIN)") {
				t.Errorf("banner does not name AUTH0_DOMAIN:\n%s", out.String())
			}
			for _, w := range c.want {
				if !strings.Contains(out.String(), w) {
					t.Errorf("output lacks %q:\n%s", w, out.String())
				}
			}
		})
	}
}

func TestArguments(t *testing.T) {
	partial := func(k string) string {
		if k == "AUTH0_DOMAIN" {
			return "example.us.auth0.com"
		}
		return ""
	}
	badDomain := func(k string) string {
		if k == "AUTH0_DOMAIN" {
			return "http://example.com" // plain http to a non-loopback host
		}
		return "x"
	}
	cases := []struct {
		name    string
		args    []string
		env     func(string) string
		wantErr string
	}{
		{"help", []string{"-h"}, noEnv, ""},
		{"extra argument", []string{"serve"}, noEnv, "unexpected arguments"},
		{"unknown flag", []string{"-nope"}, noEnv, "flag provided but not defined"},
		{"token with the local tenant", []string{"-demo", "-token", "x"}, noEnv, "-token is for a real tenant"},
		{"some AUTH0 variables", []string{"-demo"}, partial, "set all of AUTH0_DOMAIN"},
		{"plain http domain", []string{"-demo"}, badDomain, "AUTH0_DOMAIN: "},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var out, logs bytes.Buffer
			err := run(testContext(t), c.args, c.env, &out, &logs)
			if c.wantErr == "" && err != nil || c.wantErr != "" && (err == nil || !strings.Contains(err.Error(), c.wantErr)) {
				t.Errorf("got error %v, want %q", err, c.wantErr)
			}
		})
	}
}

// When the Management API refuses, the handler and the membership check
// fail closed, without details in the answer.
func TestManagementFailures(t *testing.T) {
	cases := []struct {
		name       string
		scopes     []string
		wantStatus int
		wantCode   string
		wantLog    string
	}{
		// The membership check passes, Users.Get is refused: 502.
		{"no read:users", []string{"read:organizations", "read:organization_member_roles"}, 502, "upstream_error", "call=Users.Get"},
		// The roles are refused: 502.
		{"no read:organization_member_roles", []string{"read:users", "read:organizations"}, 502, "upstream_error", "call=Organizations.AllMemberRoles"},
		// The membership check cannot tell: 503, never a 200.
		{"no read:organizations", []string{"read:users", "read:organization_member_roles"}, 503, "temporarily_unavailable", ""},
		{"all scopes", managementScopes, 200, "", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			lt := startTenant(t, c.scopes...)
			ctx := testContext(t)
			alice, err := lt.login(ctx, "alice@example.com", "alice-password", "acme")
			if err != nil {
				t.Fatal(err)
			}
			v, err := verifier.New(verifier.Config{Issuer: lt.issuer, Audience: []string{localAudience}, Keys: lt.local.KeySet()})
			if err != nil {
				t.Fatal(err)
			}
			m, err := management.New(lt.domain, management.Config{ClientID: backendID, ClientSecret: backendSecret})
			if err != nil {
				t.Fatal(err)
			}
			var logs bytes.Buffer
			srv := httptest.NewServer(newRouter(v, m, slog.New(slog.NewTextHandler(&logs, nil))))
			defer srv.Close()

			status, body := send(t, srv.URL+"/orgs/acme/me", alice)
			if status != c.wantStatus {
				t.Fatalf("got %d %s, want %d", status, body, c.wantStatus)
			}
			var got struct {
				Error       string `json:"error"`
				Description string `json:"error_description"`
			}
			if err := json.Unmarshal([]byte(body), &got); err != nil || got.Error != c.wantCode {
				t.Errorf("got body %s, want error %q", body, c.wantCode)
			}
			if strings.Contains(body, "scope") || strings.Contains(body, "auth0|") && c.wantStatus != 200 {
				t.Errorf("answer %s tells what the Management API said", body)
			}
			if !strings.Contains(logs.String(), c.wantLog) || c.wantLog != "" && !strings.Contains(logs.String(), "Insufficient scope") {
				t.Errorf("log %q lacks %q and the API's message", logs.String(), c.wantLog)
			}
			if strings.Contains(logs.String(), alice) || strings.Contains(logs.String(), backendSecret) {
				t.Error("the log holds a token or the secret")
			}
		})
	}
}
