package management

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"sync"
	"testing"
)

// syntheticRecording is a request of the route's endpoint as a recorder
// would write it: distinct path parameters, the method's other scalar
// parameters in the query, an empty body of the body parameter's kind.
func syntheticRecording(rt *replayRoute, mt reflect.Type) *recording {
	rec := &recording{ID: "synthetic " + rt.row.key(), Method: strings.TrimSuffix(rt.row.verb, "(multipart)"), Query: url.Values{}, Status: http.StatusOK}
	p := apiPrefix
	for i, s := range rt.segs {
		if s == "" {
			s = fmt.Sprintf("p%d", i)
		}
		p += "/" + s
	}
	rec.Path = p
	holes := strings.Count(rt.row.path, "{")
	strs := 0
	for i := range mt.NumIn() {
		t := mt.In(i)
		name := rt.params[i]
		switch {
		case t == typeContext || isOptions(t):
		case t.Kind() == reflect.String && strs < holes:
			strs++
		case t == typeUsersImp:
			ct := "multipart/form-data; boundary=b"
			rec.ContentType = &ct
			rec.RequestBody = mustJSON("--b\r\nContent-Disposition: form-data; name=\"connection_id\"\r\n\r\nc1\r\n" +
				"--b\r\nContent-Disposition: form-data; name=\"users\"; filename=\"users.json\"\r\n\r\n[]\r\n--b--\r\n")
		case t == typeTime:
			rec.Query.Set(name, "20240101")
		case t.Kind() == reflect.Bool:
			rec.Query.Set(name, "true")
		case t.Kind() == reflect.String:
			rec.Query.Set(name, "x")
		case t.Kind() == reflect.Slice:
			rec.RequestBody = json.RawMessage(`[]`)
		default:
			rec.RequestBody = json.RawMessage(`{}`)
		}
	}
	return rec
}

// TestReplayRouteEveryMethod: every method of testdata/coverage.tsv has a
// replay route. For each row, a synthetic recording of its endpoint must
// route back to the row, build into a call of its Go method, and send the
// row's verb and path; a method whose parameters the build cannot source
// (or whose row names no method) fails here.
func TestReplayRouteEveryMethod(t *testing.T) {
	var mu sync.Mutex
	var got *sentRequest
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		got = &sentRequest{r.Method, r.URL.EscapedPath(), r.Header.Get("Content-Type"), r.URL.Query(), b}
		mu.Unlock()
		io.WriteString(w, `{}`)
	})
	m := newTestManagement(t, srv, Config{})
	routes := replayRoutes(t)
	implemented := 0
	for _, c := range readCoverage(t) {
		if c.goMethod != "PENDING" {
			implemented++
		}
	}
	if len(routes) != implemented {
		t.Errorf("%d replay routes for %d methods", len(routes), implemented)
	}
	for _, rt := range routes {
		t.Run(rt.row.key(), func(t *testing.T) {
			method, ok := lookupMethod(m, rt.row.goMethod)
			if !ok {
				t.Fatalf("no replay route: no method %s", rt.row.goMethod)
			}
			if len(rt.params) != method.Type().NumIn() {
				t.Fatalf("no replay route: the source names %d parameters of %s, which has %d", len(rt.params), rt.row.goMethod, method.Type().NumIn())
			}
			rec := syntheticRecording(rt, method.Type())
			back, params, err := routeFor(routes, rec.Method, rec.Path)
			if err != nil || back != rt {
				t.Fatalf("%s %s routes to %v (%v), want %s", rec.Method, rec.Path, back, err, rt.row.key())
			}
			args, err := rt.build(context.Background(), method, params, rec.Query, rec.RequestBody, rec.multipart())
			if err != nil {
				t.Fatalf("no replay route: %v", err)
			}
			mu.Lock()
			got = nil
			mu.Unlock()
			outs := method.Call(args)
			mu.Lock()
			sent := got
			mu.Unlock()
			if sent == nil {
				t.Fatalf("no request sent (%v)", outs[len(outs)-1])
			}
			if sent.method != rec.Method || sent.path != rec.Path {
				t.Errorf("sent %s %s, want %s %s", sent.method, sent.path, rec.Method, rec.Path)
			}
		})
	}
}

// TestReplayBadInput: a recording that cannot be built into a call of its
// endpoint's method is a failure with the reason, never a skip.
func TestReplayBadInput(t *testing.T) {
	routes := replayRoutes(t)
	m, play := newReplay(t)
	multipartCT := "multipart/form-data; boundary=b"
	for _, tc := range []struct {
		name, method, path, query, body string
		contentType                     *string
		want                            string
	}{
		{name: "unknown query parameter", method: "GET", path: "/api/v2/roles", query: "bogus=1",
			want: `unknown query parameter bogus=["1"]: Roles.List has no such parameter`},
		{name: "unknown parameter of a method without options", method: "GET", path: "/api/v2/roles/r1", query: "fields=name",
			want: `unknown query parameter fields=["name"]: Roles.Get has no such parameter`},
		{name: "page not a number", method: "GET", path: "/api/v2/roles", query: "page=first",
			want: `page "first"`},
		{name: "negative per_page", method: "GET", path: "/api/v2/users/u1/roles", query: "per_page=-1",
			want: `per_page "-1"`},
		{name: "bool not a bool", method: "DELETE", path: "/api/v2/actions/actions/a1", query: "force=maybe",
			want: `"maybe" is not a bool`},
		{name: "body the model cannot hold", method: "POST", path: "/api/v2/roles", body: `[1,2]`,
			want: "the recorded body does not fit *management.Role"},
		{name: "list body of the wrong type", method: "POST", path: "/api/v2/users/u1/roles", body: `{"roles":[1]}`,
			want: "the recorded body does not fit []string"},
		{name: "body member without a parameter", method: "POST", path: "/api/v2/blacklists/tokens", body: `{"jti":"j","aud":"a","exp":1}`,
			want: `body member "exp": Blacklists.Create has no such parameter`},
		{name: "body to a method that takes none", method: "DELETE", path: "/api/v2/roles/r1", body: `{"cascade":true}`,
			want: `recorded body {"cascade":true}: Roles.Delete takes no body`},
		{name: "body member of the wrong type", method: "PUT", path: "/api/v2/rules-configs/k", body: `{"value":1}`,
			want: "body member value"},
		{name: "multipart field the import does not have", method: "POST", path: "/api/v2/jobs/users-imports", contentType: &multipartCT,
			body: string(mustJSON("--b\r\nContent-Disposition: form-data; name=\"connection_id\"\r\n\r\nc1\r\n--b\r\nContent-Disposition: form-data; name=\"dry_run\"\r\n\r\ntrue\r\n--b--\r\n")),
			want: `multipart field "dry_run"`},
		{name: "endpoint no method has", method: "GET", path: "/api/v2/no-such-resource",
			want: "no method of coverage.tsv has the endpoint GET /api/v2/no-such-resource"},
		{name: "verb no method has", method: "PUT", path: "/api/v2/roles/r1",
			want: "no method of coverage.tsv has the endpoint PUT /api/v2/roles/r1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			q, err := url.ParseQuery(tc.query)
			if err != nil {
				t.Fatal(err)
			}
			rec := &recording{ID: tc.name, Method: tc.method, Path: tc.path, Query: q, ContentType: tc.contentType, Status: 200, ResponseBody: json.RawMessage(`{}`)}
			if tc.body != "" {
				rec.RequestBody = json.RawMessage(tc.body)
			}
			_, out, err := replay(t, m, play, routes, rec)
			if err == nil || out != replayFailed {
				t.Fatalf("got outcome %d, error %v; want a failure", out, err)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("got %q, want it to say %q", err, tc.want)
			}
		})
	}
}
