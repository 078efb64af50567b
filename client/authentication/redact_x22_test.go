package authentication

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

// authNotSecret are names the Authentication API sends that look like
// secrets (secretwalk.Suspicious) but are not, with the reason.
var authNotSecret = map[string]string{
	"clientassertiontype": "the assertion's type URN",
	"subjecttokentype":    "a token type URN",
	"requestedtokentype":  "a token type URN",
	"codechallenge":       "the PKCE challenge: a hash, public by design",
	"codechallengemethod": "S256 or plain",
	"credentials":         "a container: its secret members are in the table",
}

// authAdjust makes a walked call valid where the filler's "everything set"
// arguments are refused before sending.
var authAdjust = map[string]func(args []reflect.Value){
	"Delegation":        func(args []reflect.Value) { args[1].FieldByName("RefreshToken").SetString("") },
	"PasswordlessEmail": func(args []reflect.Value) { args[1].FieldByName("Send").SetString("code") },
}

// authProbes numbers the probes of the hostile answers.
var authProbes atomic.Int64

// TestX22RedactionEveryAuthMethod walks every method of the Authentication
// client that sends a request (found by reflection, so a new method is
// walked at once), with a client secret and then a client assertion key:
// every string of its arguments holds a secret, the server answers 200 with
// secrets under every name of the table of secrets
// (client/internal/rest/secrets.go) and 400 echoing the request, and no
// secret of the request or the answer may show in the error, the debug
// events or the log, in any escaping.
func TestX22RedactionEveryAuthMethod(t *testing.T) {
	var mu sync.Mutex
	var status int
	var sent secretwalk.Sent
	var answerSecrets []string
	var probe string
	requested := false
	filler := &secretwalk.Filler{}
	hostile := func() map[string]any {
		o := map[string]any{"probe": fmt.Sprintf("visible-probe-%d", authProbes.Add(1))}
		for i, n := range rest.SecretNames() {
			o[secretwalk.Spelling(n, i)] = filler.Marker(n)
		}
		// A valid token answer, so that the token grants succeed.
		o["access_token"], o["token_type"], o["expires_in"] = filler.Marker("access_token"), "Bearer", 60
		o["id_token"], o["refresh_token"] = filler.Marker("id_token"), filler.Marker("refresh_token")
		return o
	}
	filler.Object = hostile
	srv := newServer(t, func(_ int, w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		mu.Lock()
		defer mu.Unlock()
		requested = true
		sent = secretwalk.Read(r.Header.Get("Content-Type"), body, r.URL.Query(), isSecret, false)
		if _, cred, ok := strings.Cut(r.Header.Get("Authorization"), " "); ok {
			sent.Secrets = append(sent.Secrets, cred)
		}
		answer := hostile()
		probe = answer["probe"].(string)
		answerSecrets = secretwalk.Read("application/json", mustMarshal(answer), nil, isSecret, false).Secrets
		if status != http.StatusOK {
			var echo []string
			for _, s := range sent.Secrets {
				echo = append(echo, secretwalk.Escapings(s)...)
			}
			answer["error"] = "invalid_request"
			answer["error_description"] = "you sent " + string(body) + " | " + strings.Join(echo, " | ")
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		json.NewEncoder(w).Encode(answer)
	})
	auths := map[string]Config{
		"client secret":    {ClientSecret: filler.Marker("client_secret")},
		"client assertion": {ClientAssertionKey: testRSAKey(t), ClientAssertionAlg: "RS256"},
	}
	ctxType := reflect.TypeFor[context.Context]()
	for authName, auth := range auths {
		var dump bytes.Buffer // guarded by mu
		debug := func(e client.DebugEvent) {
			mu.Lock()
			defer mu.Unlock()
			fmt.Fprintf(&dump, "%+v\n", e)
		}
		logger := slog.New(slog.NewJSONHandler(lockedBuffer{&mu, &dump}, &slog.HandlerOptions{Level: slog.LevelDebug}))
		cfg := auth
		cfg.ClientID = "cid"
		cfg.HTTP = client.Config{Debug: debug, Logger: logger, MaxRetries: client.NoRetries}
		c := newTestClient(t, srv.URL, cfg)
		cv := reflect.ValueOf(c)
		walked := 0
		for i := range cv.NumMethod() {
			name := cv.Type().Method(i).Name
			method := cv.Method(i)
			mt := method.Type()
			if mt.NumIn() == 0 || mt.In(0) != ctxType {
				continue // URL builders and accessors send nothing
			}
			walked++
			t.Run(authName+"/"+name, func(t *testing.T) {
				for _, st := range []int{http.StatusOK, http.StatusBadRequest} {
					mu.Lock()
					status, requested, sent, answerSecrets = st, false, secretwalk.Sent{}, nil
					dump.Reset()
					mu.Unlock()
					n := mt.NumIn()
					if mt.IsVariadic() {
						n-- // no ID-token checks: no verifier is configured
					}
					args := []reflect.Value{reflect.ValueOf(context.Background())}
					for j := 1; j < n; j++ {
						v := reflect.New(mt.In(j)).Elem()
						filler.Fill(v, "arg", 0)
						if v.Kind() == reflect.Struct {
							if checks := v.FieldByName("IDTokenChecks"); checks.IsValid() {
								checks.SetZero() // no verifier is configured
							}
						}
						args = append(args, v)
					}
					if adj := authAdjust[name]; adj != nil {
						adj(args)
					}
					outs := method.Call(args)
					var err error
					if e, ok := outs[len(outs)-1].Interface().(error); ok {
						err = e
					}
					mu.Lock()
					out, got, secrets, answer, p := dump.String(), requested, sent, answerSecrets, probe
					mu.Unlock()
					if !got {
						t.Fatalf("no request sent (err %v): give the method a valid call in authAdjust", err)
					}
					if err != nil {
						out += fmt.Sprintf("%v\n%+v\n", err, err)
					}
					tags := secretwalk.Tags(out)
					for _, s := range append(secrets.Secrets, answer...) {
						if tag := secretwalk.TagOf(s); tag != "" && !tags[tag] {
							continue
						}
						if f := secretwalk.Leaked(out, s); f != "" || secretwalk.TagOf(s) != "" {
							t.Errorf("status %d: the secret %q shows (as %q) in:\n%s", st, s, f, out)
						}
					}
					if st == http.StatusOK && !strings.Contains(out, p) {
						t.Errorf("status 200: the answer's non-secret probe %q is gone too (over-redaction):\n%s", p, out)
					}
					for _, name := range secrets.Names {
						n := strings.ToLower(strings.NewReplacer("_", "", "-", "", ".", "", " ", "").Replace(name))
						if secretwalk.Suspicious(name) && !isSecret("", name) && authNotSecret[n] == "" {
							t.Errorf("sends %q, which looks like a secret: add it to the table of client/internal/rest/secrets.go, or to authNotSecret with the reason", name)
						}
					}
				}
			})
		}
		if walked < 25 {
			t.Errorf("%s: walked %d methods, want every method that sends a request", authName, walked)
		}
	}
}

// isSecret is the walk's oracle: a name of the table of secrets.
func isSecret(_, name string) bool { return rest.IsSecretName(name) }

// lockedBuffer serializes writes to w under mu.
type lockedBuffer struct {
	mu *sync.Mutex
	w  io.Writer
}

func (l lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

func mustMarshal(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}
