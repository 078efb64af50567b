package strictjson

import (
	"encoding/binary"
	"math/bits"
	"math/rand/v2"
	"testing"
)

// TestSpecial8 checks the word scan of readString against a byte-by-byte
// scan: the lowest mark of special8 is the first quote, backslash, control
// character or non-ASCII byte, whatever precedes and follows it (a borrow
// may mark later bytes wrongly, never an earlier one), and no mark means
// none. Every pair of byte values in every pair of adjacent positions, then
// random words of bytes at the edges of the classes.
func TestSpecial8(t *testing.T) {
	special := func(c byte) bool { return c < 0x20 || c >= 0x80 || c == '"' || c == '\\' }
	first := func(b []byte) int {
		for i, c := range b {
			if special(c) {
				return i
			}
		}
		return 8
	}
	check := func(b []byte) {
		t.Helper()
		m := special8(binary.LittleEndian.Uint64(b))
		got := 8
		if m != 0 {
			got = bits.TrailingZeros64(m) >> 3
		}
		if want := first(b); got != want {
			t.Fatalf("special8(%q): first special byte at %d, want %d", b, got, want)
		}
	}
	b := make([]byte, 8)
	for p := range 7 {
		for x := range 256 {
			for y := range 256 {
				copy(b, "abcdefgh")
				b[p], b[p+1] = byte(x), byte(y)
				check(b)
				// The same with a byte just above a threshold before them,
				// where a borrow would show.
				if p > 0 {
					b[p-1] = 0x20
					check(b)
				}
			}
		}
	}
	// Random words of bytes at the edges of each class.
	edges := []byte{0x00, 0x1f, 0x20, 0x21, '"', 0x23, 0x5b, '\\', 0x5d, 0x7f, 0x80, 0xff, 'a'}
	r := rand.New(rand.NewPCG(1, 2))
	for range 1 << 20 {
		for i := range b {
			b[i] = edges[r.IntN(len(edges))]
		}
		check(b)
	}
}
