package verifier_test

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/tokengate/tokengate/verifier"
)

// TestMC1WithAudience (SECURITY.md MC1): a Verifier that answers to several
// audiences accepts a token for any of them; WithAudience narrows one call
// to one audience (an MCP server's canonical URL, RFC 8707), on a miss and
// on a cache hit, and an empty value fails closed.
func TestMC1WithAudience(t *testing.T) {
	const mcp = "https://api.example.com/mcp"
	v := newVerifier(t, verifier.Config{Audience: []string{testAud, mcp}})
	tests := []struct {
		name string
		aud  any
		want string
		err  error
	}{
		{"token for the resource", mcp, mcp, nil},
		{"token for the resource among others", []string{testAud, mcp}, mcp, nil},
		{"token for another audience of the verifier", testAud, mcp, verifier.ErrAudience},
		{"resource differing in case", []string{testAud, "https://API.example.com/mcp"}, mcp, verifier.ErrAudience},
		{"resource with a trailing slash", []string{testAud, mcp + "/"}, mcp, verifier.ErrAudience},
		{"empty audience asked for", mcp, "", verifier.ErrAudience},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tok := rs(claims(map[string]any{"aud": tt.aud}))(t)
			for _, try := range []string{"miss", "hit"} {
				c, err := v.Verify(context.Background(), tok, verifier.WithAudience(tt.want))
				if !errors.Is(err, tt.err) || (err == nil) != (tt.err == nil) || (c == nil) == (err == nil) {
					t.Errorf("Verify (%s) WithAudience(%q): got %v, want %v", try, tt.want, err, tt.err)
				}
			}
			// Without the option the verifier's own rule applies.
			if _, err := v.Verify(context.Background(), tok); err != nil {
				t.Errorf("Verify without WithAudience: got %v, want nil", err)
			}
		})
	}
}

// TestMC2VerifierAccessors: Audience and Kind report the configuration, and
// the slice returned is a copy.
func TestMC2VerifierAccessors(t *testing.T) {
	v := newVerifier(t, verifier.Config{Audience: []string{"a", "b"}})
	got := v.Audience()
	if !slices.Equal(got, []string{"a", "b"}) {
		t.Fatalf("Audience: got %q, want [a b]", got)
	}
	got[0] = "changed"
	if v.Audience()[0] != "a" {
		t.Errorf("Audience: the caller's change reached the Verifier")
	}
	if v.Kind() != verifier.AccessToken {
		t.Errorf("Kind: got %v, want AccessToken", v.Kind())
	}
	id := newVerifier(t, verifier.Config{Kind: verifier.IDToken})
	if id.Kind() != verifier.IDToken {
		t.Errorf("Kind: got %v, want IDToken", id.Kind())
	}
}
