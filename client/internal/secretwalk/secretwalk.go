// Package secretwalk serves the tests that walk every method of the
// Management and Authentication clients to check that no secret shows in an
// error, a log line or a debug event (issue X22). It fills the arguments of
// a method with recognisable values, builds hostile answers, reads back
// what a test server received, and finds a value in any of the escapings a
// server may echo it in. Only tests use it.
package secretwalk

import (
	"bytes"
	"encoding/json"
	"fmt"
	"html"
	"mime"
	"net/url"
	"reflect"
	"regexp"
	"strings"
	"sync"
	"time"
)

// Value returns a secret-looking value, unique by tag, holding every
// character some escaping rewrites: HTML (<>&"'), JSON (" and, HTML-safe,
// <>&), form (space, +), path (/) and non-ASCII.
func Value(tag string) string { return "Zk9<s&e>\"c'r e+t/é-" + tag }

var upperHex = regexp.MustCompile(`%[0-9A-F]{2}`)

// Escapings returns the forms in which a server may echo v: as it is,
// JSON-escaped (HTML-safe or not, with "\/"), HTML-escaped (both common
// entity sets), form- or path-escaped (upper- or lower-case hex, "+" or
// "%20"), and HTML inside JSON. Written apart from the code under test.
func Escapings(v string) []string {
	jsonHTML := func(s string) string { b, _ := json.Marshal(s); return string(b[1 : len(b)-1]) }
	jsonPlain := func(s string) string {
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		enc.SetEscapeHTML(false)
		enc.Encode(s)
		b := strings.TrimSuffix(buf.String(), "\n")
		return b[1 : len(b)-1]
	}
	htmlAlt := strings.NewReplacer(`&`, "&amp;", `<`, "&lt;", `>`, "&gt;", `"`, "&quot;", `'`, "&#x27;").Replace(v)
	lower := func(s string) string { return upperHex.ReplaceAllStringFunc(s, strings.ToLower) }
	return []string{
		v,
		jsonHTML(v), jsonPlain(v), strings.ReplaceAll(jsonPlain(v), "/", `\/`),
		html.EscapeString(v), htmlAlt,
		url.QueryEscape(v), url.PathEscape(v), lower(url.QueryEscape(v)), lower(url.PathEscape(v)),
		strings.ReplaceAll(url.QueryEscape(v), "+", "%20"),
		jsonHTML(html.EscapeString(v)), jsonHTML(htmlAlt),
	}
}

var leakForms sync.Map // value -> []string

// Leaked returns the first escaping of v, or escaping of an escaping (an
// echo shown inside JSON), found in dump; "" when there is none.
func Leaked(dump, v string) string {
	forms, ok := leakForms.Load(v)
	if !ok {
		var all []string
		for _, f := range Escapings(v) {
			all = append(all, Escapings(f)...)
		}
		forms, _ = leakForms.LoadOrStore(v, all)
	}
	for _, g := range forms.([]string) {
		if strings.Contains(dump, g) {
			return g
		}
	}
	return ""
}

// Spelling writes the normalized name n in one of several ways that must
// all match it (chosen by i): as it is, upper case, capitalized, or with a
// separator put inside.
func Spelling(n string, i int) string {
	if n == "" {
		return n
	}
	at := 1 + i%max(len(n)-1, 1)
	switch i % 6 {
	case 0:
		return n
	case 1:
		return strings.ToUpper(n)
	case 2:
		return strings.ToUpper(n[:1]) + n[1:]
	case 3:
		return n[:at] + "_" + n[at:]
	case 4:
		return strings.ToUpper(n[:1]) + n[1:at] + "-" + strings.ToUpper(n[at:at+1]) + n[at+1:]
	}
	return n[:at] + "." + n[at:]
}

// Filler fills values with Value markers. Object makes the free-form
// objects (the configuration bodies, a model's Extra) and StringMap the
// map[string]string bodies (hook secrets).
type Filler struct {
	Object    func() map[string]any
	StringMap func() map[string]string
	n         int
}

// Marker returns a new unique secret-looking value for a field name. Its
// tag (TagOf) is "k<n>k<name>", letters and digits only, which no escaping
// changes.
func (f *Filler) Marker(name string) string {
	f.n++
	clean := strings.Map(func(r rune) rune {
		if 'a' <= r && r <= 'z' || '0' <= r && r <= '9' {
			return r
		}
		if 'A' <= r && r <= 'Z' {
			return r + 'a' - 'A'
		}
		return -1
	}, name)
	return Value(fmt.Sprintf("k%dk%s", f.n, clean))
}

var tagPattern = regexp.MustCompile(`k[0-9]+k[a-z0-9]*`)

// TagOf returns the tag of a Marker value ("" for other values).
func TagOf(v string) string {
	_, tag, ok := strings.Cut(v, "é-")
	if !ok || tagPattern.FindString(tag) != tag {
		return ""
	}
	return tag
}

// Tags returns the Marker tags found in dump, in any escaping (one linear
// scan: the tags survive every escaping unchanged).
func Tags(dump string) map[string]bool {
	found := map[string]bool{}
	for _, t := range tagPattern.FindAllString(dump, -1) {
		found[t] = true
	}
	return found
}

// IsOptions reports whether a parameter type is a pagination or options
// struct, passed as nil (the method's defaults): no secret is sent there.
func IsOptions(t reflect.Type) bool {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	n := t.Name()
	return strings.HasSuffix(n, "Options") || n == "Offset" || n == "Checkpoint" || n == "FieldSelection"
}

var (
	timeType   = reflect.TypeFor[time.Time]()
	anyMapType = reflect.TypeFor[map[string]any]()
	strMapType = reflect.TypeFor[map[string]string]()
)

// Fill sets v (settable) from markers: every string, every free-form map,
// one element of every slice, and the structs behind pointers (not the
// options structs), down to a bounded depth. name is the JSON member name v
// is sent under.
func (f *Filler) Fill(v reflect.Value, name string, depth int) {
	if depth > 4 || !v.CanSet() {
		return
	}
	t := v.Type()
	switch {
	case t == timeType:
		return
	case t.Kind() == reflect.String:
		v.SetString(f.Marker(name))
	case t.Kind() == reflect.Map && t.ConvertibleTo(anyMapType) && f.Object != nil:
		v.Set(reflect.ValueOf(f.Object()).Convert(t))
	case t.Kind() == reflect.Map && t.ConvertibleTo(strMapType) && f.StringMap != nil:
		v.Set(reflect.ValueOf(f.StringMap()).Convert(t))
	case t.Kind() == reflect.Pointer:
		if IsOptions(t) || t.Elem().Kind() == reflect.Interface {
			return
		}
		p := reflect.New(t.Elem())
		f.Fill(p.Elem(), name, depth+1)
		v.Set(p)
	case t.Kind() == reflect.Slice && t.Elem().Kind() != reflect.Interface && t.Elem().Kind() != reflect.Uint8 && t.Elem().Kind() != reflect.Func:
		s := reflect.MakeSlice(t, 1, 1)
		f.Fill(s.Index(0), name, depth+1)
		v.Set(s)
	case t.Kind() == reflect.Struct:
		for i := range t.NumField() {
			sf := t.Field(i)
			if !sf.IsExported() {
				continue
			}
			member := sf.Name
			if tag, _, _ := strings.Cut(sf.Tag.Get("json"), ","); tag != "" {
				member = tag
			}
			if member == "-" && !(sf.Type.Kind() == reflect.Map) { // Extra is a map sent as members
				continue
			}
			f.Fill(v.Field(i), member, depth+1)
		}
	}
}

// Sent is what a test server received, read back.
type Sent struct {
	// Secrets are the values sent under a secret name (by isSecret), or all
	// values when the whole body is secret.
	Secrets []string
	// Names are every JSON member, form field and query parameter name.
	Names []string
}

// Read collects the secrets and names of a request body and query.
// isSecret(parent, name) says whether a member is secret; allBody makes
// every value of the body secret.
func Read(contentType string, body []byte, query url.Values, isSecret func(parent, name string) bool, allBody bool) Sent {
	var s Sent
	mt, _, _ := mime.ParseMediaType(contentType)
	switch mt {
	case "application/json":
		dec := json.NewDecoder(bytes.NewReader(body))
		dec.UseNumber()
		var v any
		if dec.Decode(&v) == nil {
			s.walk(v, "", allBody, isSecret)
		}
	case "application/x-www-form-urlencoded":
		q, _ := url.ParseQuery(string(body))
		s.values(q, allBody, isSecret)
	}
	s.values(query, false, isSecret)
	return s
}

func (s *Sent) values(q url.Values, all bool, isSecret func(parent, name string) bool) {
	for k, vs := range q {
		s.Names = append(s.Names, k)
		if all || isSecret("", k) {
			s.Secrets = append(s.Secrets, vs...)
		}
	}
}

func (s *Sent) walk(v any, parent string, in bool, isSecret func(parent, name string) bool) {
	switch t := v.(type) {
	case map[string]any:
		for k, e := range t {
			s.Names = append(s.Names, k)
			s.walk(e, k, in || isSecret(parent, k), isSecret)
		}
	case []any:
		for _, e := range t {
			s.walk(e, parent, in, isSecret)
		}
	case string:
		if in && len(t) >= 4 {
			s.Secrets = append(s.Secrets, t)
		}
	}
}

// suspicious flags names (normalized: lower case, no separators) that look
// like they could hold a secret, so that a new field of a model is looked
// at: either the table of secrets takes it, or the test says why not.
var suspicious = regexp.MustCompile(`secret|passw|token|apikey|key$|keys$|credential|ticket|assertion|otp$|code$|codes$|connectionstring|sourceaddress|authoriz|barcode|invitationurl|seed|salt|hash|cert|pem$|pfx|p12|cookie|session|signature|private|otpauth|sid$`)

// Suspicious reports whether a member name looks like it may hold a secret.
func Suspicious(name string) bool {
	n := strings.NewReplacer("_", "", "-", "", ".", "", " ", "").Replace(strings.ToLower(name))
	return suspicious.MatchString(n)
}
