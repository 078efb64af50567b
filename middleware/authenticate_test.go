package middleware_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/tokengate/tokengate/middleware"
	"github.com/tokengate/tokengate/verifier"
)

// TestResponses checks every status, header and body of the package through
// real servers, on http.ServeMux and on chi.
func TestResponses(t *testing.T) {
	v := newVerifier(t, nil)
	down := newVerifier(t, downKeys{})
	auth := middleware.Authenticate(v)
	routes := []route{
		get("/items", auth),
		get("/scoped", auth, middleware.RequireScopes("read:items", "write:items")),
		get("/admin", auth, middleware.RequireScopes("read:items", "admin")),
		get("/perm", auth, middleware.RequirePermissions("delete:items")),
		get("/either", auth, middleware.RequireScopesOrPermissions("read:items", "delete:items")),
		get("/noauth-scoped", middleware.RequireScopes("read:items")),
		get("/down", middleware.Authenticate(down)),
	}
	good := token(t, nil)
	perms := token(t, map[string]any{"scope": "openid", "permissions": []string{"read:items", "delete:items"}})
	ok := want{status: 200, body: "sub=auth0|alice"}
	tests := []struct {
		name   string
		target string
		header http.Header
		want   want
	}{
		{"valid token", "/items", bearer(good), ok},
		{"no token", "/items", nil, want{401, chMissing, bodyMissing, ""}},
		{"Bearer without token", "/items", http.Header{"Authorization": {"Bearer"}}, want{401, chBadRequest, bodyBadRequest, ""}},
		{"two Authorization headers", "/items", http.Header{"Authorization": {"Bearer " + good, "Bearer " + good}}, want{401, chBadRequest, bodyBadRequest, ""}},
		{"garbage token", "/items", bearer("not.a.jwt"), want{401, chToken(descMalformed), bodyToken(descMalformed), ""}},
		{"expired token", "/items", bearer(token(t, map[string]any{"exp": testNow.Add(-time.Minute).Unix()})), want{401, chToken(descExpired), bodyToken(descExpired), ""}},
		{"wrong audience", "/items", bearer(token(t, map[string]any{"aud": "https://other.example.com"})), want{401, chToken(descAudience), bodyToken(descAudience), ""}},
		{"bad signature", "/items", bearer(mint(t, rogueKey, "k1", nil)), want{401, chBadToken, bodyBadToken, ""}},
		{"unknown kid", "/items", bearer(mint(t, rogueKey, "k2", nil)), want{401, chBadToken, bodyBadToken, ""}},
		{"keys unavailable", "/down", bearer(good), want{503, "", bodyUnavailable, "10"}},
		{"scope claim has all", "/scoped", bearer(good), ok},
		{"scope claim lacks one", "/admin", bearer(good), want{403, chScope("read:items admin"), bodyScope, ""}},
		{"scopes not in permissions", "/scoped", bearer(perms), want{403, chScope("read:items write:items"), bodyScope, ""}},
		{"permissions array has it", "/perm", bearer(perms), ok},
		{"permissions not in scope", "/perm", bearer(good), want{403, chScope("delete:items"), bodyScope, ""}},
		{"scope or permission: both from permissions", "/either", bearer(perms), ok},
		{"scope or permission: one missing", "/either", bearer(good), want{403, chScope("read:items delete:items"), bodyScope, ""}},
		{"scope check without Authenticate", "/noauth-scoped", bearer(good), want{500, "", bodyMisconfigured, ""}},
		{"invalid token on scoped route", "/scoped", bearer(mint(t, rogueKey, "k1", nil)), want{401, chBadToken, bodyBadToken, ""}},
	}
	for _, rt := range routers {
		srv := server(t, rt.serve(routes...))
		for _, tt := range tests {
			t.Run(rt.name+"/"+tt.name, func(t *testing.T) {
				resp, body := call(t, srv, http.MethodGet, tt.target, tt.header)
				checkResponse(t, resp, body, tt.want)
			})
		}
	}
}

func TestRealmAndRetryAfter(t *testing.T) {
	auth := middleware.Authenticate(newVerifier(t, nil), middleware.WithRealm("orders"))
	down := middleware.Authenticate(newVerifier(t, downKeys{}), middleware.WithRetryAfter(1500*time.Millisecond))
	for _, rt := range routers {
		srv := server(t, rt.serve(get("/a", auth), get("/s", auth, middleware.RequireScopes("x")), get("/d", down)))
		t.Run(rt.name, func(t *testing.T) {
			resp, body := call(t, srv, "GET", "/a", nil)
			checkResponse(t, resp, body, want{401, `Bearer realm="orders"`, bodyMissing, ""})
			resp, body = call(t, srv, "GET", "/a", bearer("x.y.z"))
			checkResponse(t, resp, body, want{401, strings.Replace(chToken(descMalformed), `"api"`, `"orders"`, 1), bodyToken(descMalformed), ""})
			resp, body = call(t, srv, "GET", "/s", bearer(token(t, nil)))
			checkResponse(t, resp, body, want{403, strings.Replace(chScope("x"), `"api"`, `"orders"`, 1), bodyScope, ""})
			resp, body = call(t, srv, "GET", "/d", bearer(token(t, nil)))
			checkResponse(t, resp, body, want{503, "", bodyUnavailable, "2"})
		})
	}
}

func TestCredentialsOptional(t *testing.T) {
	auth := middleware.Authenticate(newVerifier(t, nil), middleware.CredentialsOptional())
	for _, rt := range routers {
		srv := server(t, rt.serve(get("/feed", auth), get("/mine", auth, middleware.RequireScopes("read:items"))))
		tests := []struct {
			name, target string
			header       http.Header
			want         want
		}{
			{"anonymous passes", "/feed", nil, want{200, "", "anonymous", ""}},
			{"valid token gives claims", "/feed", bearer(token(t, nil)), want{200, "", "sub=auth0|alice", ""}},
			{"present invalid token refused", "/feed", bearer(mint(t, rogueKey, "k1", nil)), want{401, chBadToken, bodyBadToken, ""}},
			{"malformed header refused", "/feed", http.Header{"Authorization": {"Bearer"}}, want{401, chBadRequest, bodyBadRequest, ""}},
			{"other scheme refused", "/feed", http.Header{"Authorization": {"Basic dXNlcjpwYXNz"}}, want{401, chMissing, bodyMissing, ""}},
			{"anonymous on scoped route", "/mine", nil, want{401, chMissing, bodyMissing, ""}},
			{"token on scoped route", "/mine", bearer(token(t, nil)), want{200, "", "sub=auth0|alice", ""}},
		}
		for _, tt := range tests {
			t.Run(rt.name+"/"+tt.name, func(t *testing.T) {
				resp, body := call(t, srv, "GET", tt.target, tt.header)
				checkResponse(t, resp, body, tt.want)
			})
		}
	}
}

func TestCookieToken(t *testing.T) {
	auth := middleware.Authenticate(newVerifier(t, nil), middleware.WithCookie("at"))
	good := token(t, nil)
	tests := []struct {
		name   string
		header http.Header
		want   want
	}{
		{"cookie only", http.Header{"Cookie": {"theme=dark; at=" + good}}, want{200, "", "sub=auth0|alice", ""}},
		{"header only", bearer(good), want{200, "", "sub=auth0|alice", ""}},
		{"empty cookie is absent", http.Header{"Cookie": {"at="}}, want{401, chMissing, bodyMissing, ""}},
		{"other cookies only", http.Header{"Cookie": {"theme=dark"}}, want{401, chMissing, bodyMissing, ""}},
		{"invalid token in cookie", http.Header{"Cookie": {"at=" + mint(t, rogueKey, "k1", nil)}}, want{401, chBadToken, bodyBadToken, ""}},
		{"malformed cookie value", http.Header{"Cookie": {`at=a$b`}}, want{401, chBadRequest, bodyBadRequest, ""}},
	}
	for _, rt := range routers {
		srv := server(t, rt.serve(get("/items", auth)))
		for _, tt := range tests {
			t.Run(rt.name+"/"+tt.name, func(t *testing.T) {
				resp, body := call(t, srv, "GET", "/items", tt.header)
				checkResponse(t, resp, body, tt.want)
			})
		}
	}
}

func TestTokenExtractor(t *testing.T) {
	errBad := errors.New("bad header")
	var gotErr error
	auth := middleware.Authenticate(newVerifier(t, nil),
		middleware.WithTokenExtractor(func(r *http.Request) (string, error) {
			if r.Header.Get("X-Bad") != "" {
				return "", errBad
			}
			return r.Header.Get("X-Token"), nil
		}),
		middleware.WithErrorHandler(func(w http.ResponseWriter, r *http.Request, e *middleware.Error) {
			gotErr = e.Err
			e.WriteResponse(w)
		}))
	srv := server(t, routers[0].serve(get("/items", auth)))
	resp, body := call(t, srv, "GET", "/items", http.Header{"X-Token": {token(t, nil)}})
	checkResponse(t, resp, body, want{200, "", "sub=auth0|alice", ""})
	resp, body = call(t, srv, "GET", "/items", bearer(token(t, nil)))
	checkResponse(t, resp, body, want{401, chMissing, bodyMissing, ""})
	resp, body = call(t, srv, "GET", "/items", http.Header{"X-Bad": {"1"}})
	checkResponse(t, resp, body, want{401, chBadRequest, bodyBadRequest, ""})
	if !errors.Is(gotErr, errBad) {
		t.Errorf("error handler cause: got %v, want %v", gotErr, errBad)
	}
}

// TestErrorHandler checks that one handler replaces every response, with
// the Error the default would have written.
func TestErrorHandler(t *testing.T) {
	var got []*middleware.Error
	h := func(w http.ResponseWriter, r *http.Request, e *middleware.Error) {
		got = append(got, e)
		w.WriteHeader(418)
	}
	auth := middleware.Authenticate(newVerifier(t, nil), middleware.WithErrorHandler(h))
	down := middleware.Authenticate(newVerifier(t, downKeys{}), middleware.WithErrorHandler(h))
	srv := server(t, routers[1].serve(get("/a", auth), get("/s", auth, middleware.RequireScopes("admin")), get("/d", down)))
	tests := []struct {
		target     string
		header     http.Header
		status     int
		code       string
		challenge  string
		outcome    string
		errIs      error
		retryAfter time.Duration
	}{
		{"/a", nil, 401, "unauthorized", chMissing, middleware.OutcomeMissingToken, nil, 0},
		{"/a", http.Header{"Authorization": {"Bearer"}}, 401, "invalid_request", chBadRequest, middleware.OutcomeInvalidRequest, middleware.ErrInvalidRequest, 0},
		{"/a", bearer(mint(t, rogueKey, "k1", nil)), 401, "invalid_token", chBadToken, middleware.OutcomeInvalidToken, verifier.ErrSignature, 0},
		{"/s", bearer(token(t, nil)), 403, "insufficient_scope", chScope("admin"), middleware.OutcomeInsufficientScope, nil, 0},
		{"/d", bearer(token(t, nil)), 503, "temporarily_unavailable", "", middleware.OutcomeKeysUnavailable, verifier.ErrKeysUnavailable, 10 * time.Second},
	}
	for _, tt := range tests {
		got = nil
		resp, body := call(t, srv, "GET", tt.target, tt.header)
		if resp.StatusCode != 418 || body != "" || resp.Header.Get("WWW-Authenticate") != "" {
			t.Errorf("%s %v: got %d %q, want the handler's bare 418", tt.target, tt.header, resp.StatusCode, body)
		}
		if len(got) != 1 {
			t.Fatalf("%s: handler called %d times, want 1", tt.target, len(got))
		}
		e := got[0]
		if e.Status != tt.status || e.Code != tt.code || e.Challenge != tt.challenge || e.Outcome != tt.outcome || e.RetryAfter != tt.retryAfter {
			t.Errorf("%s: got Error{%d %q %q %q %v}, want {%d %q %q %q %v}", tt.target, e.Status, e.Code, e.Challenge, e.Outcome, e.RetryAfter,
				tt.status, tt.code, tt.challenge, tt.outcome, tt.retryAfter)
		}
		if tt.errIs != nil && !errors.Is(e, tt.errIs) {
			t.Errorf("%s: errors.Is(e, %v) = false for %v", tt.target, tt.errIs, e)
		}
	}
}

// TestObserver checks one event per request with outcome, reason, status
// and route pattern, on both routers, including an Authenticate that runs
// before chi's router.
func TestObserver(t *testing.T) {
	var ev events
	v := newVerifier(t, nil)
	auth := middleware.Authenticate(v, middleware.WithObserver(&ev))
	tests := []struct {
		name    string
		target  string
		header  http.Header
		outcome string
		reason  string
		status  int
	}{
		{"ok", "/scoped/x", bearer(token(t, nil)), middleware.OutcomeOK, "ok", 0},
		{"missing", "/scoped/x", nil, middleware.OutcomeMissingToken, "", 401},
		{"invalid request", "/scoped/x", http.Header{"Authorization": {"Bearer "}}, middleware.OutcomeInvalidRequest, "", 401},
		{"unknown kid", "/scoped/x", bearer(mint(t, rogueKey, "zz", nil)), middleware.OutcomeInvalidToken, "unknown_kid", 401},
		{"bad signature", "/scoped/x", bearer(mint(t, rogueKey, "k1", nil)), middleware.OutcomeInvalidToken, "bad_signature", 401},
		{"expired", "/scoped/x", bearer(token(t, map[string]any{"exp": testNow.Unix() - 1})), middleware.OutcomeInvalidToken, "expired", 401},
		{"scope refused downstream", "/admin/x", bearer(token(t, nil)), middleware.OutcomeInsufficientScope, "", 403},
	}
	builds := []struct {
		name  string
		h     http.Handler
		route map[string]string // target -> expected Route, refused or let through
	}{
		{"ServeMux", func() http.Handler {
			mux := http.NewServeMux()
			mux.Handle("GET /scoped/{id}", auth(middleware.RequireScopes("read:items")(echo)))
			mux.Handle("GET /admin/{id}", auth(middleware.RequireScopes("admin")(echo)))
			return mux
		}(), map[string]string{"/scoped/x": "GET /scoped/{id}", "/admin/x": "GET /admin/{id}"}},
		{"chi With", func() http.Handler {
			r := chi.NewRouter()
			r.With(auth, middleware.RequireScopes("read:items")).Get("/scoped/{id}", echo)
			r.With(auth, middleware.RequireScopes("admin")).Get("/admin/{id}", echo)
			return r
		}(), map[string]string{"/scoped/x": "/scoped/{id}", "/admin/x": "/admin/{id}"}},
		{"chi Use before routing", func() http.Handler {
			r := chi.NewRouter()
			r.Use(auth)
			r.With(middleware.RequireScopes("read:items")).Get("/scoped/{id}", echo)
			r.Route("/admin", func(r chi.Router) {
				r.Use(middleware.RequireScopes("admin"))
				r.Get("/{id}", echo)
			})
			return r
			// Authenticate and the subrouter's Use run before routing:
			// RoutePattern asks chi for the route the request will match,
			// so refusals carry the full pattern too.
		}(), map[string]string{"/scoped/x": "/scoped/{id}", "/admin/x": "/admin/{id}"}},
	}
	for _, b := range builds {
		srv := server(t, b.h)
		for _, tt := range tests {
			t.Run(b.name+"/"+tt.name, func(t *testing.T) {
				ev.take()
				call(t, srv, "GET", tt.target, tt.header)
				got := ev.take()
				if len(got) != 1 {
					t.Fatalf("events: got %d (%+v), want 1", len(got), got)
				}
				wantRoute := b.route[tt.target]
				w := middleware.Event{Outcome: tt.outcome, Reason: tt.reason, Status: tt.status, Route: wantRoute}
				if got[0] != w {
					t.Errorf("event: got %+v, want %+v", got[0], w)
				}
			})
		}
	}
}

// TestCanceled: a client that goes away while keys are being fetched gets
// no body and no implicit 200; the observer sees "canceled".
func TestCanceled(t *testing.T) {
	t.Run("recorder", func(t *testing.T) {
		var ev events
		h := middleware.Authenticate(newVerifier(t, ctxKeys{}), middleware.WithObserver(&ev))(echo)
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		req := httptest.NewRequestWithContext(ctx, "GET", "/items", nil)
		req.Header.Set("Authorization", "Bearer "+token(t, nil))
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != middleware.StatusClientClosedRequest || rec.Body.Len() != 0 {
			t.Errorf("got %d %q, want %d and no body", rec.Code, rec.Body.String(), middleware.StatusClientClosedRequest)
		}
		if got := ev.take(); len(got) != 1 || got[0].Outcome != middleware.OutcomeCanceled || got[0].Reason != "canceled" {
			t.Errorf("events: got %+v, want one canceled", got)
		}
	})
	for _, rt := range routers {
		t.Run(rt.name, func(t *testing.T) {
			var ev events
			entered := make(chan struct{})
			done := make(chan struct{})
			obs := middleware.ObserverFunc(func(_ context.Context, e middleware.Event) { ev.ObserveRequest(context.Background(), e); close(done) })
			auth := middleware.Authenticate(newVerifier(t, ctxKeys{entered: entered}), middleware.WithObserver(obs))
			srv := server(t, rt.serve(get("/items", auth)))
			ctx, cancel := context.WithCancel(context.Background())
			go func() { <-entered; cancel() }()
			req, _ := http.NewRequestWithContext(ctx, "GET", srv.URL+"/items", nil)
			req.Header.Set("Authorization", "Bearer "+token(t, nil))
			if resp, err := srv.Client().Do(req); err == nil {
				resp.Body.Close()
				t.Fatalf("request: got status %d, want a canceled request", resp.StatusCode)
			}
			select {
			case <-done:
			case <-time.After(10 * time.Second):
				t.Fatal("no event after the client went away")
			}
			want := middleware.Event{Outcome: middleware.OutcomeCanceled, Reason: "canceled", Status: middleware.StatusClientClosedRequest}
			if got := ev.take(); len(got) != 1 || got[0].Outcome != want.Outcome || got[0].Status != want.Status || got[0].Reason != want.Reason {
				t.Errorf("events: got %+v, want one %+v", got, want)
			}
		})
	}
}

func TestVerifyOptions(t *testing.T) {
	auth := middleware.Authenticate(newVerifier(t, nil), middleware.WithVerifyOptions(verifier.WithOrganization("org_a")))
	for _, rt := range routers {
		srv := server(t, rt.serve(get("/items", auth)))
		t.Run(rt.name, func(t *testing.T) {
			resp, body := call(t, srv, "GET", "/items", bearer(token(t, map[string]any{"org_id": "org_a"})))
			checkResponse(t, resp, body, want{200, "", "sub=auth0|alice", ""})
			resp, body = call(t, srv, "GET", "/items", bearer(token(t, map[string]any{"org_id": "org_b"})))
			checkResponse(t, resp, body, want{401, chToken(descOrg), bodyToken(descOrg), ""})
		})
	}
}

// TestNestedAuthenticate: an outer Authenticate's observer reports the
// refusal of an inner one (a route group with stricter verify options).
func TestNestedAuthenticate(t *testing.T) {
	var ev events
	v := newVerifier(t, nil)
	outer := middleware.Authenticate(v, middleware.WithObserver(&ev))
	inner := middleware.Authenticate(v, middleware.WithVerifyOptions(verifier.WithOrganization("org_a")))
	r := chi.NewRouter()
	r.Use(outer)
	r.With(inner).Get("/a", echo)
	srv := server(t, r)
	resp, _ := call(t, srv, "GET", "/a", bearer(token(t, map[string]any{"org_id": "org_b"})))
	if resp.StatusCode != 401 {
		t.Fatalf("status: got %d, want 401", resp.StatusCode)
	}
	got := ev.take()
	if len(got) != 1 || got[0].Outcome != middleware.OutcomeInvalidToken || got[0].Status != 401 || got[0].Route != "/a" {
		t.Errorf("outer events: got %+v, want one invalid_token 401 on /a", got)
	}
}

// TestChiComposition: the middleware works in chi's Use, With, Group and
// Route without adapters.
func TestChiComposition(t *testing.T) {
	auth := middleware.Authenticate(newVerifier(t, nil))
	r := chi.NewRouter()
	r.Get("/public", echo)
	r.Group(func(r chi.Router) {
		r.Use(auth)
		r.Get("/group", echo)
	})
	r.Route("/route", func(r chi.Router) {
		r.Use(auth, middleware.RequireScopes("read:items"))
		r.Get("/", echo)
	})
	r.With(auth).Get("/with", echo)
	sub := chi.NewRouter()
	sub.Use(auth)
	sub.Get("/x", echo)
	r.Mount("/mount", sub)
	srv := server(t, r)
	for _, p := range []string{"/group", "/route/", "/with", "/mount/x"} {
		resp, body := call(t, srv, "GET", p, nil)
		checkResponse(t, resp, body, want{401, chMissing, bodyMissing, ""})
		resp, body = call(t, srv, "GET", p, bearer(token(t, nil)))
		checkResponse(t, resp, body, want{200, "", "sub=auth0|alice", ""})
	}
	if resp, body := call(t, srv, "GET", "/public", nil); resp.StatusCode != 200 || body != "anonymous" {
		t.Errorf("/public: got %d %q, want 200 anonymous", resp.StatusCode, body)
	}
}

func TestRoutePattern(t *testing.T) {
	got := make(chan string, 1)
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { got <- middleware.RoutePattern(r) })
	mux := http.NewServeMux()
	mux.Handle("GET /orgs/{org}/items/{id}", h)
	r := chi.NewRouter()
	r.Route("/orgs/{org}", func(r chi.Router) { r.Get("/items/{id}", h) })
	tests := []struct {
		name string
		h    http.Handler
		want string
	}{
		{"ServeMux", mux, "GET /orgs/{org}/items/{id}"},
		{"chi", r, "/orgs/{org}/items/{id}"},
		{"no router", h, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := server(t, tt.h)
			call(t, srv, "GET", "/orgs/org_1/items/42", nil)
			if p := <-got; p != tt.want {
				t.Errorf("RoutePattern: got %q, want %q", p, tt.want)
			}
		})
	}
}

func TestBuildPanics(t *testing.T) {
	v := newVerifier(t, nil)
	tests := []struct {
		name string
		f    func()
	}{
		{"nil verifier", func() { middleware.Authenticate(nil) }},
		{"realm with quote", func() { middleware.Authenticate(v, middleware.WithRealm(`a"b`)) }},
		{"realm with newline", func() { middleware.Authenticate(v, middleware.WithRealm("a\nb")) }},
		{"extractor and cookie", func() {
			middleware.Authenticate(v, middleware.WithCookie("at"), middleware.WithTokenExtractor(func(*http.Request) (string, error) { return "", nil }))
		}},
		{"bad cookie name", func() { middleware.Authenticate(v, middleware.WithCookie("a b")) }},
		{"negative retry", func() { middleware.Authenticate(v, middleware.WithRetryAfter(-time.Second)) }},
		{"nil option", func() { middleware.Authenticate(v, nil) }},
		{"nil handler", func() { middleware.Authenticate(v)(nil) }},
		{"no scopes", func() { middleware.RequireScopes() }},
		{"scope with space", func() { middleware.RequireScopes("a b") }},
		{"scope with quote", func() { middleware.RequirePermissions(`a"`) }},
		{"empty permission", func() { middleware.RequirePermissions("") }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Errorf("got no panic, want one")
				}
			}()
			tt.f()
		})
	}
}

// TestTimeoutHandlerInChain: a handler that runs the rest of the chain on
// another goroutine (http.TimeoutHandler) and returns first must not race
// with a route check refusing later (run with -race).
func TestTimeoutHandlerInChain(t *testing.T) {
	var ev events
	done := make(chan struct{})
	slow := func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			defer close(done)
			time.Sleep(50 * time.Millisecond)
			next.ServeHTTP(w, r)
		})
	}
	h := middleware.Authenticate(newVerifier(t, nil), middleware.WithObserver(&ev))(
		http.TimeoutHandler(slow(middleware.RequireScopes("admin")(echo)), 5*time.Millisecond, "timeout"))
	srv := server(t, h)
	resp, _ := call(t, srv, "GET", "/", bearer(token(t, nil)))
	if resp.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("status: got %d, want 503 from TimeoutHandler", resp.StatusCode)
	}
	<-done
	if got := ev.take(); len(got) != 1 || got[0].Outcome != middleware.OutcomeOK {
		t.Errorf("events: got %+v, want one ok (the refusal came after the response)", got)
	}
}
