package verifier_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/tokengate/tokengate/verifier"
)

// Tables of SECURITY.md sections 3.13 (aud, iss and other claims) and
// 3.14 (time claims), the ID-token rules of the Auth0 Python TokenVerifier
// (reference: auth0-python-surface.md section 1.2) and the access-token
// rules of DESIGN.md.

func TestAudIss(t *testing.T)      { runCases(t, audIssCases()) }
func TestTimeClaims(t *testing.T)  { runCases(t, timeCases()) }
func TestIDToken(t *testing.T)     { runCases(t, idTokenCases()) }
func TestAccessToken(t *testing.T) { runCases(t, accessTokenCases()) }

var (
	now      = testNow.Unix() // 1_800_000_000
	errIss   = verifier.ErrIssuer
	errAud   = verifier.ErrAudience
	errExp   = verifier.ErrExpired
	errNbf   = verifier.ErrNotYetValid
	errNonce = verifier.ErrNonce
	errOrg   = verifier.ErrOrganization
	errAzp   = verifier.ErrAuthorizedParty
	errTyp   = verifier.ErrTokenType
	errMiss  = verifier.ErrMissingClaim
	errAge   = verifier.ErrMaxAge
)

// claimCase is a case whose token is the K_rsa signature of p.
func claimCase(id, p string, want error) tokenCase {
	return tokenCase{id: id, payload: p, tok: rs(p), want: want}
}

// with sets the config and options of a case.
func (tc tokenCase) with(cfg func(*verifier.Config), opts ...verifier.Option) tokenCase {
	tc.cfg, tc.opts = cfg, opts
	return tc
}

func (tc tokenCase) saying(msg string) tokenCase {
	tc.msg = msg
	return tc
}

// typed signs the standard claims under a header with the given typ member.
func typed(id, typJSON string, want error) tokenCase {
	p := claims(nil)
	return tokenCase{id: id, payload: p, tok: rsHeader(`{"alg":"RS256","kid":"k1","typ":`+typJSON+`}`, p), want: want}
}

func audIssCases() []tokenCase {
	const issB = "https://b.example.com/"
	multi := func(c *verifier.Config) {
		c.Keys = set(key("k1", "RS256", rsaPub()))
		c.Issuers = []verifier.Issuer{{Issuer: issB, Keys: set(key("kb", "RS256", &rsaKey2.PublicKey))}}
	}
	multiSameKid := func(c *verifier.Config) {
		c.Keys = set(key("k1", "RS256", rsaPub()))
		c.Issuers = []verifier.Issuer{{Issuer: issB, Keys: set(key("k1", "RS256", &rsaKey2.PublicKey))}}
	}
	issued := func(iss string) string { return payload(fmt.Sprintf(`"iss":%q`, iss), "iss") }
	byB := func(kid, p string) func(testing.TB) string { return signed("RS256", rsaPriv2, hdr("RS256", kid), p) }
	typ := func(types ...string) func(*verifier.Config) { return func(c *verifier.Config) { c.Types = types } }
	// An ID-token verifier that accepts the standard claims (aud api, azp
	// client-1).
	idAPI := func(c *verifier.Config) { c.Kind, c.ClientID = verifier.IDToken, "client-1" }
	aud := func(v string) string { return payload(`"aud":`+v, "aud") }
	return []tokenCase{
		claimCase("C1/string", aud(`"api"`), nil),
		claimCase("C1/array", aud(`["api"]`), nil),
		claimCase("C1/array-second", aud(`["x","api"]`), nil),
		claimCase("C2/upper", aud(`"API"`), errAud),
		claimCase("C2/trailing-space", aud(`"api "`), errAud),
		claimCase("C2/url", aud(`"https://api"`), errAud),
		claimCase("C2/prefix", aud(`"ap"`), errAud),
		claimCase("C2/longer", aud(`"apix"`), errAud),
		claimCase("C2/other", aud(`["x"]`), errAud),
		claimCase("C2/empty-array", aud(`[]`), errAud),
		claimCase("C2/empty-string", aud(`""`), errAud),
		claimCase("C2/null", aud(`null`), errMalformed),
		claimCase("C2/missing", payload("", "aud"), errAud),
		claimCase("C3/array-with-number", aud(`["api",1]`), errMalformed),
		claimCase("C3/nested-array", aud(`[["api"]]`), errMalformed),
		claimCase("C3/object", aud(`{"api":true}`), errMalformed),
		claimCase("C3/number", aud(`123`), errMalformed),
		claimCase("C3/bool", aud(`true`), errMalformed),
		claimCase("C3/array-with-null", aud(`["api",null]`), errMalformed),
		claimCase("C4/empty", issued(""), errIss),
		claimCase("C4/no-trailing-slash", issued("https://idp.example.com"), errIss),
		claimCase("C4/upper", issued("HTTPS://IDP.EXAMPLE.COM/"), errIss),
		claimCase("C4/query", issued("https://idp.example.com/?"), errIss),
		claimCase("C4/missing", payload("", "iss"), errIss),
		claimCase("C4/other", issued(issB), errIss),
		claimCase("C4/number", payload(`"iss":1`, "iss"), errMalformed),
		claimCase("C4/null", payload(`"iss":null`, "iss"), errMalformed),
		// C5: each issuer's keys verify only that issuer's tokens.
		{id: "C5/iss-A-key-B", cfg: multi, payload: claims(nil), tok: byB("kb", claims(nil)), want: errKid},
		{id: "C5/iss-A-key-B-same-kid", cfg: multiSameKid, payload: claims(nil), tok: byB("k1", claims(nil)), want: errSig},
		{id: "C5/iss-B-key-A", cfg: multi, payload: issued(issB), tok: rs(issued(issB)), want: errKid},
		{id: "C5/iss-B-key-A-same-kid", cfg: multiSameKid, payload: issued(issB), tok: rs(issued(issB)), want: errSig},
		{id: "C5/iss-B-key-B", cfg: multi, payload: issued(issB), tok: byB("kb", issued(issB)), want: nil},
		{id: "C5/iss-A-key-A", cfg: multi, payload: claims(nil), tok: rs(claims(nil)), want: nil},
		{id: "C5/iss-unknown", cfg: multi, payload: issued("https://c.example.com/"), tok: byB("kb", issued("https://c.example.com/")), want: errIss},
		{id: "C5/iss-missing", cfg: multi, payload: payload("", "iss"), tok: rs(payload("", "iss")), want: errIss},
		{id: "C5/iss-number", cfg: multi, payload: payload(`"iss":1`, "iss"), tok: rs(payload(`"iss":1`, "iss")), want: errIss},
		{id: "C5/single-issuer-iss-B", payload: issued(issB), tok: rs(issued(issB)), want: errIss},
		claimCase("C6/missing", claims(nil), errNonce).with(nil, verifier.WithNonce("n-123")),
		claimCase("C6/different", payload(`"nonce":"n-124"`), errNonce).with(nil, verifier.WithNonce("n-123")),
		claimCase("C6/case-changed", payload(`"nonce":"N-123"`), errNonce).with(nil, verifier.WithNonce("n-123")),
		claimCase("C6/array", payload(`"nonce":["n-123"]`), errMalformed).with(nil, verifier.WithNonce("n-123")),
		claimCase("C6/null", payload(`"nonce":null`), errMalformed).with(nil, verifier.WithNonce("n-123")),
		claimCase("C6/equal", payload(`"nonce":"n-123"`), nil).with(nil, verifier.WithNonce("n-123")),
		claimCase("C6/not-expected", payload(`"nonce":"n-123"`), nil),
		claimCase("C6/empty-nonce-asked", payload(`"nonce":""`), errNonce).with(nil, verifier.WithNonce("")),
		claimCase("C7/missing", claims(nil), errOrg).with(nil, verifier.WithOrganization("org_abc")),
		claimCase("C7/different", payload(`"org_id":"org_abd"`), errOrg).with(nil, verifier.WithOrganization("org_abc")),
		claimCase("C7/case-changed", payload(`"org_id":"org_ABC"`), errOrg).with(nil, verifier.WithOrganization("org_abc")),
		claimCase("C7/space", payload(`"org_id":"org_abc "`), errOrg).with(nil, verifier.WithOrganization("org_abc")),
		claimCase("C7/array", payload(`"org_id":["org_abc"]`), errMalformed).with(nil, verifier.WithOrganization("org_abc")),
		claimCase("C7/null", payload(`"org_id":null`), errMalformed).with(nil, verifier.WithOrganization("org_abc")),
		claimCase("C7/empty", payload(`"org_id":""`), errOrg).with(nil, verifier.WithOrganization("org_abc")),
		claimCase("C7/equal", payload(`"org_id":"org_abc"`), nil).with(nil, verifier.WithOrganization("org_abc")),
		claimCase("C7/org_-value-not-matched-by-name", payload(`"org_name":"org_abc"`), errOrg).with(nil, verifier.WithOrganization("org_abc")),
		claimCase("C7/name-value-not-matched-by-id", payload(`"org_id":"acme"`), errOrg).with(nil, verifier.WithOrganization("acme")),
		// X12: the value asked for is lower-cased, the claim is not.
		claimCase("C7/org_name-value-lower-cased", payload(`"org_name":"acme"`), nil).with(nil, verifier.WithOrganization("ACME")),
		claimCase("C7/org_name-claim-not-lower-cased", payload(`"org_name":"ACME"`), errOrg).with(nil, verifier.WithOrganization("acme")),
		claimCase("C7/ORG_-value-is-an-id", payload(`"org_name":"org_abc"`), errOrg).with(nil, verifier.WithOrganization("ORG_ABC")),
		claimCase("C7/org_name-different", payload(`"org_name":"acme-corp"`), errOrg).with(nil, verifier.WithOrganization("acme")),
		claimCase("C7/org_name-missing", claims(nil), errOrg).with(nil, verifier.WithOrganization("acme")),
		claimCase("C7/empty-org-asked", payload(`"org_id":"","org_name":""`), errOrg).with(nil, verifier.WithOrganization("")),
		typed("C8/JWT-under-profile", `"JWT"`, errTyp).with(typ("at+jwt")),
		typed("C8/at+jwt", `"at+jwt"`, nil).with(typ("at+jwt")),
		typed("C8/application-at+jwt", `"application/at+jwt"`, nil).with(typ("at+jwt")),
		typed("C8/AT+JWT", `"AT+JWT"`, nil).with(typ("at+jwt")),
		typed("C8/Application-AT+JWT", `"Application/AT+JWT"`, nil).with(typ("application/at+jwt")),
		typed("C8/at+jwt-space", `"at+jwt "`, errTyp).with(typ("at+jwt")),
		typed("C8/number", `1`, errMalformed).with(typ("at+jwt")),
		{id: "C8/missing-under-profile", cfg: typ("at+jwt"), payload: claims(nil), tok: rsHeader(`{"alg":"RS256","kid":"k1"}`, claims(nil)), want: errTyp},
		typed("C8/access-default-JWT", `"JWT"`, nil),
		typed("C8/access-default-at+jwt", `"at+jwt"`, nil),
		typed("C8/access-default-application-at+jwt", `"application/at+jwt"`, nil),
		typed("C8/access-default-JOSE", `"JOSE"`, errTyp),
		typed("C8/access-default-id-token", `"id_token+jwt"`, errTyp),
		// S10: the rules are exclusive: an ID-token verifier refuses at+jwt.
		typed("C8/id-at+jwt", `"at+jwt"`, errTyp).with(idAPI),
		typed("C8/id-application-at+jwt", `"application/at+jwt"`, errTyp).with(idAPI),
		typed("C8/id-JWT", `"JWT"`, nil).with(idAPI),
		{id: "C8/id-no-typ", cfg: idAPI, payload: claims(nil), tok: rsHeader(`{"alg":"RS256","kid":"k1"}`, claims(nil)), want: nil},
		// C9: see also ID/9-*.
		claimCase("C9", idPayload(`"aud":["client-1","api"],"azp":"other"`, "aud"), errAzp).with(idCfg),
	}
}

func dateCase(id, member, value string, want error) tokenCase {
	return claimCase(id, payload(fmt.Sprintf(`%q:%s`, member, value), member), want)
}

func leeway(d time.Duration) func(*verifier.Config) {
	return func(c *verifier.Config) { c.Leeway = d }
}

func timeCases() []tokenCase {
	at := func(off int64) string { return fmt.Sprint(now + off) }
	lw := leeway(30 * time.Second)
	return []tokenCase{
		dateCase("T1/exp-string", "exp", `"1900000000"`, errMalformed),
		dateCase("T1/exp-true", "exp", `true`, errMalformed),
		dateCase("T1/exp-object", "exp", `{}`, errMalformed),
		dateCase("T1/exp-null", "exp", `null`, errMalformed),
		dateCase("T1/exp-array", "exp", `[1900000000]`, errMalformed),
		dateCase("T1/nbf-null", "nbf", `null`, errMalformed),
		dateCase("T1/nbf-string", "nbf", `"0"`, errMalformed),
		dateCase("T1/iat-null", "iat", `null`, errMalformed),
		dateCase("T1/iat-string", "iat", `"1799999940"`, errMalformed),
		dateCase("T1/auth_time-null", "auth_time", `null`, errMalformed),
		dateCase("T2/exponent", "exp", `1.9e9`, nil),
		dateCase("T2/exponent-upper", "exp", `19E8`, nil),
		dateCase("T2/fraction", "exp", `1900000000.5`, nil),
		dateCase("T2/exponent-past", "exp", `1.7e9`, errExp),
		dateCase("T2/half-second-ahead", "exp", `1800000000.5`, nil),
		dateCase("T2/half-second-behind", "exp", `1799999999.5`, errExp),
		dateCase("T2/exactly-now", "exp", at(0), errExp),
		dateCase("T3/1e308", "exp", `1e308`, errMalformed),
		dateCase("T3/1e400", "exp", `1e400`, errMalformed),
		dateCase("T3/2^53+1", "exp", `9007199254740993`, errMalformed),
		dateCase("T3/minus-1", "exp", `-1`, errMalformed),
		dateCase("T3/zero", "exp", `0`, errExp),
		dateCase("T3/minus-zero", "exp", `-0`, errExp),
		dateCase("T3/minus-1e308", "exp", `-1e308`, errMalformed),
		dateCase("T3/year-9999", "exp", `253402300799`, nil),
		dateCase("T3/year-10000", "exp", `253402300800`, errMalformed),
		dateCase("T3/nbf-minus-1", "nbf", `-1`, errMalformed),
		dateCase("T3/iat-1e400", "iat", `1e400`, errMalformed),
		dateCase("T3/nbf-zero", "nbf", `0`, nil),
		dateCase("T4/exp-before-leeway", "exp", at(-31), errExp).with(lw),
		dateCase("T4/exp-at-leeway", "exp", at(-30), errExp).with(lw),
		dateCase("T4/exp-within-leeway", "exp", at(-29), nil).with(lw),
		dateCase("T4/exp-plus-1s", "exp", at(1), nil),
		dateCase("T4/exp-minus-1s", "exp", at(-1), errExp),
		dateCase("T4/nbf-after-leeway", "nbf", at(31), errNbf).with(lw),
		dateCase("T4/nbf-at-leeway", "nbf", at(30), nil).with(lw),
		dateCase("T4/nbf-plus-1s-no-leeway", "nbf", at(1), errNbf),
		dateCase("T4/nbf-now", "nbf", at(0), nil),
		claimCase("T4/nbf-after-exp", payload(fmt.Sprintf(`"nbf":%d,"exp":%d`, now+7200, now+3600), "exp"), errNbf),
		claimCase("T4/nbf-after-exp-with-leeway", payload(fmt.Sprintf(`"nbf":%d,"exp":%d`, now+10, now+5), "exp"), errNbf).with(lw),
		dateCase("T5/iat-plus-1h", "iat", at(3600), errNbf),
		dateCase("T5/iat-plus-1s", "iat", at(1), errNbf),
		dateCase("T5/iat-within-leeway", "iat", at(30), nil).with(lw),
		dateCase("T5/iat-after-leeway", "iat", at(31), errNbf).with(lw),
		dateCase("T5/iat-now", "iat", at(0), nil),
		claimCase("T6/exp-missing", payload("", "exp"), errExp),
		claimCase("T6/exp-missing-id-token", idPayload("", "exp"), errExp).with(idCfg),
		// T8: the signature is checked first; a token that fails it reports
		// ErrSignature whatever else is wrong (runCases also checks that no
		// other sentinel, ErrExpired included, matches).
		{id: "T8/expired-bad-signature", tok: badSig(payload(fmt.Sprintf(`"exp":%d`, now-3600), "exp")), want: errSig},
		{id: "T8/expired-exp-null-bad-signature", tok: badSig(payload(`"exp":null`, "exp")), want: errSig},
		{id: "T8/not-yet-valid-bad-signature", tok: badSig(payload(fmt.Sprintf(`"nbf":%d`, now+3600))), want: errSig},
		{id: "T8/wrong-iss-aud-bad-signature", tok: badSig(payload(`"iss":"https://evil/","aud":"x"`, "iss", "aud")), want: errSig},
		{id: "T8/broken-claims-bad-signature", tok: badSig(`{"exp":1,"exp":2`), want: errSig},
		{id: "T8/expired-other-key", tok: signed("RS256", rsaPriv2, hdr("RS256", "k1"), payload(fmt.Sprintf(`"exp":%d`, now-3600), "exp")), want: errSig},
		{id: "T8/expired-unknown-kid", tok: signed("RS256", rsaPriv, hdr("RS256", "k9"), payload(fmt.Sprintf(`"exp":%d`, now-3600), "exp")), want: errKid},
		{id: "T8/expired-alg-not-allowed", tok: signed("HS256", hmacPriv, hdr("HS256", "k1"), payload(fmt.Sprintf(`"exp":%d`, now-3600), "exp")), want: errAlg},
	}
}

// badSig is the K_rsa token of p with one signature bit flipped.
func badSig(p string) func(testing.TB) string {
	return func(t testing.TB) string { return flipLastSigByte(rs(p)(t)) }
}

// ID tokens: Kind IDToken, client ID "client-1" (= Audience[0]).
func idCfg(c *verifier.Config) {
	c.Kind = verifier.IDToken
	c.Audience = []string{"client-1"}
}

// idPayload is a minimal ID token's claims (iss, sub, aud client-1, iat,
// exp) without drop, plus extra.
func idPayload(extra string, drop ...string) string {
	base := map[string]any{
		"iss": testIss, "sub": "auth0|alice", "aud": "client-1",
		"iat": now - 60, "exp": now + 3600,
	}
	for _, d := range drop {
		delete(base, d)
	}
	s := string(mustJSON(base))
	if extra == "" {
		return s
	}
	if s == "{}" {
		return "{" + extra + "}"
	}
	return s[:len(s)-1] + "," + extra + "}"
}

func idCase(id, p string, want error, opts ...verifier.Option) tokenCase {
	return claimCase("ID/"+id, p, want).with(idCfg, opts...)
}

// idTokenCases: the TokenVerifier table of the Auth0 Python SDK, row by
// row (numbers as in auth0-python-surface.md 1.2), then its precedence.
// Where we are deliberately stricter, the case says so.
func idTokenCases() []tokenCase {
	hour := time.Hour
	hs := func(p string) func(testing.TB) string { return signed("HS256", hmacPriv, hdr("HS256", "k1"), p) }
	return []tokenCase{
		{id: "ID/0-missing", cfg: idCfg, tok: raw(""), want: errMalformed, msg: "ID token is required but missing"},
		{id: "ID/1b-alg", cfg: idCfg, tok: hs(idPayload("")), want: errAlg,
			msg: `Signature algorithm of "HS256" is not supported. Expected the token to be signed with "RS256"`},
		{id: "ID/1b-none", cfg: idCfg, tok: raw(parts(`{"alg":"none"}`, idPayload(""), "c2ln")), want: errAlg,
			msg: `Signature algorithm of "none" is not supported`},
		{id: "ID/1b-missing", cfg: idCfg, tok: rsHeader(`{"kid":"k1"}`, idPayload("")), want: errAlg},
		{id: "ID/1c-kid", cfg: idCfg, tok: signed("RS256", rsaPriv, hdr("RS256", "nope"), idPayload("")), want: errKid,
			msg: `with ID "nope" was not found`},
		{id: "ID/1d-signature", cfg: idCfg, tok: func(t testing.TB) string { return flipLastSigByte(rs(idPayload(""))(t)) }, want: errSig,
			msg: "Invalid token signature"},
		idCase("2-iss-missing", idPayload("", "iss"), errIss).saying("Issuer (iss) claim must be a string present in the ID token"),
		idCase("2-iss-mismatch", idPayload(`"iss":"https://evil.example/"`, "iss"), errIss).
			saying(`Issuer (iss) claim mismatch in the ID token; expected "https://idp.example.com/", found "https://evil.example/"`),
		// Stricter: a registered claim of the wrong JSON type is malformed,
		// before any claim is compared (Python: "must be a string present").
		idCase("2-iss-number", idPayload(`"iss":1`, "iss"), errMalformed),
		idCase("3-sub-missing", idPayload("", "sub"), errMiss).saying("Subject (sub) claim must be a string present in the ID token"),
		idCase("3-sub-empty", idPayload(`"sub":""`, "sub"), errMiss).saying("Subject (sub) claim must be a string present in the ID token"),
		idCase("3-sub-number", idPayload(`"sub":1`, "sub"), errMalformed),
		idCase("4-aud-missing", idPayload("", "aud"), errAud).
			saying("Audience (aud) claim must be a string or array of strings present in the ID token"),
		idCase("4-aud-list-mismatch", idPayload(`"aud":["x","y"],"azp":"client-1"`, "aud"), errAud).
			saying(`Audience (aud) claim mismatch in the ID token; expected`),
		idCase("4-aud-string-mismatch", idPayload(`"aud":"x"`, "aud"), errAud).
			saying(`Audience (aud) claim mismatch in the ID token; expected`),
		idCase("4-aud-list-match", idPayload(`"aud":["x","client-1"],"azp":"client-1"`, "aud"), nil),
		idCase("5-exp-missing", idPayload("", "exp"), errExp).saying("Expiration Time (exp) claim must be a number present in the ID token"),
		idCase("5-exp-past", idPayload(fmt.Sprintf(`"exp":%d`, now-10), "exp"), errExp).
			saying("Expiration Time (exp) claim error in the ID token; current time (1800000000) is after expiration time (1799999990)"),
		// Python uses now > exp + leeway; RFC 7519 says the token must not be
		// accepted on or after exp: exp == now is expired here.
		idCase("5-exp-now", idPayload(fmt.Sprintf(`"exp":%d`, now), "exp"), errExp),
		// Python refuses a float exp; RFC 7519 allows it.
		idCase("5-exp-float", idPayload(fmt.Sprintf(`"exp":%d.25`, now+10), "exp"), nil),
		idCase("6-iat-missing", idPayload("", "iat"), errMiss).saying("Issued At (iat) claim must be a number present in the ID token"),
		// Stricter: iat in the future is refused (Python checks presence only).
		idCase("6-iat-future", idPayload(fmt.Sprintf(`"iat":%d`, now+3600), "iat"), errNbf).saying("Issued At (iat) claim error in the ID token"),
		// Stricter: nbf is checked (Python never looks at it).
		idCase("6-nbf-future", idPayload(fmt.Sprintf(`"nbf":%d`, now+3600)), errNbf),
		idCase("7-nonce-missing", idPayload(""), errNonce, verifier.WithNonce("n1")).
			saying("Nonce (nonce) claim must be a string present in the ID token"),
		idCase("7-nonce-mismatch", idPayload(`"nonce":"n2"`), errNonce, verifier.WithNonce("n1")).
			saying(`Nonce (nonce) claim mismatch in the ID token; expected "n1", found "n2"`),
		idCase("7-nonce-match", idPayload(`"nonce":"n1"`), nil, verifier.WithNonce("n1")),
		idCase("7-nonce-not-asked", idPayload(`"nonce":"n1"`), nil),
		// Stricter: an empty nonce fails closed (Python skips the check).
		idCase("7-nonce-empty", idPayload(`"nonce":""`), errNonce, verifier.WithNonce("")),
		idCase("8-org_id-missing", idPayload(""), errOrg, verifier.WithOrganization("org_123")).
			saying("Organization (org_id) claim must be a string present in the ID token"),
		idCase("8-org_id-mismatch", idPayload(`"org_id":"org_456"`), errOrg, verifier.WithOrganization("org_123")).
			saying(`Organization (org_id) claim mismatch in the ID token; expected "org_123", found "org_456"`),
		idCase("8-org_id-case", idPayload(`"org_id":"ORG_123"`), errOrg, verifier.WithOrganization("org_123")),
		idCase("8-org_id-match", idPayload(`"org_id":"org_123"`), nil, verifier.WithOrganization("org_123")),
		idCase("8-org_name-missing", idPayload(""), errOrg, verifier.WithOrganization("Acme")).
			saying("Organization (org_name) claim must be a string present in the ID token"),
		idCase("8-org_name-mismatch", idPayload(`"org_name":"other"`), errOrg, verifier.WithOrganization("Acme")).
			saying(`Organization (org_name) claim mismatch in the ID token; expected "Acme", found "other"`),
		idCase("8-org_name-match", idPayload(`"org_name":"acme"`), nil, verifier.WithOrganization("Acme")),
		// As Python: only the expected value is lower-cased (X12).
		idCase("8-org_name-claim-case", idPayload(`"org_name":"ACME"`), errOrg, verifier.WithOrganization("acme")),
		idCase("9-azp-missing-multi-aud", idPayload(`"aud":["client-1","api"]`, "aud"), errAzp).
			saying("Authorized Party (azp) claim must be a string present in the ID token when Audience (aud) claim has multiple values"),
		idCase("9-azp-mismatch-multi-aud", idPayload(`"aud":["client-1","api"],"azp":"other"`, "aud"), errAzp).
			saying(`Authorized Party (azp) claim mismatch in the ID token; expected "client-1", found "other"`),
		idCase("9-azp-match-multi-aud", idPayload(`"aud":["client-1","api"],"azp":"client-1"`, "aud"), nil),
		idCase("9-no-azp-single-aud", idPayload(""), nil),
		idCase("9-no-azp-single-aud-list", idPayload(`"aud":["client-1"]`, "aud"), nil),
		// Stricter (checks.go checkParty): azp is compared with the client
		// ID whenever present; Python compares it only with several aud.
		idCase("9-azp-mismatch-single-aud", idPayload(`"azp":"other"`), errAzp),
		idCase("10-auth_time-missing", idPayload(""), errAge, verifier.WithMaxAge(hour)).
			saying("Authentication Time (auth_time) claim must be a number present in the ID token when Max Age (max_age) is specified"),
		idCase("10-auth_time-too-old", idPayload(fmt.Sprintf(`"auth_time":%d`, now-7200)), errAge, verifier.WithMaxAge(hour)).
			saying("Authentication Time (auth_time) claim in the ID token indicates that too much time has passed since the last end-user authentication. Current time (1800000000) is after last auth at (1799996400)"),
		idCase("10-auth_time-recent", idPayload(fmt.Sprintf(`"auth_time":%d`, now-1800)), nil, verifier.WithMaxAge(hour)),
		idCase("10-auth_time-limit", idPayload(fmt.Sprintf(`"auth_time":%d`, now-3600)), nil, verifier.WithMaxAge(hour)),
		idCase("10-auth_time-string", idPayload(`"auth_time":"1799999000"`), errMalformed, verifier.WithMaxAge(hour)),
		// Stricter: WithMaxAge(0) means "authenticated now" (OIDC max_age=0);
		// Python's falsy 0 disables the check. A negative age fails closed.
		idCase("10-max-age-0", idPayload(fmt.Sprintf(`"auth_time":%d`, now-1)), errAge, verifier.WithMaxAge(0)),
		idCase("10-max-age-negative", idPayload(fmt.Sprintf(`"auth_time":%d`, now)), errAge, verifier.WithMaxAge(-time.Second)),
		// Precedence: the first failing check in Python's order wins.
		idCase("order/iss-over-aud", idPayload(`"iss":"https://evil/","aud":"x"`, "iss", "aud"), errIss),
		idCase("order/iss-over-sub", idPayload(`"iss":"https://evil/"`, "iss", "sub"), errIss),
		idCase("order/sub-over-aud", idPayload(`"aud":"x"`, "sub", "aud"), errMiss),
		idCase("order/aud-over-exp", idPayload(fmt.Sprintf(`"aud":"x","exp":%d`, now-10), "aud", "exp"), errAud),
		idCase("order/exp-over-iat", idPayload(fmt.Sprintf(`"exp":%d`, now-10), "exp", "iat"), errExp),
		idCase("order/iat-over-nonce", idPayload(`"nonce":"bad"`, "iat"), errMiss, verifier.WithNonce("n1")),
		idCase("order/nonce-over-org", idPayload(`"nonce":"bad","org_id":"org_bad"`), errNonce,
			verifier.WithOrganization("org_123"), verifier.WithNonce("n1")),
		idCase("order/org-over-azp", idPayload(`"aud":["client-1","api"],"azp":"other","org_id":"org_bad"`, "aud"), errOrg,
			verifier.WithOrganization("org_123")),
		idCase("order/nonce-over-azp", idPayload(`"aud":["client-1","api"],"azp":"other","nonce":"bad"`, "aud"), errNonce,
			verifier.WithNonce("n1")),
		idCase("order/azp-over-max-age", idPayload(fmt.Sprintf(`"aud":["client-1","api"],"azp":"other","auth_time":%d`, now-7200), "aud"), errAzp,
			verifier.WithMaxAge(hour)),
		idCase("order/nonce-over-max-age", idPayload(fmt.Sprintf(`"nonce":"bad","auth_time":%d`, now-7200)), errNonce,
			verifier.WithMaxAge(hour), verifier.WithNonce("n1")),
		idCase("order/org-over-max-age", idPayload(fmt.Sprintf(`"org_name":"bad","auth_time":%d`, now-7200)), errOrg,
			verifier.WithMaxAge(hour), verifier.WithOrganization("acme")),
		{id: "ID/order/signature-over-all", cfg: idCfg, opts: []verifier.Option{verifier.WithNonce("n1"), verifier.WithMaxAge(hour)},
			tok: badSig(`{"iss":"https://evil/","aud":"x","exp":1}`), want: errSig},
	}
}

// Access tokens (the default kind): the ID-token azp rule must not run,
// since Auth0 access tokens list the API and the userinfo endpoint in aud.
func accessTokenCases() []tokenCase {
	allow := func(c *verifier.Config) { c.AuthorizedParties = []string{"client-1", "client-2"} }
	required := func(names ...string) func(*verifier.Config) {
		return func(c *verifier.Config) { c.RequiredClaims = names }
	}
	nine := []string{"iss", "sub", "aud", "exp", "iat", "azp", "scope", "tenant", "role"}
	return []tokenCase{
		claimCase("AT/default", claims(nil), nil),
		claimCase("AT/two-aud-no-azp", payload("", "azp"), nil),
		claimCase("AT/azp-not-checked-without-allow-list", payload(`"azp":"anything"`, "azp"), nil),
		claimCase("AT/azp-allowed", claims(nil), nil).with(allow),
		claimCase("AT/azp-not-allowed", payload(`"azp":"client-9"`, "azp"), errAzp).with(allow),
		claimCase("AT/client_id-allowed", payload(`"client_id":"client-2"`, "azp"), nil).with(allow),
		claimCase("AT/client_id-not-allowed", payload(`"client_id":"client-9"`, "azp"), errAzp).with(allow),
		claimCase("AT/azp-over-client_id", payload(`"azp":"client-9","client_id":"client-1"`, "azp"), errAzp).with(allow),
		claimCase("AT/no-party", payload("", "azp"), errAzp).with(allow),
		claimCase("AT/azp-number", payload(`"azp":1`, "azp"), errMalformed),
		claimCase("AT/sub-missing", payload("", "sub"), nil),
		claimCase("AT/iat-missing", payload("", "iat"), nil),
		claimCase("AT/required-present", payload(`"tenant":"t1"`), nil).with(required("tenant")),
		claimCase("AT/required-any-type", payload(`"tenant":{"id":1}`), nil).with(required("tenant")),
		claimCase("AT/required-missing", claims(nil), errMiss).with(required("tenant")),
		claimCase("AT/required-null", payload(`"tenant":null`), errMiss).with(required("tenant")),
		claimCase("AT/required-nine-present", payload(`"tenant":"t","role":"r"`), nil).with(required(nine...)),
		claimCase("AT/required-nine-one-missing", payload(`"tenant":"t"`), errMiss).with(required(nine...)),
		claimCase("AT/scope-number", payload(`"scope":1`, "scope"), errMalformed),
		claimCase("AT/permissions-string", payload(`"permissions":"read"`), errMalformed),
		claimCase("AT/jti-number", payload(`"jti":1`), errMalformed),
		claimCase("AT/org_name-number", payload(`"org_name":1`), errMalformed),
	}
}
