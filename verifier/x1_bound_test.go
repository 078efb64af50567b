package verifier_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/tokengate/tokengate/verifier"
)

// SECURITY.md X1: a token carrying cnf (RFC 7800) is sender-constrained.
// Without proof of its key it must not pass as a bearer token, so Verify
// refuses it unless the call names, with WithBindings, every confirmation
// method it holds; cnf values this package cannot check are refused always.

const (
	x1JKT = "0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I" // RFC 9449 section 6.1
	x1X5T = "bwcK0esc3ACC3DB2Y5_lESsXE8o9ltc05O89jdN-dg2" // RFC 8705 section 3.1
)

// x1Calls are the option sets of a call, by name.
var x1Calls = []struct {
	name string
	opts []verifier.Option
}{
	{"bearer", nil},
	{"dpop", []verifier.Option{verifier.WithBindings(verifier.BindingDPoP)}},
	{"mtls", []verifier.Option{verifier.WithBindings(verifier.BindingMTLS)}},
	{"dpop|mtls", []verifier.Option{verifier.WithBindings(verifier.BindingDPoP | verifier.BindingMTLS)}},
	{"dpop,mtls", []verifier.Option{verifier.WithBindings(verifier.BindingDPoP), verifier.WithBindings(verifier.BindingMTLS)}},
	{"unknown-bits", []verifier.Option{verifier.WithBindings(^verifier.Binding(0) &^ (verifier.BindingDPoP | verifier.BindingMTLS))}},
	{"other-option", []verifier.Option{verifier.WithMaxAge(1 << 40)}},
}

// x1Shape is a cnf value (raw JSON; "" for no cnf), what each call of
// x1Calls gives (by name), and the confirmation an accepted token carries.
type x1Shape struct {
	name string
	cnf  string
	want map[string]error
	conf *verifier.Confirmation // nil: no cnf
}

// x1Shapes: the cnf members a token may carry.
func x1Shapes() []x1Shape {
	bound := verifier.ErrBoundToken
	all := func(err error) map[string]error {
		m := map[string]error{}
		for _, c := range x1Calls {
			m[c.name] = err
		}
		return m
	}
	accepts := func(calls ...string) map[string]error {
		m := all(bound)
		for _, c := range calls {
			m[c] = nil
		}
		return m
	}
	malformed := all(verifier.ErrMalformed)
	jkt, x5t := `"jkt":"`+x1JKT+`"`, `"x5t#S256":"`+x1X5T+`"`
	return []x1Shape{
		{"absent", "", all(nil), nil},
		{"jkt", "{" + jkt + "}", accepts("dpop", "dpop|mtls", "dpop,mtls"), &verifier.Confirmation{JKT: x1JKT}},
		{"jkt-escaped-name", `{"\u006akt":"` + x1JKT + `"}`, accepts("dpop", "dpop|mtls", "dpop,mtls"), &verifier.Confirmation{JKT: x1JKT}},
		{"x5t#S256", "{" + x5t + "}", accepts("mtls", "dpop|mtls", "dpop,mtls"), &verifier.Confirmation{X5TS256: x1X5T}},
		{"jkt-and-x5t#S256", "{" + jkt + "," + x5t + "}", accepts("dpop|mtls", "dpop,mtls"), &verifier.Confirmation{JKT: x1JKT, X5TS256: x1X5T}},
		{"unknown-member", `{"kid":"k1"}`, all(bound), nil},
		{"jwk-member", `{"jwk":{"kty":"EC","crv":"P-256","x":"AA","y":"AA"}}`, all(bound), nil},
		{"jkt-and-unknown", "{" + jkt + `,"jku":"https://evil.example/"}`, all(bound), nil},
		{"x5t-sha1", `{"x5t":"` + x1X5T + `"}`, all(bound), nil},
		{"jkt-upper-case", `{"JKT":"` + x1JKT + `"}`, all(bound), nil},
		{"empty-object", `{}`, all(bound), nil},
		{"empty-jkt", `{"jkt":""}`, all(bound), nil},
		{"empty-x5t#S256", `{"x5t#S256":""}`, all(bound), nil},
		{"null", `null`, malformed, nil},
		{"string", `"` + x1JKT + `"`, malformed, nil},
		{"number", `1`, malformed, nil},
		{"true", `true`, malformed, nil},
		{"array", `[{` + jkt + `}]`, malformed, nil},
		{"jkt-null", `{"jkt":null}`, malformed, nil},
		{"jkt-number", `{"jkt":1}`, malformed, nil},
		{"jkt-nested", `{"jkt":{` + jkt + `}}`, malformed, nil},
		{"jkt-array", `{"jkt":["` + x1JKT + `"]}`, malformed, nil},
		{"duplicate-member", "{" + jkt + `,"jkt":"other"}`, malformed, nil},
		{"case-folded-duplicate", "{" + jkt + `,"JKT":"other"}`, malformed, nil},
		{"duplicate-claim", "{" + jkt + `},"cnf":{` + jkt + "}", malformed, nil},
		{"case-folded-duplicate-claim", "{" + jkt + `},"CNF":{` + jkt + "}", malformed, nil},
	}
}

func sameConfirmation(a, b *verifier.Confirmation) bool {
	return a == nil && b == nil || a != nil && b != nil && *a == *b
}

// x1Payload is the standard claims with auth_time (for WithMaxAge) and the
// raw cnf value, if any.
func x1Payload(cnf string) string {
	extra := fmt.Sprintf(`"auth_time":%d`, now-60)
	if cnf != "" {
		extra += `,"cnf":` + cnf
	}
	return payload(extra)
}

// TestX1BoundToken runs every shape against every call, with the cache on
// (miss, then hit) and off.
func TestX1BoundToken(t *testing.T) {
	loadKeys()
	for _, sh := range x1Shapes() {
		tok := rs(x1Payload(sh.cnf))(t)
		for _, call := range x1Calls {
			want := sh.want[call.name]
			for _, cacheSize := range []int{0, -1} {
				name := sh.name + "/" + call.name + "/cache"
				if cacheSize < 0 {
					name += "-off"
				}
				t.Run(name, func(t *testing.T) {
					rec := &recorder{}
					v := newVerifier(t, verifier.Config{CacheSize: cacheSize, Observer: rec})
					for i := range 2 {
						c, err, hit := verifyHit(t, v, rec, tok, call.opts...)
						checkOutcome(t, tok, c, err, want, "")
						if c != nil && !sameConfirmation(c.Confirmation, sh.conf) {
							t.Errorf("call %d: got Confirmation %+v, want %+v", i, c.Confirmation, sh.conf)
						}
						if errors.Is(err, verifier.ErrBoundToken) {
							if got := verifier.Reason(err); got != "bound_token" {
								t.Errorf("Reason: got %q, want bound_token", got)
							}
							var ve *verifier.ValidationError
							if errors.As(err, &ve) && ve.Claim != "cnf" {
								t.Errorf("ValidationError.Claim: got %q, want cnf", ve.Claim)
							}
						}
						// The second call of a token that passed the
						// configuration's checks is a cache hit; a cnf that
						// no call can accept is refused by the
						// configuration, and never cached.
						wantHit := i == 1 && cacheSize == 0 && sh.want["dpop|mtls"] == nil
						if hit != wantHit {
							t.Errorf("call %d: got cache hit %v, want %v", i, hit, wantHit)
						}
					}
				})
			}
		}
	}
}

// TestX1BoundTokenCacheHit: the binding is a per-call check, applied on a
// cache hit whatever the call that cached the token allowed.
func TestX1BoundTokenCacheHit(t *testing.T) {
	loadKeys()
	dpop := verifier.WithBindings(verifier.BindingDPoP)
	rec := &recorder{}
	v := newVerifier(t, verifier.Config{Observer: rec})
	tok := rs(x1Payload(`{"jkt":"` + x1JKT + `"}`))(t)
	verifyStep(t, v, rec, tok, nil, false, dpop)
	verifyStep(t, v, rec, tok, verifier.ErrBoundToken, true)
	verifyStep(t, v, rec, tok, verifier.ErrBoundToken, true, verifier.WithBindings(verifier.BindingMTLS))
	verifyStep(t, v, rec, tok, nil, true, dpop)

	// Refused first: still cached (it passed the configuration), and
	// accepted from the cache by a call that checks the binding.
	tok2 := rs(x1Payload(`{"x5t#S256":"` + x1X5T + `"}`))(t)
	verifyStep(t, v, rec, tok2, verifier.ErrBoundToken, false)
	verifyStep(t, v, rec, tok2, nil, true, verifier.WithBindings(verifier.BindingMTLS))
}

// TestX1BoundTokenOrder: a token with cnf that also fails a check of the
// configuration reports that check (only tokens the configuration accepts
// are asked about their binding); a binding refusal comes before the
// per-call options.
func TestX1BoundTokenOrder(t *testing.T) {
	loadKeys()
	cnf := `"cnf":{"jkt":"` + x1JKT + `"}`
	runCases(t, []tokenCase{
		claimCase("X1/expired", payload(cnf+`,"exp":1`, "exp"), verifier.ErrExpired),
		claimCase("X1/wrong-audience", payload(cnf+`,"aud":"other"`, "aud"), verifier.ErrAudience),
		claimCase("X1/before-nonce", payload(cnf), verifier.ErrBoundToken).with(nil, verifier.WithNonce("n-0")),
		claimCase("X1/nonce-when-bound-checked", payload(cnf), verifier.ErrNonce).with(nil, verifier.WithNonce("n-0"), verifier.WithBindings(verifier.BindingDPoP)),
		claimCase("X1/message", payload(cnf), verifier.ErrBoundToken).saying("DPoP"),
	})
}
