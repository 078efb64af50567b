package jose

import (
	"errors"
	"strings"
	"testing"

	"github.com/tokengate/tokengate/internal/strictjson"
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

// TestHeaderJWK: the jwk member is kept raw for package dpop (which alone
// uses it, as a DPoP proof's own key); a duplicate inside it refuses the
// header, and the other key members are only noted.
func TestHeaderJWK(t *testing.T) {
	tests := []struct {
		name, in string
		jwk      string
		err      error
	}{
		{"absent", `{"alg":"ES256"}`, "", nil},
		{"object", `{"alg":"ES256","jwk": {"kty":"EC","crv":"P-256"} }`, `{"kty":"EC","crv":"P-256"}`, nil},
		{"string", `{"alg":"ES256","jwk":"x"}`, `"x"`, nil},
		{"duplicate inside", `{"alg":"ES256","jwk":{"kty":"EC","kty":"RSA"}}`, "", strictjson.ErrDuplicate},
		{"jku only noted", `{"alg":"ES256","jku":"https://x"}`, "", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h, err := ParseHeader([]byte(tc.in))
			if !errors.Is(err, tc.err) {
				t.Fatalf("got error %v, want %v", err, tc.err)
			}
			if err == nil && string(h.JWK) != tc.jwk {
				t.Errorf("got JWK %q, want %q", h.JWK, tc.jwk)
			}
		})
	}
}
