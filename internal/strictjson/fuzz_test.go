package strictjson

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"reflect"
	"strconv"
	"strings"
	"testing"
)

// FuzzScanner is a differential target: Valid and the Scanner must accept
// exactly the JSON that encoding/json accepts, except where they are
// stricter on purpose (duplicates, depth, number length, invalid UTF-8), and
// must decode it to the same values. Seeds: the cases of TestValid, the
// JSON headers and payloads of the verifier's SECURITY.md tables
// (testdata/token-json.txt), and a few more.
func FuzzScanner(f *testing.F) {
	for _, tc := range validCases() {
		f.Add([]byte(tc.in))
	}
	for _, b := range tokenJSON(f) {
		f.Add(b)
	}
	for _, s := range []string{
		`null`, `true`, `[1,-0,0.5e-3,1E+2,"\u00e9\ud83d\ude00\n"]`, `{"a":{"b":[{}]}}`, `{"a":1,"A":2}`,
		`{"a":1,"\u0061":2}`, `"\ud800"`, "\"\xff\"", `[` + strings.Repeat(`[`, 40) + strings.Repeat(`]`, 41),
		`1` + strings.Repeat("0", 100), `{"K":1,"` + "\u212a" + `":2}`, ` {} `, `{} {}`, `01`, `[1,]`, `"\u0000"`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		err := Valid(data)
		if err != nil {
			if json.Valid(data) {
				// Where we are stricter than encoding/json, on purpose.
				for _, stricter := range []error{ErrDuplicate, ErrDepth, ErrNumber, ErrUTF8, ErrMembers} {
					if errors.Is(err, stricter) {
						return
					}
				}
				t.Fatalf("refused JSON that encoding/json accepts, for %v", err)
			}
			return
		}
		if !json.Valid(data) {
			t.Fatalf("accepted JSON that encoding/json refuses")
		}
		s := NewScanner(data)
		ours, err := scanAny(&s)
		if err == nil {
			err = s.End()
		}
		if err != nil {
			t.Fatalf("Valid accepted, the scanner refused: %v", err)
		}
		dec := json.NewDecoder(bytes.NewReader(data))
		dec.UseNumber()
		var theirs any
		if err := dec.Decode(&theirs); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(ours, theirs) {
			t.Fatalf("got %#v, encoding/json decodes %#v", ours, theirs)
		}
	})
}

// scanAny decodes one value with the strict scanner, as encoding/json with
// UseNumber does.
func scanAny(s *Scanner) (any, error) {
	switch s.Peek() {
	case Object:
		if err := s.BeginObject(); err != nil {
			return nil, err
		}
		m := map[string]any{}
		var mem Members
		for {
			name, ok, err := s.NextMember(&mem)
			if err != nil {
				return nil, err
			}
			if !ok {
				return m, nil
			}
			v, err := scanAny(s)
			if err != nil {
				return nil, err
			}
			m[string(name)] = v
		}
	case Array:
		if err := s.BeginArray(); err != nil {
			return nil, err
		}
		a := []any{}
		for {
			ok, err := s.NextElement()
			if err != nil {
				return nil, err
			}
			if !ok {
				return a, nil
			}
			v, err := scanAny(s)
			if err != nil {
				return nil, err
			}
			a = append(a, v)
		}
	case String:
		raw, esc, err := s.ReadString()
		if err != nil {
			return nil, err
		}
		if esc {
			raw = Unescape(nil, raw)
		}
		return string(raw), nil
	case Number:
		b, err := s.ReadNumber()
		return json.Number(b), err
	case Bool:
		return s.ReadBool()
	case Null:
		return nil, s.ReadNull()
	}
	return nil, ErrSyntax
}

// tokenJSON reads testdata/token-json.txt: the JSON headers and payloads,
// up to 1 KiB, of the verifier's table cases (verifier/fuzz_test.go
// tableJSON), one Go-quoted string per line.
func tokenJSON(tb testing.TB) [][]byte {
	tb.Helper()
	f, err := os.Open("testdata/token-json.txt")
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	var out [][]byte
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		s, err := strconv.Unquote(sc.Text())
		if err != nil {
			tb.Fatalf("testdata/token-json.txt: %q: %v", sc.Text(), err)
		}
		out = append(out, []byte(s))
	}
	if err := sc.Err(); err != nil {
		tb.Fatal(err)
	}
	if len(out) == 0 {
		tb.Fatal("testdata/token-json.txt: no seeds")
	}
	return out
}
