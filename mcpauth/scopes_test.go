package mcpauth_test

import (
	"context"
	"strings"
	"testing"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/tokengate/tokengate/authtest"
	"github.com/tokengate/tokengate/mcpauth"
)

// TestMC5ToolScopes (SECURITY.md MC5): through the SDK's own client, a
// tools/call whose token lacks the tool's scopes is answered 403
// insufficient_scope with scope= and resource_metadata before the SDK runs
// it; with the scopes, or for a tool without requirements, it runs.
func TestMC5ToolScopes(t *testing.T) {
	tests := []struct {
		name    string
		edit    func(*fixture, *mcpauth.Config)
		claims  map[string]any // scope / permissions of the token
		tool    string
		denied  bool
		scopeIs string // the challenge's scope= when denied
	}{
		{"tool without requirements", nil, nil, "echo", false, ""},
		{"tool without its scope", nil, map[string]any{"scope": "report:read"}, "admin", true, "admin:write"},
		{"tool with its scope", nil, map[string]any{"scope": "admin:write"}, "admin", false, ""},
		{"scope as a prefix of another", nil, map[string]any{"scope": "admin:writer"}, "admin", true, "admin:write"},
		{"permission without MatchPermissions", nil, map[string]any{"permissions": []string{"admin:write"}}, "admin", true, "admin:write"},
		{"MatchPermissions with the permission",
			func(_ *fixture, c *mcpauth.Config) { c.Match = mcpauth.MatchPermissions },
			map[string]any{"permissions": []string{"admin:write"}}, "admin", false, ""},
		{"MatchPermissions with the scope only",
			func(_ *fixture, c *mcpauth.Config) { c.Match = mcpauth.MatchPermissions },
			map[string]any{"scope": "admin:write"}, "admin", true, "admin:write"},
		{"MatchScopesOrPermissions with the permission",
			func(_ *fixture, c *mcpauth.Config) { c.Match = mcpauth.MatchScopesOrPermissions },
			map[string]any{"permissions": []string{"admin:write"}}, "admin", false, ""},
		{"several scopes, one missing",
			func(_ *fixture, c *mcpauth.Config) {
				c.ToolScopes = map[string][]string{"admin": {"admin:write", "admin:audit"}}
			},
			map[string]any{"scope": "admin:write"}, "admin", true, "admin:write admin:audit"},
		{"other tools under DefaultToolScopes, without them",
			func(_ *fixture, c *mcpauth.Config) { c.DefaultToolScopes = []string{"tools:call"} },
			nil, "report", true, "tools:call"},
		{"other tools under DefaultToolScopes, with them",
			func(_ *fixture, c *mcpauth.Config) { c.DefaultToolScopes = []string{"tools:call"} },
			map[string]any{"scope": "tools:call"}, "report", false, ""},
		{"a listed tool is not under DefaultToolScopes",
			func(_ *fixture, c *mcpauth.Config) { c.DefaultToolScopes = []string{"tools:call"} },
			map[string]any{"scope": "admin:write"}, "admin", false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ev := &events{}
			f := newFixture(t, func(f *fixture, c *mcpauth.Config) {
				c.Observer = ev.observer()
				if tt.edit != nil {
					tt.edit(f, c)
				}
			})
			claims := map[string]any{"sub": "auth0|alice", "aud": f.resource}
			for k, v := range tt.claims {
				claims[k] = v
			}
			tok, err := f.tenant.Mint(authtest.Token{Claims: claims})
			if err != nil {
				t.Fatal(err)
			}
			cs, rt, err := f.connect(t, tok)
			if err != nil {
				t.Fatalf("connect: %v", err) // initialize calls no tool: never refused for scope
			}
			res, err := cs.CallTool(context.Background(), &mcp.CallToolParams{Name: tt.tool, Arguments: map[string]any{"text": "hi"}})
			last := rt.last()
			if !tt.denied {
				if err != nil || res.IsError {
					t.Fatalf("CallTool(%s): got %v %+v, want a result", tt.tool, err, res)
				}
				if f.calls.len() != 1 {
					t.Errorf("tool ran %d times, want 1", f.calls.len())
				}
				return
			}
			if err == nil {
				t.Fatalf("CallTool(%s): got a result, want an error", tt.tool)
			}
			if last.status != 403 {
				t.Fatalf("status: got %d, want 403", last.status)
			}
			for _, want := range []string{`error="insufficient_scope"`, `scope="` + tt.scopeIs + `"`, `resource_metadata="` + f.meta.URL() + `"`} {
				if !strings.Contains(last.challenge, want) {
					t.Errorf("WWW-Authenticate: got %q, want %s", last.challenge, want)
				}
			}
			if f.calls.len() != 0 {
				t.Errorf("tool ran %d times, want 0", f.calls.len())
			}
			if n := ev.count("insufficient_scope", 403); n != 1 {
				t.Errorf("Observer: %d insufficient_scope 403 events, want 1", n)
			}
		})
	}
}
