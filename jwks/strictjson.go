package jwks

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"unicode"
	"unicode/utf8"
)

// The JWKS and discovery documents are read twice: a json.Decoder.Token
// pre-pass that checks what encoding/json lets through (duplicate member
// names, which it resolves last-wins; names differing only by case, which
// it merges into one struct field; invalid UTF-8, which it replaces; depth;
// trailing data), then a decode into map[string]json.RawMessage so member
// names are matched exactly. (verifier/internal/jose has a faster scanner
// with the same rules, but it is internal to verifier.)

// maxDepth bounds nesting in a JWKS or discovery document.
const maxDepth = 32

var errDuplicate = errors.New("duplicate member name")

// jsonWalker consumes values from a decoder and reports duplicate member
// names without stopping, so a caller can attribute them to a key.
type jsonWalker struct {
	dec   *json.Decoder
	depth int
}

func newWalker(data []byte) (*jsonWalker, error) {
	if !utf8.Valid(data) {
		return nil, errors.New("invalid UTF-8")
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	return &jsonWalker{dec: dec}, nil
}

// value consumes the value that starts with tok. dup reports a duplicate
// member name anywhere inside it; err is a syntax or depth error, after
// which the walker cannot continue.
func (w *jsonWalker) value(tok json.Token) (dup bool, err error) {
	d, ok := tok.(json.Delim)
	if !ok {
		return false, nil
	}
	switch d {
	case '{':
		return w.object(nil)
	case '[':
		w.depth++
		defer func() { w.depth-- }()
		if w.depth > maxDepth {
			return false, fmt.Errorf("nested deeper than %d", maxDepth)
		}
		for w.dec.More() {
			t, err := w.dec.Token()
			if err != nil {
				return dup, err
			}
			d, err := w.value(t)
			dup = dup || d
			if err != nil {
				return dup, err
			}
		}
		_, err = w.dec.Token() // ']'
		return dup, err
	}
	return false, fmt.Errorf("unexpected %v", d)
}

// object consumes the members of an object whose '{' was read. For each
// member, member (when not nil) may consume the value itself and return
// true; otherwise value does.
func (w *jsonWalker) object(member func(name string, tok json.Token) (bool, error)) (dup bool, err error) {
	w.depth++
	defer func() { w.depth-- }()
	if w.depth > maxDepth {
		return false, fmt.Errorf("nested deeper than %d", maxDepth)
	}
	seen := make(map[string]struct{})
	for w.dec.More() {
		t, err := w.dec.Token()
		if err != nil {
			return dup, err
		}
		name, ok := t.(string)
		if !ok {
			return dup, errors.New("member name is not a string")
		}
		f := foldName(name)
		if _, ok := seen[f]; ok {
			dup = true
		}
		seen[f] = struct{}{}
		t, err = w.dec.Token()
		if err != nil {
			return dup, err
		}
		if member != nil {
			done, err := member(name, t)
			if err != nil {
				return dup, err
			}
			if done {
				continue
			}
		}
		d, err := w.value(t)
		dup = dup || d
		if err != nil {
			return dup, err
		}
	}
	_, err = w.dec.Token() // '}'
	return dup, err
}

// end checks that nothing but whitespace follows the top-level value.
func (w *jsonWalker) end() error {
	if _, err := w.dec.Token(); err != io.EOF {
		return errors.New("data after the JSON value")
	}
	return nil
}

// checkObject checks that data is one strict JSON object with no duplicate
// member names at any depth.
func checkObject(data []byte) error {
	w, err := newWalker(data)
	if err != nil {
		return err
	}
	t, err := w.dec.Token()
	if err != nil {
		return err
	}
	if t != json.Delim('{') {
		return errors.New("top level is not a JSON object")
	}
	dup, err := w.object(nil)
	if err != nil {
		return err
	}
	if dup {
		return errDuplicate
	}
	return w.end()
}

// foldName maps a member name to a key that is equal for two names exactly
// when bytes.EqualFold says they are (Unicode simple folding, so "KTY",
// "kty" and "\u212aty" with the Kelvin sign collide as encoding/json would
// merge them).
func foldName(s string) string {
	ascii := true
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= utf8.RuneSelf || ('A' <= c && c <= 'Z') {
			ascii = false
			break
		}
	}
	if ascii {
		return s
	}
	var b []byte
	for _, r := range s {
		// The lower case of the smallest rune of the folding orbit is a
		// canonical representative, and for ASCII it is the lower-case
		// letter, which the fast path above returns unchanged.
		m := r
		for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
			m = min(m, f)
		}
		b = utf8.AppendRune(b, unicode.ToLower(m))
	}
	return string(b)
}
