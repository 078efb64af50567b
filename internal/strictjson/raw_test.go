package strictjson

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

// rawCase is an array whose elements are read with SkipRaw: what each call
// returns, and the error that ends the scan (nil: the array and the
// document ended cleanly).
type rawCase struct {
	id   string
	in   string
	want []rawResult
	stop error
}

type rawResult struct {
	raw string
	err error
}

func rawCases() []rawCase {
	ok := func(raw string) rawResult { return rawResult{raw, nil} }
	dup := func(raw string) rawResult { return rawResult{raw, ErrDuplicate} }
	fail := func(err error) rawResult { return rawResult{"", err} }
	deep := strings.Repeat("[", 31) + strings.Repeat("]", 31)
	return []rawCase{
		{"values", `[{"a":1},[1,2],"s",1.5,true,null]`,
			[]rawResult{ok(`{"a":1}`), ok(`[1,2]`), ok(`"s"`), ok(`1.5`), ok(`true`), ok(`null`)}, nil},
		{"whitespace-trimmed", "[ \n\t{ \"a\" : 1 } \r\n, \"s\" ]", []rawResult{ok(`{ "a" : 1 }`), ok(`"s"`)}, nil},
		{"D6/one-element-with-duplicates", `[{"a":1},{"a":1,"a":2},{"a":3}]`,
			[]rawResult{ok(`{"a":1}`), dup(`{"a":1,"a":2}`), ok(`{"a":3}`)}, nil},
		{"D6/three-times", `[{"a":1,"a":2,"a":3},1]`, []rawResult{dup(`{"a":1,"a":2,"a":3}`), ok(`1`)}, nil},
		{"D6/case-folded", `[{"kty":"RSA","KTY":"EC"}]`, []rawResult{dup(`{"kty":"RSA","KTY":"EC"}`)}, nil},
		{"D6/kelvin-sign", `[{"kty":1,"` + "\u212a" + `ty":2}]`, []rawResult{dup(`{"kty":1,"` + "\u212a" + `ty":2}`)}, nil},
		{"D6/escaped", `[{"n":1,"\u006e":2}]`, []rawResult{dup(`{"n":1,"\u006e":2}`)}, nil},
		{"D6/nested", `[{"x":{"a":1,"a":2}},{"a":1}]`, []rawResult{dup(`{"x":{"a":1,"a":2}}`), ok(`{"a":1}`)}, nil},
		{"D6/in-inner-array", `[[{"a":1,"A":1}],[]]`, []rawResult{dup(`[{"a":1,"A":1}]`), ok(`[]`)}, nil},
		{"D6/same-name-in-sibling-objects", `[[{"a":1},{"a":1}]]`, []rawResult{ok(`[{"a":1},{"a":1}]`)}, nil},
		{"D6/duplicate-then-syntax-error", `[{"a":1,"a":2,}]`, []rawResult{fail(ErrSyntax)}, ErrSyntax},
		{"D6/duplicate-without-colon", `[{"a":1,"a" 2}]`, []rawResult{fail(ErrSyntax)}, ErrSyntax},
		{"D6/duplicate-at-the-end", `[{"a":1,"a"`, []rawResult{fail(ErrSyntax)}, ErrSyntax},
		{"D6/duplicate-then-invalid-UTF-8", "[{\"a\":1,\"a\":\"\xff\"}]", []rawResult{fail(ErrUTF8)}, ErrUTF8},
		{"D6/duplicate-then-long-number", `[{"a":1,"a":` + strings.Repeat("1", 65) + `}]`, []rawResult{fail(ErrNumber)}, ErrNumber},
		{"D6/duplicate-name-invalid-UTF-8", "[{\"a\xff\":1}]", []rawResult{fail(ErrUTF8)}, ErrUTF8},
		// Depth counts from the start of the document, not of the value.
		{"Z3/depth-32", "[" + deep + "]", []rawResult{ok(deep)}, nil},
		{"Z3/depth-33", "[[" + deep + "]]", []rawResult{fail(ErrDepth)}, ErrDepth},
		{"Z3/duplicate-then-depth-33", `[{"a":1,"a":` + "[" + deep + "]}]", []rawResult{fail(ErrDepth)}, ErrDepth},
		{"S3/bare-word", `[nul]`, []rawResult{fail(ErrSyntax)}, ErrSyntax},
		{"S3/no-value", `[,]`, []rawResult{fail(ErrSyntax)}, ErrSyntax},
		{"S3/trailing-data", `[{"a":1,"a":2}]x`, []rawResult{dup(`{"a":1,"a":2}`)}, ErrTrailing},
	}
}

// TestSkipRaw: SkipRaw returns each value's bytes, reads a value with
// duplicate names to its end (so the next one can be read), and stops at
// every other error.
func TestSkipRaw(t *testing.T) {
	for _, tc := range rawCases() {
		t.Run(tc.id, func(t *testing.T) {
			s := NewScanner([]byte(tc.in))
			if err := s.BeginArray(); err != nil {
				t.Fatalf("BeginArray: got %v, want nil", err)
			}
			var got []rawResult
			var stop error
			for {
				more, err := s.NextElement()
				if err != nil {
					stop = err
					break
				}
				if !more {
					stop = s.End()
					break
				}
				raw, err := s.SkipRaw()
				if err != nil && !errors.Is(err, ErrDuplicate) && raw != nil {
					t.Errorf("SkipRaw: got %q with %v, want nil bytes", raw, err)
				}
				got = append(got, rawResult{string(raw), err})
				if err != nil && !errors.Is(err, ErrDuplicate) {
					stop = err
					break
				}
			}
			if len(got) != len(tc.want) {
				t.Fatalf("got %d values %+v, want %d %+v", len(got), got, len(tc.want), tc.want)
			}
			for i, w := range tc.want {
				if got[i].raw != w.raw || !errors.Is(got[i].err, w.err) || (w.err == nil) != (got[i].err == nil) {
					t.Errorf("value %d: got %q, %v; want %q, %v", i, got[i].raw, got[i].err, w.raw, w.err)
				}
			}
			if !errors.Is(stop, tc.stop) || (tc.stop == nil) != (stop == nil) {
				t.Errorf("end: got %v, want %v", stop, tc.stop)
			}
		})
	}
}

// FuzzSkipRaw: on a whole document SkipRaw agrees with Valid, except that it
// reads a value with duplicate names to its end; the bytes it returns are
// the document without its surrounding whitespace, and on their own they
// get the same verdict.
func FuzzSkipRaw(f *testing.F) {
	for _, tc := range rawCases() {
		f.Add([]byte(tc.in))
		for _, w := range tc.want {
			f.Add([]byte(w.raw))
		}
	}
	for _, tc := range validCases() {
		f.Add([]byte(tc.in))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		valid := Valid(data)
		s := NewScanner(data)
		raw, err := s.SkipRaw()
		if err != nil && !errors.Is(err, ErrDuplicate) {
			if raw != nil {
				t.Fatalf("got %q with %v, want nil bytes", raw, err)
			}
			if valid == nil {
				t.Fatalf("SkipRaw: %v, Valid accepts", err)
			}
			return
		}
		if trimmed := bytes.TrimLeft(data, " \t\r\n"); !bytes.HasPrefix(trimmed, raw) || len(raw) == 0 {
			t.Fatalf("got bytes %q, want a non-empty prefix of %q", raw, trimmed)
		}
		if v := Valid(raw); !errors.Is(v, err) || (err == nil) != (v == nil) {
			t.Fatalf("SkipRaw: %v, Valid of its bytes: %v", err, v)
		}
		end := s.End()
		switch {
		case end != nil && valid == nil:
			t.Fatalf("End: %v, Valid accepts", end)
		case end == nil && err == nil && valid != nil:
			t.Fatalf("SkipRaw and End accept, Valid: %v", valid)
		case end == nil && err != nil && !errors.Is(valid, ErrDuplicate):
			t.Fatalf("SkipRaw: %v, Valid: %v; want ErrDuplicate from both", err, valid)
		case end == nil && !json.Valid(data):
			t.Fatalf("SkipRaw and End accept (%v) JSON that encoding/json refuses", err)
		}
	})
}
