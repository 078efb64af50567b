package orgs_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/tokengate/tokengate/middleware"
	"github.com/tokengate/tokengate/orgs"
	"github.com/tokengate/tokengate/verifier"
)

// TestRequireFromPath: organization enforcement on /orgs/{org}/... routes,
// on http.ServeMux and on chi.
func TestRequireFromPath(t *testing.T) {
	auth := middleware.Authenticate(newVerifier(t))
	byID := token(t, map[string]any{"org_id": "org_acme"})
	byName := token(t, map[string]any{"org_name": "acme"})
	both := token(t, map[string]any{"org_id": "org_acme", "org_name": "acme"})
	none := token(t, nil)
	denied := want{403, "", bodyDenied, ""}
	tests := []struct {
		name   string
		target string
		header http.Header
		want   want
	}{
		{"org_id matches", "/orgs/org_acme/items", bearer(byID), want{200, "", "sub=auth0|alice org=org_acme", ""}},
		{"org_id differs", "/orgs/org_other/items", bearer(byID), denied},
		{"org_id is exact", "/orgs/org_ACME/items", bearer(byID), denied},
		{"org_name matches ignoring case", "/orgs/ACME/items", bearer(byName), want{200, "", "sub=auth0|alice org=acme", ""}},
		{"org_name differs", "/orgs/globex/items", bearer(byName), denied},
		{"name route, token has only org_id", "/orgs/acme/items", bearer(byID), denied},
		{"id route, token has only org_name", "/orgs/org_acme/items", bearer(byName), denied},
		{"both claims, name route", "/orgs/Acme/items", bearer(both), want{200, "", "sub=auth0|alice org=org_acmeacme", ""}},
		{"token without organization", "/orgs/org_acme/items", bearer(none), denied},
		{"no token", "/orgs/org_acme/items", nil, want{401, challengeNoBearer, bodyUnauthorized, ""}},
	}
	for _, rt := range routers {
		srv := server(t, rt.serve("/orgs/{org}/items", auth, orgs.Require(orgs.FromPath("org"))))
		for _, tt := range tests {
			t.Run(rt.name+"/"+tt.name, func(t *testing.T) {
				resp, body := call(t, srv, tt.target, tt.header)
				check(t, resp, body, tt.want)
			})
		}
	}
	t.Run("chi Route with Use", func(t *testing.T) {
		r := chi.NewRouter()
		r.Route("/orgs/{org}", func(r chi.Router) {
			r.Use(auth, orgs.Require(orgs.FromPath("org")))
			r.Get("/items", echo)
		})
		srv := server(t, r)
		resp, body := call(t, srv, "/orgs/org_acme/items", bearer(byID))
		check(t, resp, body, want{200, "", "sub=auth0|alice org=org_acme", ""})
		resp, body = call(t, srv, "/orgs/org_other/items", bearer(byID))
		check(t, resp, body, denied)
	})
}

// TestRequireFailsClosed: the wiring mistakes and missing context that must
// not let a request through.
func TestRequireFailsClosed(t *testing.T) {
	auth := middleware.Authenticate(newVerifier(t))
	req := orgs.Require(orgs.FromPath("org"))
	byID := bearer(token(t, map[string]any{"org_id": "org_acme"}))
	t.Run("ServeMux/Require around the router", func(t *testing.T) {
		mux := http.NewServeMux()
		mux.Handle("GET /orgs/{org}/items", echo)
		srv := server(t, auth(req(mux)))
		resp, body := call(t, srv, "/orgs/org_acme/items", byID)
		check(t, resp, body, want{403, "", bodyMissing, ""})
	})
	t.Run("chi/Require in Use before routing", func(t *testing.T) {
		r := chi.NewRouter()
		r.Use(auth, req)
		r.Get("/orgs/{org}/items", echo)
		srv := server(t, r)
		resp, body := call(t, srv, "/orgs/org_acme/items", byID)
		check(t, resp, body, want{403, "", bodyMissing, ""})
	})
	for _, rt := range routers {
		t.Run(rt.name+"/wrong wildcard name", func(t *testing.T) {
			srv := server(t, rt.serve("/orgs/{org}/items", auth, orgs.Require(orgs.FromPath("tenant"))))
			resp, body := call(t, srv, "/orgs/org_acme/items", byID)
			check(t, resp, body, want{403, "", bodyMissing, ""})
		})
		t.Run(rt.name+"/without Authenticate", func(t *testing.T) {
			srv := server(t, rt.serve("/orgs/{org}/items", req))
			resp, body := call(t, srv, "/orgs/org_acme/items", byID)
			check(t, resp, body, want{500, "", bodyMisconfigured, ""})
		})
		t.Run(rt.name+"/anonymous", func(t *testing.T) {
			srv := server(t, rt.serve("/orgs/{org}/items", middleware.Authenticate(newVerifier(t), middleware.CredentialsOptional()), req))
			resp, body := call(t, srv, "/orgs/org_acme/items", nil)
			check(t, resp, body, want{401, challengeNoBearer, bodyUnauthorized, ""})
		})
	}
}

type tenantKey struct{}

func TestSources(t *testing.T) {
	auth := middleware.Authenticate(newVerifier(t))
	acme := bearer(token(t, map[string]any{"org_id": "org_acme"}))
	with := func(h http.Header, k, v string) http.Header {
		out := h.Clone()
		out[k] = append(out[k], v)
		return out
	}
	hosts := map[string]string{"acme.api.test": "org_acme", "globex.api.test": "org_globex"}
	resolve := func(host string) (string, bool) { org, ok := hosts[host]; return org, ok }
	setTenant := func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if t := r.Header.Get("X-Tenant"); t != "" {
				r = r.WithContext(context.WithValue(r.Context(), tenantKey{}, t))
			}
			next.ServeHTTP(w, r)
		})
	}
	fromCtx := orgs.FromContext(func(ctx context.Context) (string, bool) {
		s, ok := ctx.Value(tenantKey{}).(string)
		return s, ok
	})
	ok := want{200, "", "sub=auth0|alice org=org_acme", ""}
	tests := []struct {
		name   string
		chain  []mw
		header http.Header
		want   want
	}{
		{"header", []mw{auth, orgs.Require(orgs.FromHeader("x-org"))}, with(acme, "X-Org", "org_acme"), ok},
		{"header, other org", []mw{auth, orgs.Require(orgs.FromHeader("X-Org"))}, with(acme, "X-Org", "org_globex"), want{403, "", bodyDenied, ""}},
		{"header absent", []mw{auth, orgs.Require(orgs.FromHeader("X-Org"))}, acme, want{403, "", bodyMissing, ""}},
		{"header twice", []mw{auth, orgs.Require(orgs.FromHeader("X-Org"))}, with(with(acme, "X-Org", "org_acme"), "X-Org", "org_acme"), want{403, "", bodyMissing, ""}},
		{"host", []mw{auth, orgs.Require(orgs.FromHost(resolve))}, with(acme, "Host", "ACME.api.test:8080"), ok},
		{"host, other org", []mw{auth, orgs.Require(orgs.FromHost(resolve))}, with(acme, "Host", "globex.api.test"), want{403, "", bodyDenied, ""}},
		{"host unknown", []mw{auth, orgs.Require(orgs.FromHost(resolve))}, with(acme, "Host", "evil.test"), want{403, "", bodyMissing, ""}},
		{"static", []mw{auth, orgs.Require(orgs.Static("org_acme"))}, acme, ok},
		{"static, other org", []mw{auth, orgs.Require(orgs.Static("org_globex"))}, acme, want{403, "", bodyDenied, ""}},
		{"context", []mw{setTenant, auth, orgs.Require(fromCtx)}, with(acme, "X-Tenant", "org_acme"), ok},
		{"context, other org", []mw{setTenant, auth, orgs.Require(fromCtx)}, with(acme, "X-Tenant", "org_globex"), want{403, "", bodyDenied, ""}},
		{"context empty", []mw{setTenant, auth, orgs.Require(fromCtx)}, acme, want{403, "", bodyMissing, ""}},
	}
	for _, rt := range routers {
		for _, tt := range tests {
			t.Run(rt.name+"/"+tt.name, func(t *testing.T) {
				srv := server(t, rt.serve("/items", tt.chain...))
				resp, body := call(t, srv, "/items", tt.header)
				check(t, resp, body, tt.want)
			})
		}
	}
}

func TestAllowAndLookup(t *testing.T) {
	auth := middleware.Authenticate(newVerifier(t))
	support := bearer(token(t, map[string]any{"org_id": "org_support"}))
	parent := bearer(token(t, map[string]any{"org_name": "holding"}))
	errDB := errors.New("db down")
	lookup := func(ctx context.Context, org string) ([]string, error) {
		switch org {
		case "org_acme":
			return []string{"", "holding"}, nil
		case "org_broken":
			return nil, errDB
		}
		return nil, nil
	}
	chain := []mw{auth, orgs.Require(orgs.FromPath("org"), orgs.Allow("org_support"), orgs.WithLookup(lookup))}
	tests := []struct {
		name   string
		target string
		header http.Header
		want   want
	}{
		{"allow list", "/orgs/org_acme/items", support, want{200, "", "sub=auth0|alice org=org_support", ""}},
		{"allow list, any org", "/orgs/org_globex/items", support, want{200, "", "sub=auth0|alice org=org_support", ""}},
		{"lookup grants parent", "/orgs/org_acme/items", parent, want{200, "", "sub=auth0|alice org=holding", ""}},
		{"lookup grants nothing", "/orgs/org_globex/items", parent, want{403, "", bodyDenied, ""}},
		{"lookup fails closed", "/orgs/org_broken/items", parent, want{503, "", bodyUnavailable, "10"}},
	}
	for _, rt := range routers {
		srv := server(t, rt.serve("/orgs/{org}/items", chain...))
		for _, tt := range tests {
			t.Run(rt.name+"/"+tt.name, func(t *testing.T) {
				resp, body := call(t, srv, tt.target, tt.header)
				check(t, resp, body, tt.want)
			})
		}
	}
}

// orgEvents collects the events of both observers.
type orgEvents struct {
	mu  sync.Mutex
	org []orgs.Event
	req []middleware.Event
}

// ObserveOrg and ObserveRequest check that each event came with a context,
// a start and the method, then clear them, so that tests compare labels.
func (e *orgEvents) ObserveOrg(ctx context.Context, ev orgs.Event) {
	if ctx == nil || ev.Start.IsZero() || ev.Duration < 0 || ev.Method == "" {
		panic(fmt.Sprintf("orgs event without context, start or method: %+v", ev))
	}
	ev.Start, ev.Duration, ev.Method = time.Time{}, 0, ""
	e.mu.Lock()
	e.org = append(e.org, ev)
	e.mu.Unlock()
}
func (e *orgEvents) ObserveRequest(ctx context.Context, ev middleware.Event) {
	if ctx == nil || ev.Start.IsZero() || ev.Duration < 0 || ev.Method == "" {
		panic(fmt.Sprintf("middleware event without context, start or method: %+v", ev))
	}
	ev.Start, ev.Duration, ev.Method = time.Time{}, 0, ""
	e.mu.Lock()
	e.req = append(e.req, ev)
	e.mu.Unlock()
}

func (e *orgEvents) take() ([]orgs.Event, []middleware.Event) {
	e.mu.Lock()
	defer e.mu.Unlock()
	o, r := e.org, e.req
	e.org, e.req = nil, nil
	return o, r
}

// TestObserversAndErrorHandler: org checks report to their own observer and,
// as the request's final outcome, to Authenticate's; Authenticate's error
// handler writes their refusals.
func TestObserversAndErrorHandler(t *testing.T) {
	var ev orgEvents
	var handled []*middleware.Error
	auth := middleware.Authenticate(newVerifier(t), middleware.WithObserver(&ev),
		middleware.WithErrorHandler(func(w http.ResponseWriter, r *http.Request, e *middleware.Error) {
			handled = append(handled, e)
			w.WriteHeader(e.Status + 1)
		}))
	acme := bearer(token(t, map[string]any{"org_id": "org_acme"}))
	routes := map[string]string{"ServeMux": "GET /orgs/{org}/items", "chi": "/orgs/{org}/items"}
	for _, rt := range routers {
		srv := server(t, rt.serve("/orgs/{org}/items", auth, orgs.Require(orgs.FromPath("org"), orgs.WithObserver(&ev))))
		t.Run(rt.name, func(t *testing.T) {
			handled = nil
			ev.take()
			if resp, _ := call(t, srv, "/orgs/org_acme/items", acme); resp.StatusCode != 200 {
				t.Errorf("allowed: got %d, want 200", resp.StatusCode)
			}
			if resp, _ := call(t, srv, "/orgs/org_globex/items", acme); resp.StatusCode != 404 {
				t.Errorf("denied through the error handler: got %d, want 404 (403+1)", resp.StatusCode)
			}
			route := routes[rt.name]
			o, r := ev.take()
			wantOrg := []orgs.Event{{Outcome: orgs.OutcomeAllowed, Route: route}, {Outcome: orgs.OutcomeDenied, Status: 403, Route: route}}
			wantReq := []middleware.Event{{Outcome: middleware.OutcomeOK, Reason: "ok", Route: route},
				{Outcome: orgs.OutcomeDenied, Status: 403, Route: route}}
			if len(o) != 2 || o[0] != wantOrg[0] || o[1] != wantOrg[1] {
				t.Errorf("org events: got %+v, want %+v", o, wantOrg)
			}
			if len(r) != 2 || r[0] != wantReq[0] || r[1] != wantReq[1] {
				t.Errorf("request events: got %+v, want %+v", r, wantReq)
			}
			if len(handled) != 1 || handled[0].Outcome != orgs.OutcomeDenied || handled[0].Code != "access_denied" {
				t.Fatalf("handled: got %+v, want one access_denied", handled)
			}
			if !errors.Is(handled[0], verifier.ErrOrganization) {
				t.Errorf("handled error: got cause %v, want the verifier's organization error", handled[0].Err)
			}
		})
	}
}

func TestBuildPanics(t *testing.T) {
	tests := []struct {
		name string
		f    func()
	}{
		{"nil source", func() { orgs.Require(nil) }},
		{"empty path name", func() { orgs.FromPath("") }},
		{"empty header name", func() { orgs.FromHeader("") }},
		{"nil resolver", func() { orgs.FromHost(nil) }},
		{"empty static", func() { orgs.Static("") }},
		{"nil getter", func() { orgs.FromContext(nil) }},
		{"empty allow", func() { orgs.Require(orgs.Static("org_a"), orgs.Allow("")) }},
		{"zero cache size on Require", func() { orgs.Require(orgs.Static("org_a"), orgs.WithCacheSize(0)) }},
		{"nil checker", func() { orgs.RequireMember(nil) }},
		{"negative TTL", func() { orgs.RequireMember(fakeChecker{}, orgs.WithCacheTTL(-1, 0)) }},
		{"zero cache size", func() { orgs.RequireMember(fakeChecker{}, orgs.WithCacheSize(0)) }},
		{"zero timeout", func() { orgs.RequireMember(fakeChecker{}, orgs.WithTimeout(0)) }},
		{"nil Option", func() { orgs.Require(orgs.Static("org_a"), nil) }},
		{"nil MemberOption", func() { orgs.RequireMember(fakeChecker{}, nil) }},
		{"nil clock", func() { orgs.RequireMember(fakeChecker{}, orgs.WithNow(nil)) }},
		{"nil handler", func() { orgs.Require(orgs.Static("org_a"))(nil) }},
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

type fakeChecker struct{}

func (fakeChecker) IsMember(context.Context, string, string) (bool, error) { return true, nil }
