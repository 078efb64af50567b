package management

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
)

// Object is a JSON object, for the configuration-style resources (branding,
// prompts, tenant settings, guardian factors, ...) and for the members of a
// typed model that it has no field for: every model (User, Organization,
// Role, Client, ...) has an Extra Object that decoding fills and encoding
// writes back, so nothing the API returns is lost. In a model, fields the
// API may leave out are pointers or omitted when nil, and PATCH bodies omit
// unset fields; to send a member as null (or "" for a string field), put it
// in Extra under its JSON name: an Extra member replaces the field of the
// same name. A member the API itself sent as null or empty is written back
// as it came without any of this (see the rule in model.go).
//
// Decoding keeps every value exactly: numbers become json.Number (so
// 9007199254740993 and 1.50 are written back as they came), nested objects
// map[string]any, arrays []any. To build one, use any Go values that
// encoding/json can encode; a nil value is sent as JSON null, which is how a
// PATCH clears a setting:
//
//	m.Clients.Update(ctx, id, &management.Client{Extra: management.Object{"jwt_configuration": nil}})
type Object map[string]any

// UnmarshalJSON decodes a JSON object (or null) keeping numbers exact.
func (o *Object) UnmarshalJSON(data []byte) error {
	var m map[string]any
	if err := decodeExact(data, &m); err != nil {
		return err
	}
	*o = m
	return nil
}

// decodeExact decodes one JSON value into v with numbers as json.Number
// and refuses trailing data.
func decodeExact(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return errors.New("management: trailing data after a JSON value")
	}
	return nil
}

// ObjectOf converts v (a model, a struct, a map) to an Object through its
// JSON encoding.
func ObjectOf(v any) (Object, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	var o Object
	if err := o.UnmarshalJSON(b); err != nil {
		return nil, fmt.Errorf("management: ObjectOf: %w", err)
	}
	return o, nil
}

// Decode converts o into v (a pointer to a model or struct) through its
// JSON encoding.
func (o Object) Decode(v any) error {
	b, err := json.Marshal(o)
	if err != nil {
		return err
	}
	return json.Unmarshal(b, v)
}

// Lookup returns the value at the path of member names ("options",
// "mfa", "active") and whether it exists.
func (o Object) Lookup(path ...string) (any, bool) {
	var cur any = map[string]any(o)
	for _, name := range path {
		m, ok := cur.(map[string]any)
		if !ok {
			if obj, isObj := cur.(Object); isObj {
				m, ok = obj, true
			}
		}
		if !ok {
			return nil, false
		}
		if cur, ok = m[name]; !ok {
			return nil, false
		}
	}
	return cur, true
}

// Clone returns a shallow copy of o.
func (o Object) Clone() Object { return maps.Clone(o) }
