package management

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"
)

// seenRequest is a request received by a recordingServer.
type seenRequest struct {
	method, path string
	query        url.Values
	body         string
}

// recordingServer answers with h and keeps every request it receives.
func recordingServer(t *testing.T, h func(w http.ResponseWriter, r *http.Request)) (*Management, func() []seenRequest) {
	t.Helper()
	var mu sync.Mutex
	var all []seenRequest
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(b))
		mu.Lock()
		all = append(all, seenRequest{r.Method, r.URL.EscapedPath(), r.URL.Query(), string(b)})
		mu.Unlock()
		h(w, r)
	})
	return newTestManagement(t, srv, Config{}), func() []seenRequest {
		mu.Lock()
		defer mu.Unlock()
		out := all
		all = nil
		return out
	}
}

func answerWith(body string) func(http.ResponseWriter, *http.Request) {
	return func(w http.ResponseWriter, _ *http.Request) { io.WriteString(w, body) }
}

func TestGuardianFactorPaths(t *testing.T) {
	m, reqs := recordingServer(t, answerWith(`{"enabled":true}`))
	ctx := context.Background()
	for _, tc := range []struct {
		name string
		call func() error
		want string // escaped path; "" when nothing may be sent
	}{
		{"provider of push", func() error { _, err := m.Guardian.GetFactorProvider(ctx, "push-notification", "sns"); return err },
			"GET /api/v2/guardian/factors/push-notification/providers/sns"},
		{"provider of sms", func() error {
			_, err := m.Guardian.UpdateFactorProvider(ctx, "sms", "twilio", Object{"sid": "s"})
			return err
		}, "PUT /api/v2/guardian/factors/sms/providers/twilio"},
		{"escaped names", func() error { _, err := m.Guardian.GetFactorProvider(ctx, "a/b", "c?d"); return err },
			"GET /api/v2/guardian/factors/a%2Fb/providers/c%3Fd"},
		{"factor named sms", func() error { _, err := m.Guardian.UpdateFactor(ctx, "sms", Object{"enabled": true}); return err },
			"PUT /api/v2/guardian/factors/sms"},
		{"a name is one segment", func() error {
			_, err := m.Guardian.UpdateFactor(ctx, "sms/templates", Object{"enabled": true})
			return err
		}, "PUT /api/v2/guardian/factors/sms%2Ftemplates"},
		{"sms templates", func() error { _, err := m.Guardian.GetSMSTemplates(ctx); return err },
			"GET /api/v2/guardian/factors/sms/templates"},
		{"empty factor", func() error { _, err := m.Guardian.GetFactorProvider(ctx, "", "sns"); return err }, ""},
		{"empty provider", func() error {
			_, err := m.Guardian.UpdateFactorProvider(ctx, "sms", "", Object{})
			return err
		}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.call()
			got := reqs()
			if tc.want == "" {
				if !errors.Is(err, ErrEmptyParameter) || len(got) != 0 {
					t.Errorf("got %v and %d requests, want ErrEmptyParameter and none", err, len(got))
				}
				return
			}
			if err != nil || len(got) != 1 {
				t.Fatalf("got %v and %d requests, want one", err, len(got))
			}
			if s := got[0].method + " " + got[0].path; s != tc.want {
				t.Errorf("got %s, want %s", s, tc.want)
			}
		})
	}
}

func TestUniversalLoginTemplate(t *testing.T) {
	const page = `<!DOCTYPE html><html><head>{%- auth0:head -%}</head><body>{%- auth0:widget -%}</body></html>`
	m, reqs := recordingServer(t, func(w http.ResponseWriter, r *http.Request) {
		switch r.Method {
		case http.MethodGet:
			json.NewEncoder(w).Encode(map[string]string{"body": page})
		case http.MethodPut:
			w.WriteHeader(http.StatusCreated)
			io.WriteString(w, `{}`)
		default:
			w.WriteHeader(http.StatusNoContent)
		}
	})
	ctx := context.Background()
	if err := m.Branding.UpdateUniversalLoginTemplate(ctx, page); err != nil {
		t.Fatal(err)
	}
	put := reqs()[0]
	var body map[string]any
	if err := json.Unmarshal([]byte(put.body), &body); err != nil {
		t.Fatalf("PUT body %s: %v", put.body, err)
	}
	if put.method != http.MethodPut || put.path != "/api/v2/branding/templates/universal-login" || len(body) != 1 || body["template"] != page {
		t.Errorf("got %s %s %s, want PUT of {\"template\": the page}", put.method, put.path, put.body)
	}
	tmpl, err := m.Branding.GetUniversalLoginTemplate(ctx)
	if err != nil || tmpl.Body != page {
		t.Errorf("GetUniversalLoginTemplate: got %+v %v, want the page", tmpl, err)
	}
	if err := m.Branding.DeleteUniversalLoginTemplate(ctx); err != nil {
		t.Errorf("DeleteUniversalLoginTemplate: %v", err)
	}
	if got := reqs(); len(got) != 2 || got[1].method != http.MethodDelete {
		t.Errorf("requests after the PUT: got %+v, want a GET and a DELETE", got)
	}
}

func TestBlacklists(t *testing.T) {
	m, reqs := recordingServer(t, func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost {
			w.WriteHeader(http.StatusNoContent)
			return
		}
		io.WriteString(w, `[{"aud":"api","jti":"j1"},{"aud":"api","jti":"j2","new_member":1}]`)
	})
	ctx := context.Background()
	for _, tc := range []struct {
		name, jti, aud, wantBody string
	}{
		{"with audience", "j1", "api", `{"aud":"api","jti":"j1"}`},
		{"without audience", "j1", "", `{"jti":"j1"}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if err := m.Blacklists.Create(ctx, tc.jti, tc.aud); err != nil {
				t.Fatal(err)
			}
			got := reqs()
			if len(got) != 1 || got[0].method != http.MethodPost || got[0].path != "/api/v2/blacklists/tokens" || !sameJSON(t, []byte(got[0].body), []byte(tc.wantBody)) {
				t.Errorf("got %+v, want POST /api/v2/blacklists/tokens %s", got, tc.wantBody)
			}
		})
	}
	for _, aud := range []string{"", "api"} {
		toks, err := m.Blacklists.List(ctx, aud)
		if err != nil || len(toks) != 2 || toks[1].JTI != "j2" || toks[1].Extra["new_member"] != json.Number("1") {
			t.Fatalf("List(%q): got %+v %v", aud, toks, err)
		}
		q := reqs()[0].query
		if want := (url.Values{"aud": {aud}}); aud == "" && len(q) != 0 || aud != "" && q.Encode() != want.Encode() {
			t.Errorf("List(%q): got query %v", aud, q)
		}
	}
}

func TestEnabledFilter(t *testing.T) {
	m, reqs := recordingServer(t, answerWith(`[]`))
	ctx := context.Background()
	for _, tc := range []struct {
		filter EnabledFilter
		want   []string // the enabled values sent
	}{
		{EnabledOnly, []string{"true"}},
		{DisabledOnly, []string{"false"}},
		{EnabledOrDisabled, nil},
		{EnabledFilter(42), []string{"true"}}, // unknown: the default
	} {
		if _, err := m.Hooks.List(ctx, &HookListOptions{Enabled: tc.filter}); err != nil {
			t.Fatal(err)
		}
		if _, err := m.Rules.List(ctx, &RuleListOptions{Enabled: tc.filter}); err != nil {
			t.Fatal(err)
		}
		for _, r := range reqs() {
			if got := r.query["enabled"]; !slices.Equal(got, tc.want) {
				t.Errorf("%s with filter %d: got enabled=%q, want %q", r.path, tc.filter, got, tc.want)
			}
		}
	}
}

// TestNilBodyRefused: a nil Object (or secrets map) is refused before
// anything is sent, since these PUTs replace a whole setting.
func TestNilBodyRefused(t *testing.T) {
	m, reqs := recordingServer(t, answerWith(`{}`))
	ctx := context.Background()
	for name, call := range map[string]func() error{
		"Prompts.UpdateCustomText": func() error { _, err := m.Prompts.UpdateCustomText(ctx, "login", "en", nil); return err },
		"Guardian.UpdateFactor":    func() error { _, err := m.Guardian.UpdateFactor(ctx, "otp", nil); return err },
		"Branding.Update":          func() error { _, err := m.Branding.Update(ctx, nil); return err },
		"Tenants.UpdateSettings":   func() error { _, err := m.Tenants.UpdateSettings(ctx, nil); return err },
		"Hooks.AddSecrets":         func() error { return m.Hooks.AddSecrets(ctx, "h1", nil) },
		"Hooks.UpdateSecrets":      func() error { return m.Hooks.UpdateSecrets(ctx, "h1", nil) },
		"Rules.Create":             func() error { _, err := m.Rules.Create(ctx, nil); return err },
	} {
		if err := call(); err == nil {
			t.Errorf("%s(nil): got nil error", name)
		}
	}
	if got := reqs(); len(got) != 0 {
		t.Errorf("requests sent: got %d, want 0", len(got))
	}
	// An empty Object is a body like any other.
	if _, err := m.Branding.Update(ctx, Object{}); err != nil || len(reqs()) != 1 {
		t.Errorf("Branding.Update(Object{}): got %v, want one request", err)
	}
}

// TestActionsAll walks three pages of the Actions API, whose answers carry
// total and per_page, without sending include_totals.
func TestActionsAll(t *testing.T) {
	const total = 5
	m, reqs := recordingServer(t, func(w http.ResponseWriter, r *http.Request) {
		page, _ := strconv.Atoi(r.URL.Query().Get("page"))
		perPage, _ := strconv.Atoi(r.URL.Query().Get("per_page"))
		var actions []Object
		for i := page * perPage; i < min((page+1)*perPage, total); i++ {
			actions = append(actions, Object{"id": strconv.Itoa(i), "status": "built"})
		}
		json.NewEncoder(w).Encode(map[string]any{"actions": actions, "total": total, "page": page, "per_page": perPage})
	})
	var ids []string
	for a, err := range m.Actions.All(context.Background(), &ActionListOptions{Offset: Offset{PerPage: 2}, TriggerID: "post-login"}) {
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, a.ID)
	}
	if want := []string{"0", "1", "2", "3", "4"}; !slices.Equal(ids, want) {
		t.Errorf("got %v, want %v", ids, want)
	}
	got := reqs()
	if len(got) != 3 {
		t.Fatalf("requests: got %d, want 3", len(got))
	}
	for i, r := range got {
		want := url.Values{"page": {strconv.Itoa(i)}, "per_page": {"2"}, "triggerId": {"post-login"}, "installed": {"false"}}
		if i == 0 {
			want.Del("page") // page 0 is the API's default
		}
		if r.query.Encode() != want.Encode() {
			t.Errorf("request %d: got query %s, want %s", i, r.query.Encode(), want.Encode())
		}
	}
}

func TestUpdateBindings(t *testing.T) {
	m, reqs := recordingServer(t, func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		w.Write(b) // the API answers the new bindings
	})
	ctx := context.Background()
	for _, tc := range []struct {
		name     string
		bindings []Object
		want     string
	}{
		{"nil unbinds all", nil, `{"bindings":[]}`},
		{"in order", []Object{{"ref": Object{"type": "action_id", "value": "a1"}}, {"ref": Object{"type": "action_name", "value": "n"}}},
			`{"bindings":[{"ref":{"type":"action_id","value":"a1"}},{"ref":{"type":"action_name","value":"n"}}]}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := m.Actions.UpdateBindings(ctx, "post-login", tc.bindings)
			if err != nil || len(got) != len(tc.bindings) {
				t.Fatalf("got %v %v, want %d bindings", got, err, len(tc.bindings))
			}
			r := reqs()[0]
			if r.method != http.MethodPatch || r.path != "/api/v2/actions/triggers/post-login/bindings" || !sameJSON(t, []byte(r.body), []byte(tc.want)) {
				t.Errorf("got %s %s %s, want PATCH of %s", r.method, r.path, r.body, tc.want)
			}
		})
	}
}

func TestHookSecrets(t *testing.T) {
	m, reqs := recordingServer(t, answerWith(`{"API_KEY":"_VALUE_NOT_SHOWN_"}`))
	ctx := context.Background()
	for _, tc := range []struct {
		name       string
		call       func() error
		verb, body string
	}{
		{"delete named", func() error { return m.Hooks.DeleteSecrets(ctx, "h1", []string{"A", "B"}) }, http.MethodDelete, `["A","B"]`},
		{"delete none", func() error { return m.Hooks.DeleteSecrets(ctx, "h1", nil) }, http.MethodDelete, `[]`},
		{"add", func() error { return m.Hooks.AddSecrets(ctx, "h1", map[string]string{"A": "1"}) }, http.MethodPost, `{"A":"1"}`},
		{"update", func() error { return m.Hooks.UpdateSecrets(ctx, "h1", map[string]string{"A": "2"}) }, http.MethodPatch, `{"A":"2"}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if err := tc.call(); err != nil {
				t.Fatal(err)
			}
			r := reqs()[0]
			if r.method != tc.verb || r.path != "/api/v2/hooks/h1/secrets" || !sameJSON(t, []byte(r.body), []byte(tc.body)) {
				t.Errorf("got %s %s %s, want %s with %s", r.method, r.path, r.body, tc.verb, tc.body)
			}
		})
	}
	s, err := m.Hooks.GetSecrets(ctx, "h1")
	if err != nil || s["API_KEY"] != "_VALUE_NOT_SHOWN_" {
		t.Errorf("GetSecrets: got %v %v", s, err)
	}
}

func TestStats(t *testing.T) {
	m, reqs := recordingServer(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/api/v2/stats/active-users" {
			io.WriteString(w, "1234")
			return
		}
		io.WriteString(w, `[{"date":"2021-09-16T00:00:00.000Z","logins":3,"signups":0,"leaked_passwords":0}]`)
	})
	ctx := context.Background()
	if n, err := m.Stats.ActiveUsers(ctx); err != nil || n != 1234 {
		t.Errorf("ActiveUsers: got %d %v, want 1234", n, err)
	}
	reqs()
	paris := time.FixedZone("CET", 3600)
	for _, tc := range []struct {
		name     string
		from, to time.Time
		want     url.Values
	}{
		{"open", time.Time{}, time.Time{}, url.Values{}},
		{"range", time.Date(2021, 9, 1, 12, 0, 0, 0, time.UTC), time.Date(2021, 9, 30, 0, 0, 0, 0, time.UTC),
			url.Values{"from": {"20210901"}, "to": {"20210930"}}},
		{"day in its own location", time.Date(2021, 9, 1, 0, 30, 0, 0, paris), time.Time{}, url.Values{"from": {"20210901"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			days, err := m.Stats.Daily(ctx, tc.from, tc.to)
			if err != nil || len(days) != 1 || *days[0].Logins != 3 || *days[0].Signups != 0 {
				t.Fatalf("got %+v %v", days, err)
			}
			if got := reqs()[0].query; got.Encode() != tc.want.Encode() {
				t.Errorf("got query %s, want %s", got.Encode(), tc.want.Encode())
			}
		})
	}
}

// TestCustomDomainsList: without options the list is one bare array; with
// checkpoint pagination All follows next.
func TestCustomDomainsList(t *testing.T) {
	m, reqs := recordingServer(t, func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Query().Get("from") {
		case "":
			if r.URL.Query().Has("take") {
				io.WriteString(w, `{"custom_domains":[{"custom_domain_id":"cd_1"},{"custom_domain_id":"cd_2"}],"next":"c2"}`)
				return
			}
			io.WriteString(w, `[{"custom_domain_id":"cd_1","primary":true,"status":"ready"}]`)
		case "c2":
			io.WriteString(w, `{"custom_domains":[{"custom_domain_id":"cd_3"}]}`)
		}
	})
	ctx := context.Background()
	p, err := m.CustomDomains.List(ctx, nil)
	if err != nil || len(p.Items) != 1 || p.Items[0].ID != "cd_1" || !*p.Items[0].Primary {
		t.Fatalf("List(nil): got %+v %v", p, err)
	}
	if q := reqs()[0].query; len(q) != 0 {
		t.Errorf("List(nil): got query %v, want none", q)
	}
	var ids []string
	for d, err := range m.CustomDomains.All(ctx, &Checkpoint{Take: 2}) {
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, d.ID)
	}
	if want := []string{"cd_1", "cd_2", "cd_3"}; !slices.Equal(ids, want) {
		t.Errorf("All: got %v, want %v", ids, want)
	}
	if got := reqs(); len(got) != 2 || got[1].query.Get("from") != "c2" || got[1].query.Get("take") != "2" {
		t.Errorf("All: got requests %+v, want 2, the second from=c2&take=2", got)
	}
}

// FuzzConfigModels: every typed model of the configuration resources
// re-encodes what it decodes, and decodes its own output.
func FuzzConfigModels(f *testing.F) {
	for _, s := range []string{
		`{"id":"a1","name":"n","supported_triggers":[{"id":"post-login","version":"v3","x":1}],"status":"built","secrets":[{"name":"s"}]}`,
		`{"custom_domain_id":"cd_1","primary":false,"verification":{"methods":[]},"domain_metadata":{"k":"v"}}`,
		`{"id":"h","triggerId":"pre-user-registration","enabled":false,"dependencies":{}}`,
		`{"id":"rul_1","order":0,"enabled":true,"stage":"login_success"}`,
		`{"id":"ls","sink":{"httpEndpoint":"https://x"},"filters":[{"type":"category"}]}`,
		`{"date":"2021-09-16T00:00:00.000Z","logins":1}`, `{"aud":"a","jti":"j"}`, `{"body":"<html>"}`, `null`, `{}`,
	} {
		f.Add([]byte(s))
	}
	models := []func() any{
		func() any { return new(Action) }, func() any { return new(ActionTrigger) }, func() any { return new(CustomDomain) },
		func() any { return new(Hook) }, func() any { return new(Rule) }, func() any { return new(LogStream) },
		func() any { return new(DailyStats) }, func() any { return new(BlacklistedToken) }, func() any { return new(UniversalLoginTemplate) },
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, newModel := range models {
			v := newModel()
			if json.Unmarshal(data, v) != nil {
				continue
			}
			out, err := json.Marshal(v)
			if err != nil {
				t.Fatalf("%T: re-encoding: %v", v, err)
			}
			again := newModel()
			if err := json.Unmarshal(out, again); err != nil {
				t.Fatalf("%T: decoding our own output %s: %v", v, out, err)
			}
			if out2, _ := json.Marshal(again); string(out2) != string(out) {
				t.Fatalf("%T: not stable:\n %s\n %s", v, out, out2)
			}
		}
	})
}
