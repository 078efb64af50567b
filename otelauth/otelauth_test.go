package otelauth_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/propagation"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"

	"github.com/tokengate/tokengate/authtest"
	"github.com/tokengate/tokengate/client"
	"github.com/tokengate/tokengate/client/management"
	"github.com/tokengate/tokengate/jwks"
	"github.com/tokengate/tokengate/middleware"
	"github.com/tokengate/tokengate/orgs"
	"github.com/tokengate/tokengate/otelauth"
	"github.com/tokengate/tokengate/verifier"
)

const (
	testAud      = "https://api.example.com"
	mgmtToken    = "mgmt-SECRET-token-5f1e"
	userID       = "auth0|SECRET-user-77"
	unknownKid   = "kid-SECRET-zzz"
	subject      = "auth0|SECRET-alice"
	orgAcme      = "org_SECRETacme"
	orgOther     = "org_SECRETglobex"
	serverSpanNm = "test server"
)

// fixture is an API protected by tokengate with tracing on every hook: a
// test tenant, a JWKS cache, a verifier, Authenticate and orgs.Require on
// "GET /orgs/{org}/items", whose handler calls the Management API (a fake
// that answers 429 once, then 200, and records the traceparent it got).
type fixture struct {
	exp    *tracetest.InMemoryExporter
	tenant *authtest.Tenant
	api    *httptest.Server
	srv    *httptest.Server

	mu          sync.Mutex
	traceparent []string
	apiCalls    int
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	f := &fixture{exp: tracetest.NewInMemoryExporter()}
	tp := sdktrace.NewTracerProvider(sdktrace.WithSyncer(f.exp))
	t.Cleanup(func() { _ = tp.Shutdown(context.Background()) })
	tr := otelauth.New(otelauth.Config{TracerProvider: tp, Propagator: propagation.TraceContext{}})

	tenant, err := authtest.NewTenant(authtest.Config{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(tenant.Close)
	f.tenant = tenant
	cache, err := jwks.New(jwks.Config{URL: tenant.JWKSURL(), Observer: tr.JWKSObserver(), Prefetch: 5 * time.Second, Cooldown: time.Nanosecond})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cache.Close() })
	v, err := verifier.New(verifier.Config{Issuer: tenant.Issuer(), Audience: []string{testAud}, Keys: cache,
		Observer: verifier.JoinObservers(tr.VerifierObserver(), nil)})
	if err != nil {
		t.Fatal(err)
	}

	f.api = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f.mu.Lock()
		f.apiCalls++
		n := f.apiCalls
		f.traceparent = append(f.traceparent, r.Header.Get("Traceparent"))
		f.mu.Unlock()
		if n == 1 {
			w.Header().Set("Retry-After", "0")
			w.WriteHeader(http.StatusTooManyRequests)
			return
		}
		w.Header().Set("X-RateLimit-Remaining", "9")
		io.WriteString(w, `{"user_id":"`+userID+`"}`)
	}))
	t.Cleanup(f.api.Close)
	m, err := management.New(f.api.URL, management.Config{Token: mgmtToken,
		HTTP: client.Config{Observer: tr.ClientObserver(), Backoff: time.Millisecond, MaxWait: 10 * time.Millisecond}})
	if err != nil {
		t.Fatal(err)
	}

	auth := middleware.Authenticate(v, middleware.WithObserver(tr.MiddlewareObserver()))
	require := orgs.Require(orgs.FromPath("org"), orgs.WithObserver(tr.OrgsObserver()))
	mux := http.NewServeMux()
	mux.Handle("GET /orgs/{org}/items", auth(require(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, err := m.Users.Get(r.Context(), userID, nil); err != nil {
			http.Error(w, "management", http.StatusBadGateway)
		}
	}))))
	// The server's own instrumentation (otelhttp's part): a server span
	// per request, in the request's context.
	server := tp.Tracer("test")
	f.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx, span := server.Start(r.Context(), serverSpanNm, trace.WithSpanKind(trace.SpanKindServer),
			trace.WithAttributes(attribute.String("test.request", r.Header.Get("X-Test-Request"))))
		defer span.End()
		mux.ServeHTTP(w, r.WithContext(ctx))
	}))
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fixture) call(t *testing.T, name, path, tok string) int {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, f.srv.URL+path, nil)
	req.Header.Set("Authorization", "Bearer "+tok)
	req.Header.Set("X-Test-Request", name)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

func (f *fixture) mint(t *testing.T, claims map[string]any, header map[string]any, expires time.Duration) string {
	t.Helper()
	c := map[string]any{"sub": subject, "aud": testAud}
	for k, v := range claims {
		c[k] = v
	}
	tok, err := f.tenant.Mint(authtest.Token{Claims: c, Header: header, ExpiresIn: expires})
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// TestSpans: the spans of verifications (miss and hit, refusals), JWKS
// fetches and Management API attempts, their kinds, parents and
// attributes; middleware and orgs refusals as events on the request's
// span; the trace context propagated to the API.
func TestSpans(t *testing.T) {
	f := newFixture(t)
	good := f.mint(t, map[string]any{"org_id": orgAcme}, nil, time.Hour)
	steps := []struct {
		name, path, tok string
		status          int
	}{
		{"ok", "/orgs/" + orgAcme + "/items", good, 200},
		{"hit", "/orgs/" + orgAcme + "/items", good, 200},
		{"expired", "/orgs/" + orgAcme + "/items", f.mint(t, map[string]any{"org_id": orgAcme}, nil, -time.Hour), 401},
		{"unknown kid", "/orgs/" + orgAcme + "/items", f.mint(t, nil, map[string]any{"kid": unknownKid}, time.Hour), 401},
		{"other org", "/orgs/" + orgOther + "/items", good, 403},
	}
	for _, s := range steps {
		if got := f.call(t, s.name, s.path, s.tok); got != s.status {
			t.Fatalf("%s: status %d, want %d", s.name, got, s.status)
		}
	}
	spans := f.exp.GetSpans()
	servers := map[string]tracetest.SpanStub{}
	for _, s := range spans {
		if s.Name == serverSpanNm {
			servers[attr(s.Attributes, "test.request")] = s
		}
	}
	if len(servers) != len(steps) {
		t.Fatalf("got %d server spans, want %d", len(servers), len(steps))
	}

	t.Run("verify", func(t *testing.T) {
		want := map[string]struct {
			hit            bool
			result, reason string
		}{
			"ok": {false, "ok", "ok"}, "hit": {true, "ok", "ok"}, "expired": {false, "error", "expired"},
			"unknown kid": {false, "error", "unknown_kid"}, "other org": {true, "ok", "ok"},
		}
		for name, w := range want {
			s := child(t, spans, servers[name], "tokengate.verify")
			if s.SpanKind != trace.SpanKindInternal || attr(s.Attributes, "tokengate.cache_hit") != fmt.Sprint(w.hit) ||
				attr(s.Attributes, "tokengate.result") != w.result || attr(s.Attributes, "tokengate.reason") != w.reason {
				t.Errorf("%s: got kind %v attributes %v, want internal, hit %v, %s/%s", name, s.SpanKind, s.Attributes, w.hit, w.result, w.reason)
			}
			if (w.result == "error") != (s.Status.Code == codes.Error) || w.result == "error" && s.Status.Description != w.reason {
				t.Errorf("%s: got status %+v, want Error %q only for a refusal", name, s.Status, w.reason)
			}
			if !s.EndTime.After(s.StartTime) && !s.EndTime.Equal(s.StartTime) {
				t.Errorf("%s: span ends before it starts", name)
			}
		}
	})
	t.Run("jwks", func(t *testing.T) {
		var fetches []tracetest.SpanStub
		for _, s := range spans {
			if s.Name == "GET" {
				fetches = append(fetches, s)
			}
		}
		if len(fetches) < 2 {
			t.Fatalf("got %d JWKS fetch spans, want the first fetch and the unknown kid's refetch", len(fetches))
		}
		for _, s := range fetches {
			if s.SpanKind != trace.SpanKindClient || s.Parent.IsValid() || attr(s.Attributes, "http.response.status_code") != "200" ||
				attr(s.Attributes, "url.full") != f.tenant.JWKSURL() || attr(s.Attributes, "http.response.body.size") == "" ||
				attr(s.Attributes, "tokengate.jwks.outcome") != jwks.OutcomeOK || attr(s.Attributes, "http.request.method") != "GET" {
				t.Errorf("fetch: got kind %v parent %v attributes %v", s.SpanKind, s.Parent.SpanID(), s.Attributes)
			}
		}
		ev := event(servers["unknown kid"], "tokengate.jwks.kid_miss")
		if ev == nil || attr(ev.Attributes, "tokengate.jwks.refetched") != "true" {
			t.Errorf("unknown kid: got events %v, want a kid_miss event that refetched", servers["unknown kid"].Events)
		}
	})
	t.Run("client", func(t *testing.T) {
		var attempts []tracetest.SpanStub
		for _, s := range spans {
			if s.Name == "GET /api/v2/users/{id}" {
				attempts = append(attempts, s)
			}
		}
		if len(attempts) != 3 { // 429 then 200 on "ok"; 200 on "hit"
			t.Fatalf("got %d API attempt spans, want 3", len(attempts))
		}
		first, second := attempts[0], attempts[1]
		ok := servers["ok"]
		for i, s := range attempts[:2] {
			if s.SpanKind != trace.SpanKindClient || s.Parent.SpanID() != ok.SpanContext.SpanID() ||
				attr(s.Attributes, "url.template") != "/api/v2/users/{id}" || attr(s.Attributes, "http.request.method") != "GET" ||
				attr(s.Attributes, "server.address") != "127.0.0.1" || attr(s.Attributes, "tokengate.api") != "management" {
				t.Errorf("attempt %d: got kind %v parent %v attributes %v", i+1, s.SpanKind, s.Parent.SpanID(), s.Attributes)
			}
		}
		if attr(first.Attributes, "http.response.status_code") != "429" || first.Status.Code != codes.Error ||
			attr(first.Attributes, "error.type") != "429" || attr(first.Attributes, "http.request.resend_count") != "" {
			t.Errorf("attempt 1: got status %+v attributes %v, want 429, Error, error.type 429, no resend count", first.Status, first.Attributes)
		}
		if attr(second.Attributes, "http.response.status_code") != "200" || second.Status.Code == codes.Error ||
			attr(second.Attributes, "http.request.resend_count") != "1" || attr(second.Attributes, "tokengate.retry.reason") != client.ReasonRateLimited ||
			attr(second.Attributes, "tokengate.rate_limit.remaining") != "9" {
			t.Errorf("attempt 2: got status %+v attributes %v, want 200, resend_count 1, rate_limited", second.Status, second.Attributes)
		}
		if ev := event(ok, "tokengate.client.retry"); ev == nil || attr(ev.Attributes, "tokengate.retry.reason") != client.ReasonRateLimited {
			t.Errorf("the request's span: got events %v, want a retry event", ok.Events)
		}
		f.mu.Lock()
		defer f.mu.Unlock()
		for i, s := range attempts {
			want := fmt.Sprintf("00-%s-%s-01", s.SpanContext.TraceID(), s.SpanContext.SpanID())
			if f.traceparent[i] != want {
				t.Errorf("attempt %d: the API got traceparent %q, want %q (the attempt's span)", i+1, f.traceparent[i], want)
			}
		}
	})
	t.Run("refusals", func(t *testing.T) {
		exp := servers["expired"]
		if ev := event(exp, "tokengate.auth.refused"); ev == nil || attr(ev.Attributes, "tokengate.auth.reason") != "expired" ||
			attr(ev.Attributes, "tokengate.auth.status") != "401" || attr(exp.Attributes, "http.route") != "/orgs/{org}/items" {
			t.Errorf("expired: got events %v attributes %v, want a refused event (expired, 401) and the route", exp.Events, exp.Attributes)
		}
		other := servers["other org"]
		if ev := event(other, "tokengate.orgs.refused"); ev == nil || attr(ev.Attributes, "tokengate.orgs.outcome") != orgs.OutcomeDenied {
			t.Errorf("other org: got events %v, want an orgs refused event", other.Events)
		}
		if ev := event(other, "tokengate.auth.refused"); ev == nil || attr(ev.Attributes, "tokengate.auth.outcome") != orgs.OutcomeDenied {
			t.Errorf("other org: got events %v, want the request's refusal as the middleware saw it", other.Events)
		}
		if attr(servers["ok"].Attributes, "tokengate.auth.outcome") != middleware.OutcomeOK {
			t.Errorf("ok: got attributes %v, want outcome ok", servers["ok"].Attributes)
		}
	})
	t.Run("OT1/no-secret-in-any-attribute", func(t *testing.T) {
		secrets := []string{mgmtToken, userID, unknownKid, subject, orgAcme, orgOther, f.tenant.SigningKeyID("RS256"), f.tenant.SigningKeyID("ES256")}
		for _, s := range steps {
			secrets = append(secrets, s.tok)
			secrets = append(secrets, strings.Split(s.tok, ".")...)
		}
		for _, s := range spans {
			texts := []string{s.Name, s.Status.Description}
			texts = append(texts, values(s.Attributes)...)
			for _, ev := range s.Events {
				texts = append(texts, ev.Name)
				texts = append(texts, values(ev.Attributes)...)
			}
			for _, text := range texts {
				for _, secret := range secrets {
					if secret != "" && strings.Contains(text, secret) {
						t.Errorf("span %q holds %q in %q", s.Name, secret, text)
					}
				}
			}
		}
	})
}

// attr returns the value of key in attrs as text ("" when absent).
func attr(attrs []attribute.KeyValue, key string) string {
	for _, a := range attrs {
		if string(a.Key) == key {
			return a.Value.String()
		}
	}
	return ""
}

func values(attrs []attribute.KeyValue) []string {
	out := make([]string, 0, len(attrs))
	for _, a := range attrs {
		out = append(out, string(a.Key), a.Value.String())
	}
	return out
}

func event(s tracetest.SpanStub, name string) *sdktrace.Event {
	for i := range s.Events {
		if s.Events[i].Name == name {
			return &s.Events[i]
		}
	}
	return nil
}

// child returns the one span named name whose parent is parent.
func child(t *testing.T, spans tracetest.SpanStubs, parent tracetest.SpanStub, name string) tracetest.SpanStub {
	t.Helper()
	var found []tracetest.SpanStub
	for _, s := range spans {
		if s.Name == name && s.Parent.SpanID() == parent.SpanContext.SpanID() {
			found = append(found, s)
		}
	}
	if len(found) != 1 {
		t.Fatalf("got %d %q spans under %q, want 1", len(found), name, attr(parent.Attributes, "test.request"))
	}
	return found[0]
}
