package strictjson

import (
	"errors"
	"fmt"
	"testing"
)

// TestMembersFold: two names are duplicates exactly when bytes.EqualFold
// finds them equal (Unicode simple folding, so "KTY", "kty" and "\u212aty"
// with the Kelvin sign collide, as encoding/json would merge them), in
// either order, and both in the inline arrays and past them in the index
// (which needs the fold hashes of such names to agree). The cases came with
// jwks's former foldName test.
func TestMembersFold(t *testing.T) {
	tests := []struct {
		a, b string
		dup  bool
	}{
		{"kty", "KTY", true},
		{"kty", "Kty", true},
		{"kty", "\u212aty", true},
		{"keys", "KEYS", true},
		{"s", "\u017f", true},
		{"é", "É", true},
		{"kty", "ktx", false},
		{"n", "m", false},
		{"x", "x ", false},
	}
	for _, tc := range tests {
		for _, filler := range []int{0, 30} {
			for _, pair := range [][2]string{{tc.a, tc.b}, {tc.b, tc.a}} {
				t.Run(fmt.Sprintf("%q,%q/after-%d", pair[0], pair[1], filler), func(t *testing.T) {
					var m Members
					for i := range filler {
						if err := m.Add([]byte(fmt.Sprintf("filler%d", i))); err != nil {
							t.Fatalf("filler%d: got %v, want nil", i, err)
						}
					}
					if err := m.Add([]byte(pair[0])); err != nil {
						t.Fatalf("Add(%q): got %v, want nil", pair[0], err)
					}
					err := m.Add([]byte(pair[1]))
					if tc.dup && !errors.Is(err, ErrDuplicate) {
						t.Errorf("Add(%q) after %q: got %v, want ErrDuplicate", pair[1], pair[0], err)
					}
					if !tc.dup && err != nil {
						t.Errorf("Add(%q) after %q: got %v, want nil", pair[1], pair[0], err)
					}
				})
			}
		}
		if tc.dup && foldHash([]byte(tc.a)) != foldHash([]byte(tc.b)) {
			t.Errorf("foldHash(%q) != foldHash(%q), want equal", tc.a, tc.b)
		}
	}
}
