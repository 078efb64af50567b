package verifier_test

import (
	"crypto/x509"
	"encoding/base64"
	"fmt"
	"strings"
	"testing"

	"github.com/tokengate/tokengate/verifier"
)

// Tables of SECURITY.md sections 3.1 (alg=none), 3.6 (crit, b64),
// 3.7 (duplicate members), 3.8 (size and depth), 3.9 (base64url) and the
// syntax rows of section 2 that no section 3 row covers.

func TestNone(t *testing.T)       { runCases(t, noneCases()) }
func TestCrit(t *testing.T)       { runCases(t, critCases()) }
func TestDuplicates(t *testing.T) { runCases(t, duplicateCases()) }
func TestSizeLimits(t *testing.T) { runCases(t, sizeCases()) }
func TestBase64url(t *testing.T)  { runCases(t, base64Cases()) }
func TestSyntax(t *testing.T)     { runCases(t, syntaxCases()) }

var (
	errMalformed = verifier.ErrMalformed
	errAlg       = verifier.ErrAlgorithm
	errKid       = verifier.ErrKeyNotFound
	errSig       = verifier.ErrSignature
)

// 3.1 alg=none.
func noneCases() []tokenCase {
	p := claims(nil)
	none := func(alg, sig string) func(testing.TB) string {
		return raw(parts(`{"alg":`+alg+`,"typ":"JWT"}`, p, sig))
	}
	someSig := b64([]byte("not a signature at all"))
	return []tokenCase{
		{id: "N1", tok: none(`"none"`, ""), want: errMalformed},
		{id: "N1/allow-HS256", cfg: algs("RS256", "HS256"), tok: none(`"none"`, ""), want: errMalformed},
		{id: "N2/none", tok: none(`"none"`, someSig), want: errAlg},
		{id: "N2/None", tok: none(`"None"`, someSig), want: errAlg},
		{id: "N2/NONE", tok: none(`"NONE"`, someSig), want: errAlg},
		{id: "N2/nOnE", tok: none(`"nOnE"`, someSig), want: errAlg},
		{id: "N2/trailing-space", tok: none(`"none "`, someSig), want: errAlg},
		{id: "N2/escaped", tok: none(`"\u006eone"`, someSig), want: errAlg},
		// Never map alg case-insensitively: a correctly signed token whose
		// alg is "rs256" is refused.
		{id: "N2/rs256-lower", tok: rsHeader(`{"alg":"rs256","kid":"k1"}`, p), want: errAlg},
		{id: "N2/Rs256", tok: rsHeader(`{"alg":"Rs256","kid":"k1"}`, p), want: errAlg},
		{id: "N3/nonempty-signature", tok: none(`"none"`, someSig), want: errAlg},
		{id: "N3/real-signature", tok: func(t testing.TB) string {
			// The signature of K_rsa over the none header: still refused.
			return rsHeader(`{"alg":"none","kid":"k1"}`, p)(t)
		}, want: errAlg},
		{id: "N3/real-kid", tok: raw(parts(`{"alg":"none","kid":"k1"}`, p, someSig)), want: errAlg},
		{id: "N4/two-parts", tok: raw(b64([]byte(`{"alg":"none"}`)) + "." + b64([]byte(p))), want: errMalformed},
		{id: "N4/four-parts", tok: raw(b64([]byte(`{"alg":"none"}`)) + "." + b64([]byte(p)) + ".."), want: errMalformed},
	}
}

// 3.6 crit and b64. Every header is correctly signed with K_rsa.
func critCases() []tokenCase {
	p := claims(nil)
	h := func(members string) func(testing.TB) string {
		return rsHeader(`{"alg":"RS256","kid":"k1",`+members+`}`, p)
	}
	return []tokenCase{
		{id: "CR1", tok: h(`"crit":["exp"],"exp":1900000000`), want: errMalformed},
		{id: "CR2/empty", tok: h(`"crit":[]`), want: errMalformed},
		{id: "CR2/string", tok: h(`"crit":"b64","b64":true`), want: errMalformed},
		{id: "CR2/null", tok: h(`"crit":null`), want: errMalformed},
		{id: "CR2/number", tok: h(`"crit":[1]`), want: errMalformed},
		{id: "CR3/registered", tok: h(`"crit":["alg"]`), want: errMalformed},
		{id: "CR3/duplicate", tok: h(`"crit":["x","x"],"x":1`), want: errMalformed},
		{id: "CR3/absent", tok: h(`"crit":["x"]`), want: errMalformed},
		{id: "CR3/understood-nothing", tok: h(`"crit":["x"],"x":1`), want: errMalformed},
		{id: "CR4/b64-false-unencoded", tok: func(t testing.TB) string {
			// RFC 7797: the payload is sent as is; the signing input is
			// header "." payload.
			head := b64([]byte(`{"alg":"RS256","kid":"k1","crit":["b64"],"b64":false}`))
			return head + "." + p + "." + b64(signature(t, "RS256", rsaKey, []byte(head+"."+p)))
		}, want: errMalformed},
		{id: "CR4/b64-false-encoded", tok: h(`"crit":["b64"],"b64":false`), want: errMalformed},
		{id: "CR4/b64-false-no-crit", tok: h(`"b64":false`), want: errMalformed},
		{id: "CR4/b64-true-crit", tok: h(`"crit":["b64"],"b64":true`), want: errMalformed},
		{id: "CR4/b64-true", tok: h(`"b64":true`), want: errMalformed},
		{id: "CR5", tok: h(`"foo":1`), want: nil},
		{id: "CR5/object", tok: h(`"foo":{"bar":[1,"x",null,true]}`), want: nil},
	}
}

// 3.7 duplicate and case-folded members, correctly signed.
func duplicateCases() []tokenCase {
	p := claims(nil)
	return []tokenCase{
		{id: "D1/RS256-then-none", tok: rsHeader(`{"alg":"RS256","alg":"none","kid":"k1"}`, p), want: errMalformed},
		{id: "D1/none-then-RS256", tok: rsHeader(`{"alg":"none","alg":"RS256","kid":"k1"}`, p), want: errMalformed},
		{id: "D1/same-value", tok: rsHeader(`{"alg":"RS256","alg":"RS256","kid":"k1"}`, p), want: errMalformed},
		{id: "D1/kid", tok: rsHeader(`{"alg":"RS256","kid":"k1","kid":"k2"}`, p), want: errMalformed},
		{id: "D2/aLg", cfg: algs("RS256", "HS256"), tok: rsHeader(`{"alg":"RS256","aLg":"HS256","kid":"k1"}`, p), want: errMalformed},
		{id: "D2/ALG-alone", cfg: algs("RS256", "HS256"), tok: rsHeader(`{"ALG":"HS256","kid":"k1"}`, p), want: errAlg},
		{id: "D2/ALG-RS256-alone", tok: rsHeader(`{"ALG":"RS256","kid":"k1"}`, p), want: errAlg},
		{id: "D2/Kid", tok: rsHeader(`{"alg":"RS256","kid":"k1","Kid":"e1"}`, p), want: errMalformed},
		{id: "D2/kelvin-sign", tok: rsHeader(`{"alg":"RS256","kid":"k1","\u212aid":"e1"}`, p), want: errMalformed},
		{id: "D3", tok: rsHeader(`{"alg":"RS256","\u0061lg":"HS256","kid":"k1"}`, p), want: errMalformed},
		{id: "D3/escaped-kid", tok: rsHeader(`{"alg":"RS256","kid":"k1","\u006bid":"k1"}`, p), want: errMalformed},
		{id: "D4/sub", payload: payload(`"sub":"admin"`), tok: rs(payload(`"sub":"admin"`)), want: errMalformed},
		{id: "D4/exp", payload: payload(`"exp":1,"exp":9999999999`, "exp"), tok: rs(payload(`"exp":1,"exp":9999999999`, "exp")), want: errMalformed},
		{id: "D4/aud-Aud", payload: payload(`"aud":"api","Aud":"b"`, "aud"), tok: rs(payload(`"aud":"api","Aud":"b"`, "aud")), want: errMalformed},
		{id: "D4/org_id-ORG_ID", payload: payload(`"org_id":"o1","ORG_ID":"o2"`), tok: rs(payload(`"org_id":"o1","ORG_ID":"o2"`)), want: errMalformed},
		{id: "D4/escaped-iss", payload: payload(`"\u0069ss":"https://evil/"`), tok: rs(payload(`"\u0069ss":"https://evil/"`)), want: errMalformed},
		{id: "D4/custom", payload: payload(`"role":"user","role":"admin"`), tok: rs(payload(`"role":"user","role":"admin"`)), want: errMalformed},
		{id: "D5/act", payload: payload(`"act":{"sub":1,"sub":2}`), tok: rs(payload(`"act":{"sub":1,"sub":2}`)), want: errMalformed},
		{id: "D5/deep", payload: payload(`"x":[{"a":{"b":1,"B":2}}]`), tok: rs(payload(`"x":[{"a":{"b":1,"B":2}}]`)), want: errMalformed},
		{id: "D5/header", tok: rsHeader(`{"alg":"RS256","kid":"k1","foo":{"a":1,"a":2}}`, p), want: errMalformed},
		{id: "D5/distinct-nested-ok", payload: payload(`"act":{"sub":"a","act":{"sub":"b"}}`), tok: rs(payload(`"act":{"sub":"a","act":{"sub":"b"}}`)), want: nil},
		// D6 (JWKS {"keys":..,"keys":..} and a key with two "n") is a JWK
		// parsing row: tested in package jwks.
	}
}

// 3.8 size, depth and allocation limits (allocations: alloc_test.go).
func sizeCases() []tokenCase {
	dots := strings.Repeat(".", 1<<20)
	nested := func(n int) string { return payload(`"x":` + strings.Repeat("[", n) + strings.Repeat("]", n)) }
	bigCfg := func(c *verifier.Config) { c.MaxTokenSize = 64 << 20 }
	bigAud := func(n int, first string) string {
		var b strings.Builder
		b.WriteString(`"aud":["` + first + `"`)
		for range n - 1 {
			b.WriteString(`,"a"`)
		}
		b.WriteString("]")
		return payload(b.String(), "aud")
	}
	bigHeader := `{"alg":"RS256","kid":"k1","x":"` + strings.Repeat("h", 4100) + `"}`
	manyClaims := func(n int) string {
		var b strings.Builder
		for i := range n {
			fmt.Fprintf(&b, `"c%d":1,`, i)
		}
		return payload(strings.TrimSuffix(b.String(), ","))
	}
	return []tokenCase{
		{id: "Z1/dots", tok: raw(dots), want: errMalformed},
		{id: "Z1/bearer-dots", tok: raw("Bearer " + dots), want: errMalformed},
		{id: "Z1/dots-no-size-cap", cfg: bigCfg, tok: raw(dots), want: errMalformed},
		{id: "Z1/10000-dots", tok: raw(strings.Repeat(".", 10_000)), want: errMalformed},
		{id: "Z2/token-over-max", tok: rs(payload(`"x":"` + strings.Repeat("a", 16<<10) + `"`)), want: errMalformed},
		{id: "Z2/token-over-configured-max", cfg: func(c *verifier.Config) { c.MaxTokenSize = 500 }, tok: rs(claims(nil)), want: errMalformed},
		{id: "Z2/header-over-4KiB", tok: rsHeader(bigHeader, claims(nil)), want: errMalformed},
		{id: "Z2/header-over-4KiB-no-size-cap", cfg: bigCfg, tok: rsHeader(bigHeader, claims(nil)), want: errMalformed},
		{id: "Z3/10000-nested", payload: nested(10_000), tok: rs(nested(10_000)), want: errMalformed},
		{id: "Z3/10000-nested-no-size-cap", cfg: bigCfg, tok: rs(nested(10_000)), want: errMalformed},
		{id: "Z3/100000-nested-no-size-cap", cfg: bigCfg, tok: rs(nested(100_000)), want: errMalformed},
		// Depth 32 in all: the claims object and 31 arrays.
		{id: "Z3/depth-32", payload: nested(31), tok: rs(nested(31)), want: nil},
		{id: "Z3/depth-33", payload: nested(32), tok: rs(nested(32)), want: errMalformed},
		{id: "Z3/header-depth-33", tok: rsHeader(`{"alg":"RS256","kid":"k1","x":`+strings.Repeat("[", 32)+strings.Repeat("]", 32)+`}`, claims(nil)), want: errMalformed},
		{id: "Z4/100k-claims", tok: rs(manyClaims(100_000)), want: errMalformed},
		// As many members as the default size cap lets through: accepted.
		{id: "Z4/1000-claims", tok: rs(manyClaims(1000)), want: nil},
		{id: "Z4/10MB-string", tok: rs(payload(`"x":"` + strings.Repeat("a", 10<<20) + `"`)), want: errMalformed},
		{id: "Z4/aud-1M", tok: rs(bigAud(1_000_000, "api")), want: errMalformed},
		{id: "Z4/aud-1M-no-size-cap", cfg: bigCfg, tok: rs(bigAud(1_000_000, "api")), want: errMalformed},
		{id: "Z4/aud-257", cfg: bigCfg, payload: bigAud(257, "api"), tok: rs(bigAud(257, "api")), want: errMalformed},
		{id: "Z4/aud-256", cfg: bigCfg, payload: bigAud(256, "api"), tok: rs(bigAud(256, "api")), want: nil},
		{id: "Z4/permissions-257", cfg: bigCfg, tok: rs(payload(`"permissions":[` + strings.TrimSuffix(strings.Repeat(`"p",`, 257), ",") + `]`)), want: errMalformed},
		{id: "Z6/exp-10000-digits", payload: payload(`"exp":1`+strings.Repeat("0", 9999), "exp"), tok: rs(payload(`"exp":1`+strings.Repeat("0", 9999), "exp")), want: errMalformed},
		{id: "Z6/custom-10000-digits", payload: payload(`"n":1` + strings.Repeat("0", 9999)), tok: rs(payload(`"n":1` + strings.Repeat("0", 9999))), want: errMalformed},
		{id: "Z6/exp-fraction-10000-digits", payload: payload(`"exp":1900000000.`+strings.Repeat("1", 9999), "exp"), tok: rs(payload(`"exp":1900000000.`+strings.Repeat("1", 9999), "exp")), want: errMalformed},
		{id: "Z6/header-10000-digits", tok: rsHeader(`{"alg":"RS256","kid":"k1","n":1`+strings.Repeat("0", 9999)+`}`, claims(nil)), want: errMalformed},
		// Z5 (a flood of tokens with random signatures) is in cache_test.go.
	}
}

// b64alphabet is the base64url alphabet in value order.
const b64alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"

// nonCanonical sets the lowest unused bit of the last character of an
// unpadded base64url segment: lenient decoders return the same bytes, so
// the token string would be malleable (B3). ok is false when the segment
// has no unused bits.
func nonCanonical(seg string) (string, bool) {
	if len(seg)%4 == 0 {
		return seg, false
	}
	v := strings.IndexByte(b64alphabet, seg[len(seg)-1])
	if v&1 != 0 {
		return seg, false
	}
	return seg[:len(seg)-1] + string(b64alphabet[v|1]), true
}

// spaced returns obj (a JSON object text) padded with spaces before its
// closing brace so that its length is not a multiple of 3: its base64url
// encoding then has unused bits in the last character.
func spaced(obj string) string {
	for len(obj)%3 == 0 {
		obj = obj[:len(obj)-1] + " }"
	}
	return obj
}

// 3.9 base64url canonicality.
func base64Cases() []tokenCase {
	p := claims(nil)
	valid := rs(p)
	// mutate applies f to segment i (0 header, 1 payload, 2 signature) of a
	// valid token.
	mutate := func(i int, f func(string) string) func(testing.TB) string {
		return func(t testing.TB) string {
			seg := strings.Split(valid(t), ".")
			seg[i] = f(seg[i])
			return strings.Join(seg, ".")
		}
	}
	insert := func(s string) func(string) string {
		return func(seg string) string { return seg[:len(seg)/2] + s + seg[len(seg)/2:] }
	}
	var cases []tokenCase
	for i, name := range []string{"header", "payload", "signature"} {
		cases = append(cases,
			tokenCase{id: "B1/pad-" + name, tok: mutate(i, func(s string) string { return s + "=" }), want: errMalformed},
			tokenCase{id: "B1/pad2-" + name, tok: mutate(i, func(s string) string { return s + "==" }), want: errMalformed},
			tokenCase{id: "B1/plus-" + name, tok: mutate(i, func(s string) string { return "+" + s[1:] }), want: errMalformed},
			tokenCase{id: "B1/slash-" + name, tok: mutate(i, func(s string) string { return "/" + s[1:] }), want: errMalformed},
			tokenCase{id: "B2/space-" + name, tok: mutate(i, insert(" ")), want: errMalformed},
			tokenCase{id: "B2/tab-" + name, tok: mutate(i, insert("\t")), want: errMalformed},
			tokenCase{id: "B2/lf-" + name, tok: mutate(i, insert("\n")), want: errMalformed},
			tokenCase{id: "B2/crlf-" + name, tok: mutate(i, insert("\r\n")), want: errMalformed},
			tokenCase{id: "B2/cr-" + name, tok: mutate(i, insert("\r")), want: errMalformed},
			tokenCase{id: "B4/len-1-mod-4-" + name, tok: mutate(i, func(s string) string {
				for len(s)%4 != 1 {
					s += "A"
				}
				return s
			}), want: errMalformed},
		)
	}
	// Non-canonical trailing bits, each under a signature that verifies over
	// the non-canonical text itself: only the canonicality check stands.
	ncHeader := spaced(`{"alg":"RS256","kid":"k1"}`)
	ncPayload := spaced(p)
	cases = append(cases,
		tokenCase{id: "B2/leading-space", tok: func(t testing.TB) string { return " " + valid(t) }, want: errMalformed},
		tokenCase{id: "B2/trailing-newline", tok: func(t testing.TB) string { return valid(t) + "\n" }, want: errMalformed},
		tokenCase{id: "B3/header", tok: func(t testing.TB) string {
			h, ok := nonCanonical(b64([]byte(ncHeader)))
			if !ok {
				t.Fatal("header has no unused bits")
			}
			input := h + "." + b64([]byte(p))
			return input + "." + b64(signature(t, "RS256", rsaKey, []byte(input)))
		}, want: errMalformed},
		tokenCase{id: "B3/payload", tok: func(t testing.TB) string {
			pl, ok := nonCanonical(b64([]byte(ncPayload)))
			if !ok {
				t.Fatal("payload has no unused bits")
			}
			input := b64([]byte(`{"alg":"RS256","kid":"k1"}`)) + "." + pl
			return input + "." + b64(signature(t, "RS256", rsaKey, []byte(input)))
		}, want: errMalformed},
		tokenCase{id: "B3/payload-AB", tok: func(t testing.TB) string {
			input := b64([]byte(`{"alg":"RS256","kid":"k1"}`)) + ".AB"
			return input + "." + b64(signature(t, "RS256", rsaKey, []byte(input)))
		}, want: errMalformed},
		tokenCase{id: "B3/signature", tok: mutate(2, func(s string) string {
			// 256 signature bytes: the last character carries 4 unused bits.
			nc, _ := nonCanonical(s)
			return nc
		}), want: errMalformed},
		tokenCase{id: "B4/empty-header", tok: mutate(0, func(string) string { return "" }), want: errMalformed},
		tokenCase{id: "B4/empty-payload", tok: func(t testing.TB) string {
			input := b64([]byte(`{"alg":"RS256","kid":"k1"}`)) + "."
			return input + "." + b64(signature(t, "RS256", rsaKey, []byte(input)))
		}, want: errMalformed},
		tokenCase{id: "B4/empty-signature", tok: mutate(2, func(string) string { return "" }), want: errMalformed},
		// B5: the alphabet's edges decode. An all-zero and an all-0xFF MAC
		// are canonical, so they reach the MAC compare (ErrSignature, not
		// ErrMalformed); a token whose segments hold '-' and '_' verifies.
		tokenCase{id: "B5/MAC-AAAA", cfg: hs256Cfg, tok: raw(parts(hdr("HS256", ""), p, b64(make([]byte, 32)))), want: errSig},
		tokenCase{id: "B5/MAC-____", cfg: hs256Cfg, tok: raw(parts(hdr("HS256", ""), p, b64([]byte(strings.Repeat("\xff", 32))))), want: errSig},
		tokenCase{id: "B5/edge-characters", tok: func(t testing.TB) string {
			for i := 0; ; i++ {
				pl := payload(fmt.Sprintf(`"pad":"%d>>>???~~~"`, i))
				tok := rs(pl)(t)
				if strings.ContainsAny(tok[:strings.LastIndexByte(tok, '.')], "-") && strings.Contains(tok[:strings.LastIndexByte(tok, '.')], "_") {
					return tok
				}
			}
		}, want: nil},
		tokenCase{id: "B6/header-whitespace", tok: rsHeader("{ \"alg\" : \"RS256\" ,\n\t\"kid\" : \"k1\"\r\n}", p), want: nil},
		tokenCase{id: "B6/payload-whitespace", payload: " " + strings.ReplaceAll(p, ",", " ,\n ") + " ", tok: rs(" " + strings.ReplaceAll(p, ",", " ,\n ") + " "), want: nil},
	)
	return cases
}

func hs256Cfg(c *verifier.Config) {
	s, err := verifier.Secret(hmacKey)
	if err != nil {
		panic(err)
	}
	c.Keys = s
	c.Algorithms = []string{"HS256"}
}

// Section 2 syntax rows not covered by a section 3 row: S1 (compact only),
// S3 (complete, UTF-8 JSON objects), S6 (not-understood members), S9 (cty).
func syntaxCases() []tokenCase {
	p := claims(nil)
	valid := rs(p)
	jsonSerialization := func(t testing.TB) string {
		tok := valid(t)
		seg := strings.Split(tok, ".")
		return fmt.Sprintf(`{"payload":%q,"protected":%q,"signature":%q}`, seg[1], seg[0], seg[2])
	}
	return []tokenCase{
		{id: "S1/JWE-5-parts", tok: raw(b64([]byte(`{"alg":"RSA-OAEP","enc":"A256GCM"}`)) + ".YWJj.YWJj.YWJj.YWJj"), want: errMalformed},
		{id: "S1/JWE-5-parts-empty-key", tok: raw(b64([]byte(`{"alg":"A128KW","enc":"A128GCM"}`)) + "..YWJj.YWJj.YWJj"), want: errMalformed},
		{id: "S1/JSON-serialization", tok: jsonSerialization, want: errMalformed},
		{id: "S1/JSON-general-serialization", tok: func(t testing.TB) string {
			seg := strings.Split(valid(t), ".")
			return fmt.Sprintf(`{"payload":%q,"signatures":[{"protected":%q,"signature":%q}]}`, seg[1], seg[0], seg[2])
		}, want: errMalformed},
		{id: "S1/JSON-polyglot", tok: func(t testing.TB) string {
			// CVE-2022-39227: a compact token wrapped into JSON members.
			return `{"  ` + valid(t) + `  ":"","protected":"x","payload":"x","signature":"x"}`
		}, want: errMalformed},
		{id: "S1/empty", tok: raw(""), want: errMalformed},
		{id: "S3/header-trailing-data", tok: rsHeader(`{"alg":"RS256","kid":"k1"}ABCD`, p), want: errMalformed},
		{id: "S3/header-two-objects", tok: rsHeader(`{"alg":"RS256","kid":"k1"}{}`, p), want: errMalformed},
		{id: "S3/header-not-object", tok: rsHeader(`["RS256"]`, p), want: errMalformed},
		{id: "S3/header-BOM", tok: rsHeader("\ufeff{\"alg\":\"RS256\",\"kid\":\"k1\"}", p), want: errMalformed},
		{id: "S3/header-invalid-UTF-8", tok: rsHeader("{\"alg\":\"RS256\",\"kid\":\"k1\",\"x\":\"\xff\"}", p), want: errMalformed},
		{id: "S3/header-lone-surrogate", tok: rsHeader(`{"alg":"RS256","kid":"k1","x":"\ud800"}`, p), want: errMalformed},
		{id: "S3/header-unterminated", tok: rsHeader(`{"alg":"RS256","kid":"k1"`, p), want: errMalformed},
		{id: "S3/claims-trailing-data", payload: p + "ABCD", tok: rs(p + "ABCD"), want: errMalformed},
		{id: "S3/claims-not-object", payload: `["api"]`, tok: rs(`["api"]`), want: errMalformed},
		{id: "S3/claims-null", payload: `null`, tok: rs(`null`), want: errMalformed},
		{id: "S3/claims-invalid-UTF-8", payload: payload("\"name\":\"\xc3\x28\""), tok: rs(payload("\"name\":\"\xc3\x28\"")), want: errMalformed},
		{id: "S3/claims-lone-surrogate", payload: payload(`"name":"\udc00"`), tok: rs(payload(`"name":"\udc00"`)), want: errMalformed},
		{id: "S3/claims-trailing-comma", payload: payload(`"x":1,`), tok: rs(payload(`"x":1,`)), want: errMalformed},
		{id: "S3/claims-single-quotes", payload: payload(`'x':1`), tok: rs(payload(`'x':1`)), want: errMalformed},
		{id: "S3/claims-valid-UTF-8", payload: payload(`"name":"Zoë \u00e9 ✓"`), tok: rs(payload(`"name":"Zoë \u00e9 ✓"`)), want: nil},
		{id: "S6/enc", tok: rsHeader(`{"alg":"RS256","kid":"k1","enc":"A256GCM"}`, p), want: errMalformed},
		{id: "S6/zip", tok: rsHeader(`{"alg":"RS256","kid":"k1","zip":"DEF"}`, p), want: errMalformed},
		{id: "S6/p2c", tok: rsHeader(`{"alg":"RS256","kid":"k1","p2s":"c2FsdA","p2c":100000000}`, p), want: errMalformed},
		{id: "S6/epk", tok: rsHeader(`{"alg":"RS256","kid":"k1","epk":{}}`, p), want: errMalformed},
		{id: "S6/unknown-ignorable", tok: rsHeader(`{"alg":"RS256","kid":"k1","foo":"bar"}`, p), want: nil},
		{id: "S9/cty-JWT", tok: rsHeader(`{"alg":"RS256","kid":"k1","cty":"JWT"}`, p), want: errMalformed},
		{id: "S9/cty-jwt", tok: rsHeader(`{"alg":"RS256","kid":"k1","cty":"jwt"}`, p), want: errMalformed},
		{id: "S9/nested-JWT", tok: func(t testing.TB) string {
			inner := valid(t)
			input := b64([]byte(`{"alg":"RS256","kid":"k1","cty":"JWT"}`)) + "." + b64([]byte(inner))
			return input + "." + b64(signature(t, "RS256", rsaKey, []byte(input)))
		}, want: errMalformed},
		{id: "S5/missing-alg", tok: rsHeader(`{"kid":"k1"}`, p), want: errAlg},
		{id: "S5/alg-number", tok: rsHeader(`{"alg":256,"kid":"k1"}`, p), want: errMalformed},
		{id: "S5/alg-null", tok: rsHeader(`{"alg":null,"kid":"k1"}`, p), want: errMalformed},
		{id: "S5/alg-unicode-lookalike", tok: rsHeader(`{"alg":"RS２56","kid":"k1"}`, p), want: errAlg},
		{id: "S5/alg-not-allowed", tok: signed("ES256", ecPriv, hdr("ES256", "e1"), p), want: errAlg},
	}
}

// pemSPKI returns the PEM SPKI text of the public key pub.
func pemSPKI(pub any) []byte {
	der, err := x509.MarshalPKIXPublicKey(pub)
	if err != nil {
		panic(err)
	}
	return []byte("-----BEGIN PUBLIC KEY-----\n" + wrap64(base64.StdEncoding.EncodeToString(der)) + "-----END PUBLIC KEY-----\n")
}

func wrap64(s string) string {
	var b strings.Builder
	for len(s) > 64 {
		b.WriteString(s[:64] + "\n")
		s = s[64:]
	}
	return b.String() + s + "\n"
}
