package middleware

import (
	"math"
	"reflect"
	"strconv"
	"unsafe"

	"github.com/tokengate/tokengate/internal/strictjson"
)

// The JSON comparisons of the claim rules, on a claim's value as the token
// carried it (verifier.Claims.Lookup: verified and strictly checked).

// equalsFunc returns the comparison of a claim's JSON value with want, a
// ClaimValue; its kind is read here, once per rule.
func equalsFunc(want reflect.Value) func(raw []byte) bool {
	switch want.Kind() {
	case reflect.String:
		w := want.String()
		return func(raw []byte) bool {
			s, ok := jsonString(raw)
			return ok && s == w
		}
	case reflect.Bool:
		w := want.Bool()
		return func(raw []byte) bool {
			sc := strictjson.NewScanner(raw)
			if sc.Peek() != strictjson.Bool {
				return false
			}
			b, err := sc.ReadBool()
			return err == nil && b == w
		}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		w := want.Int()
		return func(raw []byte) bool {
			text, ok := jsonNumber(raw)
			if !ok {
				return false
			}
			n, err := strconv.ParseInt(text, 10, 64)
			return err == nil && n == w
		}
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		w := want.Uint()
		return func(raw []byte) bool {
			text, ok := jsonNumber(raw)
			if !ok {
				return false
			}
			n, err := strconv.ParseUint(text, 10, 64)
			return err == nil && n == w
		}
	case reflect.Float32:
		w := want.Float()
		return func(raw []byte) bool {
			text, ok := jsonNumber(raw)
			if !ok {
				return false
			}
			f, err := strconv.ParseFloat(text, 32)
			return err == nil && f == w
		}
	case reflect.Float64:
		w := want.Float()
		return func(raw []byte) bool {
			text, ok := jsonNumber(raw)
			return ok && floatIs(text, w)
		}
	}
	panic("middleware: ClaimEquals: unsupported kind " + want.Kind().String()) // ClaimValue allows no other
}

// floatIs reports whether the JSON number text is the float64 w.
func floatIs(text string, w float64) bool {
	f, err := strconv.ParseFloat(text, 64)
	return err == nil && f == w
}

// jsonString returns the string raw holds, unescaped; false when raw is
// not a string.
func jsonString(raw []byte) (string, bool) {
	sc := strictjson.NewScanner(raw)
	if sc.Peek() != strictjson.String {
		return "", false
	}
	s, esc, err := sc.ReadString()
	if err != nil {
		return "", false
	}
	if esc {
		return string(strictjson.Unescape(nil, s)), true
	}
	return view(s), true
}

// jsonNumber returns the text of the number raw holds; false when raw is
// not a number.
func jsonNumber(raw []byte) (string, bool) {
	sc := strictjson.NewScanner(raw)
	if sc.Peek() != strictjson.Number {
		return "", false
	}
	text, err := sc.ReadNumber()
	if err != nil {
		return "", false
	}
	return view(text), true
}

// view looks at b, part of the verified payload (which is never written),
// as a string, for the comparisons of one request.
func view(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	return unsafe.String(&b[0], len(b))
}

// includesAll reports whether the claim raw holds every one of values
// (at most maxIncludes): as elements of an array of strings, or as words
// of a space-separated string.
func includesAll(raw []byte, values []string) bool {
	var found uint64
	all := uint64(1)<<len(values) - 1
	if len(values) == maxIncludes {
		all = math.MaxUint64
	}
	mark := func(s string) {
		for i, v := range values {
			if s == v {
				found |= 1 << i
			}
		}
	}
	sc := strictjson.NewScanner(raw)
	switch sc.Peek() {
	case strictjson.String:
		s, ok := jsonString(raw)
		if !ok {
			return false
		}
		for s != "" {
			var word string
			word, s = cutSpace(s)
			if word != "" {
				mark(word)
			}
		}
	case strictjson.Array:
		if sc.BeginArray() != nil {
			return false
		}
		for {
			ok, err := sc.NextElement()
			if err != nil {
				return false
			}
			if !ok {
				break
			}
			if sc.Peek() != strictjson.String {
				return false // not a list of strings
			}
			s, esc, err := sc.ReadString()
			if err != nil {
				return false
			}
			if esc {
				mark(string(strictjson.Unescape(nil, s)))
			} else {
				mark(view(s))
			}
		}
	default:
		return false
	}
	return found == all
}

// cutSpace splits s at its first space.
func cutSpace(s string) (word, rest string) {
	for i := 0; i < len(s); i++ {
		if s[i] == ' ' {
			return s[:i], s[i+1:]
		}
	}
	return s, ""
}
