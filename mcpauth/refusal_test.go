package mcpauth_test

import (
	"cmp"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/tokengate/tokengate/authtest"
	"github.com/tokengate/tokengate/mcpauth"
	"github.com/tokengate/tokengate/verifier"
)

// TestMC3Refusals (SECURITY.md MC3, MC1): requests without a token that
// verifies for this resource get Authenticate's RFC 6750 answers, each
// challenge with resource_metadata, a constant JSON body that echoes
// nothing, and never reach the SDK (no tool runs, no session is made).
func TestMC3Refusals(t *testing.T) {
	ev := &events{}
	f := newFixture(t, func(_ *fixture, c *mcpauth.Config) { c.Observer = ev.observer() })
	metaURL := f.meta.URL()
	expired, err := f.tenant.Mint(authtest.Token{ExpiresIn: -time.Hour, Claims: map[string]any{"sub": "auth0|alice", "aud": f.resource}})
	if err != nil {
		t.Fatal(err)
	}
	good := f.token("auth0|alice", "")
	const initialize = `{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"c","version":"1"}}}`
	tests := []struct {
		name    string
		headers []string // Authorization values
		status  int
		code    string // the JSON error and the challenge's error=, "" for none
		outcome string
	}{
		{"no token", nil, 401, "", "missing_token"},
		{"another scheme", []string{"Basic YTpi"}, 401, "", "missing_token"},
		{"bearer without a token", []string{"Bearer"}, 401, "invalid_request", "invalid_request"},
		{"two spaces", []string{"Bearer  " + good}, 401, "invalid_request", "invalid_request"},
		{"two Authorization headers", []string{"Bearer " + good, "Bearer " + good}, 401, "invalid_request", "invalid_request"},
		{"token with a forbidden character", []string{"Bearer " + good + "\"x"}, 401, "invalid_request", "invalid_request"},
		{"garbage token", []string{"Bearer abc.def.ghi"}, 401, "invalid_token", "invalid_token"},
		{"expired token", []string{"Bearer " + expired}, 401, "invalid_token", "invalid_token"},
		{"MC1/token for another audience of the verifier", []string{"Bearer " + f.token("auth0|alice", "https://other.example.com/")}, 401, "invalid_token", "invalid_token"},
		{"MC1/token for the resource in another spelling", []string{"Bearer " + f.token("auth0|alice", f.resource+"/")}, 401, "invalid_token", "invalid_token"},
		{"token signed by another key", []string{"Bearer " + forged(t, f)}, 401, "invalid_token", "invalid_token"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, err := http.NewRequest(http.MethodPost, f.resource, strings.NewReader(initialize))
			if err != nil {
				t.Fatal(err)
			}
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Accept", "application/json, text/event-stream")
			for _, h := range tt.headers {
				req.Header.Add("Authorization", h)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			body := readAll(t, resp.Body)
			if resp.StatusCode != tt.status {
				t.Fatalf("status: got %d, want %d (body %q)", resp.StatusCode, tt.status, body)
			}
			ch := resp.Header.Get("WWW-Authenticate")
			if !strings.HasPrefix(ch, "Bearer ") || !strings.Contains(ch, `resource_metadata="`+metaURL+`"`) {
				t.Errorf("WWW-Authenticate: got %q, want a Bearer challenge with resource_metadata=%q", ch, metaURL)
			}
			if tt.code != "" && !strings.Contains(ch, `error="`+tt.code+`"`) {
				t.Errorf("WWW-Authenticate: got %q, want error=%q", ch, tt.code)
			}
			var e struct {
				Error       string `json:"error"`
				Description string `json:"error_description"`
			}
			if err := json.Unmarshal([]byte(body), &e); err != nil || e.Description == "" {
				t.Fatalf("body %q is not the JSON error: %v", body, err)
			}
			if want := cmp.Or(tt.code, "unauthorized"); e.Error != want {
				t.Errorf("error: got %q, want %q", e.Error, want)
			}
			if strings.Contains(body, "verifier") || strings.Contains(body, "audience") || strings.Contains(body, "mcpauth") {
				t.Errorf("body %q echoes an internal message", body)
			}
			if got := resp.Header.Get("Mcp-Session-Id"); got != "" {
				t.Errorf("Mcp-Session-Id: got %q, want none (the SDK must not run)", got)
			}
			if outcome, status := ev.last(); outcome != tt.outcome || status != tt.status {
				t.Errorf("Observer: got %s %d, want %s %d", outcome, status, tt.outcome, tt.status)
			}
		})
	}
	if n := f.calls.len(); n != 0 {
		t.Errorf("tools ran %d times, want 0", n)
	}
}

// forged mints a token for the resource with a key the tenant does not
// publish.
func forged(t *testing.T, f *fixture) string {
	t.Helper()
	other, err := authtest.NewTenant(authtest.Config{})
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	tok, err := other.Mint(authtest.Token{Claims: map[string]any{"iss": f.tenant.Issuer(), "sub": "auth0|mallory", "aud": f.resource}})
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// TestMC3KeysUnavailable (SECURITY.md MC3): a key source that cannot
// provide keys is an outage: 503 with Retry-After and
// temporarily_unavailable, where the SDK's RequireBearerToken would answer
// 500 with the verifier's message.
func TestMC3KeysUnavailable(t *testing.T) {
	var res string
	f := newFixture(t, func(_ *fixture, c *mcpauth.Config) {
		res = c.Metadata.Metadata().Resource
		v, err := verifier.New(verifier.Config{Issuer: "https://tenant.example.com/", Audience: []string{res}, Keys: downKeys{}})
		if err != nil {
			t.Fatal(err)
		}
		c.Verifier = v
		c.RetryAfter = 7 * time.Second
	})
	tok, err := f.tenant.Mint(authtest.Token{Claims: map[string]any{"iss": "https://tenant.example.com/", "sub": "auth0|alice", "aud": res}})
	if err != nil {
		t.Fatal(err)
	}
	resp := f.post(t, tok, `{"jsonrpc":"2.0","id":1,"method":"ping"}`)
	body := readAll(t, resp.Body)
	if resp.StatusCode != http.StatusServiceUnavailable || resp.Header.Get("Retry-After") != "7" {
		t.Fatalf("got %d Retry-After %q, want 503 Retry-After 7", resp.StatusCode, resp.Header.Get("Retry-After"))
	}
	if !strings.Contains(body, `"temporarily_unavailable"`) || strings.Contains(body, "jwks") {
		t.Errorf("body: got %q, want temporarily_unavailable without the cause", body)
	}
}
