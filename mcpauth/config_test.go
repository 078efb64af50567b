package mcpauth_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/tokengate/tokengate/authtest"
	"github.com/tokengate/tokengate/mcpauth"
	"github.com/tokengate/tokengate/resource"
	"github.com/tokengate/tokengate/verifier"
)

// TestMC2Config (SECURITY.md MC2): New refuses, with an error wrapping
// ErrConfig, every configuration that would let a token for another
// audience or kind through, leave clients without an authorization server,
// or name scopes or bounds that cannot be checked.
func TestMC2Config(t *testing.T) {
	tenant, err := authtest.NewTenant(authtest.Config{})
	if err != nil {
		t.Fatal(err)
	}
	defer tenant.Close()
	const res = "https://api.example.com/mcp"
	newVerifier := func(kind verifier.Kind, aud ...string) *verifier.Verifier {
		v, err := verifier.New(verifier.Config{Issuer: tenant.Issuer(), Audience: aud, Keys: tenant, Kind: kind})
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	newMeta := func(resourceURL string, servers ...string) *resource.Handler {
		h, err := resource.New(resource.Config{Resource: resourceURL, AuthorizationServers: servers})
		if err != nil {
			t.Fatal(err)
		}
		return h
	}
	good := newVerifier(verifier.AccessToken, res)
	meta := newMeta(res, "https://tenant.example.com/")
	tests := []struct {
		name string
		cfg  mcpauth.Config
		want string // "" for success; else a part of the error
	}{
		{"minimal", mcpauth.Config{Verifier: good, Metadata: meta}, ""},
		{"verifier answering to the resource among others",
			mcpauth.Config{Verifier: newVerifier(verifier.AccessToken, "https://other.example.com/", res), Metadata: meta}, ""},
		{"tools and bounds", mcpauth.Config{Verifier: good, Metadata: meta,
			ToolScopes: map[string][]string{"admin": {"admin:write"}}, DefaultToolScopes: []string{"tools:call"},
			Match: mcpauth.MatchScopesOrPermissions, MaxBodyBytes: 64 << 20, Realm: "mcp"}, ""},
		{"no verifier", mcpauth.Config{Metadata: meta}, "Verifier is required"},
		{"no metadata", mcpauth.Config{Verifier: good}, "Metadata is required"},
		{"ID-token verifier", mcpauth.Config{Verifier: newVerifier(verifier.IDToken, res), Metadata: meta}, "ID tokens"},
		{"audience without the resource",
			mcpauth.Config{Verifier: newVerifier(verifier.AccessToken, "https://api.example.com/"), Metadata: meta}, "does not include the resource"},
		{"audience with the resource in another spelling",
			mcpauth.Config{Verifier: newVerifier(verifier.AccessToken, res+"/"), Metadata: meta}, "does not include the resource"},
		{"metadata without authorization servers", mcpauth.Config{Verifier: good, Metadata: newMeta(res)}, "no authorization server"},
		{"empty tool name", mcpauth.Config{Verifier: good, Metadata: meta, ToolScopes: map[string][]string{"": {"a"}}}, "tool name"},
		{"tool name over 128 bytes", mcpauth.Config{Verifier: good, Metadata: meta, ToolScopes: map[string][]string{strings.Repeat("t", 129): {"a"}}}, "tool name"},
		{"tool name not UTF-8", mcpauth.Config{Verifier: good, Metadata: meta, ToolScopes: map[string][]string{"\xff": {"a"}}}, "tool name"},
		{"tool without scopes", mcpauth.Config{Verifier: good, Metadata: meta, ToolScopes: map[string][]string{"admin": nil}}, "no scopes"},
		{"tool scope with a space", mcpauth.Config{Verifier: good, Metadata: meta, ToolScopes: map[string][]string{"admin": {"a b"}}}, "scope token"},
		{"tool scope with a quote", mcpauth.Config{Verifier: good, Metadata: meta, ToolScopes: map[string][]string{"admin": {`a"`}}}, "scope token"},
		{"empty default scope", mcpauth.Config{Verifier: good, Metadata: meta, DefaultToolScopes: []string{""}}, "scope token"},
		{"unknown match", mcpauth.Config{Verifier: good, Metadata: meta, Match: 9}, "Match"},
		{"negative body bound", mcpauth.Config{Verifier: good, Metadata: meta, MaxBodyBytes: -1}, "MaxBodyBytes"},
		{"body bound over 64 MiB", mcpauth.Config{Verifier: good, Metadata: meta, MaxBodyBytes: 64<<20 + 1}, "MaxBodyBytes"},
		{"negative retry-after", mcpauth.Config{Verifier: good, Metadata: meta, RetryAfter: -1}, "RetryAfter"},
		{"realm with a quote", mcpauth.Config{Verifier: good, Metadata: meta, Realm: `a"b`}, "realm"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := mcpauth.New(tt.cfg)
			if tt.want == "" {
				if err != nil || p == nil {
					t.Fatalf("New: got %v, want a Protector", err)
				}
				if p.Resource() != res {
					t.Errorf("Resource: got %q, want %q", p.Resource(), res)
				}
				return
			}
			if !errors.Is(err, mcpauth.ErrConfig) || !strings.Contains(err.Error(), tt.want) || p != nil {
				t.Fatalf("New: got %v, %v; want an ErrConfig error about %q", p, err, tt.want)
			}
		})
	}
}
