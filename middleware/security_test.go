package middleware_test

import (
	"bytes"
	"context"
	"go/ast"
	"go/parser"
	gotoken "go/token"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tokengate/tokengate/middleware"
	"github.com/tokengate/tokengate/orgs"
)

// Rows W1-W7 of SECURITY.md section 3.17.

func TestW1AmbiguousToken(t *testing.T) {
	good := token(t, nil)
	v := newVerifier(t, nil)
	plain := middleware.Authenticate(v)
	all := middleware.Authenticate(v, middleware.WithCookie("at"), middleware.AllowQueryToken())
	q := "?access_token=" + url.QueryEscape(good)
	tests := []struct {
		name   string
		target string
		header http.Header
		want   want
	}{
		{"two Authorization headers", "/plain", http.Header{"Authorization": {"Bearer " + good, "Bearer " + good}}, want{401, chBadRequest, bodyBadRequest, ""}},
		{"two headers, one not Bearer", "/plain", http.Header{"Authorization": {"Bearer " + good, "Basic dXNlcjpwYXNz"}}, want{401, chBadRequest, bodyBadRequest, ""}},
		{"header and query", "/all" + q, bearer(good), want{401, chBadRequest, bodyBadRequest, ""}},
		{"header and query, query tokens off", "/plain" + q, bearer(good), want{401, chBadRequest, bodyBadRequest, ""}},
		{"header and percent-encoded query name, query tokens off", "/plain?access%5Ftoken=x", bearer(good), want{401, chBadRequest, bodyBadRequest, ""}},
		{"header and cookie", "/all", http.Header{"Authorization": {"Bearer " + good}, "Cookie": {"at=" + good}}, want{401, chBadRequest, bodyBadRequest, ""}},
		{"cookie and query", "/all" + q, http.Header{"Cookie": {"at=" + good}}, want{401, chBadRequest, bodyBadRequest, ""}},
		{"two cookies", "/all", http.Header{"Cookie": {"at=" + good + "; at=" + good}}, want{401, chBadRequest, bodyBadRequest, ""}},
		{"two query parameters", "/all" + q + "&access_token=x", nil, want{401, chBadRequest, bodyBadRequest, ""}},
		{"one place only: query", "/all" + q, nil, want{200, "", "sub=auth0|alice", ""}},
		{"unrelated query next to header", "/plain?page=2", bearer(good), want{200, "", "sub=auth0|alice", ""}},
	}
	for _, rt := range routers {
		srv := server(t, rt.serve(get("/plain", plain), get("/all", all)))
		for _, tt := range tests {
			t.Run(rt.name+"/"+tt.name, func(t *testing.T) {
				resp, body := call(t, srv, "GET", tt.target, tt.header)
				checkResponse(t, resp, body, tt.want)
			})
		}
	}
}

func TestW2AuthorizationSyntax(t *testing.T) {
	good := token(t, nil)
	ok := want{200, "", "sub=auth0|alice", ""}
	bad := want{401, chBadRequest, bodyBadRequest, ""}
	missing := want{401, chMissing, bodyMissing, ""}
	tests := []struct {
		name  string
		value string
		want  want
	}{
		{"Bearer", "Bearer " + good, ok},
		{"bearer", "bearer " + good, ok},
		{"BEARER", "BEARER " + good, ok},
		{"bEaReR", "bEaReR " + good, ok},
		{"two spaces", "Bearer  " + good, bad},
		{"tab", "Bearer\t" + good, bad},
		{"Bearer without token", "Bearer", bad},
		{"Bearer and a space only", "Bearer ", bad}, // the server trims trailing space
		{"second value", "Bearer " + good + " extra", bad},
		{"comma list", "Bearer " + good + ", Bearer " + good, bad},
		{"quoted token", `Bearer "` + good + `"`, bad},
		{"Basic", "Basic dXNlcjpwYXNz", missing},
		{"scheme prefix of another", "Bearertoken " + good, missing},
		{"empty header", "", missing},
	}
	auth := middleware.Authenticate(newVerifier(t, nil))
	for _, rt := range routers {
		srv := server(t, rt.serve(get("/items", auth)))
		for _, tt := range tests {
			t.Run(rt.name+"/"+tt.name, func(t *testing.T) {
				resp, body := call(t, srv, "GET", "/items", http.Header{"Authorization": {tt.value}})
				checkResponse(t, resp, body, tt.want)
			})
		}
	}
}

func TestW3QueryParameter(t *testing.T) {
	good := token(t, nil)
	v := newVerifier(t, nil)
	q := "?access_token=" + url.QueryEscape(good)
	tests := []struct {
		name   string
		target string
		want   want
	}{
		{"off by default", "/default" + q, want{401, chMissing, bodyMissing, ""}},
		{"enabled", "/enabled" + q, want{200, "", "sub=auth0|alice", ""}},
		{"enabled, empty value", "/enabled?access_token=", want{401, chBadRequest, bodyBadRequest, ""}},
		{"enabled, invalid token", "/enabled?access_token=a.b.c", want{401, chToken(descMalformed), bodyToken(descMalformed), ""}},
	}
	for _, rt := range routers {
		srv := server(t, rt.serve(
			get("/default", middleware.Authenticate(v)),
			get("/enabled", middleware.Authenticate(v, middleware.AllowQueryToken()))))
		for _, tt := range tests {
			t.Run(rt.name+"/"+tt.name, func(t *testing.T) {
				resp, body := call(t, srv, "GET", tt.target, nil)
				checkResponse(t, resp, body, tt.want)
			})
		}
	}
}

// TestW4ErrorResponses: every way a token fails gives the same 401 answer,
// which contains nothing of the token and nothing of the verifier; 403 and
// 503 are told apart from it.
func TestW4ErrorResponses(t *testing.T) {
	loadKeys(t)
	bad := map[string]struct{ tok, desc string }{
		"unknown kid":    {mint(t, rsaKey, "no-such-kid", nil), descSignature},
		"bad signature":  {mint(t, rogueKey, "k1", nil), descSignature},
		"expired":        {token(t, map[string]any{"exp": testNow.Unix() - 10}), descExpired},
		"wrong issuer":   {token(t, map[string]any{"iss": "https://evil.example.com/"}), descIssuer},
		"wrong audience": {token(t, map[string]any{"aud": "x"}), descAudience},
		"alg none":       {b64([]byte(`{"alg":"none"}`)) + "." + b64([]byte(`{"sub":"x"}`)) + ".", descMalformed},
		"garbage":        {"a.b.c", descMalformed},
	}
	auth := middleware.Authenticate(newVerifier(t, nil))
	for _, rt := range routers {
		srv := server(t, rt.serve(get("/items", auth), get("/scoped", auth, middleware.RequireScopes("admin")),
			get("/down", middleware.Authenticate(newVerifier(t, downKeys{})))))
		for name, c := range bad {
			t.Run(rt.name+"/"+name, func(t *testing.T) {
				resp, body := call(t, srv, "GET", "/items", bearer(c.tok))
				checkResponse(t, resp, body, want{401, chToken(c.desc), bodyToken(c.desc), ""})
				all := body + strings.Join(resp.Header.Values("WWW-Authenticate"), "")
				// The verifier's own texts ("verifier: invalid signature",
				// "key not found") never reach the client.
				if p, found := contains(all, append(longParts(c.tok), "verifier", "kid", "invalid signature", "key not found", "goroutine")...); found {
					t.Errorf("response contains %q", p)
				}
			})
		}
		t.Run(rt.name+"/403 and 503 are distinct", func(t *testing.T) {
			resp, _ := call(t, srv, "GET", "/scoped", bearer(token(t, nil)))
			if resp.StatusCode != 403 || !strings.Contains(resp.Header.Get("WWW-Authenticate"), `error="insufficient_scope"`) {
				t.Errorf("insufficient scope: got %d %q, want 403 insufficient_scope", resp.StatusCode, resp.Header.Get("WWW-Authenticate"))
			}
			resp, _ = call(t, srv, "GET", "/down", bearer(token(t, nil)))
			if resp.StatusCode != 503 {
				t.Errorf("keys unavailable: got %d, want 503", resp.StatusCode)
			}
		})
	}
}

// TestW5Logging: what this package hands to loggers (the Error given to an
// ErrorHandler, the Observer's Event) never holds the token, and
// attacker-controlled kid and iss values arrive escaped.
func TestW5Logging(t *testing.T) {
	loadKeys(t)
	var buf bytes.Buffer
	log := slog.New(slog.NewTextHandler(&buf, nil))
	auth := middleware.Authenticate(newVerifier(t, nil),
		middleware.WithErrorHandler(func(w http.ResponseWriter, r *http.Request, e *middleware.Error) {
			log.Warn("refused", "err", e, "status", e.Status)
			e.WriteResponse(w)
		}),
		middleware.WithObserver(middleware.ObserverFunc(func(_ context.Context, e middleware.Event) {
			log.Info("request", "outcome", e.Outcome, "reason", e.Reason, "route", e.Route)
		})))
	tokens := map[string]string{
		"kid with control bytes": mint(t, rsaKey, "k\n\x1b[31m", nil),
		"long kid":               mint(t, rsaKey, "k"+strings.Repeat("A", 200), nil),
		"iss with newline":       token(t, map[string]any{"iss": "https://evil/\nlevel=ERROR msg=forged"}),
		"bad signature":          mint(t, rogueKey, "k1", nil),
		"forged, no kid":         "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln",
	}
	srv := server(t, routers[0].serve(get("/items", auth)))
	for name, tok := range tokens {
		t.Run(name, func(t *testing.T) {
			buf.Reset()
			resp, _ := call(t, srv, "GET", "/items", bearer(tok))
			if resp.StatusCode != 401 {
				t.Fatalf("status: got %d, want 401", resp.StatusCode)
			}
			out := buf.String()
			if !strings.Contains(out, "refused") || !strings.Contains(out, "outcome=invalid_token") {
				t.Fatalf("log: got %q, want a refusal and an event", out)
			}
			if p, found := contains(out, longParts(tok)...); found {
				t.Errorf("log contains token part %q: %s", p, out)
			}
			if lines := strings.Count(out, "\n"); lines != 2 {
				t.Errorf("log lines: got %d, want 2 (no injected line breaks): %s", lines, out)
			}
			if p, found := contains(out, "\x1b", "\nlevel=ERROR", strings.Repeat("A", 100)); found {
				t.Errorf("log contains unescaped or uncut attacker text %q: %s", p, out)
			}
		})
	}
}

// TestW6ClaimsContext: claims come only from Authenticate, after the token
// verified, behind an unexported key; nothing unverified can be read.
func TestW6ClaimsContext(t *testing.T) {
	t.Run("nothing on a plain context", func(t *testing.T) {
		if c, ok := middleware.ClaimsFromContext(context.Background()); ok || c != nil {
			t.Errorf("ClaimsFromContext: got %v, %v, want nil, false", c, ok)
		}
	})
	t.Run("look-alike keys are not claims", func(t *testing.T) {
		var got bool
		h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			_, got = middleware.ClaimsFromContext(r.Context())
		})
		inject := func(next http.Handler) http.Handler {
			return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				ctx := r.Context()
				for _, k := range []any{"claims", "user", struct{}{}, "middleware.stateKey"} {
					ctx = context.WithValue(ctx, k, &struct{ Subject string }{"mallory"})
				}
				next.ServeHTTP(w, r.WithContext(ctx))
			})
		}
		srv := server(t, inject(h))
		call(t, srv, "GET", "/", nil)
		if got {
			t.Errorf("ClaimsFromContext after injected values: got true, want false")
		}
	})
	t.Run("unverified tokens never reach the handler", func(t *testing.T) {
		reached := 0
		h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { reached++ })
		srv := server(t, middleware.Authenticate(newVerifier(t, nil))(h))
		for _, tok := range []string{mint(t, rogueKey, "k1", nil), token(t, map[string]any{"exp": testNow.Unix() - 1}), "x.y.z"} {
			call(t, srv, "GET", "/", bearer(tok))
		}
		if reached != 0 {
			t.Errorf("handler reached %d times, want 0", reached)
		}
	})
	t.Run("handler sees the verified claims", func(t *testing.T) {
		srv := server(t, middleware.Authenticate(newVerifier(t, nil))(echo))
		if resp, body := call(t, srv, "GET", "/", bearer(token(t, map[string]any{"sub": "auth0|bob"}))); body != "sub=auth0|bob" {
			t.Errorf("got %d %q, want sub=auth0|bob", resp.StatusCode, body)
		}
	})
	t.Run("no exported unverified parsing", func(t *testing.T) {
		for _, dir := range []string{".", "../orgs"} {
			fset := gotoken.NewFileSet()
			entries, err := os.ReadDir(dir)
			if err != nil {
				t.Fatal(err)
			}
			for _, e := range entries {
				if !strings.HasSuffix(e.Name(), ".go") || strings.HasSuffix(e.Name(), "_test.go") {
					continue
				}
				f, err := parser.ParseFile(fset, filepath.Join(dir, e.Name()), nil, 0)
				if err != nil {
					t.Fatal(err)
				}
				ast.Inspect(f, func(n ast.Node) bool {
					id, ok := n.(*ast.Ident)
					if ok && id.IsExported() && strings.Contains(strings.ToLower(id.Name), "unverified") && !strings.HasPrefix(id.Name, "Insecure") {
						t.Errorf("%s: exported %s reads unverified data without an Insecure name", fset.Position(id.Pos()), id.Name)
					}
					return true
				})
			}
		}
	})
}

// TestW7CORSPreflight: the bypass is off by default; when on, only real
// preflights are answered without credentials, by Authenticate (204) or by
// the CORS handler given, and never by the protected handler (X20).
func TestW7CORSPreflight(t *testing.T) {
	v := newVerifier(t, nil)
	var ev events
	cors := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Access-Control-Allow-Origin", r.Header.Get("Origin"))
		w.WriteHeader(http.StatusOK)
	})
	def := middleware.Authenticate(v)
	pass := middleware.Authenticate(v, middleware.PassCORSPreflight(nil), middleware.WithObserver(&ev))
	withCORS := middleware.Authenticate(v, middleware.PassCORSPreflight(cors), middleware.WithObserver(&ev))
	preflight := http.Header{"Origin": {"https://app.example.com"}, "Access-Control-Request-Method": {"DELETE"}}
	tests := []struct {
		name   string
		method string
		target string
		header http.Header
		want   want
		origin string // Access-Control-Allow-Origin
	}{
		{"off by default", "OPTIONS", "/default", preflight, want{401, chMissing, bodyMissing, ""}, ""},
		{"on: answered 204", "OPTIONS", "/pass", preflight, want{204, "", "", ""}, ""},
		{"on: before route checks", "OPTIONS", "/orgs/org_a/items", preflight, want{204, "", "", ""}, ""},
		{"on: CORS handler answers", "OPTIONS", "/cors", preflight, want{200, "", "", ""}, "https://app.example.com"},
		{"on: OPTIONS without request method", "OPTIONS", "/pass", http.Header{"Origin": {"https://app.example.com"}}, want{401, chMissing, bodyMissing, ""}, ""},
		{"on: OPTIONS without Origin", "OPTIONS", "/pass", http.Header{"Access-Control-Request-Method": {"DELETE"}}, want{401, chMissing, bodyMissing, ""}, ""},
		{"on: GET with preflight headers", "GET", "/pass", preflight, want{401, chMissing, bodyMissing, ""}, ""},
	}
	for _, rt := range routers {
		srv := server(t, rt.serve(
			route{"", "/default", []mw{def}},
			route{"", "/pass", []mw{pass}},
			route{"", "/cors", []mw{withCORS}},
			route{"", "/orgs/{org}/items", []mw{pass, middleware.RequireScopes("read:items"), orgs.Require(orgs.FromPath("org"))}},
		))
		for _, tt := range tests {
			t.Run(rt.name+"/"+tt.name, func(t *testing.T) {
				resp, body := call(t, srv, tt.method, tt.target, tt.header)
				if tt.want.status < 400 {
					if resp.StatusCode != tt.want.status || body != tt.want.body {
						t.Errorf("answer: got %d %q, want %d %q", resp.StatusCode, body, tt.want.status, tt.want.body)
					}
				} else {
					checkResponse(t, resp, body, tt.want)
				}
				if got := resp.Header.Get("Access-Control-Allow-Origin"); got != tt.origin {
					t.Errorf("Access-Control-Allow-Origin: got %q, want %q", got, tt.origin)
				}
			})
		}
	}
	var ours, theirs int
	for _, e := range ev.take() {
		switch {
		case e.Outcome == middleware.OutcomePreflight && e.Status == 204:
			ours++
		case e.Outcome == middleware.OutcomePreflight && e.Status == 0:
			theirs++
		}
	}
	if ours != 4 || theirs != 2 {
		t.Errorf("preflight events: got %d answered 204 and %d by the CORS handler, want 4 and 2", ours, theirs)
	}
}

// longParts returns the token and those of its segments long enough that
// finding them in a text means the text leaks them.
func longParts(tok string) []string {
	out := []string{tok}
	for _, p := range strings.Split(tok, ".") {
		if len(p) >= 8 {
			out = append(out, p)
		}
	}
	return out
}
