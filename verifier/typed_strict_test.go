package verifier_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/tokengate/tokengate/internal/hook"
	"github.com/tokengate/tokengate/verifier"
)

// Types of TestTypedStrict.
type (
	tcStrict struct {
		Tenant  string            `json:"https://example.com/tenant"`
		Roles   []string          `json:"https://example.com/roles"`
		Profile tcProfile         `json:"https://example.com/profile"`
		Beta    bool              `json:"https://example.com/beta"`
		Small   int8              `json:"small"`
		Count   int               `json:"count"`
		U       uint8             `json:"u"`
		F32     float32           `json:"f32"`
		Labels  map[string]string `json:"labels"`
		Any     any               `json:"any"`
		Quoted  int               `json:"quoted,string"`
		QBool   bool              `json:"qbool,string"`
		Num     json.Number       `json:"num"`
		Bytes   []byte            `json:"bytes"`
		Lvl     tcFussy           `json:"lvl"`
		Text    tcText            `json:"text"`
		Status  string            `json:"status"`
		Kind    string            `json:"kind"`
	}
	// tcFussy refuses every value but 1, and panics on 2.
	tcFussy int
)

func (f *tcFussy) UnmarshalJSON(b []byte) error {
	switch string(b) {
	case "1":
		*f = 1
		return nil
	case "2":
		panic("tcFussy: 2")
	}
	return errors.New("tcFussy refuses " + string(b))
}

// secret marks a value that no error message may quote.
const secret = "SECRET-VALUE"

// TestTypedStrict (SECURITY.md TC1, TC2, TC3, TC5): Typed refuses, with
// ErrMalformed naming the claim and a message that quotes no value, what
// the strict rules of the registered claims refuse (duplicate member names
// at every depth, also case-folded; invalid UTF-8), members that
// encoding/json would match to a field only by folding, values of the
// wrong JSON type (null included) and values a type's UnmarshalJSON or
// UnmarshalText refuses or panics on. No claims and no custom claims come
// with the error.
func TestTypedStrict(t *testing.T) {
	tests := []struct {
		id    string
		extra string
		claim string // the ValidationError's Claim, "" for no check
	}{
		{"TC1/duplicate-top", `"https://example.com/tenant":"a","https://example.com/tenant":"` + secret + `"`, ""},
		{"TC1/duplicate-folded-top", `"https://example.com/tenant":"a","HTTPS://EXAMPLE.COM/TENANT":"` + secret + `"`, ""},
		{"TC1/duplicate-nested", `"https://example.com/profile":{"team":"a","team":"` + secret + `"}`, ""},
		{"TC1/duplicate-folded-nested", `"https://example.com/profile":{"team":"a","TEAM":"` + secret + `"}`, ""},
		{"TC1/duplicate-kelvin-nested", `"labels":{"k":"a","\u212a":"` + secret + `"}`, ""},
		{"TC1/duplicate-in-skipped", `"https://example.com/other":{"a":{"b":1,"b":2}}`, ""},
		{"TC1/duplicate-escaped", `"https://example.com/tenant":"a","https:\/\/example.com\/tenant":"b"`, ""},
		{"TC1/lone-surrogate", `"https://example.com/tenant":"\ud800` + secret + `"`, ""},
		{"TC1/duplicate-in-unmarshaler", `"lvl":{"a":1,"a":1}`, ""},
		{"TC2/case-only-top", `"HTTPS://EXAMPLE.COM/BETA":true`, "https://example.com/beta"},
		{"TC2/long-s", `"ſtatus":"` + secret + `"`, "status"},
		{"TC2/kelvin", `"\u212aind":"` + secret + `"`, "kind"},
		{"TC2/case-only-nested", `"https://example.com/profile":{"REGION":"` + secret + `"}`, "region"},
		{"TC3/number-for-string", `"https://example.com/tenant":12345`, "https://example.com/tenant"},
		{"TC3/string-for-list", `"https://example.com/roles":"` + secret + `"`, "https://example.com/roles"},
		{"TC3/number-in-list", `"https://example.com/roles":["a",1]`, "https://example.com/roles"},
		{"TC3/list-for-object", `"https://example.com/profile":["` + secret + `"]`, "https://example.com/profile"},
		{"TC3/string-for-bool", `"https://example.com/beta":"true"`, "https://example.com/beta"},
		{"TC3/null-for-string", `"https://example.com/tenant":null`, "https://example.com/tenant"},
		{"TC3/null-for-list", `"https://example.com/roles":null`, "https://example.com/roles"},
		{"TC3/null-for-object", `"https://example.com/profile":null`, "https://example.com/profile"},
		{"TC3/null-for-map", `"labels":null`, "labels"},
		{"TC3/fraction-for-int", `"count":1.5`, "count"},
		{"TC3/float-form-for-int", `"count":1.0`, "count"},
		{"TC3/exponent-for-int", `"count":1e2`, "count"},
		{"TC3/int8-overflow", `"small":128`, "small"},
		{"TC3/uint-negative", `"u":-1`, "u"},
		{"TC3/uint8-overflow", `"u":256`, "u"},
		{"TC3/float32-overflow", `"f32":3.5e38`, "f32"},
		{"TC3/any-overflow", `"any":[1e400]`, "any"},
		{"TC3/int-overflow", `"count":9223372036854775808`, "count"},
		{"TC3/number-in-map", `"labels":{"a":1}`, "labels"},
		{"TC3/quoted-unquoted", `"quoted":12`, "quoted"},
		{"TC3/quoted-space", `"quoted":" 12"`, "quoted"},
		{"TC3/quoted-trailing", `"quoted":"12 "`, "quoted"},
		{"TC3/quoted-leading-zero", `"quoted":"012"`, "quoted"},
		{"TC3/quoted-null", `"quoted":"null"`, "quoted"},
		{"TC3/quoted-empty", `"quoted":""`, "quoted"},
		{"TC3/quoted-bool-word", `"qbool":"yes"`, "qbool"},
		{"TC3/number-string-invalid", `"num":"1.2.3"`, "num"},
		{"TC3/number-bool", `"num":true`, "num"},
		{"TC3/bytes-not-base64", `"bytes":"***"`, "bytes"},
		{"TC3/bytes-number", `"bytes":12`, "bytes"},
		{"TC3/text-not-string", `"text":{"x":"` + secret + `"}`, "text"},
		{"TC5/unmarshaler-error", `"lvl":"` + secret + `"`, "lvl"},
		{"TC5/unmarshaler-panic", `"lvl":2`, "lvl"},
		{"TC5/text-error", `"text":""`, "text"},
	}
	v := hsVerifier(t, verifier.Config{})
	tv := mustTyped(t, v, verifier.TypedConfig[tcStrict]{})
	for _, tt := range tests {
		t.Run(tt.id, func(t *testing.T) {
			c, got, err := tv.Verify(context.Background(), customToken(t, tt.extra))
			if !errors.Is(err, verifier.ErrMalformed) {
				t.Fatalf("got %v, want ErrMalformed", err)
			}
			if c != nil || got != nil {
				t.Errorf("got claims %v and custom claims %v with the error, want neither", c, got)
			}
			if strings.Contains(err.Error(), secret) {
				t.Errorf("error %q quotes the value", err)
			}
			var ve *verifier.ValidationError
			if tt.claim != "" && (!errors.As(err, &ve) || ve.Claim != tt.claim) {
				t.Errorf("got %v, want a *ValidationError on claim %s", err, tt.claim)
			}
		})
	}
	// The same Typed accepts the good values of every field.
	good := `"lvl":1,"quoted":"-12","qbool":"false","num":"1e3","bytes":[1],"u":255,"small":-128,"count":-9223372036854775808`
	if _, got, err := tv.Verify(context.Background(), customToken(t, good)); err != nil || got.Quoted != -12 || got.Lvl != 1 {
		t.Fatalf("good values: got %+v, %v", got, err)
	}
}

// Types of TestTypedUnsupported.
type (
	tcChan    struct{ C chan int }
	tcFunc    struct{ F func() }
	tcComplex struct{ C complex128 }
	tcIntKeys struct {
		M map[int]string `json:"m"`
	}
	tcIface struct {
		E error `json:"e"`
	}
	tcDeep struct {
		Inner struct {
			List []map[string]chan int `json:"list"`
		} `json:"inner"`
	}
	tcQuotedText struct {
		T tcTextKey `json:"t,string"` // a string type that decodes itself
	}
	tcQuotedNumber struct {
		N json.Number `json:"n,string"`
	}
	tcUnexportedPtr struct {
		*tcEmbedded
	}
	tcTextKeys struct {
		M map[tcTextKey]int `json:"m"`
	}
	tcTextKey string
)

func (k *tcTextKey) UnmarshalText([]byte) error { return nil }

// TestTypedUnsupported (SECURITY.md TC4): a type that cannot be decoded
// from JSON is refused by NewTyped, with ErrUnsupportedType, before any
// token: never per token. A field that is skipped ("-", unexported) does
// not count, nor does a ",string" option that encoding/json ignores (on a
// slice, a struct).
func TestTypedUnsupported(t *testing.T) {
	v := hsVerifier(t, verifier.Config{})
	tests := []struct {
		id  string
		new func() error
	}{
		{"TC4/chan", func() error { _, err := verifier.NewTyped(v, verifier.TypedConfig[tcChan]{}); return err }},
		{"TC4/func", func() error { _, err := verifier.NewTyped(v, verifier.TypedConfig[tcFunc]{}); return err }},
		{"TC4/complex", func() error { _, err := verifier.NewTyped(v, verifier.TypedConfig[tcComplex]{}); return err }},
		{"TC4/int-keys", func() error { _, err := verifier.NewTyped(v, verifier.TypedConfig[tcIntKeys]{}); return err }},
		{"TC4/text-keys", func() error { _, err := verifier.NewTyped(v, verifier.TypedConfig[tcTextKeys]{}); return err }},
		{"TC4/interface-with-methods", func() error { _, err := verifier.NewTyped(v, verifier.TypedConfig[tcIface]{}); return err }},
		{"TC4/deep", func() error { _, err := verifier.NewTyped(v, verifier.TypedConfig[tcDeep]{}); return err }},
		{"TC4/quoted-text", func() error { _, err := verifier.NewTyped(v, verifier.TypedConfig[tcQuotedText]{}); return err }},
		{"TC4/quoted-number", func() error { _, err := verifier.NewTyped(v, verifier.TypedConfig[tcQuotedNumber]{}); return err }},
		{"TC4/unexported-embedded-pointer", func() error {
			_, err := verifier.NewTyped(v, verifier.TypedConfig[tcUnexportedPtr]{})
			return err
		}},
		{"TC4/not-an-object", func() error { _, err := verifier.NewTyped(v, verifier.TypedConfig[[]string]{}); return err }},
		{"TC4/pointer", func() error { _, err := verifier.NewTyped(v, verifier.TypedConfig[*tcProfile]{}); return err }},
	}
	for _, tt := range tests {
		t.Run(tt.id, func(t *testing.T) {
			if err := tt.new(); !errors.Is(err, verifier.ErrUnsupportedType) {
				t.Fatalf("got %v, want ErrUnsupportedType", err)
			}
		})
	}
	type skipped struct {
		C chan int `json:"-"`
		f func()
		S string `json:"s"`
		//lint:ignore SA5008 encoding/json ignores ",string" here, and so must NewTyped
		R json.RawMessage `json:"r,string"`
		//lint:ignore SA5008 as above
		T tcText `json:"t,string"`
	}
	if _, err := verifier.NewTyped(v, verifier.TypedConfig[skipped]{}); err != nil {
		t.Fatalf("skipped fields: got %v, want nil", err)
	}
	_ = skipped{}.f
}

// TestTypedUnmarshalerSeesCheckedBytes (SECURITY.md TC5): a type's
// UnmarshalJSON is called only with bytes the strict scanner accepted, as
// a copy: never with a duplicate member name, and writing to its argument
// does not change the token for the next caller.
func TestTypedUnmarshalerSeesCheckedBytes(t *testing.T) {
	var calls atomic.Int32
	v := hsVerifier(t, verifier.Config{})
	tv := mustTyped(t, v, verifier.TypedConfig[tcScribbler]{})
	scribblerCalls = &calls
	if _, _, err := tv.Verify(context.Background(), customToken(t, `"x":{"a":1,"a":2}`)); !errors.Is(err, verifier.ErrMalformed) {
		t.Fatalf("duplicate: got %v, want ErrMalformed", err)
	}
	if n := calls.Load(); n != 0 {
		t.Fatalf("UnmarshalJSON called %d times for a refused value, want 0", n)
	}
	tok := customToken(t, `"x":{"a":"keep"}`)
	c, got, err := tv.Verify(context.Background(), tok)
	if err != nil || string(got.X) != `{"a":"keep"}` {
		t.Fatalf("got %+v, %v", got, err)
	}
	if raw, _ := c.Lookup("x"); string(raw) != `{"a":"keep"}` {
		t.Fatalf("the payload changed: Lookup(x) = %s", raw)
	}
}

// tcScribbler's UnmarshalJSON keeps a copy of what it got, then writes over
// its argument.
type tcScribbler struct {
	X scribbled `json:"x"`
}

type scribbled []byte

var scribblerCalls *atomic.Int32

func (s *scribbled) UnmarshalJSON(b []byte) error {
	scribblerCalls.Add(1)
	*s = append(scribbled(nil), b...)
	for i := range b {
		b[i] = 'X'
	}
	return nil
}

// TestTypedPanicIsRefusal: a panic in UnmarshalJSON is stopped (hook.Call)
// and refuses the token, as its error would.
func TestTypedPanicIsRefusal(t *testing.T) {
	v := hsVerifier(t, verifier.Config{})
	tv := mustTyped(t, v, verifier.TypedConfig[tcStrict]{})
	_, _, err := tv.Verify(context.Background(), customToken(t, `"lvl":2`))
	if !errors.Is(err, verifier.ErrMalformed) || errors.Is(err, hook.ErrPanic) {
		t.Fatalf("got %v, want ErrMalformed (the panic's text is not kept)", err)
	}
}
