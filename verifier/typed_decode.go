package verifier

import (
	"bytes"
	"encoding"
	"encoding/base64"
	"encoding/json"
	"reflect"
	"strconv"
	"sync"
	"unicode/utf8"
	"unsafe"

	"github.com/tokengate/tokengate/internal/hook"
	"github.com/tokengate/tokengate/internal/strictjson"
)

// The codecs of a plan. Each takes the scanner positioned before its value
// and writes the decoded value at p, memory of its Go type that is still
// zero (a new T, a new element or pointer target: duplicate members are
// refused by the scanner, so nothing is written twice). Each accepts only
// its JSON type: a value encoding/json would refuse with an
// UnmarshalTypeError is refused, and so is null, except by a pointer (set
// to nil), an interface, json.RawMessage and a type with its own
// UnmarshalJSON, which take it as encoding/json gives it to them. Strings
// that hold no escape alias the payload, which is never written after it
// was decoded (see str).

// decodeState is one decoding of a payload.
type decodeState struct {
	s     strictjson.Scanner
	depth int // objects entered by struct and map codecs
	// claim is the top-level member being decoded, for errors: a field
	// name of the plan's type, or (for a map) the token's member name in
	// claimRaw.
	claim    string
	claimRaw []byte
}

// claimNames returns the claim being decoded for a ValidationError's Claim
// (a field name as it is; a name from the token quoted and cut) and quoted
// for its message.
func (d *decodeState) claimNames() (claim, quoted string) {
	if d.claimRaw != nil {
		q := quoteID(d.claimRaw)
		return q, q
	}
	return d.claim, strconv.Quote(d.claim)
}

// member records name as the claim being decoded when the object being
// read is the claims object itself.
func (d *decodeState) member(top bool, field string, raw []byte) {
	if top {
		d.claim, d.claimRaw = field, raw
	}
}

func (d *decodeState) wrong(want string) error {
	claim, quoted := d.claimNames()
	return newError(ErrMalformed, claim, "custom claim "+quoted+" does not fit its Go type: want "+want)
}

func (d *decodeState) refused(what string) error {
	claim, quoted := d.claimNames()
	return newError(ErrMalformed, claim, "custom claim "+quoted+": "+what+" refused its value")
}

func (d *decodeState) syntax(err error) error { return malformedJSON("claims", err) }

// decode decodes payload, the verified claims, into a new value of p.typ.
// The payload passed the strict parse of parseClaims whole: the scanner
// does not record member names again (strictjson.NewCheckedScanner).
func (p *plan) decode(payload []byte) (unsafe.Pointer, error) {
	ptr := reflect.New(p.typ).UnsafePointer()
	d := getDecodeState()
	defer d.release()
	d.s = strictjson.NewCheckedScanner(payload)
	if err := p.codec.dec(d, ptr); err != nil {
		return nil, err
	}
	if err := d.s.End(); err != nil {
		return nil, d.syntax(err)
	}
	return ptr, nil
}

// decodeStates keeps the decodeStates of finished decodings: the codecs are
// called through func values, so a decodeState escapes to the heap, one
// allocation per decoding that the pool saves.
var decodeStates = sync.Pool{New: func() any { return new(decodeState) }}

func getDecodeState() *decodeState { return decodeStates.Get().(*decodeState) }

// release zeroes d (it refers to the payload) and returns it to the pool.
func (d *decodeState) release() {
	*d = decodeState{}
	decodeStates.Put(d)
}

// decodeIndexed decodes payload into a new value of p.typ, going straight
// to the members idx recorded when p.top allows it (see plan.top), else
// reading the whole payload.
func (p *plan) decodeIndexed(payload []byte, idx *memberIndex) (unsafe.Pointer, error) {
	if p.top == nil || idx == nil || idx.over {
		return p.decode(payload)
	}
	ptr := reflect.New(p.typ).UnsafePointer()
	d := getDecodeState()
	defer d.release()
	d.depth = 1
	for _, m := range idx.m[:idx.n] {
		d.s = strictjson.NewCheckedScannerAt(payload, int(m.value))
		if _, err := p.top.member(d, ptr, payload[m.name:m.name+m.nameLen], true); err != nil {
			return nil, err
		}
	}
	return ptr, nil
}

func (sp *structPlan) decode(d *decodeState, p unsafe.Pointer) error {
	if d.s.Peek() != strictjson.Object {
		return d.wrong("an object")
	}
	if err := d.s.BeginObject(); err != nil {
		return d.syntax(err)
	}
	top := d.depth == 0
	d.depth++
	// A checked scanner (every decoding but that of a ",string" value's
	// content) does not record names: no Members to zero for it.
	var m *strictjson.Members
	if !d.s.Checked() {
		m = new(strictjson.Members)
	}
	for {
		name, ok, err := d.s.NextMember(m)
		if err != nil {
			return d.syntax(err)
		}
		if !ok {
			break
		}
		found, err := sp.member(d, p, name, top)
		if err != nil {
			return err
		}
		if !found {
			if err := d.s.Skip(); err != nil {
				return d.syntax(err)
			}
		}
	}
	d.depth--
	return nil
}

// member decodes the value of the member name into its field of the
// struct at p, and reports false when no field has that name (the value is
// then not read). A name that matches a field only by folding is refused.
// top says that the struct is the claims object itself.
func (sp *structPlan) member(d *decodeState, p unsafe.Pointer, name []byte, top bool) (bool, error) {
	fp := sp.field(name)
	if fp == nil {
		if sp.mayFold(name) {
			var buf [64]byte
			if other, found := sp.folded[string(strictjson.AppendFold(buf[:0], name))]; found {
				return false, newError(ErrMalformed, other, "claim "+quoteID(name)+" matches the field "+strconv.Quote(other)+" only by case")
			}
		}
		return false, nil
	}
	d.member(top, fp.name, nil)
	target := p
	for _, h := range fp.hops {
		pp := (*unsafe.Pointer)(unsafe.Add(target, h.offset))
		if *pp == nil {
			*pp = reflect.New(h.elem).UnsafePointer()
		}
		target = *pp
	}
	return true, fp.codec.dec(d, unsafe.Add(target, fp.offset))
}

// field returns the field named exactly name, or nil.
func (sp *structPlan) field(name []byte) *fieldPlan {
	if sp.lens&lenBit(len(name)) == 0 {
		return nil
	}
	if sp.list != nil {
		for _, fp := range sp.list {
			if fp.name == string(name) {
				return fp
			}
		}
		return nil
	}
	return sp.fields[string(name)]
}

// mayFold reports whether name may fold to one of the field names: it has
// a byte outside ASCII, or an ASCII name's length is a folded name's.
func (sp *structPlan) mayFold(name []byte) bool {
	for _, c := range name {
		if c >= utf8.RuneSelf {
			return true
		}
	}
	return sp.foldedLens&lenBit(len(name)) != 0
}

func pointerCodec(elemType reflect.Type, elem *codec) func(*decodeState, unsafe.Pointer) error {
	return func(d *decodeState, p unsafe.Pointer) error {
		pp := (*unsafe.Pointer)(p)
		if d.s.Peek() == strictjson.Null {
			if err := d.s.ReadNull(); err != nil {
				return d.syntax(err)
			}
			*pp = nil
			return nil
		}
		if *pp == nil {
			*pp = reflect.New(elemType).UnsafePointer()
		}
		return elem.dec(d, *pp)
	}
}

// readString reads a JSON string value, unescaped; without escapes it
// aliases the payload.
func (d *decodeState) readString(want string) (string, error) {
	if d.s.Peek() != strictjson.String {
		return "", d.wrong(want)
	}
	raw, esc, err := d.s.ReadString()
	if err != nil {
		return "", d.syntax(err)
	}
	if esc {
		return str(strictjson.Unescape(nil, raw)), nil
	}
	return str(raw), nil
}

func decodeString(d *decodeState, p unsafe.Pointer) error {
	s, err := d.readString("a string")
	if err != nil {
		return err
	}
	*(*string)(p) = s
	return nil
}

// decodeNumberText decodes a json.Number: a number, or a string that holds
// exactly a JSON number (as encoding/json accepts).
func decodeNumberText(d *decodeState, p unsafe.Pointer) error {
	switch d.s.Peek() {
	case strictjson.Number:
		text, err := d.s.ReadNumber()
		if err != nil {
			return d.syntax(err)
		}
		*(*string)(p) = str(text)
		return nil
	case strictjson.String:
		s, err := d.readString("a number")
		if err != nil {
			return err
		}
		if !exactNumber([]byte(s)) {
			return d.wrong("a number")
		}
		*(*string)(p) = s
		return nil
	}
	return d.wrong("a number")
}

// exactNumber reports whether b is one JSON number and nothing else.
func exactNumber(b []byte) bool {
	if len(b) == 0 || b[0] == ' ' || b[0] == '\t' || b[0] == '\n' || b[0] == '\r' {
		return false
	}
	s := strictjson.NewScanner(b)
	n, err := s.ReadNumber()
	return err == nil && len(n) == len(b)
}

func decodeBool(d *decodeState, p unsafe.Pointer) error {
	if d.s.Peek() != strictjson.Bool {
		return d.wrong("true or false")
	}
	b, err := d.s.ReadBool()
	if err != nil {
		return d.syntax(err)
	}
	*(*bool)(p) = b
	return nil
}

// readNumber reads a number value's text, viewed as a string.
func (d *decodeState) readNumber(want string) (string, error) {
	if d.s.Peek() != strictjson.Number {
		return "", d.wrong(want)
	}
	text, err := d.s.ReadNumber()
	if err != nil {
		return "", d.syntax(err)
	}
	return str(text), nil
}

// intCodec parses as encoding/json does (strconv.ParseInt, then the range of
// the type): "1.0" and "1e2" are not integers.
func intCodec(t reflect.Type) func(*decodeState, unsafe.Pointer) error {
	bits := t.Bits()
	want := "an integer that fits " + t.String()
	return func(d *decodeState, p unsafe.Pointer) error {
		s, err := d.readNumber(want)
		if err != nil {
			return err
		}
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil || n < -1<<(bits-1) || n > 1<<(bits-1)-1 {
			return d.wrong(want)
		}
		switch bits {
		case 8:
			*(*int8)(p) = int8(n)
		case 16:
			*(*int16)(p) = int16(n)
		case 32:
			*(*int32)(p) = int32(n)
		default:
			*(*int64)(p) = n
		}
		return nil
	}
}

func uintCodec(t reflect.Type) func(*decodeState, unsafe.Pointer) error {
	bits := t.Bits()
	want := "an integer that fits " + t.String()
	return func(d *decodeState, p unsafe.Pointer) error {
		s, err := d.readNumber(want)
		if err != nil {
			return err
		}
		n, err := strconv.ParseUint(s, 10, 64)
		if err != nil || (bits < 64 && n > 1<<bits-1) {
			return d.wrong(want)
		}
		switch bits {
		case 8:
			*(*uint8)(p) = uint8(n)
		case 16:
			*(*uint16)(p) = uint16(n)
		case 32:
			*(*uint32)(p) = uint32(n)
		default:
			*(*uint64)(p) = n
		}
		return nil
	}
}

func floatCodec(t reflect.Type) func(*decodeState, unsafe.Pointer) error {
	bits := t.Bits()
	want := "a number that fits " + t.String()
	return func(d *decodeState, p unsafe.Pointer) error {
		s, err := d.readNumber(want)
		if err != nil {
			return err
		}
		f, err := strconv.ParseFloat(s, bits)
		if err != nil {
			return d.wrong(want)
		}
		if bits == 32 {
			*(*float32)(p) = float32(f)
		} else {
			*(*float64)(p) = f
		}
		return nil
	}
}

// quotedCodec decodes a field with the ",string" option: a JSON string whose
// content is exactly one JSON value that inner takes (no space around it,
// no null).
func quotedCodec(kind reflect.Kind, inner *codec) func(*decodeState, unsafe.Pointer) error {
	return func(d *decodeState, p unsafe.Pointer) error {
		s, err := d.readString("a string")
		if err != nil {
			return err
		}
		if s == "" || isSpace(s[0]) || isSpace(s[len(s)-1]) {
			return d.wrong("a string holding " + inner.want)
		}
		sub := decodeState{s: strictjson.NewScanner([]byte(s)), depth: d.depth, claim: d.claim, claimRaw: d.claimRaw}
		if err := inner.dec(&sub, p); err != nil {
			return err
		}
		if sub.s.End() != nil {
			return d.wrong("a string holding " + inner.want)
		}
		return nil
	}
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// decodeRaw keeps a json.RawMessage: the value's bytes, checked by the
// scanner, copied out of the payload.
func decodeRaw(d *decodeState, p unsafe.Pointer) error {
	raw, err := d.s.SkipRaw()
	if err != nil {
		return d.syntax(err)
	}
	*(*json.RawMessage)(p) = bytes.Clone(raw)
	return nil
}

// unmarshalerCodec hands a type's UnmarshalJSON the value's bytes, once the
// scanner has checked them (duplicates at every depth, UTF-8), as a copy it
// may keep. Its panic is a refusal. Its error is not in the message, which
// would then quote the token (time.Time's does).
func unmarshalerCodec(t reflect.Type) func(*decodeState, unsafe.Pointer) error {
	return func(d *decodeState, p unsafe.Pointer) error {
		raw, err := d.s.SkipRaw()
		if err != nil {
			return d.syntax(err)
		}
		u := reflect.NewAt(t, p).Interface().(json.Unmarshaler)
		if _, err := hook.Call(func() (struct{}, error) { return struct{}{}, u.UnmarshalJSON(bytes.Clone(raw)) }); err != nil {
			return d.refused("UnmarshalJSON of " + t.String())
		}
		return nil
	}
}

// textCodec hands a type's UnmarshalText the content of a JSON string, as
// encoding/json does; any other JSON type is refused.
func textCodec(t reflect.Type) func(*decodeState, unsafe.Pointer) error {
	return func(d *decodeState, p unsafe.Pointer) error {
		if d.s.Peek() != strictjson.String {
			return d.wrong("a string")
		}
		raw, esc, err := d.s.ReadString()
		if err != nil {
			return d.syntax(err)
		}
		text := bytes.Clone(raw)
		if esc {
			text = strictjson.Unescape(nil, raw)
		}
		u := reflect.NewAt(t, p).Interface().(encoding.TextUnmarshaler)
		if _, err := hook.Call(func() (struct{}, error) { return struct{}{}, u.UnmarshalText(text) }); err != nil {
			return d.refused("UnmarshalText of " + t.String())
		}
		return nil
	}
}

// decodeInterface decodes into an empty interface as encoding/json does:
// map[string]any, []any, string, float64, bool or nil.
func decodeInterface(d *decodeState, p unsafe.Pointer) error {
	v, err := d.anyValue()
	if err != nil {
		return err
	}
	*(*any)(p) = v
	return nil
}

func (d *decodeState) anyValue() (any, error) {
	switch d.s.Peek() {
	case strictjson.Object:
		m := map[string]any{}
		return m, d.anyMembers(m)
	case strictjson.Array:
		if err := d.s.BeginArray(); err != nil {
			return nil, d.syntax(err)
		}
		list := []any{}
		for {
			ok, err := d.s.NextElement()
			if err != nil {
				return nil, d.syntax(err)
			}
			if !ok {
				return list, nil
			}
			v, err := d.anyValue()
			if err != nil {
				return nil, err
			}
			list = append(list, v)
		}
	case strictjson.String:
		return d.readString("a string")
	case strictjson.Number:
		s, err := d.readNumber("a number")
		if err != nil {
			return nil, err
		}
		f, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return nil, d.wrong("a number that fits float64")
		}
		return f, nil
	case strictjson.Bool:
		b, err := d.s.ReadBool()
		if err != nil {
			return nil, d.syntax(err)
		}
		return b, nil
	case strictjson.Null:
		if err := d.s.ReadNull(); err != nil {
			return nil, d.syntax(err)
		}
		return nil, nil
	}
	return nil, d.syntax(strictjson.ErrSyntax)
}

// anyMembers reads an object into m.
func (d *decodeState) anyMembers(m map[string]any) error {
	if err := d.s.BeginObject(); err != nil {
		return d.syntax(err)
	}
	top := d.depth == 0
	d.depth++
	var ms strictjson.Members
	for {
		name, ok, err := d.s.NextMember(&ms)
		if err != nil {
			return d.syntax(err)
		}
		if !ok {
			d.depth--
			return nil
		}
		d.member(top, "", name)
		v, err := d.anyValue()
		if err != nil {
			return err
		}
		m[str(name)] = v
	}
}

func decodeAnyMap(d *decodeState, p unsafe.Pointer) error {
	if d.s.Peek() != strictjson.Object {
		return d.wrong("an object")
	}
	m := map[string]any{}
	if err := d.anyMembers(m); err != nil {
		return err
	}
	*(*map[string]any)(p) = m
	return nil
}

func decodeStringMap(d *decodeState, p unsafe.Pointer) error {
	if d.s.Peek() != strictjson.Object {
		return d.wrong("an object of strings")
	}
	if err := d.s.BeginObject(); err != nil {
		return d.syntax(err)
	}
	top := d.depth == 0
	d.depth++
	m := map[string]string{}
	var ms strictjson.Members
	for {
		name, ok, err := d.s.NextMember(&ms)
		if err != nil {
			return d.syntax(err)
		}
		if !ok {
			break
		}
		d.member(top, "", name)
		v, err := d.readString("a string")
		if err != nil {
			return err
		}
		m[str(name)] = v
	}
	d.depth--
	*(*map[string]string)(p) = m
	return nil
}

func mapCodec(t reflect.Type, elem *codec) func(*decodeState, unsafe.Pointer) error {
	kt, et := t.Key(), t.Elem()
	return func(d *decodeState, p unsafe.Pointer) error {
		if d.s.Peek() != strictjson.Object {
			return d.wrong("an object")
		}
		if err := d.s.BeginObject(); err != nil {
			return d.syntax(err)
		}
		top := d.depth == 0
		d.depth++
		mv := reflect.MakeMap(t)
		var ms strictjson.Members
		for {
			name, ok, err := d.s.NextMember(&ms)
			if err != nil {
				return d.syntax(err)
			}
			if !ok {
				break
			}
			d.member(top, "", name)
			ev := reflect.New(et)
			if err := elem.dec(d, ev.UnsafePointer()); err != nil {
				return err
			}
			kv := reflect.New(kt).Elem()
			kv.SetString(str(name))
			mv.SetMapIndex(kv, ev.Elem())
		}
		d.depth--
		reflect.NewAt(t, p).Elem().Set(mv)
		return nil
	}
}

// decodeStrings is the codec of []string, the most common custom claim
// after a string (roles, groups): no reflect, one allocation.
func decodeStrings(d *decodeState, p unsafe.Pointer) error {
	if d.s.Peek() != strictjson.Array {
		return d.wrong("an array of strings")
	}
	if err := d.s.BeginArray(); err != nil {
		return d.syntax(err)
	}
	var buf [16]string
	list := buf[:0]
	for {
		ok, err := d.s.NextElement()
		if err != nil {
			return d.syntax(err)
		}
		if !ok {
			break
		}
		s, err := d.readString("a string")
		if err != nil {
			return err
		}
		list = append(list, s)
	}
	// Copied always, so that buf does not escape (the copy of a list past
	// len(buf) costs one allocation more, for long lists only).
	*(*[]string)(p) = append(make([]string, 0, len(list)), list...)
	return nil
}

// sliceCodec decodes an array into a slice of any element type, growing
// its backing array as append would.
func sliceCodec(t reflect.Type, elem *codec) func(*decodeState, unsafe.Pointer) error {
	size := t.Elem().Size()
	return func(d *decodeState, p unsafe.Pointer) error {
		if d.s.Peek() != strictjson.Array {
			return d.wrong("an array")
		}
		if err := d.s.BeginArray(); err != nil {
			return d.syntax(err)
		}
		sv := reflect.MakeSlice(t, 0, 0)
		n := 0
		for {
			ok, err := d.s.NextElement()
			if err != nil {
				return d.syntax(err)
			}
			if !ok {
				break
			}
			if n == sv.Cap() {
				grown := reflect.MakeSlice(t, n, max(4, 2*n))
				reflect.Copy(grown, sv)
				sv = grown
			}
			if err := elem.dec(d, unsafe.Add(sv.UnsafePointer(), uintptr(n)*size)); err != nil {
				return err
			}
			n++
		}
		reflect.NewAt(t, p).Elem().Set(sv.Slice(0, n))
		return nil
	}
}

func arrayCodec(t reflect.Type, elem *codec) func(*decodeState, unsafe.Pointer) error {
	n, size := t.Len(), t.Elem().Size()
	return func(d *decodeState, p unsafe.Pointer) error {
		if d.s.Peek() != strictjson.Array {
			return d.wrong("an array")
		}
		if err := d.s.BeginArray(); err != nil {
			return d.syntax(err)
		}
		for i := 0; ; i++ {
			ok, err := d.s.NextElement()
			if err != nil {
				return d.syntax(err)
			}
			if !ok {
				return nil
			}
			if i >= n {
				// encoding/json drops the elements past the array's end.
				if err := d.s.Skip(); err != nil {
					return d.syntax(err)
				}
				continue
			}
			if err := elem.dec(d, unsafe.Add(p, uintptr(i)*size)); err != nil {
				return err
			}
		}
	}
}

// bytesCodec decodes a []byte as encoding/json does: a base64 string
// (standard alphabet, padded), or an array of numbers.
func bytesCodec(t reflect.Type, elem *codec) func(*decodeState, unsafe.Pointer) error {
	array := sliceCodec(t, elem)
	return func(d *decodeState, p unsafe.Pointer) error {
		switch d.s.Peek() {
		case strictjson.Array:
			return array(d, p)
		case strictjson.String:
			s, err := d.readString("a base64 string")
			if err != nil {
				return err
			}
			b := make([]byte, base64.StdEncoding.DecodedLen(len(s)))
			n, err := base64.StdEncoding.Decode(b, unsafe.Slice(unsafe.StringData(s), len(s)))
			if err != nil {
				return d.wrong("a base64 string")
			}
			*(*[]byte)(p) = b[:n]
			return nil
		}
		return d.wrong("a base64 string or an array")
	}
}
