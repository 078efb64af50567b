package strictjson

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

// validCase is a document and the error Valid returns for it (nil: valid).
type validCase struct {
	id   string
	in   string
	want error
}

// validCases are what the scanner refuses beyond RFC 8259 and encoding/json
// (SECURITY.md S3, D1-D5, Z3, Z4, Z6), next to what it accepts. They seed
// FuzzScanner.
func validCases() []validCase {
	many := func(n int, prefix string) string {
		var b strings.Builder
		b.WriteString("{")
		for i := range n {
			fmt.Fprintf(&b, `"%s%d":%d,`, prefix, i, i)
		}
		return strings.TrimSuffix(b.String(), ",")
	}
	return []validCase{
		{"S3/object", `{"a":[1,true,null,"x",{"b":-0.5e+3}]}`, nil},
		{"S3/whitespace", " \t\r\n{ \"a\" : 1 } \n", nil},
		{"S3/trailing-data", `{"a":1}ABCD`, ErrTrailing},
		{"S3/two-values", `{}{}`, ErrTrailing},
		{"S3/trailing-comma", `{"a":1,}`, ErrSyntax},
		{"S3/leading-zero", `[01]`, ErrSyntax},
		{"S3/bare-word", `[nul]`, ErrSyntax},
		{"S3/unterminated", `{"a":"b`, ErrSyntax},
		{"S3/control-in-string", "[\"a\x01\"]", ErrSyntax},
		{"S3/bad-escape", `["\x"]`, ErrSyntax},
		{"S3/invalid-UTF-8", "[\"\xff\"]", ErrUTF8},
		{"S3/overlong-UTF-8", "[\"\xc0\xaf\"]", ErrUTF8},
		{"S3/lone-high-surrogate", `["\ud800"]`, ErrUTF8},
		{"S3/lone-low-surrogate", `["\udc00"]`, ErrUTF8},
		{"S3/reversed-surrogates", `["\udc00\ud800"]`, ErrUTF8},
		{"S3/surrogate-pair", `["\ud83d\ude00"]`, nil},
		{"D1/duplicate", `{"alg":"RS256","alg":"none"}`, ErrDuplicate},
		{"D2/case-folded", `{"alg":"RS256","aLg":"HS256"}`, ErrDuplicate},
		{"D2/kelvin-sign", `{"k":1,"` + "\u212a" + `":2}`, ErrDuplicate},
		{"D2/long-s", `{"s":1,"` + "\u017f" + `":2}`, ErrDuplicate},
		{"D2/greek-sigma", `{"` + "\u03c3" + `":1,"` + "\u03c2" + `":2}`, ErrDuplicate},
		{"D2/sharp-s-is-not-ss", `{"` + "\u00df" + `":1,"ss":2}`, nil},
		{"D3/escaped-name", `{"alg":1,"\u0061lg":2}`, ErrDuplicate},
		{"D3/escaped-kelvin", `{"k":1,"\u212a":2}`, ErrDuplicate},
		{"D5/nested", `{"act":{"sub":1,"sub":2}}`, ErrDuplicate},
		{"D5/in-array", `[{"a":1},{"a":1,"A":2}]`, ErrDuplicate},
		{"D5/same-name-other-objects", `[{"a":1},{"a":1}]`, nil},
		{"Z3/depth-32", strings.Repeat("[", 32) + strings.Repeat("]", 32), nil},
		{"Z3/depth-33", strings.Repeat("[", 33) + strings.Repeat("]", 33), ErrDepth},
		{"Z3/depth-10001", strings.Repeat("[", 10001) + strings.Repeat("]", 10001), ErrDepth},
		{"Z6/number-64", "[" + strings.Repeat("1", 64) + "]", nil},
		{"Z6/number-65", "[" + strings.Repeat("1", 65) + "]", ErrNumber},
		{"Z6/number-10000", "[" + strings.Repeat("1", 10000) + "]", ErrNumber},
		// The duplicate check past the inline arrays (more than 24 names).
		{"Z4/100-distinct", many(100, "m") + "}", nil},
		{"Z4/100-then-duplicate", many(100, "m") + `,"m7":0}`, ErrDuplicate},
		{"Z4/100-then-case-folded", many(100, "m") + `,"M77":0}`, ErrDuplicate},
		{"Z4/100-then-kelvin", many(100, "k") + `,"` + "\u212a" + `42":0}`, ErrDuplicate},
		{"Z4/kelvin-then-100", `{"` + "\u212a" + `42":0,` + many(100, "k")[1:] + "}", ErrDuplicate},
		{"Z4/100-non-ASCII", many(100, "é") + `,"É7":0}`, ErrDuplicate},
		// At most MaxMembers members per object (X2), in every object.
		{"X2/max-members", many(MaxMembers, "m") + "}", nil},
		{"X2/max-members-plus-one", many(MaxMembers+1, "m") + "}", ErrMembers},
		{"X2/nested-max-members-plus-one", `{"a":[` + many(MaxMembers+1, "m") + "}]}", ErrMembers},
		{"X2/many-objects-of-max-members", "[" + strings.Repeat(many(MaxMembers, "m")+"},", 3) + "{}]", nil},
	}
}

// TestValid: the strict scanner, case by case.
func TestValid(t *testing.T) {
	for _, tc := range validCases() {
		t.Run(tc.id, func(t *testing.T) {
			err := Valid([]byte(tc.in))
			if tc.want == nil && err != nil {
				t.Fatalf("got %v, want valid", err)
			}
			if tc.want != nil && !errors.Is(err, tc.want) {
				t.Fatalf("got %v, want %v", err, tc.want)
			}
		})
	}
}

// TestMembersScaleLinearly (Z4: a header of up to 4 KiB is parsed before
// its signature is checked) checks that the duplicate check does a bounded
// amount of work per member name, for ASCII names and for names whose
// Unicode folding must be considered: the number of index slots probed stays
// within a small multiple of the member count. (A quadratic check made 8,000
// members cost 100 times 1,000.) It counts work instead of timing it.
func TestMembersScaleLinearly(t *testing.T) {
	for _, prefix := range []string{"m", "é", "K"} {
		for _, n := range []int{100, MaxMembers} {
			var m Members
			for i := range n {
				if err := m.Add([]byte(fmt.Sprintf("%s%x", prefix, i))); err != nil {
					t.Fatalf("%s%x: %v", prefix, i, err)
				}
			}
			if limit := 4 * n; m.probes > limit {
				t.Errorf("names %q, %d members: %d probes, want at most %d", prefix, n, m.probes, limit)
			}
		}
	}
}

func BenchmarkValidClaims(b *testing.B) {
	c := []byte(`{"iss":"https://idp.example.com/","sub":"auth0|alice","aud":["api","https://idp.example.com/userinfo"],` +
		`"iat":1799999940,"exp":1800003600,"azp":"client-1","scope":"openid read:items write:items",` +
		`"permissions":["read:items","write:items","delete:items"],"org_id":"org_7rWcG3Sxv1XNqX9Z","gty":"client-credentials"}`)
	b.ReportAllocs()
	for b.Loop() {
		if err := ValidObject(c); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkValidManyMembers: objects past the inline arrays, where the
// duplicate check uses its index (allocations: the index and the names).
func BenchmarkValidManyMembers(b *testing.B) {
	for _, n := range []int{100, 1000} {
		var sb strings.Builder
		sb.WriteString("{")
		for i := range n {
			if i > 0 {
				sb.WriteString(",")
			}
			fmt.Fprintf(&sb, `"member%d":%d`, i, i)
		}
		sb.WriteString("}")
		data := []byte(sb.String())
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if err := ValidObject(data); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
