package middleware_test

import (
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/tokengate/tokengate/middleware"
	"github.com/tokengate/tokengate/verifier"
)

const (
	descLevel  = "a different authentication level is required"
	descRecent = "more recent authentication is required"
	loa2       = "urn:example:loa:2"
	loa3       = "urn:example:loa:3"
)

func chStepUp(desc, params string) string {
	return `Bearer realm="api", error="insufficient_user_authentication", error_description="` + desc + `"` + params
}

func bodyStepUp(desc string) string {
	return `{"error":"insufficient_user_authentication","error_description":"` + desc + `"}` + "\n"
}

// TestRequireStepUp (SECURITY.md SU1, SU2, SU3, SU4): every reason a token
// does not meet a route's step-up requirement gets RFC 9470's 401 with the
// challenge naming what to ask for; hostile claim values fail closed.
func TestRequireStepUp(t *testing.T) {
	v := newVerifier(t, nil)
	auth := middleware.Authenticate(v)
	routes := []route{
		get("/acr", auth, middleware.RequireStepUp(middleware.StepUpACR(loa2, loa3))),
		get("/mfa", auth, middleware.RequireStepUp(middleware.StepUpMFA())),
		get("/age", auth, middleware.RequireStepUp(middleware.StepUpMaxAge(5*time.Minute))),
		get("/both", auth, middleware.RequireStepUp(middleware.StepUpMFA(), middleware.StepUpMaxAge(10*time.Minute))),
		get("/acrmfa", auth, middleware.RequireStepUp(middleware.StepUpACR(loa3), middleware.StepUpMFA())),
		get("/repeated", auth, middleware.RequireStepUp(middleware.StepUpACR(loa3, middleware.ACRMultiFactor, loa3), middleware.StepUpMFA())),
	}
	now := testNow.Unix()
	ok := want{status: 200, body: "sub=auth0|alice"}
	acrParams := `, acr_values="` + loa2 + ` ` + loa3 + `"`
	mfaParams := `, acr_values="` + middleware.ACRMultiFactor + `"`
	level := func(params string) want {
		return want{status: 401, challenge: chStepUp(descLevel, params), body: bodyStepUp(descLevel)}
	}
	recent := func(params string) want {
		return want{status: 401, challenge: chStepUp(descRecent, params), body: bodyStepUp(descRecent)}
	}
	invalid := want{status: 401, challenge: chToken(descMalformed), body: bodyToken(descMalformed)} // a NumericDate out of range or of the wrong type
	huge := strings.Repeat("urn:example:loa:2", 600)                                                // about 10 KB
	cases := []struct {
		name, path string
		over       map[string]any
		want       want
	}{
		{"SU1/acr allowed", "/acr", map[string]any{"acr": loa2}, ok},
		{"SU1/acr allowed second", "/acr", map[string]any{"acr": loa3}, ok},
		{"SU1/acr missing", "/acr", nil, level(acrParams)},
		{"SU1/acr not allowed", "/acr", map[string]any{"acr": "urn:example:loa:1"}, level(acrParams)},
		{"SU1/acr case differs", "/acr", map[string]any{"acr": "URN:example:loa:2"}, level(acrParams)},
		{"SU1/acr prefix", "/acr", map[string]any{"acr": "urn:example:loa:"}, level(acrParams)},
		{"SU1/acr with suffix", "/acr", map[string]any{"acr": loa2 + " "}, level(acrParams)},
		{"SU1/acr empty", "/acr", map[string]any{"acr": ""}, level(acrParams)},
		{"SU1/acr huge", "/acr", map[string]any{"acr": huge}, level(acrParams)},
		{"SU1/acr number", "/acr", map[string]any{"acr": 2}, level(acrParams)},
		{"SU1/acr array", "/acr", map[string]any{"acr": []string{loa2}}, level(acrParams)},
		{"SU1/acr object", "/acr", map[string]any{"acr": map[string]string{"value": loa2}}, level(acrParams)},
		{"SU1/acr true", "/acr", map[string]any{"acr": true}, level(acrParams)},
		{"SU1/acr of MFA not allowed", "/acr", map[string]any{"acr": middleware.ACRMultiFactor, "amr": []string{"mfa"}}, level(acrParams)},

		{"SU3/mfa acr", "/mfa", map[string]any{"acr": middleware.ACRMultiFactor}, ok},
		{"SU3/mfa amr", "/mfa", map[string]any{"amr": []string{"pwd", "mfa"}}, ok},
		{"SU3/mfa amr with other acr", "/mfa", map[string]any{"acr": "urn:x", "amr": []string{"mfa"}}, ok},
		{"SU3/mfa amr without mfa", "/mfa", map[string]any{"amr": []string{"pwd", "otp"}}, level(mfaParams)},
		{"SU3/mfa amr empty", "/mfa", map[string]any{"amr": []string{}}, level(mfaParams)},
		{"SU3/mfa amr string", "/mfa", map[string]any{"amr": "mfa"}, level(mfaParams)},
		{"SU3/mfa amr not strings", "/mfa", map[string]any{"amr": []any{"mfa", 1}}, level(mfaParams)},
		{"SU3/mfa amr null element", "/mfa", map[string]any{"amr": []any{nil, "mfa"}}, level(mfaParams)},
		{"SU3/mfa amr nested", "/mfa", map[string]any{"amr": []any{[]string{"mfa"}}}, level(mfaParams)},
		{"SU3/mfa amr case", "/mfa", map[string]any{"amr": []string{"MFA"}}, level(mfaParams)},
		{"SU3/mfa nothing", "/mfa", nil, level(mfaParams)},
		{"SU3/mfa acr near", "/mfa", map[string]any{"acr": strings.TrimSuffix(middleware.ACRMultiFactor, "-factor")}, level(mfaParams)},
		{"SU3/acr or mfa: acr", "/acrmfa", map[string]any{"acr": loa3}, ok},
		{"SU3/acr or mfa: amr", "/acrmfa", map[string]any{"amr": []string{"mfa"}}, ok},
		{"SU3/acr or mfa: neither", "/acrmfa", map[string]any{"acr": loa2}, level(`, acr_values="` + loa3 + ` ` + middleware.ACRMultiFactor + `"`)},

		{"SU3/repeated values named once", "/repeated", nil, level(`, acr_values="` + loa3 + ` ` + middleware.ACRMultiFactor + `"`)},
		{"SU2/recent", "/age", map[string]any{"auth_time": now - 60}, ok},
		{"SU2/at the limit", "/age", map[string]any{"auth_time": now - 300}, ok},
		{"SU2/too old", "/age", map[string]any{"auth_time": now - 301}, recent(", max_age=300")},
		{"SU2/auth_time missing", "/age", nil, recent(", max_age=300")},
		{"SU2/auth_time in the future", "/age", map[string]any{"auth_time": now + 60}, recent(", max_age=300")},
		{"SU2/mfa and age: both met", "/both", map[string]any{"acr": middleware.ACRMultiFactor, "auth_time": now - 599}, ok},
		{"SU2/mfa and age: too old", "/both", map[string]any{"acr": middleware.ACRMultiFactor, "auth_time": now - 601}, recent(mfaParams + ", max_age=600")},
		{"SU2/mfa and age: no mfa", "/both", map[string]any{"auth_time": now}, level(mfaParams + ", max_age=600")},

		{"SU4/auth_time negative", "/age", map[string]any{"auth_time": -1}, invalid},
		{"SU4/auth_time huge", "/age", map[string]any{"auth_time": 1e300}, invalid},
		{"SU4/auth_time string", "/age", map[string]any{"auth_time": "1800000000"}, invalid},
		{"SU4/auth_time array", "/age", map[string]any{"auth_time": []any{}}, invalid},
	}
	for _, rt := range routers {
		srv := server(t, rt.serve(routes...))
		for _, tc := range cases {
			t.Run(rt.name+"/"+tc.name, func(t *testing.T) {
				resp, body := call(t, srv, http.MethodGet, tc.path, bearer(token(t, tc.over)))
				checkResponse(t, resp, body, tc.want)
				if tc.name == "SU1/acr huge" && len(resp.Header.Get("WWW-Authenticate")) > 200 {
					t.Errorf("challenge echoes the token's acr: %d bytes", len(resp.Header.Get("WWW-Authenticate")))
				}
			})
		}
	}
}

// TestSU5StepUpChallenge: the challenge carries the realm and
// resource_metadata of the request's Authenticate; the ErrorHandler and
// Observer get the refusal, its cause matchable (verifier.ErrMaxAge for
// the age), never claim values.
func TestSU5StepUpChallenge(t *testing.T) {
	v := newVerifier(t, nil)
	var obs events
	var got *middleware.Error
	h := middleware.Authenticate(v, middleware.WithRealm("payments"), middleware.WithObserver(&obs),
		middleware.WithResourceMetadata("https://api.example.com/.well-known/oauth-protected-resource"),
		middleware.WithErrorHandler(func(w http.ResponseWriter, r *http.Request, e *middleware.Error) {
			got = e
			e.WriteResponse(w)
		}))(middleware.RequireStepUp(middleware.StepUpACR(loa2), middleware.StepUpMaxAge(0))(echo))
	srv := server(t, h)
	prefix := `Bearer realm="payments", resource_metadata="https://api.example.com/.well-known/oauth-protected-resource", error="insufficient_user_authentication"`

	resp, body := call(t, srv, http.MethodGet, "/", bearer(token(t, map[string]any{"acr": "urn:secret-acr-value"})))
	checkResponse(t, resp, body, want{status: 401, body: bodyStepUp(descLevel),
		challenge: prefix + `, error_description="` + descLevel + `", acr_values="` + loa2 + `", max_age=0`})
	if got == nil || got.Outcome != middleware.OutcomeInsufficientAuthentication || got.Code != "insufficient_user_authentication" {
		t.Fatalf("ErrorHandler got %+v", got)
	}
	var se *middleware.StepUpError
	if !errors.As(got.Err, &se) || strings.Contains(got.Err.Error(), "secret-acr") {
		t.Errorf("Err: got %v, want a *StepUpError without the acr value", got.Err)
	}

	resp, body = call(t, srv, http.MethodGet, "/", bearer(token(t, map[string]any{"acr": loa2, "auth_time": testNow.Unix() - 1})))
	checkResponse(t, resp, body, want{status: 401, body: bodyStepUp(descRecent),
		challenge: prefix + `, error_description="` + descRecent + `", acr_values="` + loa2 + `", max_age=0`})
	if got == nil || !errors.Is(got.Err, verifier.ErrMaxAge) {
		t.Errorf("Err: got %v, want ErrMaxAge", got.Err)
	}
	resp, body = call(t, srv, http.MethodGet, "/", bearer(token(t, map[string]any{"acr": loa2, "auth_time": testNow.Unix()})))
	checkResponse(t, resp, body, want{status: 200, body: "sub=auth0|alice"})

	evs := obs.take()
	wantOutcomes := []string{middleware.OutcomeInsufficientAuthentication, middleware.OutcomeInsufficientAuthentication, middleware.OutcomeOK}
	if len(evs) != len(wantOutcomes) {
		t.Fatalf("got %d events, want %d", len(evs), len(wantOutcomes))
	}
	for i, ev := range evs {
		if ev.Outcome != wantOutcomes[i] {
			t.Errorf("event %d: got outcome %q, want %q", i, ev.Outcome, wantOutcomes[i])
		}
	}

	t.Run("no claims", func(t *testing.T) {
		srv := server(t, middleware.RequireStepUp(middleware.StepUpMFA())(echo))
		resp, body := call(t, srv, http.MethodGet, "/", nil)
		checkResponse(t, resp, body, want{status: 401, challenge: chMissing, body: bodyMissing})
	})
}

// TestSU8StepUpMisuse: invalid requirements are refused when built.
func TestSU8StepUpMisuse(t *testing.T) {
	cases := map[string][]middleware.StepUpOption{
		"SU8/none":                nil,
		"SU8/nil option":          {nil},
		"SU8/empty acr":           {middleware.StepUpACR()},
		"SU8/acr with space":      {middleware.StepUpACR("urn:a urn:b")},
		"SU8/acr with quote":      {middleware.StepUpACR(`urn:"a`)},
		"SU8/acr with backslash":  {middleware.StepUpACR(`urn:\a`)},
		"SU8/acr empty value":     {middleware.StepUpACR("")},
		"SU8/acr non-ASCII":       {middleware.StepUpACR("urn:é")},
		"SU8/acr control":         {middleware.StepUpACR("urn:\n")},
		"SU8/negative max age":    {middleware.StepUpMaxAge(-time.Second)},
		"SU8/fractional max age":  {middleware.StepUpMaxAge(1500 * time.Millisecond)},
		"SU8/fine then bad value": {middleware.StepUpMFA(), middleware.StepUpACR("a b")},
	}
	for name, opts := range cases {
		t.Run(name, func(t *testing.T) {
			if _, err := middleware.NewStepUp(opts...); err == nil {
				t.Error("NewStepUp: no error")
			}
			defer func() {
				if recover() == nil {
					t.Error("RequireStepUp: no panic")
				}
			}()
			middleware.RequireStepUp(opts...)
		})
	}
}
