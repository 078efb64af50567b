package strictjson

import (
	"errors"
	"testing"
)

// TestIterationCommas: NextMember and NextElement know by themselves whether
// they read the first member or element of a container (no first flag from
// the caller), through nesting, empty containers and scalars in between;
// a missing, leading, doubled or trailing comma is ErrSyntax at every depth.
func TestIterationCommas(t *testing.T) {
	for _, tc := range []struct {
		name string
		in   string
		want error
	}{
		{"empty-object", `{}`, nil},
		{"empty-array", `[]`, nil},
		{"one-member", `{"a":1}`, nil},
		{"members", `{"a":1,"b":"x","c":null}`, nil},
		{"elements", `[1,"x",true,null]`, nil},
		{"nested-empties", `{"a":{},"b":[],"c":[{},[]],"d":{"e":{}}}`, nil},
		{"nested-after-nested", `[[1,2],[3],{"a":[4,{"b":5}]},6]`, nil},
		{"spaces", " { \"a\" : [ 1 , { } ] , \"b\" : 2 } ", nil},
		{"missing-comma-members", `{"a":1 "b":2}`, ErrSyntax},
		{"missing-comma-elements", `[1 2]`, ErrSyntax},
		{"missing-comma-after-nested-object", `{"a":{} "b":1}`, ErrSyntax},
		{"missing-comma-after-nested-array", `[[] 1]`, ErrSyntax},
		{"missing-comma-inside-nested", `{"a":[1 2]}`, ErrSyntax},
		{"leading-comma-object", `{,"a":1}`, ErrSyntax},
		{"leading-comma-array", `[,1]`, ErrSyntax},
		{"leading-comma-nested", `{"a":[,1]}`, ErrSyntax},
		{"double-comma", `[1,,2]`, ErrSyntax},
		{"trailing-comma-object", `{"a":1,}`, ErrSyntax},
		{"trailing-comma-array", `[1,]`, ErrSyntax},
		{"trailing-comma-nested", `[{"a":1,}]`, ErrSyntax},
		{"comma-only", `[,]`, ErrSyntax},
		{"duplicate-after-nested", `{"a":{"a":1},"a":2}`, ErrDuplicate},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := NewScanner([]byte(tc.in))
			_, err := scanAny(&s)
			if err == nil {
				err = s.End()
			}
			if !errors.Is(err, tc.want) || (tc.want == nil && err != nil) {
				t.Errorf("scanning %s: got %v, want %v", tc.in, err, tc.want)
			}
			if v := Valid([]byte(tc.in)); !errors.Is(v, tc.want) || (tc.want == nil && v != nil) {
				t.Errorf("Valid(%s): got %v, want %v", tc.in, v, tc.want)
			}
		})
	}
}
