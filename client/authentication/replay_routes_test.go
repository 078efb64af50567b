package authentication

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/tokengate/tokengate/client"
	"github.com/tokengate/tokengate/verifier"
)

// A replay route is derived from each row of testdata/methods.tsv, the
// table of the methods that send a request: the row's verb, path and match
// conditions select the recordings it replays, and the Go method's
// signature says where each argument comes from:
//
//   - a parameter or request field named in the bearer column is the
//     Authorization bearer, which recordings do not keep (recordedBearer
//     is sent, and checked);
//   - the path parameters, in order, are the leading string parameters
//     ({client_id} is the Config's client ID);
//   - other parameters, and the fields of a request struct, come from the
//     body field of the same name (MFAToken from mfa_token), or the one the
//     aliases column names; a url.Values Extra field takes the fields left;
//   - client_id, the client authentication fields and the fields of the
//     match column are the client's.
//
// A recorded field that no argument takes, or a value the argument cannot
// hold, makes the recording bad input: the build fails with the reason and
// TestReplay reports it.

// recordedBearer is the bearer token sent where a recording needs one.
const recordedBearer = "recorded-bearer"

// authRoute is a row of testdata/methods.tsv.
type authRoute struct {
	goMethod, verb, path string
	match                []string // grant_type=a|b, +present, -absent
	clientAuth           bool     // the method sends client authentication
	bearer               string   // parameter or field sent as the bearer
	aliases              map[string]string
	source               string
	params               []string // the Go method's parameter names
}

func readAuthRoutes(t *testing.T) []*authRoute {
	t.Helper()
	b, err := os.ReadFile("testdata/methods.tsv")
	if err != nil {
		t.Fatal(err)
	}
	names := clientParamNames(t)
	var out []*authRoute
	for i, line := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		if i == 0 {
			continue
		}
		c := strings.Split(line, "\t")
		if len(c) != 8 {
			t.Fatalf("methods.tsv line %d: %d columns, want 8", i+1, len(c))
		}
		rt := &authRoute{goMethod: c[0], verb: c[1], path: c[2], clientAuth: c[4] == "yes", source: c[7], aliases: map[string]string{}, params: names[c[0]]}
		if c[3] != "-" {
			rt.match = strings.Fields(c[3])
		}
		if c[5] != "-" {
			rt.bearer = c[5]
		}
		if c[6] != "-" {
			for _, a := range strings.Split(c[6], ",") {
				k, v, _ := strings.Cut(a, "=")
				rt.aliases[k] = v
			}
		}
		if c[4] != "yes" && c[4] != "no" {
			t.Fatalf("methods.tsv line %d: client_auth %q, want yes or no", i+1, c[4])
		}
		out = append(out, rt)
	}
	return out
}

// clientParamNames reads the package source: method of *Client -> its
// parameter names.
func clientParamNames(t *testing.T) map[string][]string {
	t.Helper()
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]string{}
	fset := token.NewFileSet()
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range f.Decls {
			fd, ok := d.(*ast.FuncDecl)
			if !ok || fd.Recv == nil || len(fd.Recv.List) != 1 {
				continue
			}
			if star, ok := fd.Recv.List[0].Type.(*ast.StarExpr); !ok || fmt.Sprint(star.X) != "Client" {
				continue
			}
			var ps []string
			for _, p := range fd.Type.Params.List {
				for _, n := range p.Names {
					ps = append(ps, n.Name)
				}
			}
			out[fd.Name.Name] = ps
		}
	}
	return out
}

// fields returns the recorded body fields: a form field's values as
// []string, a JSON member's value as decoded.
func (r *record) fields() map[string]any {
	out := map[string]any{}
	for k, v := range r.formBody {
		var vs []string
		for _, s := range v.([]any) {
			vs = append(vs, s.(string))
		}
		out[k] = vs
	}
	for k, v := range r.jsonBody {
		out[k] = v
	}
	return out
}

// matches reports whether a recorded request is one of the route's, and
// the path parameters.
func (rt *authRoute) matches(rec *record) ([]string, bool) {
	if rec.Method != rt.verb {
		return nil, false
	}
	ts, ps := strings.Split(rt.path, "/"), strings.Split(rec.Path, "/")
	if len(ts) != len(ps) {
		return nil, false
	}
	var params []string
	for i, s := range ts {
		if strings.HasPrefix(s, "{") {
			p, err := url.PathUnescape(ps[i])
			if err != nil || p == "" {
				return nil, false
			}
			params = append(params, p)
		} else if s != ps[i] {
			return nil, false
		}
	}
	for _, m := range rt.match {
		switch {
		case strings.HasPrefix(m, "+"):
			if rec.field(m[1:]) == "" {
				return nil, false
			}
		case strings.HasPrefix(m, "-"):
			if rec.field(m[1:]) != "" {
				return nil, false
			}
		default:
			k, vs, _ := strings.Cut(m, "=")
			if !slices.Contains(strings.Split(vs, "|"), rec.field(k)) {
				return nil, false
			}
		}
	}
	return params, true
}

// authRouteFor returns the one route of a recorded request.
func authRouteFor(routes []*authRoute, rec *record) (*authRoute, []string, error) {
	var found *authRoute
	var params []string
	for _, rt := range routes {
		if p, ok := rt.matches(rec); ok {
			if found != nil {
				return nil, nil, fmt.Errorf("%s %s fits both %s and %s", rec.Method, rec.Path, found.goMethod, rt.goMethod)
			}
			found, params = rt, p
		}
	}
	if found == nil {
		return nil, nil, fmt.Errorf("no method of methods.tsv has the request %s %s (grant_type %q)", rec.Method, rec.Path, rec.field("grant_type"))
	}
	return found, params, nil
}

// clientFields are the fields the client sends itself.
var clientFields = []string{"client_id", "client_secret", "client_assertion", "client_assertion_type"}

// authArgs is the state of one build.
type authArgs struct {
	rt         *authRoute
	pathParams []string
	fields     map[string]any
	used       map[string]bool
}

// take returns the recorded field named like name (or its alias).
func (a *authArgs) take(name string) (any, bool) {
	if alias, ok := a.rt.aliases[name]; ok {
		name = alias
	}
	norm := func(s string) string { return strings.ToLower(strings.NewReplacer("_", "", "-", "").Replace(s)) }
	for k, v := range a.fields {
		if norm(k) == norm(name) && !a.used[k] {
			a.used[k] = true
			return v, true
		}
	}
	return nil, false
}

// build returns the arguments of the route's method for a recorded
// request (the variadic ID-token checks left empty).
func (rt *authRoute) build(ctx context.Context, mt reflect.Type, pathParams []string, rec *record) ([]reflect.Value, error) {
	n := mt.NumIn()
	if mt.IsVariadic() {
		n--
	}
	if len(rt.params) != mt.NumIn() {
		return nil, fmt.Errorf("%s: the source names %d parameters, the method has %d", rt.goMethod, len(rt.params), mt.NumIn())
	}
	a := &authArgs{rt: rt, pathParams: pathParams, fields: rec.fields(), used: map[string]bool{}}
	for _, k := range clientFields {
		a.used[k] = true
	}
	if strings.Contains(rt.path, "{client_id}") {
		a.pathParams = nil // the Config's client ID
	}
	args := make([]reflect.Value, n)
	for i := range n {
		t, name := mt.In(i), rt.params[i]
		switch {
		case t == reflect.TypeFor[context.Context]():
			args[i] = reflect.ValueOf(ctx)
		case name == rt.bearer:
			args[i] = reflect.ValueOf(recordedBearer)
		case t.Kind() == reflect.String && len(a.pathParams) > 0:
			args[i] = reflect.ValueOf(a.pathParams[0])
			a.pathParams = a.pathParams[1:]
		case t.Kind() == reflect.Struct:
			v := reflect.New(t).Elem()
			if err := a.fillRequest(v); err != nil {
				return nil, fmt.Errorf("%s: %w", rt.goMethod, err)
			}
			args[i] = v
		default:
			v := reflect.New(t).Elem()
			if raw, ok := a.take(name); ok {
				if err := setFromField(v, raw); err != nil {
					return nil, fmt.Errorf("%s parameter %s: %w", rt.goMethod, name, err)
				}
			}
			args[i] = v
		}
	}
	// The fields of the match conditions are the method's own.
	for _, m := range rt.match {
		if k, _, ok := strings.Cut(m, "="); ok && !strings.HasPrefix(m, "+") && !strings.HasPrefix(m, "-") {
			a.used[k] = true
		}
	}
	var errs []error
	if len(a.pathParams) > 0 {
		errs = append(errs, fmt.Errorf("path parameters %q: %s takes fewer", a.pathParams, rt.goMethod))
	}
	for _, k := range slices.Sorted(func(yield func(string) bool) {
		for k := range a.fields {
			if !yield(k) {
				return
			}
		}
	}) {
		if !a.used[k] {
			errs = append(errs, fmt.Errorf("body field %q: %s has no such parameter", k, rt.goMethod))
		}
	}
	return args, errors.Join(errs...)
}

// fillRequest sets the fields of a request struct from the recorded body.
func (a *authArgs) fillRequest(v reflect.Value) error {
	var extra reflect.Value
	for i := range v.NumField() {
		f := v.Type().Field(i)
		fv := v.Field(i)
		switch {
		case !f.IsExported():
		case f.Type == reflect.TypeFor[[]verifier.Option]():
		case f.Name == a.rt.bearer:
			fv.SetString(recordedBearer)
		case f.Type == reflect.TypeFor[url.Values]():
			extra = fv
		default:
			if raw, ok := a.take(f.Name); ok {
				if err := setFromField(fv, raw); err != nil {
					return fmt.Errorf("field %s: %w", f.Name, err)
				}
			}
		}
	}
	if extra.IsValid() {
		// The match fields (grant_type) are the method's, not extra.
		for _, m := range a.rt.match {
			if k, _, ok := strings.Cut(m, "="); ok {
				a.used[k] = true
			}
		}
		vals := url.Values{}
		for k, raw := range a.fields {
			if a.used[k] {
				continue
			}
			a.used[k] = true
			switch x := raw.(type) {
			case []string:
				vals[k] = x
			case string:
				vals.Set(k, x)
			default:
				return fmt.Errorf("extra field %q: %v is not a string", k, raw)
			}
		}
		if len(vals) > 0 {
			extra.Set(reflect.ValueOf(vals))
		}
	}
	return nil
}

// setFromField sets v from a recorded field: form values ([]string) or a
// decoded JSON value.
func setFromField(v reflect.Value, raw any) error {
	if vs, ok := raw.([]string); ok {
		switch {
		case v.Kind() == reflect.Slice && v.Type().Elem().Kind() == reflect.String:
			v.Set(reflect.ValueOf(vs))
			return nil
		case len(vs) != 1:
			return fmt.Errorf("%d values %q, the field takes one", len(vs), vs)
		case v.Kind() == reflect.String:
			v.SetString(vs[0])
			return nil
		case v.Kind() == reflect.Int:
			n, err := strconv.Atoi(vs[0])
			if err != nil {
				return fmt.Errorf("%q is not an integer", vs[0])
			}
			v.SetInt(int64(n))
			return nil
		case v.Type() == reflect.TypeFor[json.RawMessage]():
			v.SetBytes([]byte(vs[0]))
			return nil
		}
		return fmt.Errorf("a form value for a %s", v.Type())
	}
	b, err := json.Marshal(raw)
	if err != nil {
		return err
	}
	if v.Type() == reflect.TypeFor[json.RawMessage]() {
		v.SetBytes(b)
		return nil
	}
	if err := json.Unmarshal(b, v.Addr().Interface()); err != nil {
		return fmt.Errorf("%s does not fit %s: %w", b, v.Type(), err)
	}
	return nil
}

// authReplay replays one recording through the method of its route, on a
// server that checks the request (replayHandler). A recording that cannot
// be replayed is an error.
func authReplay(t *testing.T, routes []*authRoute, rec *record) (*authRoute, error) {
	t.Helper()
	route, params, err := authRouteFor(routes, rec)
	if err != nil {
		return nil, err
	}
	method := reflect.ValueOf((*Client)(nil)).MethodByName(route.goMethod)
	if !method.IsValid() {
		return route, fmt.Errorf("no method %s", route.goMethod)
	}
	args, err := route.build(context.Background(), method.Type(), params, rec)
	if err != nil {
		return route, fmt.Errorf("%s %s cannot be a call of %s: %w", rec.Method, rec.Path, route.goMethod, err)
	}
	srv := httptest.NewServer(replayHandler(t, rec, route))
	defer srv.Close()
	cfg := Config{ClientID: rec.field("client_id"), HTTP: client.Config{MaxRetries: client.NoRetries}}
	if strings.Contains(route.path, "{client_id}") {
		cfg.ClientID = params[0]
	}
	if s := rec.field("client_secret"); s != "" {
		cfg.ClientSecret = s
	} else if !route.clientAuth {
		cfg.ClientSecret = "must-not-be-sent" // the method must send no client authentication
	}
	if rec.field("client_assertion") != "" {
		cfg.ClientAssertionKey, cfg.ClientAssertionAlg = testRSAKey(t), "RS256"
	}
	if cfg.ClientID == "" {
		cfg.ClientID = "test-client_id"
	}
	c, err := New(srv.URL, cfg)
	if err != nil {
		return route, fmt.Errorf("New: %w", err)
	}
	outs := reflect.ValueOf(c).MethodByName(route.goMethod).Call(args)
	err, _ = outs[len(outs)-1].Interface().(error)
	var got any
	if len(outs) == 2 {
		got = outs[0].Interface()
	}
	if rec.Status >= 400 {
		checkRecordedError(t, rec, err)
		return route, nil
	}
	if err != nil {
		return route, fmt.Errorf("%s: %w", route.goMethod, err)
	}
	checkDecoded(t, rec, got)
	return route, nil
}

// TestReplay replays every recorded Authentication API call through the
// method of its route (testdata/methods.tsv), on a server that checks the
// method, path, content type, bearer and every body field, then checks
// that the method decodes the recorded answer (or turns a recorded error
// into a *client.Error). A recording no route takes, or that cannot be
// built into a call, fails. With $TOKENGATE_RECORDINGS the same checks run
// on that file.
func TestReplay(t *testing.T) {
	records, custom := loadRecords(t)
	if !custom && len(records) != 45 {
		t.Fatalf("records: got %d, want 45", len(records))
	}
	routes := readAuthRoutes(t)
	methods := map[string]int{}
	failed := 0
	for _, rec := range records {
		t.Run(strings.TrimPrefix(rec.ID, "authentication/"), func(t *testing.T) {
			route, err := authReplay(t, routes, rec)
			if err != nil {
				failed++
				t.Fatal(err)
			}
			methods[route.goMethod]++
		})
	}
	t.Logf("replayed %d of %d recordings through %d methods", len(records)-failed, len(records), len(methods))
}

// TestReplayRouteEveryMethod: every method of the Client that sends a
// request (a method taking a context) has a row in testdata/methods.tsv,
// every row names such a method, and a synthetic recording of each row
// builds into a call that sends the row's verb and path.
func TestReplayRouteEveryMethod(t *testing.T) {
	routes := readAuthRoutes(t)
	byName := map[string]*authRoute{}
	for _, rt := range routes {
		if byName[rt.goMethod] != nil {
			t.Errorf("methods.tsv lists %s twice", rt.goMethod)
		}
		byName[rt.goMethod] = rt
	}
	ct := reflect.TypeFor[*Client]()
	sending := 0
	for i := range ct.NumMethod() {
		m := ct.Method(i)
		if m.Type.NumIn() < 2 || m.Type.In(1) != reflect.TypeFor[context.Context]() {
			continue // no request (AuthorizeURL, LogoutURL, String, ...)
		}
		sending++
		if byName[m.Name] == nil {
			t.Errorf("%s sends a request but has no replay route (no row in testdata/methods.tsv)", m.Name)
		}
	}
	if len(routes) != sending {
		t.Errorf("methods.tsv has %d rows, the Client %d methods that send a request", len(routes), sending)
	}
	for _, rt := range routes {
		t.Run(rt.goMethod, func(t *testing.T) {
			m, ok := ct.MethodByName(rt.goMethod)
			if !ok {
				t.Fatalf("no method %s", rt.goMethod)
			}
			rec := syntheticRecord(rt, m.Type)
			back, params, err := authRouteFor(routes, rec)
			if err != nil || back != rt {
				t.Fatalf("the synthetic %s %s routes to %v (%v)", rec.Method, rec.Path, back, err)
			}
			var sent *http.Request
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				sent = r
				w.Header().Set("Content-Type", "application/json")
				w.Write([]byte(`{"access_token":"a","token_type":"Bearer"}`))
			}))
			defer srv.Close()
			c, err := New(srv.URL, Config{ClientID: "cid", ClientSecret: "s"})
			if err != nil {
				t.Fatal(err)
			}
			mt := reflect.ValueOf(c).MethodByName(rt.goMethod).Type()
			args, err := rt.build(context.Background(), mt, params, rec)
			if err != nil {
				t.Fatalf("no replay route: %v", err)
			}
			reflect.ValueOf(c).MethodByName(rt.goMethod).Call(args)
			if sent == nil {
				t.Fatal("no request sent")
			}
			if want := strings.ReplaceAll(rt.path, "{authenticator_id}", "p1"); sent.Method != rt.verb || sent.URL.EscapedPath() != strings.ReplaceAll(want, "{client_id}", "cid") {
				t.Errorf("sent %s %s, want %s %s", sent.Method, sent.URL.EscapedPath(), rt.verb, rt.path)
			}
		})
	}
}

// syntheticRecord is a request of the route as a recorder would write it:
// the fields its match conditions name, "x" for every other string
// parameter or request field, a path parameter "p1".
func syntheticRecord(rt *authRoute, mt reflect.Type) *record {
	rec := &record{ID: "synthetic " + rt.goMethod, Method: rt.verb, Path: strings.ReplaceAll(strings.ReplaceAll(rt.path, "{authenticator_id}", "p1"), "{client_id}", "cid"), jsonBody: map[string]any{}}
	for _, m := range rt.match {
		k, v, ok := strings.Cut(m, "=")
		switch {
		case strings.HasPrefix(m, "+"):
			rec.jsonBody[m[1:]] = "x"
		case ok:
			rec.jsonBody[k] = strings.Split(v, "|")[0]
		}
	}
	set := func(name string, t reflect.Type) {
		if name == rt.bearer {
			return
		}
		key := strings.ToLower(name)
		if alias, ok := rt.aliases[name]; ok {
			key = alias
		}
		for k := range rec.jsonBody {
			if strings.ReplaceAll(k, "_", "") == key {
				return // set by a match condition
			}
		}
		switch t.Kind() {
		case reflect.String:
			rec.jsonBody[key] = "x"
		case reflect.Slice:
			if t.Elem().Kind() == reflect.String {
				rec.jsonBody[key] = []any{"x"}
			}
		}
	}
	strs := strings.Count(rt.path, "{") - strings.Count(rt.path, "{client_id}")
	for i := 1; i < mt.NumIn(); i++ {
		t, name := mt.In(i), rt.params[i-1]
		switch {
		case t.Kind() == reflect.String && name != rt.bearer && strs > 0:
			strs--
		case t.Kind() == reflect.Struct:
			for j := range t.NumField() {
				if f := t.Field(j); f.IsExported() && f.Name != "GrantType" {
					set(f.Name, f.Type)
				}
			}
		default:
			set(name, t)
		}
	}
	// A request that needs one of two fields, or a choice of values.
	switch rt.goMethod {
	case "Delegation":
		delete(rec.jsonBody, "refreshtoken")
		rec.jsonBody["grant_type"] = "urn:ietf:params:oauth:grant-type:jwt-bearer"
	case "PasswordlessEmail":
		rec.jsonBody["send"] = "code"
	case "BackChannelLogin":
		rec.jsonBody["scope"] = "openid"
	}
	return rec
}

// TestReplayBadInput: a recording that cannot be built into a call of its
// route's method is a failure with the reason, never a skip.
func TestReplayBadInput(t *testing.T) {
	routes := readAuthRoutes(t)
	form := "application/x-www-form-urlencoded"
	for _, tc := range []struct {
		name, method, path string
		contentType        *string
		body               string
		want               string
	}{
		{name: "field the request has no member for", method: "POST", path: "/dbconnections/signup",
			body: `{"client_id":"c","email":"a@example.com","password":"p","connection":"db","plan":"pro"}`,
			want: `body field "plan": Signup has no such parameter`},
		{name: "field of the wrong type", method: "POST", path: "/mfa/associate",
			body: `{"client_id":"c","authenticator_types":"otp"}`, want: "does not fit []string"},
		{name: "field without a parameter", method: "POST", path: "/oauth/revoke",
			body: `{"client_id":"c","token":"t","token_type_hint":"refresh_token"}`,
			want: `body field "token_type_hint": RevokeRefreshToken has no such parameter`},
		{name: "grant no method sends", method: "POST", path: "/oauth/token", contentType: &form,
			body: `{"client_id":["c"],"grant_type":["urn:ietf:params:oauth:grant-type:device_code"],"device_code":["d"]}`,
			want: `no method of methods.tsv has the request POST /oauth/token (grant_type "urn:ietf:params:oauth:grant-type:device_code")`},
		{name: "endpoint no method has", method: "POST", path: "/oauth/device/code",
			body: `{"client_id":"c"}`, want: "no method of methods.tsv has the request POST /oauth/device/code"},
		{name: "two values for one", method: "POST", path: "/oauth/token", contentType: &form,
			body: `{"client_id":["c"],"grant_type":["refresh_token"],"refresh_token":["a","b"]}`,
			want: `2 values ["a" "b"], the field takes one`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := &record{ID: tc.name, Method: tc.method, Path: tc.path, ContentType: tc.contentType, RequestBody: json.RawMessage(tc.body), Status: 200, ResponseBody: json.RawMessage(`{}`)}
			if err := rec.parseBody(); err != nil {
				t.Fatal(err)
			}
			_, err := authReplay(t, routes, rec)
			if err == nil {
				t.Fatal("got no error, want a failure")
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("got %q, want it to say %q", err, tc.want)
			}
		})
	}
}
