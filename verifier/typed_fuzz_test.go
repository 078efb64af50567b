package verifier_test

import (
	"encoding/json"
	"math/rand/v2"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/tokengate/tokengate/internal/strictjson"
	"github.com/tokengate/tokengate/verifier"
)

// fuzzCustom has a field of most kinds the plans decode, under short names
// a fuzzer finds.
type fuzzCustom struct {
	S  string            `json:"s"`
	N  int16             `json:"n"`
	U  uint8             `json:"u"`
	F  float32           `json:"f"`
	D  float64           `json:"d"`
	B  bool              `json:"b"`
	L  []string          `json:"l"`
	LI []int             `json:"li"`
	M  map[string]string `json:"m"`
	MA map[string]any    `json:"ma"`
	MI map[string]int8   `json:"mi"`
	A  any               `json:"a"`
	P  *fuzzInner        `json:"p"`
	I  fuzzInner         `json:"i"`
	R  json.RawMessage   `json:"r"`
	Q  int               `json:"q,string"`
	QS string            `json:"qs,string"`
	QB bool              `json:"qb,string"`
	QP *uint             `json:"qp,string"`
	NM json.Number       `json:"nm"`
	BY []byte            `json:"by"`
	AR [2]int8           `json:"ar"`
	T  tcText            `json:"t"`
	LV tcLevel           `json:"lv"`
	PS []*fuzzInner      `json:"ps"`
	fuzzEmbedded
}

type fuzzInner struct {
	X string  `json:"x"`
	Y []int64 `json:"y"`
	Z *bool   `json:"z"`
}

type fuzzEmbedded struct {
	E string `json:"e"`
}

// checkDifferential is the property of FuzzTC8TypedDecode: what Typed's
// decoding accepts, encoding/json accepts and decodes to the same value;
// what the strict scanner refuses (duplicates, folded duplicates, UTF-8,
// depth, trailing data), Typed refuses.
func checkDifferential(t *testing.T, data []byte) {
	got, err := verifier.DecodeCustom[fuzzCustom](data)
	if strictjson.ValidObject(data) != nil && err == nil {
		t.Fatalf("accepted %q, which the strict scanner refuses", data)
	}
	if err != nil {
		return
	}
	var want fuzzCustom
	if jerr := json.Unmarshal(data, &want); jerr != nil {
		t.Fatalf("accepted %q, which encoding/json refuses: %v", data, jerr)
	}
	if !reflect.DeepEqual(*got, want) {
		t.Fatalf("%q:\ngot  %#v\nwant %#v (encoding/json)", data, *got, want)
	}
}

// FuzzTC8TypedDecode (SECURITY.md TC8): the differential of Typed's
// decoding against encoding/json, on payloads from the fuzzer.
func FuzzTC8TypedDecode(f *testing.F) {
	for _, s := range []string{
		`{}`,
		`{"s":"x","n":-32768,"u":255,"f":1.5,"d":-0,"b":true,"l":["a","\u00e9"],"li":[1,-2],"m":{"k":"v"}}`,
		`{"ma":{"a":[1,{"b":null}]},"mi":{"x":-1},"a":[true,"s",1e3],"p":{"x":"y","y":[9007199254740993],"z":false}}`,
		`{"i":{"x":"\ud83d\ude00"},"r":{"a" : 1},"q":"12","qs":"\"x\"","qb":"true","qp":"7","nm":"1e2"}`,
		`{"by":"aGk=","ar":[1,2,3],"t":"txt","lv":"gold","ps":[null,{"x":"1"}],"e":"emb"}`,
		`{"qp":null,"p":null,"a":null,"r":null,"lv":null}`,
		`{"s":"x","S":"y"}`,
		`{"S":"y"}`,
		`{"ſ":"y"}`,
		`{"n":1.0}`,
		`{"n":40000}`,
		`{"u":-1}`,
		`{"f":1e39}`,
		`{"l":null}`,
		`{"q":12}`,
		`{"q":"012"}`,
		`{"q":" 1"}`,
		`{"qs":"x"}`,
		`{"nm":"01"}`,
		`{"by":"!"}`,
		`{"t":1}`,
		`{"lv":[1]}`,
		`{"m":{"a":"1","a":"2"}}`,
		`{"a":"\ud800"}`,
		`{"a":[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]}`,
		`{"s":"x"} x`,
		`{"ar":[1,"two"]}`,
		`{"i":{"X":"y"}}`,
		`{"mi":{"a":1.5}}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(checkDifferential)
}

// TestTC8GeneratedPayloads (SECURITY.md TC8): the same property on payloads
// generated from fuzzCustom's field names (and variants of them in other
// cases) with values of every JSON type, right and wrong: a deterministic
// run of a few thousand on every go test.
func TestTC8GeneratedPayloads(t *testing.T) {
	names := []string{"s", "n", "u", "f", "d", "b", "l", "li", "m", "ma", "mi", "a", "p", "i", "r", "q", "qs", "qb",
		"qp", "nm", "by", "ar", "t", "lv", "ps", "e", "x", "y", "z", "S", "Qs", "other", `\u0073`}
	rng := rand.New(rand.NewPCG(26, 8693))
	accepted := 0
	for range 4000 {
		var b strings.Builder
		b.WriteByte('{')
		for i, n := range rng.Perm(len(names))[:rng.IntN(5)] {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString(`"` + names[n] + `":`)
			genValue(rng, &b, names[n], 0)
		}
		b.WriteByte('}')
		data := []byte(b.String())
		if _, err := verifier.DecodeCustom[fuzzCustom](data); err == nil {
			accepted++
		}
		checkDifferential(t, data)
	}
	// The generator must exercise acceptance too, not only refusals.
	if accepted < 400 {
		t.Errorf("only %d of 4000 generated payloads were accepted; the generator is too hostile", accepted)
	}
}

// genValue writes a JSON value: most often one that fits the field name,
// otherwise any.
func genValue(rng *rand.Rand, b *strings.Builder, name string, depth int) {
	fit := rng.IntN(4) != 0
	if fit {
		switch name {
		case "s", "e", "x":
			genString(rng, b)
			return
		case "n", "u", "li", "mi", "y":
			if name == "li" || name == "y" {
				b.WriteString("[" + genNumber(rng) + "," + genNumber(rng) + "]")
			} else if name == "mi" {
				b.WriteString(`{"k":` + genNumber(rng) + `}`)
			} else {
				b.WriteString(genNumber(rng))
			}
			return
		case "f", "d", "nm":
			b.WriteString(genNumber(rng))
			return
		case "b", "z":
			b.WriteString([]string{"true", "false"}[rng.IntN(2)])
			return
		case "l":
			b.WriteString("[")
			genString(rng, b)
			b.WriteString("]")
			return
		case "m":
			b.WriteString(`{"k":`)
			genString(rng, b)
			b.WriteString(`}`)
			return
		case "q", "qp":
			b.WriteString(strconv.Quote(genNumber(rng)))
			return
		case "qs":
			b.WriteString(strconv.Quote(strconv.Quote(string(rune('a' + rng.IntN(26))))))
			return
		case "qb":
			b.WriteString([]string{`"true"`, `"false"`, `"TRUE"`, `"1"`}[rng.IntN(4)])
			return
		case "by":
			b.WriteString([]string{`"aGk="`, `"aGk"`, `""`, `[1,2]`, `"a\/b="`}[rng.IntN(5)])
			return
		case "ar":
			b.WriteString("[" + genNumber(rng) + "]")
			return
		case "p", "i":
			b.WriteString(`{"x":`)
			genString(rng, b)
			b.WriteString(`,"y":[1],"z":`)
			genValue(rng, b, "z", depth+1)
			b.WriteString(`}`)
			return
		case "t", "lv":
			b.WriteString([]string{`"gold"`, `"7"`, `7`, `""`}[rng.IntN(4)])
			return
		}
	}
	switch k := rng.IntN(7); {
	case k == 0 || depth > 3:
		genString(rng, b)
	case k == 1:
		b.WriteString(genNumber(rng))
	case k == 2:
		b.WriteString([]string{"true", "false", "null"}[rng.IntN(3)])
	case k == 3:
		b.WriteString("[")
		for i := range rng.IntN(3) {
			if i > 0 {
				b.WriteString(",")
			}
			genValue(rng, b, "", depth+1)
		}
		b.WriteString("]")
	default:
		b.WriteString("{")
		for i, n := range rng.Perm(4)[:rng.IntN(3)] {
			if i > 0 {
				b.WriteString(",")
			}
			b.WriteString(`"` + []string{"x", "y", "z", "X"}[n] + `":`)
			genValue(rng, b, "", depth+1)
		}
		b.WriteString("}")
	}
}

func genString(rng *rand.Rand, b *strings.Builder) {
	b.WriteString([]string{`""`, `"a"`, `"\u00e9\n"`, `"\ud83d\ude00"`, `"ü"`, `"\""`, `"\ud800"`, `"a\u0000b"`}[rng.IntN(8)])
}

func genNumber(rng *rand.Rand) string {
	return []string{"0", "-0", "1", "-1", "127", "128", "255", "256", "-32769", "65535", "1.5", "1e2", "1E-3",
		"3.4e38", "3.5e38", "1e400", "9007199254740993", "-9223372036854775808", "18446744073709551616", "0.1"}[rng.IntN(20)]
}
