package bearer

import (
	"strings"
	"testing"
)

func TestSplit(t *testing.T) {
	tests := []struct {
		in, scheme string
		tok        string
		defect     Defect
	}{
		{"Bearer abc.def.ghi", "Bearer", "abc.def.ghi", OK},
		{"bEARER abc", "Bearer", "abc", OK},
		{"DPoP abc", "DPoP", "abc", OK},
		{"dpop abc", "DPoP", "abc", OK},
		{"Bearer", "Bearer", "", Empty},
		{"Bearer ", "Bearer", "", Empty},
		{"Bearer  abc", "Bearer", "", Malformed},
		{"Bearer abc ", "Bearer", "", Malformed},
		{"Bearer\tabc", "Bearer", "", Malformed},
		{"Bearer,abc", "Bearer", "", Malformed},
		{"Bearers abc", "Bearer", "", OtherScheme},
		{"Basic dXNlcjpwYXNz", "Bearer", "", OtherScheme},
		{"DPoP abc", "Bearer", "", OtherScheme},
		{"", "Bearer", "", OtherScheme},
		{" Bearer abc", "Bearer", "", OtherScheme},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			tok, d := Split(tt.in, tt.scheme)
			if tok != tt.tok || d != tt.defect {
				t.Errorf("Split(%q, %q): got %q, %d, want %q, %d", tt.in, tt.scheme, tok, d, tt.tok, tt.defect)
			}
		})
	}
}

func TestHasScheme(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{"DPoP", true}, {"dpop x", true}, {"DPoP,", true}, {"DPoPs x", false}, {"Bearer x", false}, {"", false},
	}
	for _, tt := range tests {
		if got := HasScheme(tt.in, "DPoP"); got != tt.want {
			t.Errorf("HasScheme(%q, DPoP): got %v, want %v", tt.in, got, tt.want)
		}
	}
}

func TestTokenCharacters(t *testing.T) {
	for in, want := range map[string]bool{
		"abc": true, "a-b_c~d+e/f==": true, "a.b.c": true, "": false, "=abc": false, "a=b": false,
		`"abc"`: false, "abc\x00": false, "é": false, "a,b": false, "a b": false,
	} {
		if got := IsB64Token(in); got != want {
			t.Errorf("IsB64Token(%q): got %v, want %v", in, got, want)
		}
	}
}

// TestB64Char checks the bit masks against the grammar, byte by byte.
func TestB64Char(t *testing.T) {
	for b := 0; b < 256; b++ {
		c := byte(b)
		want := 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte("-._~+/", c) >= 0
		if got := IsB64Char(c); got != want {
			t.Errorf("IsB64Char(%#x): got %v, want %v", c, got, want)
		}
	}
}

func TestSplitAllocs(t *testing.T) {
	v := "Bearer " + strings.Repeat("a", 1000)
	if n := testing.AllocsPerRun(100, func() { Split(v, "Bearer") }); n != 0 {
		t.Errorf("allocations: got %v, want 0", n)
	}
}

func TestScopeToken(t *testing.T) {
	for in, want := range map[string]bool{
		"read:items": true, "!#[]~": true, "": false, "a b": false, `a"`: false, `a\`: false, "a\x7f": false, "é": false,
	} {
		if got := IsScopeToken(in); got != want {
			t.Errorf("IsScopeToken(%q): got %v, want %v", in, got, want)
		}
	}
}
