package management

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"net/url"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// A replay route is derived from each row of testdata/coverage.tsv: the
// row's verb and path select the recordings it replays, and the Go method's
// signature (its parameter types, and their names in the source) says
// where each argument comes from, so a recording of any covered endpoint
// replays without test code of its own:
//
//   - the path parameters, in order, are the method's leading string
//     parameters;
//   - options (Pagination, *Offset, *Checkpoint, *FieldSelection, a
//     pointer to an XxxOptions struct) are built from the query: Offset
//     from page, per_page and include_totals, Checkpoint from from and
//     take, FieldSelection from fields and include_fields, other fields by
//     name (NameFilter from name_filter or nameFilter), a url.Values field
//     taking the parameters left;
//   - other parameters come from the query parameter (a string, bool,
//     int, time.Time or []string), else the body member, of the same name
//     (payload from {"payload": ...}, grantID from grant_id);
//   - the body parameter (a parameter named body, or one no member is
//     named like: a model, an Object, a list or map) is decoded from the
//     recorded body, or from its one member when the method sends a list
//     wrapped in an object ({"members": [...]}).
//
// Whatever the recording holds that no argument takes (a query parameter,
// a path parameter, a body member, a body the parameter cannot hold) makes
// the recording bad input: the build fails with the reason, and TestReplay
// reports it as a failure.

// replayQuirks are what the generic build cannot know, each with its
// reason, keyed by the Go method of the row.
var replayQuirks = map[string]struct {
	// ignore lists recorded query parameters the method does not send.
	ignore []string
	// wire rewrites the recorded request body into what this method
	// sends where go-auth0 (the recorder) and the Python SDK send
	// different bodies for the same request.
	wire func(recorded json.RawMessage) (json.RawMessage, error)
	// notFoundResult: the method answers a 404 with a result (its zero
	// value), not an error.
	notFoundResult bool
}{
	// 404 means "not blocked".
	"Anomaly.CheckIP": {notFoundResult: true},
	// With from/take, the offset parameters go-auth0 also sent are not:
	// the API documents the two paginations as exclusive.
	"Organizations.List": {ignore: []string{"per_page", "include_totals"}},
	// go-auth0 adds per_page and include_totals, which are not
	// parameters of the Python method (the answer is an array).
	"Blacklists.List": {ignore: []string{"per_page", "include_totals"}},
	// fields/include_fields are not parameters of the Python method.
	"ResourceServers.List": {ignore: []string{"fields", "include_fields"}},
	// One scenario adds test=value to the URL, a parameter of no method.
	"Jobs.ImportUsers": {ignore: []string{"test"}},
	// go-auth0 sends no body; the Python SDK sends {}.
	"Actions.RollbackVersion": {wire: func(json.RawMessage) (json.RawMessage, error) { return json.RawMessage(`{}`), nil }},
	// go-auth0 sends the template as a bare JSON string (the API takes
	// both); the Python SDK sends {"template": ...}.
	"Branding.UpdateUniversalLoginTemplate": {wire: func(recorded json.RawMessage) (json.RawMessage, error) {
		var text, tmpl string
		if b := bytes.TrimSpace(recorded); len(b) == 0 || b[0] != '"' {
			return recorded, nil // none, or the Python SDK's object
		}
		if err := json.Unmarshal(recorded, &text); err != nil {
			return nil, fmt.Errorf("recorded template body: %w", err)
		}
		if err := json.Unmarshal([]byte(text), &tmpl); err != nil {
			return nil, fmt.Errorf("recorded template body: %w", err)
		}
		return mustJSON(map[string]string{"template": tmpl}), nil
	}},
}

// replayRoute is the replay entry of one row of coverage.tsv.
type replayRoute struct {
	row    covRow
	segs   []string // the path's segments under /api/v2; "" at a {param}
	params []string // the Go method's parameter names, ctx first
	ignore []string
}

// replayRoutes derives the replay route of every implemented row.
func replayRoutes(t *testing.T) []*replayRoute {
	t.Helper()
	names := methodParamNames(t)
	var out []*replayRoute
	for _, row := range readCoverage(t) {
		if row.goMethod == "PENDING" {
			continue
		}
		rt := &replayRoute{row: row, ignore: replayQuirks[row.goMethod].ignore}
		for _, s := range strings.Split(strings.TrimPrefix(row.path, "/"), "/") {
			if strings.HasPrefix(s, "{") {
				s = ""
			}
			rt.segs = append(rt.segs, s)
		}
		if typ, ok := managerType(row.goMethod); ok {
			_, method, _ := strings.Cut(row.goMethod, ".")
			rt.params = names[typ+"."+method]
		}
		out = append(out, rt)
	}
	return out
}

// managerType returns the type name of the resource field of "Field.Method".
func managerType(goMethod string) (string, bool) {
	field, _, _ := strings.Cut(goMethod, ".")
	f, ok := reflect.TypeFor[Management]().FieldByName(field)
	if !ok || f.Type.Kind() != reflect.Pointer {
		return "", false
	}
	return f.Type.Elem().Name(), true
}

var (
	paramNamesOnce sync.Once
	paramNames     map[string][]string
	paramNamesErr  error
)

// methodParamNames reads the package source: "Type.Method" -> the names of
// the method's parameters.
func methodParamNames(t *testing.T) map[string][]string {
	t.Helper()
	paramNamesOnce.Do(func() {
		paramNames = map[string][]string{}
		files, err := filepath.Glob("*.go")
		if err != nil {
			paramNamesErr = err
			return
		}
		fset := token.NewFileSet()
		for _, name := range files {
			if strings.HasSuffix(name, "_test.go") {
				continue
			}
			f, err := parser.ParseFile(fset, name, nil, 0)
			if err != nil {
				paramNamesErr = err
				return
			}
			for _, d := range f.Decls {
				fd, ok := d.(*ast.FuncDecl)
				if !ok || fd.Recv == nil || len(fd.Recv.List) != 1 {
					continue
				}
				star, ok := fd.Recv.List[0].Type.(*ast.StarExpr)
				if !ok {
					continue
				}
				id, ok := star.X.(*ast.Ident)
				if !ok {
					continue
				}
				var ps []string
				for _, p := range fd.Type.Params.List {
					for _, n := range p.Names {
						ps = append(ps, n.Name)
					}
				}
				paramNames[id.Name+"."+fd.Name.Name] = ps
			}
		}
	})
	if paramNamesErr != nil {
		t.Fatal(paramNamesErr)
	}
	return paramNames
}

// match reports whether the recorded path (escaped, with /api/v2) fits the
// route, with the number of literal segments it matched and the decoded
// path parameters.
func (rt *replayRoute) match(method, recPath string) (literal int, params []string, ok bool) {
	if method != strings.TrimSuffix(rt.row.verb, "(multipart)") {
		return 0, nil, false
	}
	rest, found := strings.CutPrefix(recPath, apiPrefix+"/")
	if !found {
		return 0, nil, false
	}
	segs := strings.Split(rest, "/")
	if len(segs) != len(rt.segs) {
		return 0, nil, false
	}
	for i, s := range rt.segs {
		switch {
		case s == "":
			p, err := url.PathUnescape(segs[i])
			if err != nil || p == "" {
				return 0, nil, false
			}
			params = append(params, p)
		case s == segs[i]:
			literal++
		default:
			return 0, nil, false
		}
	}
	return literal, params, true
}

// routeFor returns the route of a recorded request: of the routes whose
// template fits its path, the one with the most literal segments
// (/branding/themes/default over /branding/themes/{theme_id}).
func routeFor(routes []*replayRoute, method, recPath string) (*replayRoute, []string, error) {
	var best *replayRoute
	var bestParams []string
	bestLit := -1
	for _, rt := range routes {
		lit, params, ok := rt.match(method, recPath)
		switch {
		case !ok:
		case lit > bestLit:
			best, bestParams, bestLit = rt, params, lit
		case lit == bestLit:
			return nil, nil, fmt.Errorf("%s %s fits both %s and %s", method, recPath, best.row.key(), rt.row.key())
		}
	}
	if best == nil {
		return nil, nil, fmt.Errorf("no method of coverage.tsv has the endpoint %s %s", method, recPath)
	}
	return best, bestParams, nil
}

// replayArgs is the state of one build: what the recording holds and what
// the arguments have taken of it.
type replayArgs struct {
	pathParams []string
	query      url.Values
	usedQuery  map[string]bool
	body       json.RawMessage // nil: none
	multipart  bool
	bodyObj    map[string]json.RawMessage // the body's members, when an object
	usedMember map[string]bool
	bodyTaken  bool
}

// normName is the name matching rule of the build: ASCII lower case
// without '_' and '-' (name_filter, nameFilter and NameFilter are one).
func normName(s string) string {
	return strings.ToLower(strings.NewReplacer("_", "", "-", "").Replace(s))
}

// takeQuery returns the values of the query parameter named like name.
func (a *replayArgs) takeQuery(name string) ([]string, bool) {
	for k, v := range a.query {
		if normName(k) == normName(name) && !a.usedQuery[k] {
			a.usedQuery[k] = true
			return v, true
		}
	}
	return nil, false
}

// takeMember returns the body member named like name.
func (a *replayArgs) takeMember(name string) (json.RawMessage, bool) {
	for k, v := range a.bodyObj {
		if normName(k) == normName(name) && !a.usedMember[k] {
			a.usedMember[k] = true
			return v, true
		}
	}
	return nil, false
}

// build returns the arguments of the route's method for a recorded
// request, or why the recording cannot be one of its calls.
func (rt *replayRoute) build(ctx context.Context, method reflect.Value, pathParams []string, q url.Values, body json.RawMessage, multipart bool) ([]reflect.Value, error) {
	mt := method.Type()
	if len(rt.params) != mt.NumIn() {
		return nil, fmt.Errorf("%s: the source names %d parameters, the method has %d", rt.row.goMethod, len(rt.params), mt.NumIn())
	}
	if w := replayQuirks[rt.row.goMethod].wire; w != nil {
		var err error
		if body, err = w(body); err != nil {
			return nil, err
		}
	}
	a := &replayArgs{pathParams: pathParams, query: q, usedQuery: map[string]bool{}, body: body, multipart: multipart, usedMember: map[string]bool{}}
	if b := bytes.TrimSpace(body); len(b) > 0 && b[0] == '{' && !multipart {
		if err := json.Unmarshal(b, &a.bodyObj); err != nil {
			return nil, fmt.Errorf("recorded body %s: %w", b, err)
		}
	}
	args := make([]reflect.Value, mt.NumIn())
	for i := range mt.NumIn() {
		v, err := a.arg(ctx, mt.In(i), rt.params[i])
		if err != nil {
			return nil, fmt.Errorf("%s parameter %s (%s): %w", rt.row.goMethod, rt.params[i], mt.In(i), err)
		}
		args[i] = v
	}
	return args, a.leftover(rt)
}

// leftover reports what the recording holds that no argument took.
func (a *replayArgs) leftover(rt *replayRoute) error {
	var errs []error
	if len(a.pathParams) > 0 {
		errs = append(errs, fmt.Errorf("path parameters %q: %s takes fewer", a.pathParams, rt.row.goMethod))
	}
	for _, k := range slices.Sorted(mapKeys(a.query)) {
		if !a.usedQuery[k] && !slices.Contains(rt.ignore, k) {
			errs = append(errs, fmt.Errorf("unknown query parameter %s=%q: %s has no such parameter", k, a.query[k], rt.row.goMethod))
		}
	}
	if !a.bodyTaken {
		if a.bodyObj != nil && len(a.usedMember) > 0 {
			for _, k := range slices.Sorted(mapKeys(a.bodyObj)) {
				if !a.usedMember[k] {
					errs = append(errs, fmt.Errorf("body member %q: %s has no such parameter", k, rt.row.goMethod))
				}
			}
		} else if !noBody(a.body) {
			errs = append(errs, fmt.Errorf("recorded body %s: %s takes no body", a.body, rt.row.goMethod))
		}
	}
	return errors.Join(errs...)
}

// noBody reports whether a recorded body is none at all: absent, null, or
// the {} some recorders write for a bodyless request.
func noBody(b json.RawMessage) bool {
	b = bytes.TrimSpace(b)
	return len(b) == 0 || string(b) == "null" || string(b) == "{}"
}

func mapKeys[M ~map[string]V, V any](m M) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

var (
	typeContext    = reflect.TypeFor[context.Context]()
	typePagination = reflect.TypeFor[Pagination]()
	typeOffset     = reflect.TypeFor[Offset]()
	typeCheckpoint = reflect.TypeFor[Checkpoint]()
	typeFields     = reflect.TypeFor[FieldSelection]()
	typeTime       = reflect.TypeFor[time.Time]()
	typeValues     = reflect.TypeFor[url.Values]()
	typeEnabled    = reflect.TypeFor[EnabledFilter]()
	typeUsersImp   = reflect.TypeFor[*UsersImport]()
)

// isOptions reports whether t is an options parameter, built from the
// query.
func isOptions(t reflect.Type) bool {
	if t == typePagination {
		return true
	}
	if t.Kind() != reflect.Pointer || t.Elem().Kind() != reflect.Struct {
		return false
	}
	e := t.Elem()
	return e == typeOffset || e == typeCheckpoint || e == typeFields || strings.HasSuffix(e.Name(), "Options")
}

// isScalar reports whether t is a parameter taken by name from the query
// or the body.
func isScalar(t reflect.Type) bool {
	switch t.Kind() {
	case reflect.String, reflect.Bool, reflect.Int:
		return true
	case reflect.Slice:
		return t.Elem().Kind() == reflect.String
	}
	return t == typeTime
}

// arg builds one argument.
func (a *replayArgs) arg(ctx context.Context, t reflect.Type, name string) (reflect.Value, error) {
	switch {
	case t == typeContext:
		return reflect.ValueOf(ctx), nil
	case t.Kind() == reflect.String && len(a.pathParams) > 0:
		v := a.pathParams[0]
		a.pathParams = a.pathParams[1:]
		return reflect.ValueOf(v).Convert(t), nil
	case t == typePagination:
		if a.query.Has("from") || a.query.Has("take") {
			c := &Checkpoint{}
			if err := a.fillStruct(reflect.ValueOf(c).Elem()); err != nil {
				return reflect.Value{}, err
			}
			return reflect.ValueOf(c).Convert(t), nil
		}
		o := &Offset{}
		if err := a.fillStruct(reflect.ValueOf(o).Elem()); err != nil {
			return reflect.Value{}, err
		}
		return reflect.ValueOf(o).Convert(t), nil
	case isOptions(t):
		v := reflect.New(t.Elem())
		if err := a.fillStruct(v.Elem()); err != nil {
			return reflect.Value{}, err
		}
		return v, nil
	case t == typeUsersImp:
		if !a.multipart {
			return reflect.Value{}, errors.New("the recorded body is not multipart")
		}
		var s string
		if err := json.Unmarshal(a.body, &s); err != nil {
			return reflect.Value{}, fmt.Errorf("recorded multipart body: %w", err)
		}
		imp, err := usersImportFromMultipart(s)
		if err != nil {
			return reflect.Value{}, err
		}
		a.bodyTaken = true
		return reflect.ValueOf(imp), nil
	case isScalar(t):
		if vs, ok := a.takeQuery(name); ok {
			return scalarFromQuery(t, vs)
		}
		fallthrough
	default:
		if name != "body" {
			if raw, ok := a.takeMember(name); ok {
				v := reflect.New(t)
				if err := strictDecode(raw, v.Interface()); err != nil {
					return reflect.Value{}, fmt.Errorf("body member %s: %w", name, err)
				}
				return v.Elem(), nil
			}
		}
		if isScalar(t) && t.Kind() != reflect.Slice {
			return reflect.Zero(t), nil // not given
		}
		return a.bodyArg(t)
	}
}

// bodyArg decodes the body parameter: the whole body, or its one member
// when the parameter is a list the method sends wrapped in an object.
func (a *replayArgs) bodyArg(t reflect.Type) (reflect.Value, error) {
	if a.bodyTaken || len(a.usedMember) > 0 {
		return reflect.Value{}, errors.New("a second body parameter")
	}
	a.bodyTaken = true
	raw := a.body
	if noBody(raw) && a.bodyObj == nil {
		return reflect.Zero(t), nil // none recorded
	}
	base := t
	for base.Kind() == reflect.Pointer {
		base = base.Elem()
	}
	if len(a.bodyObj) == 1 && base.Kind() == reflect.Slice {
		for _, v := range a.bodyObj {
			raw = v // {"members": [...]}
		}
	}
	v := reflect.New(t)
	if err := strictDecode(raw, v.Interface()); err != nil {
		return reflect.Value{}, fmt.Errorf("the recorded body does not fit %s: %w", t, err)
	}
	return v.Elem(), nil
}

// strictDecode decodes one JSON value into v refusing members no field
// takes (a model keeps them in Extra, so only a model without Extra can
// refuse one) and trailing data.
func strictDecode(raw json.RawMessage, v any) error {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if dec.More() {
		return errors.New("trailing data")
	}
	return nil
}

// scalarFromQuery converts recorded query values to a scalar parameter.
func scalarFromQuery(t reflect.Type, vs []string) (reflect.Value, error) {
	if t.Kind() == reflect.Slice {
		return reflect.ValueOf(slices.Clone(vs)).Convert(t), nil
	}
	if len(vs) != 1 {
		return reflect.Value{}, fmt.Errorf("recorded %d values %q, the parameter takes one", len(vs), vs)
	}
	s := vs[0]
	switch {
	case t == typeTime:
		d, err := time.Parse("20060102", s)
		if err != nil {
			return reflect.Value{}, fmt.Errorf("day %q: %w", s, err)
		}
		return reflect.ValueOf(d), nil
	case t.Kind() == reflect.String:
		return reflect.ValueOf(s).Convert(t), nil
	case t.Kind() == reflect.Bool:
		b, err := strconv.ParseBool(s)
		if err != nil {
			return reflect.Value{}, fmt.Errorf("%q is not a bool", s)
		}
		return reflect.ValueOf(b).Convert(t), nil
	case t.Kind() == reflect.Int:
		n, err := strconv.Atoi(s)
		if err != nil {
			return reflect.Value{}, fmt.Errorf("%q is not an integer", s)
		}
		return reflect.ValueOf(n).Convert(t), nil
	}
	return reflect.Value{}, fmt.Errorf("no query rule for %s", t)
}

// fillStruct sets the fields of an options struct from the query.
func (a *replayArgs) fillStruct(v reflect.Value) error {
	t := v.Type()
	switch t {
	case typeOffset:
		o := v.Addr().Interface().(*Offset)
		if vs, ok := a.takeQuery("page"); ok {
			n, err := strconv.Atoi(vs[0])
			if err != nil || n < 0 {
				return fmt.Errorf("page %q", vs[0])
			}
			o.Page, o.SendPage = n, true
		}
		if vs, ok := a.takeQuery("per_page"); ok {
			n, err := strconv.Atoi(vs[0])
			if err != nil || n < 0 {
				return fmt.Errorf("per_page %q", vs[0])
			}
			o.PerPage = n
		}
		if vs, ok := a.takeQuery("include_totals"); ok {
			b, err := strconv.ParseBool(vs[0])
			if err != nil {
				return fmt.Errorf("include_totals %q", vs[0])
			}
			o.IncludeTotals = Bool(b)
		}
		return nil
	case typeCheckpoint:
		c := v.Addr().Interface().(*Checkpoint)
		if vs, ok := a.takeQuery("from"); ok {
			c.From = vs[0]
		}
		if vs, ok := a.takeQuery("take"); ok {
			n, err := strconv.Atoi(vs[0])
			if err != nil || n < 0 {
				return fmt.Errorf("take %q", vs[0])
			}
			c.Take = n
		}
		return nil
	case typeFields:
		f := v.Addr().Interface().(*FieldSelection)
		if vs, ok := a.takeQuery("fields"); ok {
			f.Fields = strings.Split(vs[0], ",")
		}
		if vs, ok := a.takeQuery("include_fields"); ok {
			b, err := strconv.ParseBool(vs[0])
			if err != nil {
				return fmt.Errorf("include_fields %q", vs[0])
			}
			f.IncludeFields = Bool(b)
		}
		return nil
	}
	var rest reflect.Value // a url.Values field takes what is left
	for i := range t.NumField() {
		f := t.Field(i)
		fv := v.Field(i)
		switch {
		case !f.IsExported():
		case f.Anonymous:
			if err := a.fillStruct(fv); err != nil {
				return err
			}
		case f.Type == typeValues:
			rest = fv
		case f.Type == typeEnabled:
			fv.Set(reflect.ValueOf(EnabledOrDisabled))
			if vs, ok := a.takeQuery(f.Name); ok {
				switch vs[0] {
				case "true":
					fv.Set(reflect.ValueOf(EnabledOnly))
				case "false":
					fv.Set(reflect.ValueOf(DisabledOnly))
				default:
					return fmt.Errorf("enabled %q", vs[0])
				}
			}
		case f.Type.Kind() == reflect.Pointer && f.Type.Elem().Kind() == reflect.Bool:
			if vs, ok := a.takeQuery(f.Name); ok {
				b, err := strconv.ParseBool(vs[0])
				if err != nil {
					return fmt.Errorf("%s %q", f.Name, vs[0])
				}
				fv.Set(reflect.ValueOf(Bool(b)))
			}
		case isScalar(f.Type):
			if vs, ok := a.takeQuery(f.Name); ok {
				x, err := scalarFromQuery(f.Type, vs)
				if err != nil {
					return fmt.Errorf("%s: %w", f.Name, err)
				}
				fv.Set(x)
			}
		default:
			return fmt.Errorf("no query rule for the field %s %s of %s", f.Name, f.Type, t)
		}
	}
	if rest.IsValid() {
		extra := url.Values{}
		for k, vs := range a.query {
			if !a.usedQuery[k] {
				a.usedQuery[k] = true
				extra[k] = slices.Clone(vs)
			}
		}
		if len(extra) > 0 {
			rest.Set(reflect.ValueOf(extra))
		}
	}
	return nil
}

// sampleCall calls the method of goMethod with sampleArgs, for the rows
// that have no entry in routes.
func sampleCall(goMethod string) func(ctx context.Context, m *Management) error {
	return func(ctx context.Context, m *Management) error {
		method, ok := lookupMethod(m, goMethod)
		if !ok {
			return fmt.Errorf("no method %s", goMethod)
		}
		outs := method.Call(sampleArgs(ctx, method.Type()))
		err, _ := outs[len(outs)-1].Interface().(error)
		return err
	}
}

// sampleArgs are arguments for a route test: distinct path parameters
// ("p1", "p2", ...), an empty object or model as the body, one element in
// a list body, nil options.
func sampleArgs(ctx context.Context, mt reflect.Type) []reflect.Value {
	args := make([]reflect.Value, mt.NumIn())
	n := 0
	for i := range mt.NumIn() {
		t := mt.In(i)
		switch {
		case t == typeContext:
			args[i] = reflect.ValueOf(ctx)
		case t.Kind() == reflect.String:
			n++
			args[i] = reflect.ValueOf(fmt.Sprintf("p%d", n)).Convert(t)
		case isOptions(t):
			args[i] = reflect.Zero(t)
		case t == typeUsersImp:
			args[i] = reflect.ValueOf(&UsersImport{ConnectionID: "c1", Users: []byte(`[]`)})
		case t.Kind() == reflect.Pointer:
			args[i] = reflect.New(t.Elem())
		case t.Kind() == reflect.Map:
			args[i] = reflect.MakeMap(t)
			if t.Elem().Kind() == reflect.String {
				args[i].SetMapIndex(reflect.ValueOf("k").Convert(t.Key()), reflect.ValueOf("v").Convert(t.Elem()))
			}
		case t.Kind() == reflect.Slice:
			e := reflect.New(t.Elem()).Elem()
			switch {
			case t.Elem().Kind() == reflect.String:
				e.SetString("x")
			case t.Elem().Kind() == reflect.Pointer:
				e = reflect.New(t.Elem().Elem())
			case t.Elem().Kind() == reflect.Map:
				e = reflect.MakeMap(t.Elem())
			}
			args[i] = reflect.Append(reflect.MakeSlice(t, 0, 1), e)
		default:
			args[i] = reflect.Zero(t)
		}
	}
	return args
}
