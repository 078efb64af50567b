package mcpauth_test

import (
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/tokengate/tokengate/mcpauth"
)

// call is a tools/call request of tool; params is the raw params member.
func call(params string) string {
	return `{"jsonrpc":"2.0","id":1,"method":"tools/call","params":` + params + `}`
}

// TestMC6HostileBodies (SECURITY.md MC6, MC7): bodies crafted so that the
// tool we check could differ from the tool the SDK runs, or so that the
// peek would cost more than linear, are refused before the SDK; the ones
// that name a tool without doubt get its check. The token lacks
// admin:write, so a peek that misread "admin" as another tool would let it
// run (the tools log every call).
func TestMC6HostileBodies(t *testing.T) {
	const limit = 64 << 10
	ev := &events{}
	f := newFixture(t, func(_ *fixture, c *mcpauth.Config) {
		c.Observer = ev.observer()
		c.MaxBodyBytes = limit
	})
	tok := f.token("auth0|alice", "", "report:read")
	deep := strings.Repeat(`{"a":`, 40) + "1" + strings.Repeat("}", 40)
	batch := func(n int, tool string) string {
		parts := make([]string, n)
		for i := range parts {
			parts[i] = fmt.Sprintf(`{"jsonrpc":"2.0","id":%d,"method":"tools/call","params":{"name":%q}}`, i, tool)
		}
		return "[" + strings.Join(parts, ",") + "]"
	}
	tests := []struct {
		name    string
		body    string
		status  int    // ours; 0: let through to the SDK
		outcome string // the Observer's
	}{
		// Size.
		{"huge body", call(`{"name":"echo","arguments":{"text":"` + strings.Repeat("x", limit) + `"}}`), 413, mcpauth.OutcomeBodyTooLarge},
		{"body at the bound", padTo(call(`{"name":"echo","arguments":{"text":""}}`), limit), 0, "ok"},
		// Structure.
		{"deep JSON", call(`{"name":"echo","arguments":` + deep + `}`), 400, mcpauth.OutcomeInvalidBody},
		{"60,000 open brackets", strings.Repeat("[", 60000), 400, mcpauth.OutcomeInvalidBody},
		{"10,000 nested objects in arguments", call(`{"name":"echo","arguments":` + strings.Repeat(`{"a":`, 10000)), 400, mcpauth.OutcomeInvalidBody},
		{"deep JSON outside params", `{"jsonrpc":"2.0","id":1,"method":"ping","x":` + deep + `}`, 400, mcpauth.OutcomeInvalidBody},
		{"trailing data", call(`{"name":"echo"}`) + `{"x":1}`, 400, mcpauth.OutcomeInvalidBody},
		{"truncated", call(`{"name":"admin"`), 400, mcpauth.OutcomeInvalidBody},
		{"invalid UTF-8 in a name", call(`{"name":"adm` + "\xff" + `in"}`), 400, mcpauth.OutcomeInvalidBody},
		{"lone surrogate escape", call(`{"name":"admin\ud800"}`), 400, mcpauth.OutcomeInvalidBody},
		// Duplicates: encoding/json and the SDK's decoder keep the last.
		{"duplicate name", call(`{"name":"echo","name":"admin"}`), 400, mcpauth.OutcomeInvalidBody},
		{"duplicate name, other case", call(`{"name":"echo","Name":"admin"}`), 400, mcpauth.OutcomeInvalidBody},
		{"duplicate name, escaped", call(`{"name":"echo","n\u0061me":"admin"}`), 400, mcpauth.OutcomeInvalidBody},
		{"duplicate method", `{"jsonrpc":"2.0","id":1,"method":"ping","method":"tools/call","params":{"name":"admin"}}`, 400, mcpauth.OutcomeInvalidBody},
		{"duplicate params", `{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"echo"},"params":{"name":"admin"}}`, 400, mcpauth.OutcomeInvalidBody},
		{"duplicate member deep in arguments", call(`{"name":"echo","arguments":{"a":{"b":1,"B":2}}}`), 400, mcpauth.OutcomeInvalidBody},
		// Case: a case-insensitive reader would take these for the members.
		{"name in another case alone", call(`{"Name":"admin"}`), 400, mcpauth.OutcomeInvalidBody},
		{"method in another case", `{"jsonrpc":"2.0","id":1,"Method":"tools/call","params":{"name":"admin"}}`, 400, mcpauth.OutcomeInvalidBody},
		{"params in another case", `{"jsonrpc":"2.0","id":1,"method":"tools/call","PARAMS":{"name":"admin"}}`, 400, mcpauth.OutcomeInvalidBody},
		{"params with a long s", `{"jsonrpc":"2.0","id":1,"method":"tools/call","param` + "\u017f" + `":{"name":"admin"}}`, 400, mcpauth.OutcomeInvalidBody},
		{"method value in another case", `{"jsonrpc":"2.0","id":1,"method":"Tools/Call","params":{"name":"admin"}}`, 400, mcpauth.OutcomeInvalidBody},
		// Escapes name what they unescape to.
		{"escaped method", `{"jsonrpc":"2.0","id":1,"method":"tools\/call","params":{"name":"admin"}}`, 403, "insufficient_scope"},
		{"escaped tool name", call(`{"name":"\u0061dmin"}`), 403, "insufficient_scope"},
		{"params before method", `{"params":{"name":"admin"},"jsonrpc":"2.0","id":1,"method":"tools/call"}`, 403, "insufficient_scope"},
		// Params and name.
		{"params missing", `{"jsonrpc":"2.0","id":1,"method":"tools/call"}`, 400, mcpauth.OutcomeInvalidBody},
		{"params null", call(`null`), 400, mcpauth.OutcomeInvalidBody},
		{"params an array", call(`[{"name":"admin"}]`), 400, mcpauth.OutcomeInvalidBody},
		{"params a string", call(`"admin"`), 400, mcpauth.OutcomeInvalidBody},
		{"name missing", call(`{"arguments":{}}`), 400, mcpauth.OutcomeInvalidBody},
		{"name a number", call(`{"name":1}`), 400, mcpauth.OutcomeInvalidBody},
		{"name null", call(`{"name":null}`), 400, mcpauth.OutcomeInvalidBody},
		{"name empty", call(`{"name":""}`), 400, mcpauth.OutcomeInvalidBody},
		// Not a message.
		{"a string", `"tools/call"`, 400, mcpauth.OutcomeInvalidBody},
		{"a number", `42`, 400, mcpauth.OutcomeInvalidBody},
		{"null", `null`, 400, mcpauth.OutcomeInvalidBody},
		{"empty body", ``, 400, mcpauth.OutcomeInvalidBody},
		{"empty array", `[]`, 400, mcpauth.OutcomeInvalidBody},
		{"array of a number", `[1]`, 400, mcpauth.OutcomeInvalidBody},
		// Let through: no tool call, or one of a tool without requirements.
		{"ping", `{"jsonrpc":"2.0","id":1,"method":"ping"}`, 0, "ok"},
		{"method a number", `{"jsonrpc":"2.0","id":1,"method":7,"params":{"name":"admin"}}`, 0, "ok"},
		{"a response", `{"jsonrpc":"2.0","id":1,"result":{}}`, 0, "ok"},
		{"tool without requirements", call(`{"name":"echo"}`), 0, "ok"},
		{"admin, case differing", call(`{"name":"Admin"}`), 0, "ok"}, // no such tool for the SDK
		// Batches (MC7): the union of the calls' scopes.
		{"MC7/batch with an admin call", `[` + call(`{"name":"echo"}`) + `,` + call(`{"name":"admin"}`) + `]`, 403, "insufficient_scope"},
		{"MC7/batch with a hostile element", `[` + call(`{"name":"echo"}`) + `,` + call(`{"name":"echo","name":"admin"}`) + `]`, 400, mcpauth.OutcomeInvalidBody},
		{"MC7/batch with a non-object", `[` + call(`{"name":"echo"}`) + `,"x"]`, 400, mcpauth.OutcomeInvalidBody},
		{"MC7/batch of 64 calls", batch(64, "echo"), 0, "ok"},
		{"MC7/batch of 65 calls", batch(65, "echo"), 400, mcpauth.OutcomeInvalidBody},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ev.mu.Lock()
			ev.all = nil
			ev.mu.Unlock()
			resp := f.post(t, tok, tt.body)
			body := readAll(t, resp.Body)
			outcome, status := ev.last()
			if outcome != tt.outcome || status != tt.status {
				t.Fatalf("Observer: got %s %d, want %s %d (HTTP %d %q)", outcome, status, tt.outcome, tt.status, resp.StatusCode, body)
			}
			if tt.status != 0 && resp.StatusCode != tt.status {
				t.Errorf("status: got %d, want %d", resp.StatusCode, tt.status)
			}
			if tt.status == 400 || tt.status == 413 {
				if !strings.Contains(body, `"invalid_request"`) || resp.Header.Get("Cache-Control") != "no-store" {
					t.Errorf("answer: got %q, Cache-Control %q; want the JSON invalid_request, no-store", body, resp.Header.Get("Cache-Control"))
				}
			}
		})
	}
	if n := f.calls.len(); n != 0 {
		t.Errorf("tools ran %d times, want 0 (no session was opened)", n)
	}
}

// padTo pads a tools/call body with spaces inside its text argument to
// exactly n bytes.
func padTo(body string, n int) string {
	i := strings.Index(body, `"text":""`) + len(`"text":"`)
	return body[:i] + strings.Repeat(" ", n-len(body)) + body[i:]
}

// TestMC6BodyRestored (SECURITY.md MC6): the body read by the peek reaches
// the SDK whole: an initialize sent through it opens a session, also when
// it comes chunked (no Content-Length); a chunked body over the bound is
// refused as one with a Content-Length is.
func TestMC6BodyRestored(t *testing.T) {
	f := newFixture(t, func(_ *fixture, c *mcpauth.Config) { c.MaxBodyBytes = 4096 })
	const initialize = `{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"c","version":"1"}}}`
	tests := []struct {
		name    string
		body    string
		chunked bool
		status  int
	}{
		{"with Content-Length", initialize, false, 200},
		{"chunked", initialize, true, 200},
		{"chunked over the bound", strings.Replace(initialize, `"c"`, `"`+strings.Repeat("c", 5000)+`"`, 1), true, 413},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var r io.Reader = strings.NewReader(tt.body)
			if tt.chunked {
				r = io.MultiReader(r) // hides the length: sent chunked
			}
			req, err := http.NewRequest(http.MethodPost, f.resource, r)
			if err != nil {
				t.Fatal(err)
			}
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Accept", "application/json, text/event-stream")
			req.Header.Set("Authorization", "Bearer "+f.token("auth0|alice", ""))
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			body := readAll(t, resp.Body)
			if resp.StatusCode != tt.status {
				t.Fatalf("status: got %d, want %d (%q)", resp.StatusCode, tt.status, body)
			}
			if tt.status == 200 && (resp.Header.Get("Mcp-Session-Id") == "" || !strings.Contains(body, `"protocolVersion"`)) {
				t.Errorf("the SDK did not initialize a session: %q", body)
			}
		})
	}
}
