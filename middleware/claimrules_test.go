package middleware_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/tokengate/tokengate/internal/hook"
	"github.com/tokengate/tokengate/middleware"
	"github.com/tokengate/tokengate/verifier"
)

const (
	bodyClaimEquals   = `{"error":"access_denied","error_description":"the access token does not carry the claim value this resource requires"}` + "\n"
	bodyClaimIncludes = `{"error":"access_denied","error_description":"the access token does not include a claim value this resource requires"}` + "\n"
	bodyClaimCheck    = `{"error":"access_denied","error_description":"the access token's claims do not allow this request"}` + "\n"
)

// claimsToken carries custom claims of every JSON type for the rules.
func claimsToken(t testing.TB, over map[string]any) string {
	c := map[string]any{
		"https://example.com/tier":   "gold",
		"https://example.com/level":  3,
		"https://example.com/ratio":  0.5,
		"https://example.com/beta":   true,
		"https://example.com/roles":  []string{"admin", "editor"},
		"https://example.com/groups": "eng  ops sre",
		"urn:example:mixed":          []any{"admin", 1},
		"https://example.com/obj":    map[string]string{"a": "b"},
		"https://example.com/big":    9007199254740993,
	}
	for k, v := range over {
		c[k] = v
	}
	return token(t, c)
}

type tierName string

// TestClaimRules (SECURITY.md CP2): ClaimEquals on strings, numbers and
// booleans, ClaimIncludes on arrays and space-separated strings,
// ClaimCheck and CustomClaimCheck: the request passes when the rule holds,
// and is refused with the rule's 403 when the claim is absent, of another
// JSON type, or different.
func TestClaimRules(t *testing.T) {
	allowMixedCheck := middleware.ClaimCheck(func(_ context.Context, c *verifier.Claims) bool { return c.Subject == "auth0|alice" })
	denyCheck := middleware.ClaimCheck(func(context.Context, *verifier.Claims) bool { return false })
	tests := []struct {
		id   string
		rule middleware.ClaimRule
		over map[string]any
		body string // "" for allowed
	}{
		{"CP2/equals-string", middleware.ClaimEquals("https://example.com/tier", "gold"), nil, ""},
		{"CP2/equals-named-string", middleware.ClaimEquals("https://example.com/tier", tierName("gold")), nil, ""},
		{"CP2/equals-string-escaped", middleware.ClaimEquals("https://example.com/tier", "gold"), map[string]any{"https://example.com/tier": "g\u006fld"}, ""},
		{"CP2/equals-string-differs", middleware.ClaimEquals("https://example.com/tier", "Gold"), nil, bodyClaimEquals},
		{"CP2/equals-string-absent", middleware.ClaimEquals("https://example.com/absent", "gold"), nil, bodyClaimEquals},
		{"CP2/equals-string-wrong-type", middleware.ClaimEquals("https://example.com/level", "3"), nil, bodyClaimEquals},
		{"CP2/equals-string-array", middleware.ClaimEquals("https://example.com/roles", "admin"), nil, bodyClaimEquals},
		{"CP2/equals-name-case", middleware.ClaimEquals("HTTPS://EXAMPLE.COM/TIER", "gold"), nil, bodyClaimEquals},
		{"CP2/equals-int", middleware.ClaimEquals("https://example.com/level", 3), nil, ""},
		{"CP2/equals-int64", middleware.ClaimEquals("https://example.com/level", int64(3)), nil, ""},
		{"CP2/equals-uint8", middleware.ClaimEquals("https://example.com/level", uint8(3)), nil, ""},
		{"CP2/equals-int-differs", middleware.ClaimEquals("https://example.com/level", 4), nil, bodyClaimEquals},
		{"CP2/equals-int-float-form", middleware.ClaimEquals("https://example.com/ratio", 0), nil, bodyClaimEquals},
		{"CP2/equals-int-string", middleware.ClaimEquals("https://example.com/tier", 3), nil, bodyClaimEquals},
		{"CP2/equals-int-big", middleware.ClaimEquals("https://example.com/big", int64(9007199254740993)), nil, ""},
		{"CP2/equals-int-big-rounded", middleware.ClaimEquals("https://example.com/big", int64(9007199254740992)), nil, bodyClaimEquals},
		{"CP2/equals-float", middleware.ClaimEquals("https://example.com/ratio", 0.5), nil, ""},
		{"CP2/equals-float32", middleware.ClaimEquals("https://example.com/ratio", float32(0.5)), nil, ""},
		{"CP2/equals-float-of-int", middleware.ClaimEquals("https://example.com/level", 3.0), nil, ""},
		{"CP2/equals-float-differs", middleware.ClaimEquals("https://example.com/ratio", 0.25), nil, bodyClaimEquals},
		{"CP2/equals-bool", middleware.ClaimEquals("https://example.com/beta", true), nil, ""},
		{"CP2/equals-bool-differs", middleware.ClaimEquals("https://example.com/beta", false), nil, bodyClaimEquals},
		{"CP2/equals-bool-string", middleware.ClaimEquals("https://example.com/tier", true), nil, bodyClaimEquals},
		{"CP2/equals-bool-absent", middleware.ClaimEquals("https://example.com/absent", false), nil, bodyClaimEquals},
		{"CP2/equals-bool-null", middleware.ClaimEquals("https://example.com/beta", false), map[string]any{"https://example.com/beta": json.RawMessage("null")}, bodyClaimEquals},
		{"CP2/equals-registered", middleware.ClaimEquals("sub", "auth0|alice"), nil, ""},
		{"CP2/includes-array", middleware.ClaimIncludes("https://example.com/roles", "admin"), nil, ""},
		{"CP2/includes-array-all", middleware.ClaimIncludes("https://example.com/roles", "editor", "admin"), nil, ""},
		{"CP2/includes-array-missing-one", middleware.ClaimIncludes("https://example.com/roles", "admin", "owner"), nil, bodyClaimIncludes},
		{"CP2/includes-array-prefix", middleware.ClaimIncludes("https://example.com/roles", "adm"), nil, bodyClaimIncludes},
		{"CP2/includes-array-escaped", middleware.ClaimIncludes("https://example.com/roles", "admin"), map[string]any{"https://example.com/roles": []string{"\u0061dmin"}}, ""},
		{"CP2/includes-array-not-strings", middleware.ClaimIncludes("urn:example:mixed", "admin"), nil, bodyClaimIncludes},
		{"CP2/includes-array-empty", middleware.ClaimIncludes("https://example.com/roles", "admin"), map[string]any{"https://example.com/roles": []string{}}, bodyClaimIncludes},
		{"CP2/includes-string", middleware.ClaimIncludes("https://example.com/groups", "ops"), nil, ""},
		{"CP2/includes-string-all", middleware.ClaimIncludes("https://example.com/groups", "sre", "eng", "ops"), nil, ""},
		{"CP2/includes-string-missing", middleware.ClaimIncludes("https://example.com/groups", "hr"), nil, bodyClaimIncludes},
		{"CP2/includes-string-substring", middleware.ClaimIncludes("https://example.com/groups", "op"), nil, bodyClaimIncludes},
		{"CP2/includes-scope", middleware.ClaimIncludes("scope", "read:items"), nil, ""},
		{"CP2/includes-absent", middleware.ClaimIncludes("https://example.com/absent", "admin"), nil, bodyClaimIncludes},
		{"CP2/includes-number", middleware.ClaimIncludes("https://example.com/level", "3"), nil, bodyClaimIncludes},
		{"CP2/includes-object", middleware.ClaimIncludes("https://example.com/obj", "a"), nil, bodyClaimIncludes},
		{"CP2/includes-null", middleware.ClaimIncludes("https://example.com/roles", "admin"), map[string]any{"https://example.com/roles": json.RawMessage("null")}, bodyClaimIncludes},
		{"CP2/check-true", allowMixedCheck, nil, ""},
		{"CP2/check-false", denyCheck, nil, bodyClaimCheck},
		{"CP2/described", middleware.ClaimEquals("https://example.com/tier", "platinum").WithDescription("a platinum plan is required"), nil,
			`{"error":"access_denied","error_description":"a platinum plan is required"}` + "\n"},
	}
	v := newVerifier(t, nil)
	for _, tt := range tests {
		t.Run(tt.id, func(t *testing.T) {
			var ev events
			srv := server(t, middleware.Authenticate(v, middleware.WithObserver(&ev))(middleware.RequireClaims(tt.rule)(echo)))
			resp, body := call(t, srv, http.MethodGet, "/", bearer(claimsToken(t, tt.over)))
			if tt.body == "" {
				if resp.StatusCode != http.StatusOK || body != "sub=auth0|alice" {
					t.Fatalf("got %d %q, want 200 sub=auth0|alice", resp.StatusCode, body)
				}
				return
			}
			checkResponse(t, resp, body, want{status: http.StatusForbidden, body: tt.body})
			if got := ev.take(); len(got) != 1 || got[0].Outcome != middleware.OutcomeClaimDenied || got[0].Status != http.StatusForbidden {
				t.Errorf("events: got %+v, want one claim_denied 403", got)
			}
		})
	}
}

// TestClaimRulesShape (SECURITY.md CP1): every claim rule's refusal is 403
// access_denied with its constant description and no WWW-Authenticate,
// whatever the token holds (the description never quotes it); several
// rules answer with the first that refuses; without claims on the context
// the answer is 401 with the challenge, as for RequireScopes; an
// ErrorHandler receives the refusal.
func TestClaimRulesShape(t *testing.T) {
	v := newVerifier(t, nil)
	rules := middleware.RequireClaims(
		middleware.ClaimEquals("https://example.com/tier", "gold"),
		middleware.ClaimIncludes("https://example.com/roles", "admin"),
	)
	hostile := strings.Repeat(`"><script>`, 20)
	t.Run("CP1/first-refusal", func(t *testing.T) {
		srv := server(t, middleware.Authenticate(v)(rules(echo)))
		for _, over := range []map[string]any{
			{"https://example.com/tier": hostile},
			{"https://example.com/tier": hostile, "https://example.com/roles": []string{hostile}},
		} {
			resp, body := call(t, srv, http.MethodGet, "/", bearer(claimsToken(t, over)))
			checkResponse(t, resp, body, want{status: http.StatusForbidden, body: bodyClaimEquals})
		}
		resp, body := call(t, srv, http.MethodGet, "/", bearer(claimsToken(t, map[string]any{"https://example.com/roles": []string{hostile}})))
		checkResponse(t, resp, body, want{status: http.StatusForbidden, body: bodyClaimIncludes})
	})
	t.Run("CP1/no-authenticate", func(t *testing.T) {
		srv := server(t, rules(echo))
		resp, body := call(t, srv, http.MethodGet, "/", bearer(claimsToken(t, nil)))
		checkResponse(t, resp, body, want{status: http.StatusInternalServerError, body: bodyMisconfigured})
	})
	t.Run("CP1/anonymous", func(t *testing.T) {
		srv := server(t, middleware.Authenticate(v, middleware.CredentialsOptional())(rules(echo)))
		resp, body := call(t, srv, http.MethodGet, "/", nil)
		checkResponse(t, resp, body, want{status: http.StatusUnauthorized, challenge: chMissing, body: bodyMissing})
	})
	t.Run("CP1/error-handler", func(t *testing.T) {
		var got *middleware.Error
		h := func(w http.ResponseWriter, r *http.Request, e *middleware.Error) {
			got = e
			e.WriteResponse(w)
		}
		srv := server(t, middleware.Authenticate(v, middleware.WithErrorHandler(h))(rules(echo)))
		resp, body := call(t, srv, http.MethodGet, "/", bearer(claimsToken(t, map[string]any{"https://example.com/tier": "tin"})))
		checkResponse(t, resp, body, want{status: http.StatusForbidden, body: bodyClaimEquals})
		if got == nil || got.Code != "access_denied" || got.Outcome != middleware.OutcomeClaimDenied || got.Challenge != "" {
			t.Errorf("ErrorHandler got %+v, want the access_denied refusal", got)
		}
	})
	t.Run("CP1/both-routers", func(t *testing.T) {
		for _, rt := range routers {
			srv := server(t, rt.serve(get("/orgs/{org}/items", middleware.Authenticate(v), rules)))
			resp, body := call(t, srv, http.MethodGet, "/orgs/o/items", bearer(claimsToken(t, nil)))
			if resp.StatusCode != http.StatusOK {
				t.Errorf("%s: got %d %q, want 200", rt.name, resp.StatusCode, body)
			}
			resp, body = call(t, srv, http.MethodGet, "/orgs/o/items", bearer(claimsToken(t, map[string]any{"https://example.com/tier": "tin"})))
			checkResponse(t, resp, body, want{status: http.StatusForbidden, body: bodyClaimEquals})
		}
	})
}

// TestClaimCheckPanic (SECURITY.md CP3): a panic in a ClaimCheck refuses
// the request (fail closed) with the rule's 403; the ErrorHandler's Error
// wraps hook.ErrPanic.
func TestClaimCheckPanic(t *testing.T) {
	v := newVerifier(t, nil)
	var got *middleware.Error
	h := func(w http.ResponseWriter, r *http.Request, e *middleware.Error) {
		got = e
		e.WriteResponse(w)
	}
	rule := middleware.ClaimCheck(func(context.Context, *verifier.Claims) bool { panic("rule bug") })
	srv := server(t, middleware.Authenticate(v, middleware.WithErrorHandler(h))(middleware.RequireClaims(rule)(echo)))
	resp, body := call(t, srv, http.MethodGet, "/", bearer(claimsToken(t, nil)))
	checkResponse(t, resp, body, want{status: http.StatusForbidden, body: bodyClaimCheck})
	if got == nil || !errors.Is(got.Err, hook.ErrPanic) {
		t.Errorf("ErrorHandler got %+v, want Err wrapping hook.ErrPanic", got)
	}
}

// TestClaimRulePanics (SECURITY.md CP3): misuse panics when the rule or the
// middleware is built, never per request.
func TestClaimRulePanics(t *testing.T) {
	many := make([]string, 65)
	for i := range many {
		many[i] = "v" + strconv.Itoa(i)
	}
	tests := []struct {
		id    string
		build func()
	}{
		{"CP3/equals-no-name", func() { middleware.ClaimEquals("", "x") }},
		{"CP3/includes-no-name", func() { middleware.ClaimIncludes("", "x") }},
		{"CP3/includes-no-values", func() { middleware.ClaimIncludes("roles") }},
		{"CP3/includes-empty-value", func() { middleware.ClaimIncludes("roles", "a", "") }},
		{"CP3/includes-65-values", func() { middleware.ClaimIncludes("roles", many...) }},
		{"CP3/check-nil", func() { middleware.ClaimCheck(nil) }},
		{"CP3/custom-check-nil", func() { middleware.CustomClaimCheck[struct{}](nil) }},
		{"CP3/description-empty", func() { middleware.ClaimEquals("a", "b").WithDescription("") }},
		{"CP3/description-quote", func() { middleware.ClaimEquals("a", "b").WithDescription(`say "no"`) }},
		{"CP3/description-backslash", func() { middleware.ClaimEquals("a", "b").WithDescription(`a\b`) }},
		{"CP3/description-newline", func() { middleware.ClaimEquals("a", "b").WithDescription("a\nb") }},
		{"CP3/description-non-ascii", func() { middleware.ClaimEquals("a", "b").WithDescription("é") }},
		{"CP3/no-rules", func() { middleware.RequireClaims() }},
		{"CP3/zero-rule", func() { middleware.RequireClaims(middleware.ClaimRule{}) }},
		{"CP3/nil-handler", func() { middleware.RequireClaims(middleware.ClaimEquals("a", "b"))(nil) }},
	}
	for _, tt := range tests {
		t.Run(tt.id, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Fatal("got no panic, want one")
				}
			}()
			tt.build()
		})
	}
	// 64 values are allowed, and all must be present.
	rule := middleware.ClaimIncludes("https://example.com/roles", many[:64]...)
	v := newVerifier(t, nil)
	srv := server(t, middleware.Authenticate(v)(middleware.RequireClaims(rule)(echo)))
	resp, body := call(t, srv, http.MethodGet, "/", bearer(claimsToken(t, map[string]any{"https://example.com/roles": many[:64]})))
	if resp.StatusCode != http.StatusOK {
		t.Errorf("64 values, all present: got %d %q, want 200", resp.StatusCode, body)
	}
	resp, body = call(t, srv, http.MethodGet, "/", bearer(claimsToken(t, map[string]any{"https://example.com/roles": many[1:64]})))
	checkResponse(t, resp, body, want{status: http.StatusForbidden, body: bodyClaimIncludes})
}
