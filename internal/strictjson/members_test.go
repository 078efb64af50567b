package strictjson

import (
	"bytes"
	"errors"
	"fmt"
	"strconv"
	"strings"
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
		// Long names: indexHash folds them in chunks, never splitting a rune.
		{strings.Repeat("k", 17), strings.Repeat("\u212a", 17), true},
		{strings.Repeat("a", 15) + "\u212a" + strings.Repeat("b", 30), strings.Repeat("A", 15) + "k" + strings.Repeat("B", 30), true},
		{strings.Repeat("é", 40), strings.Repeat("É", 40), true},
		{strings.Repeat("s", 100), strings.Repeat("\u017f", 99) + "t", false},
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
		if tc.dup && quickHash([]byte(tc.a)) != quickHash([]byte(tc.b)) {
			t.Errorf("quickHash(%q) != quickHash(%q), want equal", tc.a, tc.b)
		}
		if tc.dup && indexHash([]byte(tc.a)) != indexHash([]byte(tc.b)) {
			t.Errorf("indexHash(%q) != indexHash(%q), want equal", tc.a, tc.b)
		}
		if fa, fb := AppendFold(nil, []byte(tc.a)), AppendFold(nil, []byte(tc.b)); bytes.Equal(fa, fb) != tc.dup {
			t.Errorf("AppendFold(%q) = %q, AppendFold(%q) = %q: equal %v, want %v", tc.a, fa, tc.b, fb, !tc.dup, tc.dup)
		}
	}
}

// oldFoldHash is the member-name hash of the code before X2: FNV-1a with the
// fixed offset basis, over ASCII names lower-cased. Anyone can run it
// offline, which is how the names below are found.
func oldFoldHash(name []byte) uint32 {
	h := uint32(2166136261)
	for _, c := range name {
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		h = (h ^ uint32(c)) * 16777619
	}
	return h
}

// collidingNames returns n distinct lower-case ASCII names ("c<hex>")
// whose oldFoldHash values agree in their low bits bits: with an index of
// at most 2^bits slots, they all start probing at the same slot. The
// candidates (about 4 million for 1,000 names in 12 bits) are hashed in
// registers, as oldFoldHash would hash them (hex digits are lower-case
// already), and each name found is checked with oldFoldHash itself:
// fmt.Sprintf per candidate made this the package's slowest test under
// -race.
func collidingNames(n int, bits uint) [][]byte {
	mask := uint32(1)<<bits - 1
	offset, prime := uint32(2166136261), uint32(16777619)
	hash := func(i uint64) uint32 {
		h := (offset ^ 'c') * prime
		digits := 1
		for x := i >> 4; x != 0; x >>= 4 {
			digits++
		}
		for shift := 4 * (digits - 1); shift >= 0; shift -= 4 {
			d := uint32(i>>shift) & 0xf
			c := '0' + d
			if d >= 10 {
				c = 'a' + d - 10
			}
			h = (h ^ c) * prime
		}
		return h
	}
	want := hash(0) & mask
	var names [][]byte
	for i := uint64(0); len(names) < n; i++ {
		if hash(i)&mask != want {
			continue
		}
		name := strconv.AppendUint([]byte("c"), i, 16)
		if oldFoldHash(name)&mask != want {
			panic(fmt.Sprintf("collidingNames: %q does not collide: the register hash differs from oldFoldHash", name))
		}
		names = append(names, name)
	}
	return names
}

// TestX2MembersCraftedCollisions (SECURITY.md X2): member names chosen
// offline so that the unseeded hash of the old code puts them all in one
// probe chain made duplicate detection quadratic (an object of 1,000 such
// names cost about 500,000 probes, before any signature check). The index
// hash is now seeded per process, so the same names cost a linear number of
// probes. It counts probes, not time.
func TestX2MembersCraftedCollisions(t *testing.T) {
	const n = 1000
	names := collidingNames(n, 12) // the index of n names has at most 2^12 slots
	for i, name := range names[:2] {
		if got, want := oldFoldHash(name)&0xfff, oldFoldHash(names[1-i])&0xfff; got != want {
			t.Fatalf("crafted names %q and %q: old hashes %#x and %#x, want equal low bits", name, names[1-i], got, want)
		}
	}
	var m Members
	for _, name := range names {
		if err := m.Add(name); err != nil {
			t.Fatalf("Add(%q): got %v, want nil", name, err)
		}
	}
	if limit := 4 * n; m.probes > limit {
		t.Errorf("%d crafted names: got %d probes, want at most %d (linear)", n, m.probes, limit)
	}
	// A duplicate of a crafted name is still found.
	if err := m.Add(bytes.ToUpper(names[n/2])); !errors.Is(err, ErrDuplicate) {
		t.Errorf("Add(%q) again in upper case: got %v, want ErrDuplicate", names[n/2], err)
	}
}

// FuzzQuickHash: the inline filter hash must agree for every two names that
// bytes.EqualFold finds equal, or a duplicate among the first 24 members
// would go unseen. It is a function of the folded form: a name and its
// AppendFold hash alike, and so do the case mappings of a name that
// EqualFold accepts (invalid UTF-8 included, which EqualFold reads as
// U+FFFD). Members must find each such pair a duplicate.
func FuzzQuickHash(f *testing.F) {
	for _, s := range []string{"", "k", "kty", "\u212aty", "https://tokengate.example/roles", "HTTPS://TOKENGATE.EXAMPLE/ROLES",
		"\u017f\u017f\u017f\u017f\u017f\u017f\u017f\u017f\u017f", "abcdefg\u212a", "\xff", "\uFFFD", "ab\xe2\x84cdefgh\xe2\x84\xaa"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		name := []byte(s)
		if got, want := quickHash(name), quickHash(AppendFold(nil, name)); got != want {
			t.Fatalf("quickHash(%q) = %#x, quickHash of its folded form %q = %#x", name, got, AppendFold(nil, name), want)
		}
		for _, other := range [][]byte{bytes.ToUpper(name), bytes.ToLower(name), bytes.ToTitle(name), AppendFold(nil, name),
			[]byte(strings.ReplaceAll(strings.ToValidUTF8(s, "\uFFFD"), "k", "\u212a"))} {
			if !bytes.EqualFold(name, other) {
				continue
			}
			if quickHash(name) != quickHash(other) {
				t.Fatalf("quickHash(%q) = %#x, quickHash(%q) = %#x; EqualFold finds them equal", name, quickHash(name), other, quickHash(other))
			}
			var m Members
			if err := m.Add(name); err != nil {
				t.Fatal(err)
			}
			if err := m.Add(other); !errors.Is(err, ErrDuplicate) {
				t.Fatalf("Add(%q) after %q: got %v, want ErrDuplicate", other, name, err)
			}
		}
	})
}
