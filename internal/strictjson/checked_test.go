package strictjson_test

import (
	"errors"
	"testing"

	"github.com/tokengate/tokengate/internal/strictjson"
)

// TestCheckedScanner: a checked scanner (for data a strict pass accepted)
// reads values as NewScanner's does and runs every check but the member
// names' (which it does not record, and so cannot refuse again);
// NewCheckedScannerAt reads the value at an Offset a first pass noted.
func TestCheckedScanner(t *testing.T) {
	data := []byte(`{"a":[1,"x",{"b":null}], "c" : {"d":"e"},"f":true}`)
	if err := strictjson.ValidObject(data); err != nil {
		t.Fatal(err)
	}
	// First pass: note the offset of each value.
	s := strictjson.NewScanner(data)
	if err := s.BeginObject(); err != nil {
		t.Fatal(err)
	}
	var m strictjson.Members
	offsets := map[string]int{}
	for {
		name, ok, err := s.NextMember(&m)
		if err != nil {
			t.Fatal(err)
		}
		if !ok {
			break
		}
		offsets[string(name)] = s.Offset()
		if err := s.Skip(); err != nil {
			t.Fatal(err)
		}
	}
	// Second pass, straight to "c".
	c := strictjson.NewCheckedScannerAt(data, offsets["c"])
	if err := c.BeginObject(); err != nil {
		t.Fatal(err)
	}
	name, ok, err := c.NextMember(nil)
	if err != nil || !ok || string(name) != "d" {
		t.Fatalf("NextMember: got %q, %v, %v; want d", name, ok, err)
	}
	v, _, err := c.ReadString()
	if err != nil || string(v) != "e" {
		t.Fatalf("ReadString: got %q, %v; want e", v, err)
	}
	f := strictjson.NewCheckedScannerAt(data, offsets["f"])
	if b, err := f.ReadBool(); err != nil || !b {
		t.Fatalf("ReadBool at f: got %v, %v; want true", b, err)
	}
	// A whole checked pass skips like a strict one.
	all := strictjson.NewCheckedScanner(data)
	if err := all.Skip(); err != nil {
		t.Fatal(err)
	}
	if err := all.End(); err != nil {
		t.Fatal(err)
	}
	// The other checks still run: UTF-8, grammar, depth.
	for _, bad := range []string{`{"a":"\ud800"}`, `{"a":[1,]}`, `{"a":"` + "\xff" + `"}`, `[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]`} {
		s := strictjson.NewCheckedScanner([]byte(bad))
		if err := s.Skip(); err == nil {
			t.Errorf("checked Skip(%q): got nil, want an error", bad)
		}
	}
	// Duplicates are not refused again: the data must have passed a strict
	// scanner first (the documented contract).
	dup := strictjson.NewCheckedScanner([]byte(`{"a":1,"a":2}`))
	if err := dup.Skip(); err != nil {
		t.Errorf("checked Skip of duplicates: got %v, want nil (names are not recorded)", err)
	}
	if err := strictjson.Valid([]byte(`{"a":1,"a":2}`)); !errors.Is(err, strictjson.ErrDuplicate) {
		t.Errorf("Valid: got %v, want ErrDuplicate", err)
	}
}
