package verifier_test

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"net/netip"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/tokengate/tokengate/verifier"
)

// Helpers of the Typed tests: an HS256 verifier (kid "h") at testNow, and
// tokens over the standard claims plus raw custom members.

func hsVerifier(t testing.TB, cfg verifier.Config) *verifier.Verifier {
	t.Helper()
	loadKeys()
	cfg.Keys = set(key("h", "HS256", hmacKey))
	cfg.Algorithms = []string{"HS256"}
	return newVerifier(t, cfg)
}

// customToken signs the standard claims with the raw JSON members extra added.
func customToken(t testing.TB, extra string) string {
	t.Helper()
	return sign(t, "HS256", hmacKey, hdr("HS256", "h"), payload(extra))
}

func mustTyped[T any](t testing.TB, v *verifier.Verifier, cfg verifier.TypedConfig[T]) *verifier.Typed[T] {
	t.Helper()
	tv, err := verifier.NewTyped(v, cfg)
	if err != nil {
		t.Fatalf("NewTyped[%T]: %v", *new(T), err)
	}
	return tv
}

// Types of TestTypedDecode.
type (
	tcProfile struct {
		Team   string `json:"team"`
		Region string `json:"region"`
	}
	tcEmbedded struct {
		Plan string `json:"plan"`
	}
	TCEmbeddedPtr struct {
		Seats int `json:"seats"`
	}
	// tcLevel decodes itself from a number or a name.
	tcLevel int
	// tcText decodes itself from a string (encoding.TextUnmarshaler).
	tcText struct{ Upper string }
	tcNode struct {
		Name string   `json:"name"`
		Kids []tcNode `json:"kids"`
	}
	// tcAll has a field of every kind the plans decode.
	tcAll struct {
		Tenant  string            `json:"https://example.com/tenant"`
		Roles   []string          `json:"https://example.com/roles"`
		Profile tcProfile         `json:"https://example.com/profile"`
		Beta    bool              `json:"https://example.com/beta"`
		Level   string            `json:"urn:example:claims:level"`
		Nested  *tcProfile        `json:"nested,omitempty"`
		PtrNil  *string           `json:"ptr_nil"`
		Flags   map[string]bool   `json:"flags"`
		Labels  map[string]string `json:"labels"`
		Teams   map[string][]int  `json:"teams"`
		Any     any               `json:"any"`
		AnyMap  map[string]any    `json:"any_map"`
		Raw     json.RawMessage   `json:"raw"`
		Num     json.Number       `json:"num"`
		NumStr  json.Number       `json:"num_str"`
		Count   int64             `json:"count,string"`
		PCount  *int              `json:"pcount,string"`
		Ratio   float64           `json:"ratio"`
		Small   int8              `json:"small"`
		U       uint16            `json:"u"`
		F32     float32           `json:"f32"`
		Quoted  bool              `json:"quoted,string"`
		QStr    string            `json:"qstr,string"`
		Skipped string            `json:"-"`
		//lint:ignore SA5008 the name "-", as encoding/json reads this tag
		Dash    string `json:"-,"`
		NoTag   string
		Bytes   []byte                     `json:"bytes"`
		ByteArr []byte                     `json:"byte_arr"`
		Arr     [2]int                     `json:"arr"`
		Structs []tcProfile                `json:"structs"`
		Ptrs    []*tcProfile               `json:"ptrs"`
		When    time.Time                  `json:"when"`
		Lvl     tcLevel                    `json:"lvl"`
		LvlPtr  *tcLevel                   `json:"lvl_ptr"`
		Text    tcText                     `json:"text"`
		IP      netip.Addr                 `json:"ip"`
		Tree    tcNode                     `json:"tree"`
		Omit    string                     `json:"omit,omitempty"`
		Iface   any                        `json:"iface"`
		MapRaw  map[string]json.RawMessage `json:"map_raw"`
		tcEmbedded
		*TCEmbeddedPtr
		//lint:ignore U1000 an unexported field, which no member may fill
		unexported string
	}
)

func (l *tcLevel) UnmarshalJSON(b []byte) error {
	switch string(b) {
	case `"gold"`:
		*l = 3
		return nil
	case "null":
		*l = -1
		return nil
	}
	var n int
	if err := json.Unmarshal(b, &n); err != nil {
		return err
	}
	*l = tcLevel(n)
	return nil
}

func (t *tcText) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		return errors.New("empty")
	}
	t.Upper = strings.ToUpper(string(b))
	return nil
}

// tcAllMembers are custom members for every field of tcAll.
const tcAllMembers = `"https://example.com/tenant":"acme\u002deu","https://example.com/roles":["admin","editor","viewer"],` +
	`"https://example.com/profile":{"team":"platform","region":"eu-west-1","extra":[1,{"x":null}]},` +
	`"https://example.com/beta":true,"urn:example:claims:level":"l2","nested":{"team":"t"},"ptr_nil":null,` +
	`"flags":{"a":true,"b":false},"labels":{"k":"v","é":"ü"},"teams":{"x":[1,2],"y":[]},` +
	`"any":[1,"two",{"three":3.5},null,true,[]],"any_map":{"n":-0.5e3,"o":{}},"raw": {"a" : [1, 2]} ,` +
	`"num":12.50e1,"num_str":"-7","count":"9007199254740993","pcount":"42","ratio":0.125,"small":-128,"u":65535,` +
	`"f32":3.4e38,"quoted":"true","qstr":"\"in\\u0041\"","Skipped":"no","-":"dash","NoTag":"yes",` +
	`"bytes":"aGVsbG8=","byte_arr":[1,2,255],"arr":[7,8,9],"structs":[{"team":"a"},{"region":"b"}],` +
	`"ptrs":[{"team":"p"},null],"when":"2026-01-02T03:04:05.5Z","lvl":"gold","lvl_ptr":7,` +
	`"text":"shout","ip":"2001:db8::1","tree":{"name":"r","kids":[{"name":"c","kids":[]}]},"omit":"o",` +
	`"iface":{"deep":[[[]]]},"map_raw":{"a":[ 1 ],"b":"x"},"plan":"pro","seats":12,"unexported":"no"`

// TestTypedDecode: Typed decodes every kind of field as encoding/json
// decodes the same payload: nested structs, slices, maps, pointers,
// json.RawMessage, json.Number, the "-", "omitempty" and ",string" tag
// options, namespaced names with "/" and ":", types with their own
// UnmarshalJSON or UnmarshalText, promoted fields (also through an
// embedded pointer), recursive types.
func TestTypedDecode(t *testing.T) {
	tests := []struct {
		name  string
		extra string
		check func(t *testing.T, v *verifier.Verifier, payload string)
	}{
		{"every-kind", tcAllMembers, agree[tcAll]},
		{"absent", ``, agree[tcAll]},
		{"empty-containers", `"https://example.com/roles":[],"flags":{},"structs":[],"bytes":"","any":{},"any_map":{}`, agree[tcAll]},
		{"pointer-null", `"nested":null,"lvl_ptr":null,"pcount":null`, agree[tcAll]},
		{"interface-null", `"iface":null,"any":null`, agree[tcAll]},
		{"raw-null", `"raw":null`, agree[tcAll]},
		{"unmarshaler-null", `"lvl":null`, agree[tcAll]},
		{"escapes", `"https://example.com/tenant":"\ud83d\ude00\n\"\\\/","labels":{"\u00e9":"\u0000"}`, agree[tcAll]},
		{"long-roles", `"https://example.com/roles":[` + strings.Repeat(`"r",`, 40) + `"last"]`, agree[tcAll]},
		{"array-short", `"arr":[1]`, agree[tcAll]},
		{"map-top", `"https://example.com/a":1,"https://example.com/b":[true]`, agree[map[string]any]},
		{"map-strings-top", `"https://example.com/a":"1"`, agreeOnly[map[string]string](false)},
		{"map-raw-top", `"https://example.com/a":{"b":1}`, agree[map[string]json.RawMessage]},
		{"escaped-name", `"https:\/\/example.com\/tenant":"t"`, agree[tcAll]},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := hsVerifier(t, verifier.Config{})
			tt.check(t, v, payload(tt.extra))
		})
	}
}

// agree verifies a token of payload with a Typed[T] and compares the value
// with encoding/json's decoding of the same payload.
func agree[T any](t *testing.T, v *verifier.Verifier, p string) {
	t.Helper()
	tv := mustTyped(t, v, verifier.TypedConfig[T]{})
	tok := sign(t, "HS256", hmacKey, hdr("HS256", "h"), p)
	c, got, err := tv.Verify(context.Background(), tok)
	if err != nil {
		t.Fatalf("Verify: %v", err)
	}
	if c == nil || got == nil {
		t.Fatalf("Verify: got claims %v, custom %v; want both", c, got)
	}
	var want T
	if err := json.Unmarshal([]byte(p), &want); err != nil {
		t.Fatalf("encoding/json: %v", err)
	}
	if !reflect.DeepEqual(*got, want) {
		t.Errorf("got  %#v\nwant %#v (encoding/json)", *got, want)
	}
}

// agreeOnly is agree when ok, else it wants Verify to refuse the token
// with ErrMalformed (a payload whose standard claims do not fit T).
func agreeOnly[T any](ok bool) func(t *testing.T, v *verifier.Verifier, p string) {
	return func(t *testing.T, v *verifier.Verifier, p string) {
		t.Helper()
		if ok {
			agree[T](t, v, p)
			return
		}
		tv := mustTyped(t, v, verifier.TypedConfig[T]{})
		tok := sign(t, "HS256", hmacKey, hdr("HS256", "h"), p)
		c, got, err := tv.Verify(context.Background(), tok)
		if !errors.Is(err, verifier.ErrMalformed) || c != nil || got != nil {
			t.Fatalf("Verify: got %v, %v, %v; want ErrMalformed and nothing else", c, got, err)
		}
	}
}

// TestTypedRegisteredClaims: T may also name registered claims; Verify
// still checks them first, and a T that decodes aud as a string refuses a
// token whose aud is a list (a type mismatch, as with encoding/json).
func TestTypedRegisteredClaims(t *testing.T) {
	type withSub struct {
		Sub string `json:"sub"`
	}
	v := hsVerifier(t, verifier.Config{})
	tv := mustTyped(t, v, verifier.TypedConfig[withSub]{})
	_, got, err := tv.Verify(context.Background(), customToken(t, ""))
	if err != nil || got.Sub != "auth0|alice" {
		t.Fatalf("got %+v, %v; want sub auth0|alice", got, err)
	}
	type audString struct {
		Aud string `json:"aud"`
	}
	ta := mustTyped(t, v, verifier.TypedConfig[audString]{})
	if _, _, err := ta.Verify(context.Background(), customToken(t, "")); !errors.Is(err, verifier.ErrMalformed) {
		t.Fatalf("aud list into a string: got %v, want ErrMalformed", err)
	}
	// An untagged field Aud is "Aud" to encoding/json, which would fill it
	// from "aud" by folding case: refused (SECURITY.md X4).
	type audUntagged struct{ Aud []string }
	tu := mustTyped(t, v, verifier.TypedConfig[audUntagged]{})
	if _, _, err := tu.Verify(context.Background(), customToken(t, "")); !errors.Is(err, verifier.ErrMalformed) {
		t.Fatalf("untagged Aud: got %v, want ErrMalformed", err)
	}
}

// TestTypedNil: NewTyped refuses a nil Verifier.
func TestTypedNil(t *testing.T) {
	if _, err := verifier.NewTyped[tcProfile](nil, verifier.TypedConfig[tcProfile]{}); !errors.Is(err, verifier.ErrConfig) {
		t.Fatalf("got %v, want ErrConfig", err)
	}
}

// ExampleNewTyped: an API's namespaced claims, decoded once per token.
func ExampleNewTyped() {
	type AppClaims struct {
		Tenant string   `json:"https://example.com/tenant"`
		Roles  []string `json:"https://example.com/roles"`
	}
	secret, _ := verifier.Secret([]byte("an example secret of at least 32 bytes!"))
	v, _ := verifier.New(verifier.Config{
		Issuer: "https://tenant.example.com/", Audience: []string{"api"},
		Algorithms: []string{"HS256"}, Keys: secret,
		Now: func() time.Time { return time.Unix(1_800_000_000, 0) },
	})
	tv, err := verifier.NewTyped(v, verifier.TypedConfig[AppClaims]{
		Validate: func(_ context.Context, _ *verifier.Claims, c *AppClaims) error {
			if c.Tenant == "" {
				return errors.New("no tenant")
			}
			return nil
		},
	})
	if err != nil {
		panic(err)
	}
	token := exampleToken(`{"iss":"https://tenant.example.com/","aud":"api","exp":1800003600,` +
		`"https://example.com/tenant":"acme","https://example.com/roles":["admin"]}`)
	claims, custom, err := tv.Verify(context.Background(), token)
	if err != nil {
		panic(err)
	}
	fmt.Println(claims.Issuer, custom.Tenant, custom.Roles)
	// Output: https://tenant.example.com/ acme [admin]
}

// exampleToken signs payload with HS256 under the example's secret.
func exampleToken(payload string) string {
	input := b64([]byte(`{"alg":"HS256","typ":"JWT"}`)) + "." + b64([]byte(payload))
	m := hmac.New(sha256.New, []byte("an example secret of at least 32 bytes!"))
	m.Write([]byte(input))
	return input + "." + b64(m.Sum(nil))
}
