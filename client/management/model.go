package management

import (
	"bytes"
	"encoding/json"
	"reflect"
	"slices"
	"strconv"
	"strings"
)

// The typed models share one mechanism for the members they have no field
// for: each model has an Extra Object field (json:"-"), an unexported empty
// field, and two one-line methods that call unmarshalModel and marshalModel
// through a method-free copy of the type:
//
//	func (u *User) UnmarshalJSON(b []byte) error { type plain User; return unmarshalModel(b, (*plain)(u), &u.Extra, &u.empty) }
//	func (u User) MarshalJSON() ([]byte, error) { type plain User; return marshalModel((*plain)(&u), u.Extra, u.empty) }
//
// One rule holds for every model: what the API sent is written back as it
// came. Members no field takes are kept in Extra; members a field takes
// but cannot give back (sent as null, or as an empty value its encoding
// omits: "" into a string field tagged omitempty, [] into a slice tagged
// omitzero) are kept in empty and written back while the field is still
// unset, so a decoded answer can be sent back unchanged and a field set
// after decoding is sent as set.

// emptyMembers are the members of a decoded answer that the fields cannot
// give back, with the JSON value the API sent for each.
type emptyMembers []emptyMember

type emptyMember struct {
	name string
	raw  json.RawMessage
}

// unmarshalModel decodes data into v (a pointer to a struct without JSON
// methods), stores in *extra the members no field of v takes, with exact
// numbers, and in *empty the members a field took but does not encode
// back. Member names are matched as encoding/json matches them
// (case-insensitively), so a member is never both in a field and in Extra.
func unmarshalModel(data []byte, v any, extra *Object, empty *emptyMembers) error {
	if err := json.Unmarshal(data, v); err != nil {
		return err
	}
	*extra, *empty = nil, nil
	if bytes.Equal(bytes.TrimSpace(data), []byte("null")) {
		return nil
	}
	var all map[string]json.RawMessage
	if err := json.Unmarshal(data, &all); err != nil {
		return err
	}
	known := jsonNames(reflect.TypeOf(v).Elem())
	var emptyKnown []string
	for name, raw := range all {
		if known.has(name) {
			if isEmptyJSON(raw) {
				emptyKnown = append(emptyKnown, name)
			}
			continue
		}
		var val any
		if err := decodeExact(raw, &val); err != nil {
			return err
		}
		if *extra == nil {
			*extra = make(Object)
		}
		(*extra)[name] = val
	}
	if len(emptyKnown) == 0 {
		return nil
	}
	// Only an empty member can be lost: encode the fields once and keep
	// those that do not come back as they were sent.
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	var enc map[string]json.RawMessage
	if err := json.Unmarshal(b, &enc); err != nil {
		return err
	}
	slices.Sort(emptyKnown)
	for _, name := range emptyKnown {
		raw := compactJSON(all[name])
		if _, got, ok := lookupFold(enc, name); !ok || !bytes.Equal(compactJSON(got), raw) {
			*empty = append(*empty, emptyMember{name, raw})
		}
	}
	return nil
}

// marshalModel encodes v (a pointer to a struct without JSON methods), puts
// back the members of empty whose field is still unset (absent, or holding
// an empty value), and adds the members of extra. An extra member named
// like a field replaces the field: that is how a caller sends null, or ""
// for a string field that is omitted when empty.
func marshalModel(v any, extra Object, empty emptyMembers) ([]byte, error) {
	b, err := json.Marshal(v)
	if err != nil || len(extra) == 0 && len(empty) == 0 {
		return b, err
	}
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(b, &obj); err != nil {
		return nil, err
	}
	for _, e := range empty {
		if k, cur, ok := lookupFold(obj, e.name); ok {
			if !isEmptyJSON(cur) {
				continue // set after decoding: the field is sent
			}
			delete(obj, k)
		}
		obj[e.name] = e.raw
	}
	for name, val := range extra {
		raw, err := json.Marshal(val)
		if err != nil {
			return nil, err
		}
		for k := range obj { // drop the field this member replaces
			if strings.EqualFold(k, name) {
				delete(obj, k)
			}
		}
		obj[name] = raw
	}
	return json.Marshal(obj)
}

// lookupFold returns the member of obj named name, ignoring case as
// encoding/json does.
func lookupFold(obj map[string]json.RawMessage, name string) (string, json.RawMessage, bool) {
	if v, ok := obj[name]; ok {
		return name, v, true
	}
	for k, v := range obj {
		if strings.EqualFold(k, name) {
			return k, v, true
		}
	}
	return "", nil, false
}

// isEmptyJSON reports whether raw is null or the empty value of its kind:
// "", false, a zero number, [] or {}.
func isEmptyJSON(raw json.RawMessage) bool {
	c := compactJSON(raw)
	switch string(c) {
	case "null", `""`, "false", "[]", "{}":
		return true
	}
	if len(c) > 0 && (c[0] == '-' || c[0] >= '0' && c[0] <= '9') {
		f, err := strconv.ParseFloat(string(c), 64)
		return err == nil && f == 0
	}
	return false
}

// compactJSON returns raw without insignificant space (raw itself when it
// cannot be compacted).
func compactJSON(raw json.RawMessage) json.RawMessage {
	var b bytes.Buffer
	if err := json.Compact(&b, raw); err != nil {
		return bytes.TrimSpace(raw)
	}
	return b.Bytes()
}

// nameSet holds the JSON member names of a struct's fields.
type nameSet []string

func (s nameSet) has(name string) bool {
	for _, n := range s {
		if strings.EqualFold(n, name) {
			return true
		}
	}
	return false
}

// jsonNames lists the member names encoding/json uses for t's fields,
// including those of embedded structs.
func jsonNames(t reflect.Type) nameSet {
	var names nameSet
	for i := range t.NumField() {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, _, _ := strings.Cut(tag, ",")
		if f.Anonymous && name == "" {
			ft := f.Type
			if ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			if ft.Kind() == reflect.Struct {
				names = append(names, jsonNames(ft)...)
				continue
			}
		}
		if !f.IsExported() {
			continue
		}
		if name == "" {
			name = f.Name
		}
		names = append(names, name)
	}
	return names
}

// StringOrNumber is a value that is a JSON string in most records and a
// number in some: an identity's user_id is a number for GitHub and a few
// other providers (Auth0 Python SDK issue #826, where strict models reject
// such users). Text holds it either way; it is written back with the JSON
// kind it was read with.
type StringOrNumber struct {
	Text     string
	IsNumber bool
}

// String returns the text.
func (s StringOrNumber) String() string { return s.Text }

// UnmarshalJSON accepts a string or a number.
func (s *StringOrNumber) UnmarshalJSON(data []byte) error {
	data = bytes.TrimSpace(data)
	if len(data) > 0 && data[0] == '"' {
		var t string
		if err := json.Unmarshal(data, &t); err != nil {
			return err
		}
		*s = StringOrNumber{Text: t}
		return nil
	}
	var n json.Number
	if err := json.Unmarshal(data, &n); err != nil {
		return err
	}
	*s = StringOrNumber{Text: n.String(), IsNumber: n != ""}
	return nil
}

// MarshalJSON writes a number when the value was read as one.
func (s StringOrNumber) MarshalJSON() ([]byte, error) {
	if s.IsNumber && s.Text != "" && (s.Text[0] == '-' || s.Text[0] >= '0' && s.Text[0] <= '9') && json.Valid([]byte(s.Text)) {
		return []byte(s.Text), nil
	}
	return json.Marshal(s.Text)
}
