package rest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"github.com/tokengate/tokengate/client"
	"html"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"
)

// x22Value is a secret value with every character that some escaping
// rewrites: HTML (<>&"'), JSON (" and, HTML-safe, <>&), form (space, +),
// path (/, space) and non-ASCII.
func x22Value(tag string) string { return "Zk9<s&e>\"c'r e+t/é-" + tag }

// escapings are the forms in which a server may echo a value: as it is,
// JSON-escaped (HTML-safe or not, with or without \/), HTML-escaped (both
// common entity sets), form- or path-escaped (and with lower-case hex),
// and HTML inside JSON. The test computes them on its own, not with the
// code under test.
func escapings(v string) []string {
	jsonHTML := func(s string) string { b, _ := json.Marshal(s); return string(b[1 : len(b)-1]) }
	jsonPlain := func(s string) string {
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		enc.SetEscapeHTML(false)
		enc.Encode(s)
		return strings.TrimSuffix(strings.TrimSuffix(buf.String(), "\n"), `"`)[1:]
	}
	htmlAlt := strings.NewReplacer(`&`, "&amp;", `<`, "&lt;", `>`, "&gt;", `"`, "&quot;", `'`, "&#x27;").Replace(v)
	lower := func(s string) string { return testHex.ReplaceAllStringFunc(s, strings.ToLower) }
	forms := []string{
		v,
		jsonHTML(v), jsonPlain(v), strings.ReplaceAll(jsonPlain(v), "/", `\/`),
		html.EscapeString(v), htmlAlt,
		url.QueryEscape(v), url.PathEscape(v), lower(url.QueryEscape(v)), lower(url.PathEscape(v)),
		strings.ReplaceAll(url.QueryEscape(v), "+", "%20"),
		jsonHTML(html.EscapeString(v)), jsonHTML(htmlAlt),
	}
	return forms
}

var testHex = regexp.MustCompile(`%[0-9A-F]{2}`)

// leakForms caches the forms leaked looks for, per value.
var leakForms sync.Map // string -> []string

// leaked returns the first escaping of v, or escaping of an escaping (an
// echo inside a JSON body that is shown as JSON), found in dump, or "".
func leaked(dump, v string) string {
	forms, ok := leakForms.Load(v)
	if !ok {
		var all []string
		for _, f := range escapings(v) {
			all = append(all, escapings(f)...)
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

// x22Case sends one request whose secrets are secrets and gets an answer
// that echoes them in every escaping, plus secrets of its own.
type x22Case struct {
	name     string
	req      func() *Request
	secrets  []string          // request values that must never show
	response map[string]string // secret members of the answer (name: value)
	visible  string            // a non-secret value that must still show
}

func x22Cases() []x22Case {
	jsonCase := func(name string, body any, secrets ...string) x22Case {
		return x22Case{name: "JSON " + name, secrets: secrets, visible: "visible-probe",
			req: func() *Request {
				return &Request{Method: http.MethodPost, Path: "/api/v2/things", JSON: body}
			}}
	}
	v := x22Value
	cases := []x22Case{
		jsonCase("email provider secretAccessKey", map[string]any{"name": "ses", "probe": "visible-probe", "credentials": map[string]any{"accessKeyId": "AKIA", "secretAccessKey": v("ses"), "region": "eu-west-1"}}, v("ses")),
		jsonCase("email provider clientSecret", map[string]any{"probe": "visible-probe", "credentials": map[string]any{"clientId": "c", "clientSecret": v("ms365"), "tenantId": "t"}}, v("ms365")),
		jsonCase("email provider connectionString", map[string]any{"probe": "visible-probe", "credentials": map[string]any{"connectionString": v("azure")}}, v("azure")),
		jsonCase("log stream segmentWriteKey", map[string]any{"probe": "visible-probe", "sink": map[string]any{"segmentWriteKey": v("segment")}}, v("segment")),
		jsonCase("log stream sumoSourceAddress", map[string]any{"probe": "visible-probe", "sink": map[string]any{"sumoSourceAddress": v("sumo")}}, v("sumo")),
		jsonCase("connection options.configuration", map[string]any{"probe": "visible-probe", "options": map[string]any{"configuration": map[string]any{"DB_PASSWORD_ANY_NAME": v("cfg1"), "other": v("cfg2")}}}, v("cfg1"), v("cfg2")),
		jsonCase("client_secret echoed in every escaping", map[string]any{"probe": "visible-probe", "client_secret": v("known")}, v("known")),
		jsonCase("Client-Secret spelling", map[string]any{"probe": "visible-probe", "Client-Secret": v("kebab")}, v("kebab")),
		jsonCase("CLIENT_SECRET spelling", map[string]any{"probe": "visible-probe", "CLIENT_SECRET": v("upper")}, v("upper")),
		jsonCase("clientSecret spelling", map[string]any{"probe": "visible-probe", "clientSecret": v("camel")}, v("camel")),
		{name: "hook secrets (any name)", secrets: []string{v("hook1"), v("hook2")},
			req: func() *Request {
				return &Request{Method: http.MethodPost, Path: "/api/v2/hooks/h1/secrets", JSON: map[string]string{"MY_DB_URL": v("hook1"), "plain": v("hook2")}}
			}},
		{name: "rules-configs value", secrets: []string{v("rulecfg")},
			req: func() *Request {
				return &Request{Method: http.MethodPut, Path: "/api/v2/rules-configs/MY_KEY", JSON: map[string]string{"value": v("rulecfg")}}
			}},
		{name: "query x-api-key", secrets: []string{v("xapikey"), v("clientsecretq")}, visible: "visible-probe",
			req: func() *Request {
				return &Request{Path: "/api/v2/things", Query: url.Values{"x-api-key": {v("xapikey")}, "Client-Secret": {v("clientsecretq")}, "probe": {"visible-probe"}}}
			}},
		{name: "form clientSecret", secrets: []string{v("formcs"), v("formkey")}, visible: "visible-probe",
			req: func() *Request {
				return &Request{Method: http.MethodPost, Path: "/oauth/token", Form: url.Values{"clientSecret": {v("formcs")}, "X-Api-Key": {v("formkey")}, "probe": {"visible-probe"}}}
			}},
		{name: "response: password-change ticket", visible: "visible-probe",
			req: func() *Request {
				return &Request{Method: http.MethodPost, Path: "/api/v2/tickets/password-change", JSON: map[string]any{"user_id": "u"}}
			},
			response: map[string]string{"ticket": v("ticket")}},
		{name: "response: guardian ticket_url", visible: "visible-probe",
			req: func() *Request {
				return &Request{Method: http.MethodPost, Path: "/api/v2/guardian/enrollments/ticket", JSON: map[string]any{"user_id": "u"}}
			},
			response: map[string]string{"ticket_url": v("ticketurl")}},
		{name: "response: invitation_url", visible: "visible-probe",
			req: func() *Request {
				return &Request{Method: http.MethodPost, Path: "/api/v2/organizations/o/invitations", JSON: map[string]any{}}
			},
			response: map[string]string{"invitation_url": v("invite")}},
		{name: "response: barcode_uri", visible: "visible-probe",
			req: func() *Request {
				return &Request{Method: http.MethodPost, Path: "/mfa/associate", JSON: map[string]any{}}
			},
			response: map[string]string{"barcode_uri": v("otpauth"), "Barcode-URI": v("otpauth2")}},
	}
	return cases
}

// TestX22SecretsRedacted sends, for each case, a request carrying secrets
// under the names Auth0 really uses, to a server that answers 200 and 400
// echoing every request secret in every escaping and adding secrets of its
// own; no escaping of any secret may appear in the error, the debug events
// or the log.
func TestX22SecretsRedacted(t *testing.T) {
	for _, tc := range x22Cases() {
		for _, status := range []int{200, 400} {
			t.Run(fmt.Sprintf("%s %d", tc.name, status), func(t *testing.T) {
				srv, _ := counting(t, func(_ int, w http.ResponseWriter, r *http.Request) {
					io.Copy(io.Discard, r.Body)
					var echo []string
					for _, s := range tc.secrets {
						echo = append(echo, escapings(s)...)
					}
					body := map[string]any{"error": "bad_request", "error_description": "you sent " + strings.Join(echo, " | "), "probe": "visible-probe"}
					for k, v := range tc.response {
						body[k] = v
					}
					w.Header().Set("Content-Type", "application/json")
					w.WriteHeader(status)
					json.NewEncoder(w).Encode(body)
				})
				var logs bytes.Buffer
				var dump strings.Builder
				c := newTestClient(t, srv.URL, client.Config{
					MaxRetries: client.NoRetries,
					Debug:      func(e client.DebugEvent) { fmt.Fprintf(&dump, "%+v\n", e) },
					Logger:     slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
				})
				_, err := c.Do(context.Background(), tc.req(), nil)
				if (status == 200) != (err == nil) {
					t.Fatalf("got error %v for status %d", err, status)
				}
				if err != nil {
					fmt.Fprintf(&dump, "%v\n%+v\n", err, err)
				}
				dump.WriteString(logs.String())
				out := dump.String()
				secrets := append([]string(nil), tc.secrets...)
				for _, v := range tc.response {
					secrets = append(secrets, v)
				}
				for _, s := range secrets {
					if f := leaked(out, s); f != "" {
						t.Errorf("secret %q leaked as %q:\n%s", s, f, out)
					}
				}
				if tc.visible != "" && !strings.Contains(out, tc.visible) {
					t.Errorf("the non-secret %q is gone too (over-redaction):\n%s", tc.visible, out)
				}
			})
		}
	}
}

// spellings returns ways of writing the normalized name n that must all
// match it: as it is, upper case, capitalized, and with each separator
// ('_', '-', '.', ' ') put between its letters at a few places.
func spellings(n string) []string {
	out := []string{n, strings.ToUpper(n), strings.ToUpper(n[:1]) + n[1:]}
	for i, sep := range []string{"_", "-", ".", " "} {
		at := 1 + (i*len(n))/5
		if at >= len(n) {
			at = len(n) - 1
		}
		out = append(out, n[:at]+sep+n[at:], strings.ToUpper(n[:at])+sep+strings.ToUpper(n[at:at+1])+n[at+1:])
	}
	return out
}

// tableNames lists a name for every rule of the table: the names, a name
// per suffix, and the parent-bound members (as parent/name).
func tableNames() []string {
	names := SecretNames()
	for _, s := range secretSuffixes {
		names = append(names, "vendor"+s)
	}
	names = append(names, "awsmysecretstuff") // contains "secret"
	return names
}

// placements put a name and a secret value into a request, or into the
// answer (then the request is neutral).
var placements = map[string]func(name, value string) (*Request, map[string]any){
	"JSON member": func(name, value string) (*Request, map[string]any) {
		return &Request{Method: "POST", Path: "/api/v2/x", JSON: map[string]any{"probe": "p", name: value}}, nil
	},
	"nested JSON member": func(name, value string) (*Request, map[string]any) {
		return &Request{Method: "PATCH", Path: "/api/v2/x", JSON: map[string]any{"a": []any{map[string]any{"b": map[string]any{name: value}}}}}, nil
	},
	"JSON member holding an object": func(name, value string) (*Request, map[string]any) {
		return &Request{Method: "POST", Path: "/api/v2/x", JSON: map[string]any{name: map[string]any{"inner": value, "list": []any{value}}}}, nil
	},
	"form field": func(name, value string) (*Request, map[string]any) {
		return &Request{Method: "POST", Path: "/oauth/token", Form: url.Values{"probe": {"p"}, name: {value}}}, nil
	},
	"query parameter": func(name, value string) (*Request, map[string]any) {
		return &Request{Path: "/api/v2/x", Query: url.Values{"probe": {"p"}, name: {value}}}, nil
	},
	"header": func(name, value string) (*Request, map[string]any) {
		return &Request{Path: "/api/v2/x", Header: http.Header{"X-" + strings.ReplaceAll(name, " ", "-"): {value}}}, nil
	},
	"answer member": func(name, value string) (*Request, map[string]any) {
		return &Request{Path: "/api/v2/x"}, map[string]any{"probe": "p", name: value, "nested": []any{map[string]any{name: value}}}
	},
}

// redactedExchange renders what debug output and errors show of r and of
// an answer made of answer plus an echo of every escaping of the request
// secrets, using the Client's own redaction.
func redactedExchange(t *testing.T, c *Client, r *Request, answer map[string]any, echo []string) string {
	t.Helper()
	p, err := c.prepare(r)
	if err != nil {
		t.Fatal(err)
	}
	sc := p.secrets()
	if answer == nil {
		answer = map[string]any{}
	}
	answer["error_description"] = "you sent " + strings.Join(echo, " | ")
	body, _ := json.Marshal(answer)
	apiErr := ParseError(400, nil, body)
	var out strings.Builder
	fmt.Fprintln(&out, p.redactedURL)
	fmt.Fprintln(&out, redactHeader(p.header))
	fmt.Fprintln(&out, redactBody(p.contentType, p.body, sc))
	fmt.Fprintln(&out, redactBody("application/json", body, sc))
	fmt.Fprintln(&out, redactBody("text/plain", body[:len(body)/2], sc)) // a cut body is not JSON
	fmt.Fprintln(&out, sc.scrub(apiErr.Message))
	return out.String()
}

// TestX22TableProperty: for every name of the table, in every spelling, in
// every placement (JSON at any depth, form, query, header, answer), a
// secret value with characters that every escaping rewrites is never in
// what is shown, neither as it is nor echoed by the server in any escaping.
func TestX22TableProperty(t *testing.T) {
	c := newTestClient(t, "https://tenant.auth0.com", client.Config{})
	// One parallel subtest per name (the client is safe for concurrent
	// use): the walk is pure CPU and the longest test of the package.
	t.Run("names", func(t *testing.T) {
		for _, name := range tableNames() {
			t.Run(name, func(t *testing.T) {
				t.Parallel()
				for _, sp := range spellings(name) {
					if !IsSecretName(sp) {
						t.Errorf("IsSecretName(%q) = false for a spelling of table name %q", sp, name)
						continue
					}
					for where, place := range placements {
						value := x22Value(name)
						r, answer := place(sp, value)
						var echo []string
						if answer == nil {
							echo = escapings(value)
						}
						out := redactedExchange(t, c, r, answer, echo)
						if f := leaked(out, value); f != "" {
							t.Errorf("%s %q: the secret shows as %q in:\n%s", where, sp, f, out)
						}
						if !strings.Contains(out, client.Redacted) {
							t.Errorf("%s %q: no %s marker in:\n%s", where, sp, client.Redacted, out)
						}
					}
				}
			})
		}
	})
	for _, m := range secretMembers {
		value := x22Value(m.name)
		r := &Request{Method: "PATCH", Path: "/api/v2/connections/c1", JSON: map[string]any{m.parent: map[string]any{m.name: map[string]any{"ANY_NAME": value}}}}
		if out := redactedExchange(t, c, r, map[string]any{m.parent: map[string]any{m.name: map[string]any{"K": value}}}, escapings(value)); leaked(out, value) != "" {
			t.Errorf("%s.%s: the secret shows in:\n%s", m.parent, m.name, out)
		}
	}
	for _, pattern := range secretBodies {
		path := strings.ReplaceAll(pattern, "*", "id-1")
		value := x22Value(path)
		r := &Request{Method: "POST", Path: path, JSON: map[string]any{"ANY_NAME": value, "value": value}}
		if out := redactedExchange(t, c, r, map[string]any{"ANY_NAME": value}, escapings(value)); leaked(out, value) != "" {
			t.Errorf("%s: the secret shows in:\n%s", path, out)
		}
	}
}

// FuzzX22Redaction: whatever the name and the value, when IsSecretName
// says the name is secret the value never shows, in any placement.
func FuzzX22Redaction(f *testing.F) {
	f.Add("client_secret", "p@ss w+rd/é<>")
	f.Add("X-Api-Key", "k&y")
	f.Add("segmentWriteKey", `"quoted"`)
	c, err := New("https://tenant.auth0.com", "management", client.Config{})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, name, v string) {
		if !IsSecretName(name) || !utf8.ValidString(name) || !utf8.ValidString(v) || strings.ContainsAny(name, "\x00\r\n:") {
			return
		}
		value := "Qz9" + v + "9zQ" // long enough, and unlike anything else shown
		for where, place := range placements {
			if where == "header" && (!validHeaderValue(value) || !validHeaderName("X-"+name)) {
				continue
			}
			r, answer := place(name, value)
			var echo []string
			if answer == nil {
				echo = escapings(value)
			}
			if out := redactedExchange(t, c, r, answer, echo); leaked(out, value) != "" {
				t.Fatalf("%s %q: %q shows in:\n%s", where, name, value, out)
			}
		}
	})
}

func validHeaderName(n string) bool {
	for i := 0; i < len(n); i++ {
		if c := n[i]; c <= ' ' || c >= 0x7f || strings.IndexByte(`"(),/:;<=>?@[\]{}`, c) >= 0 {
			return false
		}
	}
	return n != ""
}

// TestX22RedactText covers text that is not a whole JSON document (a body
// cut at its cap, HTML): secret-named pairs lose their values, whatever the
// value's shape, and nothing else changes.
func TestX22RedactText(t *testing.T) {
	cases := []struct{ name, in, want string }{
		{"string", `{"a":"x","password":"p\"w","b":1`, `{"a":"x","password":"[REDACTED]","b":1`},
		{"inside a container", `{"credentials":{"clientSecret":"s3","region":"eu"},"x":`, `{"credentials":{"clientSecret":"[REDACTED]","region":"eu"},"x":`},
		{"object value", `{"secrets":{"A":"1","B":["2"]},"ok":true`, `{"secrets":"[REDACTED]","ok":true`},
		{"cut string", `{"access_token":"eyJhbGciOi`, `{"access_token":"[REDACTED]"`},
		{"cut object", `{"options":{"client_secret":{"a":"b`, `{"options":{"client_secret":"[REDACTED]"`},
		{"number", `"otp": 123456, "n": 1`, `"otp": "[REDACTED]", "n": 1`},
		{"form pairs", `grant_type=x&client_secret=abc&scope=s`, `grant_type=x&client_secret=[REDACTED]&scope=s`},
		{"a secret name inside a non-secret string", `{"msg":"the password is","n":1}`, `{"msg":"the password is","n":1}`},
		{"no pairs", `<html>error</html>`, `<html>error</html>`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := redactText(tc.in); got != tc.want {
				t.Errorf("got %s, want %s", got, tc.want)
			}
		})
	}
}
