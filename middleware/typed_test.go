package middleware_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/tokengate/tokengate/middleware"
	"github.com/tokengate/tokengate/verifier"
)

// appClaims are the custom claims of the middleware tests.
type appClaims struct {
	Tier  string   `json:"https://example.com/tier"`
	Roles []string `json:"https://example.com/roles"`
	Beta  bool     `json:"https://example.com/beta"`
}

var errNoTier = errors.New("no tier")

func newTyped(t testing.TB, v *verifier.Verifier, validate func(context.Context, *verifier.Claims, *appClaims) error) *verifier.Typed[appClaims] {
	t.Helper()
	tv, err := verifier.NewTyped(v, verifier.TypedConfig[appClaims]{Validate: validate})
	if err != nil {
		t.Fatal(err)
	}
	return tv
}

// typedEcho answers with what the handler sees of the custom claims.
var typedEcho = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
	c, ok := middleware.CustomClaimsFromContext[appClaims](r.Context())
	if !ok {
		fmt.Fprint(w, "no custom claims")
		return
	}
	fmt.Fprintf(w, "tier=%s roles=%v beta=%v", c.Tier, c.Roles, c.Beta)
})

// TestAuthenticateTyped (SECURITY.md TC3, TC7): AuthenticateTyped puts the
// custom claims on the context; a token whose custom claims do not decode,
// or that the Validate hook refuses, is answered 401 invalid_token like any
// invalid token (Event.Reason malformed or claims_rejected); a hook error
// from its context (a lookup that timed out) is answered 503.
func TestAuthenticateTyped(t *testing.T) {
	v := newVerifier(t, nil)
	tv := newTyped(t, v, func(ctx context.Context, _ *verifier.Claims, c *appClaims) error {
		switch c.Tier {
		case "":
			return errNoTier
		case "slow":
			return fmt.Errorf("tier lookup: %w", context.DeadlineExceeded)
		}
		return nil
	})
	var ev events
	srv := server(t, middleware.AuthenticateTyped(tv, middleware.WithObserver(&ev))(typedEcho))
	tests := []struct {
		id     string
		over   map[string]any
		want   want
		reason string
	}{
		{"TC7/accepted", map[string]any{"https://example.com/tier": "gold", "https://example.com/roles": []string{"a"}},
			want{status: 200, body: "tier=gold roles=[a] beta=false"}, "ok"},
		{"TC7/rejected", map[string]any{"https://example.com/roles": []string{"a"}},
			want{status: 401, challenge: chToken(descRejected), body: bodyToken(descRejected)}, "claims_rejected"},
		{"TC7/lookup-timeout", map[string]any{"https://example.com/tier": "slow"},
			want{status: 503, body: bodyUnavailable, retryAfter: "10"}, "claims_rejected"},
		{"TC3/wrong-type", map[string]any{"https://example.com/tier": "gold", "https://example.com/beta": "yes"},
			want{status: 401, challenge: chToken(descMalformed), body: bodyToken(descMalformed)}, "malformed"},
		{"TC3/null", map[string]any{"https://example.com/tier": "gold", "https://example.com/roles": json.RawMessage("null")},
			want{status: 401, challenge: chToken(descMalformed), body: bodyToken(descMalformed)}, "malformed"},
	}
	for _, tt := range tests {
		t.Run(tt.id, func(t *testing.T) {
			resp, body := call(t, srv, http.MethodGet, "/", bearer(token(t, tt.over)))
			checkResponse(t, resp, body, tt.want)
			if got := ev.take(); len(got) != 1 || got[0].Reason != tt.reason {
				t.Errorf("events: got %+v, want one with reason %s", got, tt.reason)
			}
		})
	}
}

// TestCustomClaimsFromContext: the custom claims are there only behind an
// AuthenticateTyped of the same T; ClaimsFromContext works as with
// Authenticate.
func TestCustomClaimsFromContext(t *testing.T) {
	v := newVerifier(t, nil)
	tv := newTyped(t, v, nil)
	tok := token(t, map[string]any{"https://example.com/tier": "gold"})
	both := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, okC := middleware.ClaimsFromContext(r.Context())
		_, okT := middleware.CustomClaimsFromContext[appClaims](r.Context())
		_, okOther := middleware.CustomClaimsFromContext[struct{ X int }](r.Context())
		sub := ""
		if okC {
			sub = c.Subject
		}
		fmt.Fprintf(w, "%s %v %v", sub, okT, okOther)
	})
	tests := []struct {
		name  string
		h     http.Handler
		token string
		want  string
	}{
		{"typed", middleware.AuthenticateTyped(tv)(both), tok, "auth0|alice true false"},
		{"plain", middleware.Authenticate(v)(both), tok, "auth0|alice false false"},
		{"anonymous", middleware.AuthenticateTyped(tv, middleware.CredentialsOptional())(both), "", " false false"},
		{"plain-inside-typed", middleware.AuthenticateTyped(tv)(middleware.Authenticate(v)(both)), tok, "auth0|alice false false"},
		{"no-authenticate", both, tok, " false false"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var h http.Header
			if tt.token != "" {
				h = bearer(tt.token)
			}
			_, body := call(t, server(t, tt.h), http.MethodGet, "/", h)
			if body != tt.want {
				t.Errorf("got %q, want %q", body, tt.want)
			}
		})
	}
	defer func() {
		if recover() == nil {
			t.Error("AuthenticateTyped(nil): got no panic")
		}
	}()
	middleware.AuthenticateTyped[appClaims](nil)
}

// TestTC6SharedAcrossRequests (SECURITY.md TC6): concurrent requests with
// one cached token all see the one decoded value, in the Validate hook, in
// a CustomClaimCheck and in the handler (run with -race).
func TestTC6SharedAcrossRequests(t *testing.T) {
	v := newVerifier(t, nil)
	var hookSaw sync.Map
	tv := newTyped(t, v, func(_ context.Context, _ *verifier.Claims, c *appClaims) error {
		hookSaw.Store(c, true)
		if len(c.Roles) == 0 {
			return errNoTier
		}
		return nil
	})
	var handlerSaw sync.Map
	var fails atomic.Int64
	h := middleware.AuthenticateTyped(tv)(middleware.RequireClaims(
		middleware.CustomClaimCheck(func(_ *verifier.Claims, c *appClaims) bool { return c.Roles[0] == "admin" }),
	)(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, ok := middleware.CustomClaimsFromContext[appClaims](r.Context())
		if !ok || c.Tier != "gold" {
			fails.Add(1)
			return
		}
		handlerSaw.Store(c, true)
	})))
	srv := server(t, h)
	tok := token(t, map[string]any{"https://example.com/tier": "gold", "https://example.com/roles": []string{"admin"}})
	if resp, body := call(t, srv, http.MethodGet, "/", bearer(tok)); resp.StatusCode != 200 {
		t.Fatalf("first request: got %d %q", resp.StatusCode, body)
	}
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 25 {
				if resp, _ := call(t, srv, http.MethodGet, "/", bearer(tok)); resp.StatusCode != 200 {
					fails.Add(1)
				}
			}
		}()
	}
	wg.Wait()
	if n := fails.Load(); n != 0 {
		t.Fatalf("%d requests failed", n)
	}
	for name, m := range map[string]*sync.Map{"hook": &hookSaw, "handler": &handlerSaw} {
		n := 0
		m.Range(func(any, any) bool { n++; return true })
		if n != 1 {
			t.Errorf("the %s saw %d values, want the one shared value", name, n)
		}
	}
	// A CustomClaimCheck without AuthenticateTyped in front refuses.
	srv2 := server(t, middleware.Authenticate(v)(middleware.RequireClaims(
		middleware.CustomClaimCheck(func(*verifier.Claims, *appClaims) bool { return true }))(echo)))
	resp, body := call(t, srv2, http.MethodGet, "/", bearer(tok))
	checkResponse(t, resp, body, want{status: http.StatusForbidden, body: bodyClaimCheck})
}
