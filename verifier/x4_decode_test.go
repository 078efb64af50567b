package verifier_test

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/tokengate/tokengate/verifier"
)

// Types of TestX4DecodeFolding.
type (
	x4Meta struct {
		Plan string `json:"plan"`
	}
	x4Tagged struct {
		x4Meta `json:"meta"` // a field named "meta" for encoding/json, not promoted
	}
	x4Embedded struct {
		x4Meta // promoted: "plan" is a field of x4Embedded
	}
	X4Meta        x4Meta // exported, so that encoding/json may allocate it
	x4EmbeddedPtr struct {
		*X4Meta // promoted through the pointer
	}
	x4Names struct {
		Status string `json:"plan_status"`
		Kind   string `json:"kind"`
		Sort   string // no tag: the Go name
	}
	x4Shadow struct {
		x4Meta
		Plan int `json:"plan"` // the shallower field wins
	}
	x4Exact struct {
		Lower string `json:"kind"`
		Upper string `json:"KIND"` // two fields that fold alike: each exact name is its own
	}
)

// TestX4DecodeFolding (SECURITY.md X4): Claims.Decode refuses a member
// that encoding/json would put in a field although its name differs from
// the field's: encoding/json folds U+017F (ſ) to s and U+212A (Kelvin) to k
// as well as ASCII case, and matches the members of an embedded struct with
// a json tag as one named field. Every accepted case decodes as
// encoding/json does.
func TestX4DecodeFolding(t *testing.T) {
	tests := []struct {
		name   string
		claims string // members added to the standard claims
		into   func() any
		ok     bool
	}{
		{"long-s/tagged", `"plan_ſtatus":"x"`, func() any { return &x4Names{} }, false},
		{"kelvin/tagged", `"\u212aind":"x"`, func() any { return &x4Names{} }, false},
		{"long-s/untagged", `"ſort":"x"`, func() any { return &x4Names{} }, false},
		{"long-s-upper/untagged", `"ſORT":"x"`, func() any { return &x4Names{} }, false},
		{"exact/names", `"plan_status":"x","kind":"k","Sort":"s"`, func() any { return &x4Names{} }, true},
		{"tagged-embedded/name-folded", `"META":{"plan":"x"}`, func() any { return &x4Tagged{} }, false},
		{"tagged-embedded/member-folded", `"meta":{"PLAN":"x"}`, func() any { return &x4Tagged{} }, false},
		{"tagged-embedded/exact", `"meta":{"plan":"x"}`, func() any { return &x4Tagged{} }, true},
		{"tagged-embedded/inner-name-ignored", `"Plan":"x"`, func() any { return &x4Tagged{} }, true},
		{"embedded/folded", `"PLAN":"x"`, func() any { return &x4Embedded{} }, false},
		{"embedded/exact", `"plan":"x"`, func() any { return &x4Embedded{} }, true},
		{"embedded-pointer/folded", `"Plan":"x"`, func() any { return &x4EmbeddedPtr{} }, false},
		{"embedded-pointer/exact", `"plan":"x"`, func() any { return &x4EmbeddedPtr{} }, true},
		{"shadowed/exact", `"plan":7`, func() any { return &x4Shadow{} }, true},
		{"shadowed/folded", `"PLAN":7`, func() any { return &x4Shadow{} }, false},
		{"two-exact-names/lower", `"kind":"a"`, func() any { return &x4Exact{} }, true},
		{"two-exact-names/upper", `"KIND":"b"`, func() any { return &x4Exact{} }, true},
		{"two-exact-names/other-case", `"Kind":"c"`, func() any { return &x4Exact{} }, false},
		{"map/exact-keys", `"meta":{"PLAN":"x"}`, func() any { return &map[string]any{} }, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := payload(tt.claims)
			c, err := verifier.ParseClaims([]byte(p))
			if err != nil {
				t.Fatalf("ParseClaims(%s): %v", p, err)
			}
			got := tt.into()
			err = c.Decode(got)
			if !tt.ok {
				if err == nil {
					t.Fatalf("Decode of %s into %T: got %+v, nil; want a case-only match refused", tt.claims, got, got)
				}
				return
			}
			if err != nil {
				t.Fatalf("Decode of %s into %T: got %v, want nil", tt.claims, got, err)
			}
			want := tt.into()
			if err := json.Unmarshal([]byte(p), want); err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("Decode: got %+v, encoding/json gives %+v", got, want)
			}
		})
	}
}
