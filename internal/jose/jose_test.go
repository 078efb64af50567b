package jose

import (
	"errors"
	"strings"
	"testing"
)

func TestSplit(t *testing.T) {
	tests := []struct {
		in         string
		dot1, dot2 int
		want       error
	}{
		{"aa.bb.cc", 2, 5, nil},
		{"aa.bb", 0, 0, ErrParts},
		{"aa.bb.cc.dd", 0, 0, ErrParts},
		{"...", 0, 0, ErrParts},
		{strings.Repeat(".", 1<<20), 0, 0, ErrParts},
		{".bb.cc", 0, 0, ErrEmptyPart},
		{"aa..cc", 0, 0, ErrEmptyPart},
		{"aa.bb.", 0, 0, ErrEmptyPart},
		{"aa.bb.c", 0, 0, ErrBase64},
		// Split finds the structure; the alphabet is Decode's (TestDecode).
		{"aa.b+.cc", 2, 5, nil},
		{"-_.AZ.az09", 2, 5, nil},
	}
	for _, tc := range tests {
		d1, d2, err := Split(tc.in)
		if !errors.Is(err, tc.want) || (err == nil && (d1 != tc.dot1 || d2 != tc.dot2)) {
			t.Errorf("Split(%.20q) = %d, %d, %v; want %d, %d, %v", tc.in, d1, d2, err, tc.dot1, tc.dot2, tc.want)
		}
	}
	dots := strings.Repeat(".", 1<<10)
	if n := testing.AllocsPerRun(10, func() { Split(dots) }); n != 0 {
		t.Errorf("Split allocates %.0f times, want 0", n)
	}
}

func TestDecode(t *testing.T) {
	tests := []struct {
		in   string
		want string
		ok   bool
	}{
		{"", "", true},
		{"QQ", "A", true},
		{"QR", "", false}, // non-zero unused bits (B3)
		{"QUI", "AB", true},
		{"QUJ", "", false},
		{"AAAA", "\x00\x00\x00", true},
		{"____", "\xff\xff\xff", true},
		{"__8", "\xff\xff", true},
		{"__9", "", false},
		// B1, B2: nothing outside the base64url alphabet, CR and LF included
		// (encoding/base64 would skip them).
		{"QUI=", "", false},
		{"QU+I", "", false},
		{"QU/I", "", false},
		{"QU\nI", "", false},
		{"QU\r\nI", "", false},
		{"QU\rI", "", false},
		{"QU I", "", false},
		{"QU\tI", "", false},
		{"QU\x00I", "", false},
		{"QU\xffI", "", false},
		{"QU.I", "", false},
	}
	for _, tc := range tests {
		got, err := Decode(make([]byte, DecodedLen(len(tc.in))), tc.in)
		if tc.ok != (err == nil) || (tc.ok && string(got) != tc.want) {
			t.Errorf("Decode(%q) = %q, %v; want %q, ok %v", tc.in, got, err, tc.want, tc.ok)
		}
	}
}

// BenchmarkParseHeader is the typical header of an Auth0 token; the
// duplicate check must stay cheap for it.
func BenchmarkParseHeader(b *testing.B) {
	h := []byte(`{"alg":"RS256","typ":"JWT","kid":"NEk3QjA1RjE0MDQ3MjdFQjg0MzYyRTZDNjdGRjI4MEU0NTY0Qjk0Nw"}`)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ParseHeader(h); err != nil {
			b.Fatal(err)
		}
	}
}
