package management

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"
)

// The typed models share one mechanism for the members they have no field
// for: each model has an Extra Object field (json:"-") and two one-line
// methods that call unmarshalModel and marshalModel through a method-free
// copy of the type:
//
//	func (u *User) UnmarshalJSON(b []byte) error { type plain User; return unmarshalModel(b, (*plain)(u), &u.Extra) }
//	func (u User) MarshalJSON() ([]byte, error) { type plain User; return marshalModel((*plain)(&u), u.Extra) }

// unmarshalModel decodes data into v (a pointer to a struct without JSON
// methods) and stores in *extra the members no field of v takes, with
// exact numbers. Member names are matched as encoding/json matches them
// (case-insensitively), so a member is never both in a field and in Extra.
func unmarshalModel(data []byte, v any, extra *Object) error {
	if err := json.Unmarshal(data, v); err != nil {
		return err
	}
	*extra = nil
	if bytes.Equal(bytes.TrimSpace(data), []byte("null")) {
		return nil
	}
	var all map[string]json.RawMessage
	if err := json.Unmarshal(data, &all); err != nil {
		return err
	}
	known := jsonNames(reflect.TypeOf(v).Elem())
	for name, raw := range all {
		if known.has(name) {
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
	return nil
}

// marshalModel encodes v (a pointer to a struct without JSON methods) and
// adds the members of extra. An extra member named like a field replaces
// the field: that is how a caller sends null, or "" for a string field
// that is omitted when empty.
func marshalModel(v any, extra Object) ([]byte, error) {
	b, err := json.Marshal(v)
	if err != nil || len(extra) == 0 {
		return b, err
	}
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(b, &obj); err != nil {
		return nil, err
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
