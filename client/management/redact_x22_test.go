package management

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"reflect"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/tokengate/tokengate/client"
	"github.com/tokengate/tokengate/client/internal/rest"
	"github.com/tokengate/tokengate/client/internal/secretwalk"
)

// secretBodyMethods are the methods whose whole body, sent and received, is
// secret whatever its member names (hook secrets, rules-configs values).
var secretBodyMethods = map[string]bool{
	"Hooks.add_secrets":    true,
	"Hooks.get_secrets":    true,
	"Hooks.update_secrets": true,
	"Hooks.delete_secrets": true,
	"RulesConfigs.set":     true,
	"RulesConfigs.unset":   true, // same path as set: its (empty) answer is hidden too
}

// notSecret are member names the walk sees in typed models that look like
// secrets (secretwalk.Suspicious) but are not, with the reason. A new model
// field that looks like a secret fails TestX22RedactionEveryMethod until it
// is added to the table of client/internal/rest/secrets.go or here.
var notSecret = map[string]string{
	"tokenendpointauthmethod":            "the name of a client authentication method",
	"istokenendpointipheadertrusted":     "a flag",
	"tokendialect":                       "the format of access tokens",
	"tokenlifetime":                      "a number of seconds",
	"tokenlifetimeforweb":                "a number of seconds",
	"enforcepolicies":                    "a flag",
	"requirepushedauthorizationrequests": "a flag",
	"cert":                               "a public certificate",
	"pkcs7":                              "a public certificate chain",
	"pem":                                "a public key (client credentials)",
	"keyid":                              "an identifier",
	"key":                                "the name of a rules-configs setting",
	"publickey":                          "a public key",
	"sessiontransfer":                    "session transfer settings",
	"signingkeys":                        "public signing certificates",
	"useridattribute":                    "an attribute name",
	"credentials":                        "a container (email and Guardian providers): its secret members are in the table",
}

// isSecretMember is the walk's oracle: a name of the table of secrets, or
// a connection's options.configuration.
func isSecretMember(parent, name string) bool {
	if rest.IsSecretName(name) {
		return true
	}
	norm := func(s string) string { return strings.ToLower(strings.NewReplacer("_", "", "-", "").Replace(s)) }
	return norm(parent) == "options" && norm(name) == "configuration"
}

// probes numbers the probes: each hostile object has its own.
var probes atomic.Int64

// hostileObject is a free-form body holding every name of the table of
// secrets (in varying spellings), nested secrets, and a visible probe.
func hostileObject(f *secretwalk.Filler) map[string]any {
	o := map[string]any{"probe": fmt.Sprintf("visible-probe-%d", probes.Add(1))}
	for i, n := range rest.SecretNames() {
		o[secretwalk.Spelling(n, i)] = f.Marker(n)
	}
	o["options"] = map[string]any{"configuration": map[string]any{"ANY_NAME": f.Marker("configuration")}}
	o["credentials"] = map[string]any{"secretAccessKey": f.Marker("ses"), "clientSecret": f.Marker("ms365"), "connectionString": f.Marker("azure")}
	o["sink"] = map[string]any{"segmentWriteKey": f.Marker("segment"), "sumoSourceAddress": f.Marker("sumo")}
	return o
}

// exchange is one request the walk's server received and its answer.
type exchange struct {
	sent    secretwalk.Sent
	answer  []string // the secrets of the answer
	probe   string   // the answer's non-secret probe
	request bool
}

// TestX22RedactionEveryMethod walks every method of testdata/coverage.tsv
// (so a new method is walked as soon as it is listed): it calls the method
// with every string of its arguments, every free-form object and every
// model's Extra filled with secrets under the names of the table of
// secrets (client/internal/rest/secrets.go), against a server that answers
// 200 with secrets of its own and 400 echoing the request, and checks that no
// secret the request sent or the answer held shows in the error, the debug
// events or the log, in any escaping. Names of typed models that look like
// secrets must be in the table or in notSecret.
func TestX22RedactionEveryMethod(t *testing.T) {
	walked := 0
	for _, row := range readCoverage(t) {
		if row.goMethod == "PENDING" {
			continue
		}
		key := row.class + "." + row.method
		t.Run(key, func(t *testing.T) {
			// Each method has its own server, client, filler and captures,
			// so that the walk (the package's longest test under -race)
			// runs on every core.
			t.Parallel()
			w := newRedactionWalk(t)
			method, ok := lookupMethod(w.m, row.goMethod)
			if !ok {
				t.Fatalf("no method %s", row.goMethod)
			}
			for _, st := range []int{http.StatusOK, http.StatusBadRequest} {
				w.mu.Lock()
				w.ex, w.status, w.allBody = exchange{}, st, secretBodyMethods[key]
				w.dump.Reset()
				w.logs.Reset()
				w.mu.Unlock()
				err := callFilled(method, w.filler)
				w.mu.Lock()
				got, out := w.ex, w.dump.String()+w.logs.String()
				w.mu.Unlock()
				if !got.request { // the filled arguments were refused before sending: use the sample call
					err = routeCall(row)(context.Background(), w.m)
					w.mu.Lock()
					got, out = w.ex, w.dump.String()+w.logs.String()
					w.mu.Unlock()
				}
				if !got.request {
					t.Fatalf("no request sent (err %v)", err)
				}
				if err != nil {
					out += fmt.Sprintf("%v\n%+v\n", err, err)
				}
				if !strings.Contains(out, "Method:") {
					t.Fatalf("status %d: no debug event", st)
				}
				tags := secretwalk.Tags(out)
				for _, s := range append(got.sent.Secrets, got.answer...) {
					if tag := secretwalk.TagOf(s); tag != "" && !tags[tag] {
						continue // fast path: not even its tag shows
					}
					if f := secretwalk.Leaked(out, s); f != "" || secretwalk.TagOf(s) != "" {
						t.Errorf("status %d: the secret %q shows (as %q) in:\n%s", st, s, f, out)
					}
				}
				if st == http.StatusOK && !secretBodyMethods[key] && !strings.Contains(out, got.probe) {
					t.Errorf("status 200: the answer's non-secret probe %q is gone too (over-redaction):\n%s", got.probe, out)
				}
				for _, name := range got.sent.Names {
					n := strings.ToLower(strings.NewReplacer("_", "", "-", "", ".", "", " ", "").Replace(name))
					if secretwalk.Suspicious(name) && !isSecretMember("", name) && notSecret[n] == "" {
						t.Errorf("%s sends %q, which looks like a secret: add it to the table of client/internal/rest/secrets.go, or to notSecret with the reason", row.goMethod, name)
					}
				}
			}
		})
		walked++
	}
	if walked < 200 {
		t.Errorf("walked %d methods, want every method of coverage.tsv", walked)
	}
}

// redactionWalk is one method's walk of TestX22RedactionEveryMethod: a
// server that answers with secrets of its own (200) or echoes the request
// (400), a client with a debug hook and a logger, and what they captured.
type redactionWalk struct {
	mu      sync.Mutex
	ex      exchange
	status  int
	allBody bool
	dump    bytes.Buffer // debug events, guarded by mu
	logs    bytes.Buffer // the client's log, guarded by mu
	filler  *secretwalk.Filler
	m       *Management
}

func newRedactionWalk(t *testing.T) *redactionWalk {
	w := &redactionWalk{filler: &secretwalk.Filler{}}
	filler := w.filler
	filler.Object = func() map[string]any { return hostileObject(filler) }
	filler.StringMap = func() map[string]string {
		return map[string]string{"MY_DB_URL": filler.Marker("hook"), "plain": filler.Marker("hook")}
	}
	srv := newServer(t, func(rw http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		w.mu.Lock()
		defer w.mu.Unlock()
		sent := secretwalk.Read(r.Header.Get("Content-Type"), body, r.URL.Query(), isSecretMember, w.allBody)
		answer := hostileObject(filler)
		var answerSecrets []string
		for k, v := range answer {
			if s, ok := v.(string); ok && (w.allBody || isSecretMember("", k)) {
				answerSecrets = append(answerSecrets, s)
			}
		}
		answerSecrets = append(answerSecrets, secretwalk.Read("application/json", mustJSON(answer), nil, isSecretMember, w.allBody).Secrets...)
		if w.status != http.StatusOK {
			var echo []string
			for _, s := range sent.Secrets {
				echo = append(echo, secretwalk.Escapings(s)...)
			}
			answer["error"] = "bad_request"
			answer["error_description"] = "you sent " + string(body) + " | " + strings.Join(echo, " | ")
		}
		w.ex = exchange{sent: sent, answer: answerSecrets, probe: answer["probe"].(string), request: true}
		rw.Header().Set("Content-Type", "application/json")
		rw.WriteHeader(w.status)
		json.NewEncoder(rw).Encode(answer)
	})
	debug := func(e client.DebugEvent) {
		w.mu.Lock()
		defer w.mu.Unlock()
		fmt.Fprintf(&w.dump, "%+v\n", e)
	}
	logger := slog.New(slog.NewJSONHandler(lockedWriter{&w.mu, &w.logs}, &slog.HandlerOptions{Level: slog.LevelDebug}))
	w.m = newTestManagement(t, srv, Config{HTTP: client.Config{Debug: debug, Logger: logger, MaxRetries: client.NoRetries}})
	return w
}

// lockedWriter serializes writes to w under mu.
type lockedWriter struct {
	mu *sync.Mutex
	w  io.Writer
}

func (l lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

// lookupMethod returns m.Field.Method for "Field.Method".
func lookupMethod(m *Management, name string) (reflect.Value, bool) {
	field, method, _ := strings.Cut(name, ".")
	f := reflect.ValueOf(m).Elem().FieldByName(field)
	if !f.IsValid() {
		return reflect.Value{}, false
	}
	mv := f.MethodByName(method)
	return mv, mv.IsValid()
}

// callFilled calls method with a context and every other argument filled
// by f (options left nil), and returns its error result.
func callFilled(method reflect.Value, f *secretwalk.Filler) error {
	mt := method.Type()
	n := mt.NumIn()
	if mt.IsVariadic() {
		n--
	}
	args := make([]reflect.Value, n)
	for i := range n {
		in := mt.In(i)
		if in == reflect.TypeFor[context.Context]() {
			args[i] = reflect.ValueOf(context.Background())
			continue
		}
		v := reflect.New(in).Elem()
		if !secretwalk.IsOptions(in) {
			f.Fill(v, "arg", 0)
		}
		args[i] = v
	}
	outs := method.Call(args)
	if err, ok := outs[len(outs)-1].Interface().(error); ok {
		return err
	}
	return nil
}
