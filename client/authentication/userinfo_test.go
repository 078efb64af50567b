package authentication

import (
	"encoding/json"
	"reflect"
	"testing"
)

var userInfoCases = []string{
	`{"sub":"test-sub","nickname":"test-user","name":"test-user@example.com","updated_at":"2023-06-14T21:36:26.399Z","email":"test-user@example.com","email_verified":true,"unknown-param":"test-value"}`,
	`{"sub":"auth0|1","org_id":"org_1","https://example.com/roles":["admin"],"address":{"country":"FR"}}`,
	`{"sub":"x"}`,
	`{}`,
}

func TestUserInfoKeepsUnknownMembers(t *testing.T) {
	var u UserInfo
	if err := json.Unmarshal([]byte(userInfoCases[1]), &u); err != nil {
		t.Fatal(err)
	}
	if u.Subject != "auth0|1" || string(u.Extra["org_id"]) != `"org_1"` || string(u.Extra["https://example.com/roles"]) != `["admin"]` {
		t.Errorf("got %+v, want sub, org_id and the roles claim", u)
	}
	if _, ok := u.Extra["sub"]; ok {
		t.Errorf("Extra repeats a standard claim: %v", u.Extra)
	}
	if string(u.Address) != `{"country":"FR"}` {
		t.Errorf("Address: got %s", u.Address)
	}
}

// FuzzUserInfo: decoding never panics, and what decodes re-encodes to a
// value that decodes the same.
func FuzzUserInfo(f *testing.F) {
	for _, s := range userInfoCases {
		f.Add([]byte(s))
	}
	f.Add([]byte(`{"sub":1}`))
	f.Add([]byte(`{"email_verified":"yes"}`))
	f.Add([]byte(`[]`))
	f.Add([]byte(`{"SUB":"x","sub":"y","Email":"e"}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		var u UserInfo
		if json.Unmarshal(b, &u) != nil {
			return
		}
		out, err := json.Marshal(u)
		if err != nil {
			t.Fatalf("Marshal after a successful Unmarshal of %q: %v", b, err)
		}
		var again UserInfo
		if err := json.Unmarshal(out, &again); err != nil {
			t.Fatalf("Unmarshal of our own %q: %v", out, err)
		}
		norm := func(u UserInfo) UserInfo { // RawMessage spacing is not semantic
			u.Address = nil
			u.Extra = nil
			return u
		}
		if !reflect.DeepEqual(norm(u), norm(again)) || len(u.Extra) != len(again.Extra) {
			t.Errorf("round trip changed the value:\n%+v\n%+v", u, again)
		}
	})
}
