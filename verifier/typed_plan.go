package verifier

import (
	"encoding"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"sync"
	"unsafe"

	"github.com/tokengate/tokengate/internal/strictjson"
)

// A plan decodes the verified claims of a token into a value of one Go
// type. It is built once per type (planFor), by walking the type with
// reflect; decoding then runs the codecs it holds over the payload with
// the strict scanner, writing fields at precomputed offsets, and does not
// look at the type again.
type plan struct {
	typ   reflect.Type
	codec *codec
	// top is the plan of T when T is a struct that names no claim the
	// registered-claims parser reads (not even by folding): its fields can
	// then only be filled from the members that parser skips, which it
	// records (memberIndex), and decoding reads those alone. nil: decoding
	// reads the whole payload.
	top *structPlan
}

// registeredClaims are the members parseClaims reads itself (the cases of
// its switch), folded.
var registeredClaims = func() map[string]bool {
	m := map[string]bool{}
	for _, n := range []string{"iss", "sub", "aud", "exp", "nbf", "iat", "auth_time", "azp", "client_id", "jti",
		"nonce", "org_id", "org_name", "scope", "permissions", "cnf", "act", "may_act"} {
		m[string(strictjson.AppendFold(nil, []byte(n)))] = true
	}
	return m
}()

// A codec decodes one JSON value into the memory p of its Go type. want
// says, for errors, which JSON value it takes.
type codec struct {
	dec  func(d *decodeState, p unsafe.Pointer) error
	want string
}

// ErrUnsupportedType is wrapped by the error NewTyped returns when a field
// of its type cannot be decoded from JSON (a channel, a function, a complex
// number, a map whose keys are not strings, an interface with methods) or
// uses a json tag option this package does not support on it.
var ErrUnsupportedType = errors.New("verifier: type not supported for custom claims")

var plans sync.Map // reflect.Type -> *plan or error

// planFor returns the plan of t, building it on first use.
func planFor(t reflect.Type) (*plan, error) {
	if p, ok := plans.Load(t); ok {
		if err, isErr := p.(error); isErr {
			return nil, err
		}
		return p.(*plan), nil
	}
	if k := t.Kind(); k != reflect.Struct && k != reflect.Map {
		return nil, fmt.Errorf("%w: %v: the claims are a JSON object; use a struct or a map with string keys", ErrUnsupportedType, t)
	}
	b := &builder{codecs: map[codecKey]*codec{}}
	c, err := b.codecFor(t, false)
	if err != nil {
		plans.Store(t, err)
		return nil, err
	}
	np := &plan{typ: t, codec: c, top: b.top}
	for folded := range b.topFolded {
		if registeredClaims[folded] {
			np.top = nil
		}
	}
	p, _ := plans.LoadOrStore(t, np)
	return p.(*plan), nil
}

type codecKey struct {
	t      reflect.Type
	quoted bool
}

// builder builds the codecs of one plan. A type met again while its codec is
// being built (a recursive type) gets the same codec: its dec is filled in
// before any decoding runs.
type builder struct {
	codecs map[codecKey]*codec
	// top and topFolded are the plan of the claims object's struct (the
	// first struct built, when it is T itself) and its folded names.
	top       *structPlan
	topFolded map[string]string
}

var (
	unmarshalerType     = reflect.TypeFor[json.Unmarshaler]()
	textUnmarshalerType = reflect.TypeFor[encoding.TextUnmarshaler]()
	rawMessageType      = reflect.TypeFor[json.RawMessage]()
	numberType          = reflect.TypeFor[json.Number]()
)

func unsupported(t reflect.Type, why string) error {
	return fmt.Errorf("%w: %v: %s", ErrUnsupportedType, t, why)
}

// codecFor returns the codec of t; quoted is the ",string" tag option.
func (b *builder) codecFor(t reflect.Type, quoted bool) (*codec, error) {
	key := codecKey{t, quoted}
	if c, ok := b.codecs[key]; ok {
		return c, nil
	}
	c := &codec{}
	b.codecs[key] = c
	if err := b.build(c, t, quoted); err != nil {
		return nil, err
	}
	return c, nil
}

func (b *builder) build(c *codec, t reflect.Type, quoted bool) error {
	// The order of encoding/json's indirect: json.RawMessage and
	// json.Unmarshaler first, then encoding.TextUnmarshaler, then the kind.
	if t.Kind() != reflect.Pointer {
		custom := t == rawMessageType || reflect.PointerTo(t).Implements(unmarshalerType) ||
			reflect.PointerTo(t).Implements(textUnmarshalerType)
		if custom && quoted {
			return unsupported(t, `the ",string" option on a type that decodes itself`)
		}
		switch {
		case t == rawMessageType:
			c.dec, c.want = decodeRaw, "any JSON value"
			return nil
		case reflect.PointerTo(t).Implements(unmarshalerType):
			c.dec, c.want = unmarshalerCodec(t), "a value its UnmarshalJSON accepts"
			return nil
		case reflect.PointerTo(t).Implements(textUnmarshalerType):
			c.dec, c.want = textCodec(t), "a string its UnmarshalText accepts"
			return nil
		}
	}
	if quoted {
		return b.buildQuoted(c, t)
	}
	switch t.Kind() {
	case reflect.Pointer:
		elem, err := b.codecFor(t.Elem(), false)
		if err != nil {
			return err
		}
		c.dec, c.want = pointerCodec(t.Elem(), elem), elem.want+" or null"
	case reflect.String:
		if t == numberType {
			c.dec, c.want = decodeNumberText, "a number"
			return nil
		}
		c.dec, c.want = decodeString, "a string"
	case reflect.Bool:
		c.dec, c.want = decodeBool, "true or false"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		c.dec, c.want = intCodec(t), "an integer that fits "+t.String()
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		c.dec, c.want = uintCodec(t), "an integer that fits "+t.String()
	case reflect.Float32, reflect.Float64:
		c.dec, c.want = floatCodec(t), "a number that fits "+t.String()
	case reflect.Interface:
		if t.NumMethod() != 0 {
			return unsupported(t, "an interface with methods")
		}
		c.dec, c.want = decodeInterface, "any JSON value"
	case reflect.Struct:
		return b.buildStruct(c, t)
	case reflect.Slice:
		return b.buildSlice(c, t)
	case reflect.Array:
		elem, err := b.codecFor(t.Elem(), false)
		if err != nil {
			return err
		}
		c.dec, c.want = arrayCodec(t, elem), "an array"
	case reflect.Map:
		return b.buildMap(c, t)
	default: // Complex64, Complex128, Chan, Func, UnsafePointer
		return unsupported(t, "no JSON value decodes into a "+t.Kind().String())
	}
	return nil
}

// buildQuoted builds the codec of a field with the ",string" option: a
// JSON string that holds the field's JSON value (encoding/json's rule).
func (b *builder) buildQuoted(c *codec, t reflect.Type) error {
	switch t.Kind() {
	case reflect.Pointer:
		elem, err := b.codecFor(t.Elem(), true)
		if err != nil {
			return err
		}
		c.dec, c.want = pointerCodec(t.Elem(), elem), elem.want+" or null"
		return nil
	case reflect.String:
		if t == numberType {
			return unsupported(t, `the ",string" option on json.Number`)
		}
	}
	inner, err := b.codecFor(t, false)
	if err != nil {
		return err
	}
	c.dec, c.want = quotedCodec(t.Kind(), inner), "a string holding "+inner.want
	return nil
}

func (b *builder) buildSlice(c *codec, t reflect.Type) error {
	et := t.Elem()
	if et.Kind() == reflect.Uint8 && !reflect.PointerTo(et).Implements(unmarshalerType) &&
		!reflect.PointerTo(et).Implements(textUnmarshalerType) {
		// []byte: a base64 string, or an array of numbers (encoding/json).
		elem, err := b.codecFor(et, false)
		if err != nil {
			return err
		}
		c.dec, c.want = bytesCodec(t, elem), "a base64 string or an array"
		return nil
	}
	if t == reflect.TypeFor[[]string]() {
		c.dec, c.want = decodeStrings, "an array of strings"
		return nil
	}
	elem, err := b.codecFor(et, false)
	if err != nil {
		return err
	}
	c.dec, c.want = sliceCodec(t, elem), "an array"
	return nil
}

func (b *builder) buildMap(c *codec, t reflect.Type) error {
	kt := t.Key()
	if kt.Kind() != reflect.String || reflect.PointerTo(kt).Implements(textUnmarshalerType) {
		return unsupported(t, "map keys must be of a string type")
	}
	switch t {
	case reflect.TypeFor[map[string]string]():
		c.dec, c.want = decodeStringMap, "an object of strings"
		return nil
	case reflect.TypeFor[map[string]any]():
		c.dec, c.want = decodeAnyMap, "an object"
		return nil
	}
	elem, err := b.codecFor(t.Elem(), false)
	if err != nil {
		return err
	}
	c.dec, c.want = mapCodec(t, elem), "an object"
	return nil
}

// structPlan is the decoding plan of one struct type.
type structPlan struct {
	fields map[string]*fieldPlan // by exact JSON name
	// folded maps the folded form (strictjson.AppendFold) of each name to
	// one exact name, to refuse members that encoding/json would match to
	// a field only by case.
	folded map[string]string
	// lens has bit n set when a field name is n bytes long (bit 63: 63 or
	// more), foldedLens when a folded name is: a member name of another
	// length cannot be a field's, an ASCII one cannot fold to one. Most
	// members (the registered claims) are passed over on these bits.
	lens, foldedLens uint64
	// list holds the fields when there are at most maxListed: comparing a
	// name with each costs less than hashing it for fields.
	list []*fieldPlan
}

// maxListed is the most fields a structPlan looks up by comparing names
// one by one.
const maxListed = 8

// fieldPlan is one JSON field: where it is, and how to decode it.
type fieldPlan struct {
	name   string
	hops   []hop   // embedded pointers to go through, outermost first
	offset uintptr // from the struct (or from the last hop's target)
	codec  *codec
}

// hop is an embedded pointer to a struct on the way to a promoted field: at
// offset, a pointer to elem, allocated when nil.
type hop struct {
	offset uintptr
	elem   reflect.Type
}

func lenBit(n int) uint64 { return 1 << min(n, 63) }

func (b *builder) buildStruct(c *codec, t reflect.Type) error {
	sp := &structPlan{fields: map[string]*fieldPlan{}, folded: map[string]string{}}
	if len(b.codecs) == 1 { // T itself, built first
		b.top, b.topFolded = sp, sp.folded
	}
	for _, f := range visibleJSONFields(t) {
		fp := &fieldPlan{name: f.name}
		st := t
		for i, x := range f.index {
			sf := st.Field(x)
			if i == len(f.index)-1 {
				fp.offset += sf.Offset
				break
			}
			fp.offset += sf.Offset
			st = sf.Type
			if st.Kind() == reflect.Pointer {
				st = st.Elem()
				if !sf.IsExported() {
					// encoding/json cannot allocate it either.
					return unsupported(t, fmt.Sprintf("field %q is promoted through the unexported embedded pointer %s", f.name, sf.Name))
				}
				fp.hops = append(fp.hops, hop{offset: fp.offset, elem: st})
				fp.offset = 0
			}
		}
		codec, err := b.codecFor(f.typ, f.quoted)
		if err != nil {
			return fmt.Errorf("field %q of %v: %w", f.name, t, err)
		}
		fp.codec = codec
		sp.fields[f.name] = fp
		key := string(strictjson.AppendFold(nil, []byte(f.name)))
		if _, ok := sp.folded[key]; !ok {
			sp.folded[key] = f.name
		}
		sp.lens |= lenBit(len(f.name))
		sp.foldedLens |= lenBit(len(key))
	}
	if len(sp.fields) <= maxListed {
		for _, fp := range sp.fields {
			sp.list = append(sp.list, fp)
		}
	}
	c.dec, c.want = sp.decode, "an object"
	return nil
}
