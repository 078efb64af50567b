package management

import (
	"bytes"
	"encoding/json"
	"reflect"
	"testing"
	"time"
)

// sameJSON reports whether a and b are the same JSON value.
func sameJSON(t *testing.T, a, b []byte) bool {
	t.Helper()
	var va, vb any
	if err := decodeExact(a, &va); err != nil {
		t.Fatalf("decoding %s: %v", a, err)
	}
	if err := decodeExact(b, &vb); err != nil {
		t.Fatalf("decoding %s: %v", b, err)
	}
	return reflect.DeepEqual(va, vb)
}

func TestModelKeepsUnknownMembers(t *testing.T) {
	in := []byte(`{"user_id":"auth0|1","email":"a@example.com","email_verified":false,"logins_count":0,
		"created_at":"2023-01-25T19:00:28.395Z","app_metadata":{},"multifactor":[],
		"identities":[{"provider":"github","user_id":12345678,"connection":"github","isSocial":true,"new_identity_field":[1,2]}],
		"some_new_field":{"nested":[1.50,9007199254740993]},"flag":null}`)
	var u User
	if err := json.Unmarshal(in, &u); err != nil {
		t.Fatal(err)
	}
	if u.ID != "auth0|1" || u.EmailVerified == nil || *u.EmailVerified || u.LoginsCount == nil || *u.LoginsCount != 0 {
		t.Errorf("typed fields: got %+v", u)
	}
	if want := time.Date(2023, 1, 25, 19, 0, 28, 395e6, time.UTC); !u.CreatedAt.Equal(want) {
		t.Errorf("created_at: got %v, want %v", u.CreatedAt, want)
	}
	if id := u.Identities[0].UserID; id.Text != "12345678" || !id.IsNumber {
		t.Errorf("numeric identity user_id: got %+v", id)
	}
	if _, ok := u.Extra["some_new_field"]; !ok || len(u.Extra) != 2 {
		t.Errorf("Extra: got %v, want some_new_field and flag", u.Extra)
	}
	if _, ok := u.Identities[0].Extra["new_identity_field"]; !ok {
		t.Errorf("identity Extra: got %v", u.Identities[0].Extra)
	}
	out, err := json.Marshal(u)
	if err != nil {
		t.Fatal(err)
	}
	if !sameJSON(t, in, out) {
		t.Errorf("round trip:\n got %s\nwant %s", out, in)
	}
	if !bytes.Contains(out, []byte("9007199254740993")) || !bytes.Contains(out, []byte("1.50")) {
		t.Errorf("numbers not kept exactly: %s", out)
	}
}

func TestModelCaseFoldedMemberIsNotExtra(t *testing.T) {
	// encoding/json puts "EMAIL" into Email; it must not also be kept in
	// Extra, or it would be sent twice.
	var u User
	if err := json.Unmarshal([]byte(`{"EMAIL":"a@example.com"}`), &u); err != nil {
		t.Fatal(err)
	}
	if u.Email != "a@example.com" || len(u.Extra) != 0 {
		t.Errorf("got Email %q Extra %v, want the field only", u.Email, u.Extra)
	}
}

func TestExplicitNull(t *testing.T) {
	u := User{Name: "Ada", PhoneNumber: "+1555", Extra: Object{"phone_number": nil, "nickname": ""}}
	out, err := json.Marshal(&u)
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"name":"Ada","nickname":"","phone_number":null}`; !sameJSON(t, out, []byte(want)) {
		t.Errorf("got %s, want %s", out, want)
	}
	// Without Extra, unset fields are absent.
	out, _ = json.Marshal(User{Name: "Ada"})
	if string(out) != `{"name":"Ada"}` {
		t.Errorf("got %s, want {\"name\":\"Ada\"}", out)
	}
}

func TestStringOrNumber(t *testing.T) {
	for _, in := range []string{`"abc"`, `"123"`, `123`, `-1.5e3`} {
		var s StringOrNumber
		if err := json.Unmarshal([]byte(in), &s); err != nil {
			t.Fatalf("%s: %v", in, err)
		}
		out, _ := json.Marshal(s)
		if string(out) != in {
			t.Errorf("round trip of %s: got %s", in, out)
		}
	}
	for _, in := range []string{`true`, `{}`, `[1]`} {
		var s StringOrNumber
		if err := json.Unmarshal([]byte(in), &s); err == nil {
			t.Errorf("%s: got nil error", in)
		}
	}
	if out, _ := json.Marshal(StringOrNumber{Text: `1,"x"`, IsNumber: true}); string(out) != `"1,\"x\""` {
		t.Errorf("invalid number text: got %s, want it as a string", out)
	}
}

func TestObject(t *testing.T) {
	var o Object
	in := `{"a":{"b":[1,2.50]},"n":12345678901234567890,"s":"x","z":null}`
	if err := json.Unmarshal([]byte(in), &o); err != nil {
		t.Fatal(err)
	}
	if v, ok := o.Lookup("a", "b"); !ok || len(v.([]any)) != 2 {
		t.Errorf("Lookup(a, b): got %v %v", v, ok)
	}
	if _, ok := o.Lookup("a", "x"); ok {
		t.Error("Lookup(a, x): got ok")
	}
	if _, ok := o.Lookup("s", "x"); ok {
		t.Error("Lookup(s, x): got ok")
	}
	if v, _ := o.Lookup("n"); v != json.Number("12345678901234567890") {
		t.Errorf("n: got %#v, want the exact json.Number", v)
	}
	out, _ := json.Marshal(o)
	if !sameJSON(t, []byte(in), out) || !bytes.Contains(out, []byte("2.50")) {
		t.Errorf("round trip: got %s, want %s", out, in)
	}
	var r Role
	if err := (Object{"id": "r1", "name": "admin"}).Decode(&r); err != nil || r.ID != "r1" || r.Name != "admin" {
		t.Errorf("Decode: got %+v %v", r, err)
	}
	back, err := ObjectOf(Role{ID: "r1", Extra: Object{"x": 1}})
	if err != nil || back["id"] != "r1" || back["x"] != json.Number("1") {
		t.Errorf("ObjectOf: got %v %v", back, err)
	}
	if c := o.Clone(); len(c) != len(o) {
		t.Errorf("Clone: got %d members, want %d", len(c), len(o))
	}
	if err := json.Unmarshal([]byte(`[1]`), &o); err == nil {
		t.Error("array into Object: got nil error")
	}
}

func FuzzUserRoundTrip(f *testing.F) {
	for _, s := range []string{
		`{"user_id":"auth0|1","identities":[{"user_id":1}],"x":{"y":[1,"2",null]}}`,
		`{"email":"a@b","app_metadata":{},"multifactor":[]}`, `null`, `{}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var u User
		if json.Unmarshal(data, &u) != nil {
			return
		}
		out, err := json.Marshal(u)
		if err != nil {
			t.Fatalf("re-encoding: %v", err)
		}
		var again User
		if err := json.Unmarshal(out, &again); err != nil {
			t.Fatalf("decoding our own output %s: %v", out, err)
		}
	})
}
