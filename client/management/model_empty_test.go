package management

import (
	"encoding/json"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
)

// typedModels are the models of the package: every struct type with an
// Extra Object field. TestTypedModelsListed keeps the list complete.
var typedModels = []reflect.Type{
	reflect.TypeFor[Action](), reflect.TypeFor[ActionTrigger](), reflect.TypeFor[AuthenticationMethod](),
	reflect.TypeFor[BlacklistedToken](), reflect.TypeFor[Client](), reflect.TypeFor[ClientGrant](),
	reflect.TypeFor[Connection](), reflect.TypeFor[CustomDomain](), reflect.TypeFor[DailyStats](), reflect.TypeFor[DiscoveryDomain](),
	reflect.TypeFor[DeviceCredential](), reflect.TypeFor[EnabledConnection](), reflect.TypeFor[Grant](),
	reflect.TypeFor[Hook](), reflect.TypeFor[Identity](), reflect.TypeFor[Invitation](),
	reflect.TypeFor[InvitationInvitee](), reflect.TypeFor[InvitationInviter](), reflect.TypeFor[Job](),
	reflect.TypeFor[JobField](), reflect.TypeFor[JobUserError](), reflect.TypeFor[LinkRequest](),
	reflect.TypeFor[Log](), reflect.TypeFor[LogStream](), reflect.TypeFor[Member](),
	reflect.TypeFor[Organization](), reflect.TypeFor[OrganizationBranding](), reflect.TypeFor[Permission](),
	reflect.TypeFor[ResourceServer](), reflect.TypeFor[ResourceServerScope](), reflect.TypeFor[Role](),
	reflect.TypeFor[Rule](), reflect.TypeFor[Ticket](), reflect.TypeFor[UniversalLoginTemplate](),
	reflect.TypeFor[User](), reflect.TypeFor[UserBlock](), reflect.TypeFor[UserBlocks](),
}

// TestTypedModelsListed finds every struct type of the package's source
// with an Extra Object field and checks that typedModels lists it, so a new
// model is held to the rules below as soon as it is written.
func TestTypedModelsListed(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	var inSource []string
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			ts, ok := n.(*ast.TypeSpec)
			if !ok {
				return true
			}
			st, ok := ts.Type.(*ast.StructType)
			if !ok {
				return true
			}
			for _, fld := range st.Fields.List {
				if id, ok := fld.Type.(*ast.Ident); ok && id.Name == "Object" && len(fld.Names) == 1 && fld.Names[0].Name == "Extra" {
					inSource = append(inSource, ts.Name.Name)
				}
			}
			return true
		})
	}
	var listed []string
	for _, m := range typedModels {
		listed = append(listed, m.Name())
	}
	slices.Sort(inSource)
	slices.Sort(listed)
	if !slices.Equal(inSource, listed) {
		t.Errorf("models with an Extra field:\n source %v\n listed %v", inSource, listed)
	}
}

// emptyValues are the JSON values a member of type ft can be sent as that
// say "nothing": null always, and the empty value of its kind when it can
// hold one.
func emptyValues(ft reflect.Type) []string {
	out := []string{"null"}
	for ft.Kind() == reflect.Pointer {
		ft = ft.Elem()
	}
	switch {
	case ft == reflect.TypeFor[StringOrNumber]():
		out = append(out, `""`)
	case ft == reflect.TypeFor[time.Time]():
	case ft.Kind() == reflect.String:
		out = append(out, `""`)
	case ft.Kind() == reflect.Bool:
		out = append(out, `false`)
	case ft.Kind() >= reflect.Int && ft.Kind() <= reflect.Float64:
		out = append(out, `0`)
	case ft.Kind() == reflect.Slice:
		out = append(out, `[]`)
	case ft.Kind() == reflect.Map, ft.Kind() == reflect.Struct:
		out = append(out, `{}`)
	case ft.Kind() == reflect.Interface:
		out = append(out, `""`, `false`, `0`, `[]`, `{}`)
	}
	return out
}

// modelFields lists the JSON member names of a model's fields with their
// types.
func modelFields(t reflect.Type) map[string]reflect.Type {
	out := map[string]reflect.Type{}
	for i := range t.NumField() {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if !f.IsExported() || name == "-" {
			continue
		}
		if name == "" {
			name = f.Name
		}
		out[name] = f.Type
	}
	return out
}

// TestModelKeepsEmptyMembers: every member of every typed model, sent by
// the API as null or as the empty value of its kind ("", false, 0, [], {}),
// is written back as it came, alone and all together, so a decoded answer
// can be sent back unchanged (a field cannot tell an absent member from
// null or "", and omitempty drops both).
func TestModelKeepsEmptyMembers(t *testing.T) {
	cases := 0
	for _, mt := range typedModels {
		fields := modelFields(mt)
		all := map[string]json.RawMessage{}
		for name, ft := range fields {
			for _, empty := range emptyValues(ft) {
				in := fmt.Sprintf(`{%q:%s}`, name, empty)
				t.Run(mt.Name()+"/"+name+"="+empty, func(t *testing.T) {
					roundTrip(t, mt, in)
				})
				cases++
			}
			all[name] = json.RawMessage("null")
		}
		t.Run(mt.Name()+"/all null", func(t *testing.T) {
			roundTrip(t, mt, string(mustJSON(all)))
		})
	}
	if cases < 500 {
		t.Errorf("tried %d members, want every member of the %d models", cases, len(typedModels))
	}
}

// roundTrip decodes in into a new value of mt, re-encodes it and compares.
func roundTrip(t *testing.T, mt reflect.Type, in string) {
	t.Helper()
	v := reflect.New(mt)
	if err := json.Unmarshal([]byte(in), v.Interface()); err != nil {
		t.Fatalf("decoding %s: %v", in, err)
	}
	out, err := json.Marshal(v.Interface())
	if err != nil {
		t.Fatalf("encoding: %v", err)
	}
	if !jsonEqual(t, out, []byte(in)) {
		t.Errorf("round trip:\n got %s\nwant %s", out, in)
	}
}

// TestModelEmptyMembersYieldToChanges: a member the API sent empty is
// written back only while its field is still unset: a value the caller
// sets after decoding is sent instead, in every string, bool and number
// field of every model.
func TestModelEmptyMembersYieldToChanges(t *testing.T) {
	for _, mt := range typedModels {
		for i := range mt.NumField() {
			f := mt.Field(i)
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			if !f.IsExported() || name == "-" || name == "" {
				continue
			}
			var set reflect.Value
			want := ""
			switch ft := f.Type; {
			case ft.Kind() == reflect.String:
				set, want = reflect.ValueOf("changed").Convert(ft), `"changed"`
			case ft.Kind() == reflect.Pointer && ft.Elem().Kind() == reflect.Bool:
				set, want = reflect.ValueOf(Bool(true)), `true`
			case ft.Kind() == reflect.Pointer && ft.Elem().Kind() == reflect.Int:
				set, want = reflect.ValueOf(Int(7)), `7`
			default:
				continue
			}
			for _, empty := range emptyValues(f.Type) {
				t.Run(mt.Name()+"/"+name+"="+empty, func(t *testing.T) {
					v := reflect.New(mt)
					if err := json.Unmarshal(fmt.Appendf(nil, `{%q:%s}`, name, empty), v.Interface()); err != nil {
						t.Fatal(err)
					}
					v.Elem().Field(i).Set(set)
					out, err := json.Marshal(v.Interface())
					if err != nil {
						t.Fatal(err)
					}
					if w := fmt.Sprintf(`{%q:%s}`, name, want); !jsonEqual(t, out, []byte(w)) {
						t.Errorf("got %s, want %s", out, w)
					}
				})
			}
		}
	}
}

// TestModelEmptyMembersExamples are the cases of the issue, by hand.
func TestModelEmptyMembersExamples(t *testing.T) {
	cases := []struct {
		name string
		v    any
		in   string
	}{
		{"user", &User{}, `{"user_id":"1","nickname":"","phone_number":null}`},
		{"organization", &Organization{}, `{"id":"org_1","name":"acme","display_name":"","branding":null,"metadata":{}}`},
		{"connection", &Connection{}, `{"id":"con_1","name":"db","display_name":null,"realms":[],"is_domain_connection":false}`},
		{"log", &Log{}, `{"log_id":"1","description":"","connection":"","hostname":null,"location_info":null}`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if err := json.Unmarshal([]byte(c.in), c.v); err != nil {
				t.Fatal(err)
			}
			out, err := json.Marshal(c.v)
			if err != nil {
				t.Fatal(err)
			}
			if !jsonEqual(t, out, []byte(c.in)) {
				t.Errorf("got %s, want %s", out, c.in)
			}
		})
	}
}

// TestLogFixtureRoundTrip decodes testdata/log-empty-members.json, a log
// event written by hand in the shape the API sends (an "f" event of a
// failed login through a custom domain, with the members Auth0 leaves null
// or empty), and checks that it re-encodes to the same JSON value.
func TestLogFixtureRoundTrip(t *testing.T) {
	in, err := os.ReadFile("testdata/log-empty-members.json")
	if err != nil {
		t.Fatal(err)
	}
	var l Log
	if err := json.Unmarshal(in, &l); err != nil {
		t.Fatal(err)
	}
	if l.ID == "" || l.Type != "f" || l.Description != "" || l.Hostname != "" || l.LocationInfo != nil {
		t.Errorf("decoded %+v", l)
	}
	out, err := json.Marshal(l)
	if err != nil {
		t.Fatal(err)
	}
	if !jsonEqual(t, out, in) {
		t.Errorf("round trip:\n got %s\nwant %s", out, in)
	}
}

// FuzzModelRoundTrip: for every typed model, a JSON object that decodes
// re-encodes with every member it had (none dropped, whatever its value),
// and re-encoding is stable (decoding our own output and encoding it
// again gives the same JSON value).
func FuzzModelRoundTrip(f *testing.F) {
	for _, s := range []string{
		`{"user_id":"1","nickname":"","phone_number":null}`,
		`{"log_id":"1","description":"","connection":"","hostname":null,"location_info":null,"isMobile":false}`,
		`{"id":"org_1","display_name":"","branding":{"logo_url":""},"metadata":{}}`,
		`{"id":"con_1","realms":[],"options":null,"is_domain_connection":false}`,
		`{"Name":"","NAME":null,"name":"x"}`,
	} {
		for i := range typedModels {
			f.Add(uint8(i), []byte(s))
		}
	}
	f.Fuzz(func(t *testing.T, which uint8, data []byte) {
		mt := typedModels[int(which)%len(typedModels)]
		var in map[string]json.RawMessage
		if json.Unmarshal(data, &in) != nil {
			return
		}
		v := reflect.New(mt)
		if json.Unmarshal(data, v.Interface()) != nil {
			return
		}
		out, err := json.Marshal(v.Interface())
		if err != nil {
			t.Fatalf("%s: encoding: %v", mt.Name(), err)
		}
		var got map[string]json.RawMessage
		if err := json.Unmarshal(out, &got); err != nil {
			t.Fatalf("%s: our output %s: %v", mt.Name(), out, err)
		}
		for name := range in {
			if _, _, ok := lookupFold(got, name); !ok {
				t.Errorf("%s: member %q of %s dropped: %s", mt.Name(), name, data, out)
			}
		}
		again := reflect.New(mt)
		if err := json.Unmarshal(out, again.Interface()); err != nil {
			t.Fatalf("%s: decoding our output %s: %v", mt.Name(), out, err)
		}
		out2, err := json.Marshal(again.Interface())
		if err != nil {
			t.Fatal(err)
		}
		if !sameJSON(t, out, out2) {
			t.Errorf("%s: unstable:\n first %s\nsecond %s", mt.Name(), out, out2)
		}
	})
}
