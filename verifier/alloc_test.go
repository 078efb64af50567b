package verifier_test

import (
	"context"
	"strings"
	"testing"

	"github.com/tokengate/tokengate/verifier"
)

// Allocation bounds (SECURITY.md Z1, DESIGN.md performance targets):
// hostile dot strings are refused in O(1) allocations (CVE-2025-30204 was
// strings.Split on "."), and a verified-token cache hit allocates nothing.
func TestAllocations(t *testing.T) {
	loadKeys()
	ctx := context.Background()
	bearerDots := "Bearer " + strings.Repeat(".", 1<<20)
	dots := strings.Repeat(".", 1<<20)
	tenK := strings.Repeat(".", 10_000)
	def := newVerifier(t, verifier.Config{})
	// No size cap in the way: the input reaches the splitter.
	uncapped := newVerifier(t, verifier.Config{MaxTokenSize: 4 << 20})
	tok := rs(claims(nil))(t)
	tokOpts := rs(payload(`"nonce":"n1","org_id":"org_1"`))(t)
	for _, tk := range []string{tok, tokOpts} {
		if _, err := def.Verify(ctx, tk); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		id   string
		v    *verifier.Verifier
		tok  string
		opts []verifier.Option
		max  float64
		ok   bool
	}{
		{id: "Z1/bearer-1MiB-dots", v: def, tok: bearerDots, max: 2},
		{id: "Z1/bearer-1MiB-dots-uncapped", v: uncapped, tok: bearerDots, max: 2},
		{id: "Z1/1MiB-dots-uncapped", v: uncapped, tok: dots, max: 2},
		{id: "Z1/10000-dots", v: def, tok: tenK, max: 2},
		{id: "Z1/10000-dots-uncapped", v: uncapped, tok: tenK, max: 2},
		{id: "cache-hit", v: def, tok: tok, max: 0, ok: true},
		{id: "cache-hit-options", v: def, tok: tokOpts, max: 0, ok: true,
			opts: []verifier.Option{verifier.WithNonce("n1"), verifier.WithOrganization("org_1")}},
	}
	for _, tc := range tests {
		t.Run(tc.id, func(t *testing.T) {
			var err error
			allocs := testing.AllocsPerRun(50, func() {
				_, err = tc.v.Verify(ctx, tc.tok, tc.opts...)
			})
			if tc.ok && err != nil {
				t.Fatalf("got %v, want the token accepted", err)
			}
			if !tc.ok && err == nil {
				t.Fatal("token accepted, want a refusal")
			}
			if allocs > tc.max {
				t.Errorf("got %.1f allocations per call, want at most %.0f", allocs, tc.max)
			}
		})
	}
}
