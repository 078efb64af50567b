package dpop_test

import (
	"crypto/rand"
	"crypto/rsa"
	"strings"
	"testing"
	"time"

	"github.com/tokengate/tokengate/authtest"
	"github.com/tokengate/tokengate/dpop"
)

// proofCase is one row of SECURITY.md section 3.19 run through Verify. The
// subtest is named by id: the row id, then the variant.
type proofCase struct {
	id    string
	cfg   func(*dpop.Config)
	proof func(t testing.TB) string
	req   func(*dpop.Request) // adjusts request(es256)
	want  error               // nil: accepted
}

func (c proofCase) run(t *testing.T) {
	v := newVerifier(t, c.cfg)
	p := c.proof(t)
	req := request(es256)
	if c.req != nil {
		c.req(&req)
	}
	got, err := v.Verify(ctx, p, req)
	checkRefusal(t, err, c.want, p)
	if c.want != nil {
		if got.JKT != "" || got.ID != "" {
			t.Errorf("got proof %+v with the error, want none", got)
		}
		// A refused proof is not remembered: it fails the same way again.
		_, err = v.Verify(ctx, p, req)
		checkRefusal(t, err, c.want, p)
		return
	}
	if got.ID == "" || got.IssuedAt.IsZero() || got.JKT != req.JKT && req.JKT != "" {
		t.Errorf("got proof %+v, want its jti, iat and jkt", got)
	}
	// DP13: an accepted proof is remembered; the same proof again is a
	// replay.
	_, err = v.Verify(ctx, p, req)
	checkRefusal(t, err, dpop.ErrReplay, p)
}

func runProofCases(t *testing.T, cases []proofCase) {
	t.Helper()
	keys(t)
	seen := map[string]bool{}
	for _, c := range cases {
		if seen[c.id] {
			t.Fatalf("duplicate case id %s", c.id)
		}
		seen[c.id] = true
		t.Run(c.id, c.run)
	}
}

func with(key *authtest.DPoPKey, p authtest.Proof) func(testing.TB) string {
	return func(t testing.TB) string { return proof(t, key, p) }
}

func allow(algs ...string) func(*dpop.Config) {
	return func(c *dpop.Config) { c.Algorithms = algs }
}

// TestRefusals holds one table per refusal reason of RFC 9449 section 4.3
// (SECURITY.md DP1-DP16), plus the proofs that must pass next to them.
func TestRefusals(t *testing.T) {
	keys(t)
	secret := []byte("0123456789abcdef0123456789abcdef")
	small, err := rsa.GenerateKey(rand.Reader, 1024)
	if err != nil {
		t.Fatal(err)
	}
	smallKey, err := authtest.DPoPKeyFrom("RS256", small)
	if err != nil {
		t.Fatal(err)
	}
	offCurve := es256.PublicJWK()
	offCurve["y"] = offCurve["x"]
	padded := es256.PublicJWK()
	padded["x"] = padded["x"].(string) + "="
	runProofCases(t, []proofCase{
		{id: "DP1/accepted", proof: with(es256, authtest.Proof{})},
		{id: "DP1/typ-JWT", proof: with(es256, authtest.Proof{Header: map[string]any{"typ": "JWT"}}), want: dpop.ErrType},
		{id: "DP1/typ-at+jwt", proof: with(es256, authtest.Proof{Header: map[string]any{"typ": "at+jwt"}}), want: dpop.ErrType},
		{id: "DP1/typ-absent", proof: with(es256, authtest.Proof{Header: map[string]any{"typ": nil}}), want: dpop.ErrType},
		{id: "DP1/typ-number", proof: with(es256, authtest.Proof{Header: map[string]any{"typ": 1}}), want: dpop.ErrMalformed},
		{id: "DP1/typ-media-type", proof: with(es256, authtest.Proof{Header: map[string]any{"typ": "application/DPoP+JWT"}})},

		{id: "DP2/HS256", proof: with(es256, authtest.Proof{Header: map[string]any{"alg": "HS256"}, Secret: secret}), want: dpop.ErrAlgorithm},
		{id: "DP2/HS512", proof: with(es256, authtest.Proof{Header: map[string]any{"alg": "HS512"}, Secret: append(secret, secret...)}), want: dpop.ErrAlgorithm},

		{id: "DP3/none", proof: with(es256, authtest.Proof{Header: map[string]any{"alg": "none"}}), want: dpop.ErrMalformed}, // h.p. : no signature at all
		{id: "DP3/none-with-signature", proof: func(t testing.TB) string {
			p := proof(t, es256, authtest.Proof{Header: map[string]any{"alg": "none"}})
			return p + strings.Split(proof(t, es256, authtest.Proof{}), ".")[2]
		}, want: dpop.ErrAlgorithm},
		{id: "DP3/None", proof: with(es256, authtest.Proof{Header: map[string]any{"alg": "None"}}), want: dpop.ErrAlgorithm},
		{id: "DP3/no-alg", proof: with(es256, authtest.Proof{Header: map[string]any{"alg": nil}}), want: dpop.ErrAlgorithm},

		{id: "DP4/EdDSA-not-allowed", proof: with(ed, authtest.Proof{}), req: jkt(ed), want: dpop.ErrAlgorithm},
		{id: "DP4/EdDSA-allowed", cfg: allow("ES256", "EdDSA"), proof: with(ed, authtest.Proof{}), req: jkt(ed)},
		{id: "DP4/RS256-allowed", cfg: allow("RS256"), proof: with(rs, authtest.Proof{}), req: jkt(rs)},
		{id: "DP4/ES384-allowed", cfg: allow("ES384"), proof: with(es384, authtest.Proof{}), req: jkt(es384)},
		{id: "DP4/ES384-not-allowed", proof: with(es384, authtest.Proof{}), req: jkt(es384), want: dpop.ErrAlgorithm},

		{id: "DP5/private-EC", proof: with(es256, authtest.Proof{Header: map[string]any{"jwk": es256.PrivateJWK()}}), want: dpop.ErrKey},
		{id: "DP5/private-OKP", cfg: allow("EdDSA"), proof: with(ed, authtest.Proof{Header: map[string]any{"jwk": ed.PrivateJWK()}}), req: jkt(ed), want: dpop.ErrKey},
		{id: "DP5/private-RSA", cfg: allow("RS256"), proof: with(rs, authtest.Proof{Header: map[string]any{"jwk": rs.PrivateJWK()}}), req: jkt(rs), want: dpop.ErrKey},
		{id: "DP5/d-null", proof: with(es256, authtest.Proof{Header: map[string]any{"jwk": merge(es256.PublicJWK(), "d", nil)}}), want: dpop.ErrKey},
		{id: "DP5/oct-k", proof: with(es256, authtest.Proof{Header: map[string]any{"jwk": map[string]any{"kty": "oct", "k": "c2VjcmV0"}}}), want: dpop.ErrKey},

		{id: "DP6/no-jwk", proof: with(es256, authtest.Proof{Header: map[string]any{"jwk": nil}}), want: dpop.ErrKey},
		{id: "DP6/jwk-string", proof: with(es256, authtest.Proof{Header: map[string]any{"jwk": "key"}}), want: dpop.ErrKey},
		{id: "DP6/oct", proof: with(es256, authtest.Proof{Header: map[string]any{"jwk": map[string]any{"kty": "oct"}}}), want: dpop.ErrKey},
		{id: "DP6/curve-mismatch", proof: with(es384, authtest.Proof{Header: map[string]any{"alg": "ES256"}}), req: jkt(es384), want: dpop.ErrKey},
		{id: "DP6/off-curve", proof: with(es256, authtest.Proof{Header: map[string]any{"jwk": offCurve}}), want: dpop.ErrKey},
		{id: "DP6/padded-coordinate", proof: with(es256, authtest.Proof{Header: map[string]any{"jwk": padded}}), want: dpop.ErrKey},
		{id: "DP6/jwk-alg-mismatch", proof: with(es256, authtest.Proof{Header: map[string]any{"jwk": merge(es256.PublicJWK(), "alg", "ES384")}}), want: dpop.ErrKey},
		{id: "DP6/rsa-key-for-ES256", proof: with(es256, authtest.Proof{Header: map[string]any{"jwk": rs.PublicJWK()}}), want: dpop.ErrKey},
		{id: "DP6/RSA-1024", cfg: allow("RS256"), proof: with(smallKey, authtest.Proof{}), req: jkt(smallKey), want: dpop.ErrKey},

		{id: "DP7/other-key-signed", proof: with(es256, authtest.Proof{SignWith: other.Signer()}), want: dpop.ErrSignature},
		{id: "DP7/altered-claims", proof: func(t testing.TB) string {
			p := proof(t, es256, authtest.Proof{})
			q := proof(t, es256, authtest.Proof{Method: "DELETE"})
			parts, qparts := strings.Split(p, "."), strings.Split(q, ".")
			return parts[0] + "." + qparts[1] + "." + parts[2]
		}, want: dpop.ErrSignature},

		{id: "DP8/POST-for-GET", proof: with(es256, authtest.Proof{Method: "POST"}), want: dpop.ErrMethod},
		{id: "DP8/lower-case", proof: with(es256, authtest.Proof{Method: "get"}), want: dpop.ErrMethod},

		{id: "DP9/path", proof: with(es256, authtest.Proof{URL: "https://api.example.com/admin"}), want: dpop.ErrURL},
		{id: "DP9/trailing-slash", proof: with(es256, authtest.Proof{URL: apiURL + "/"}), want: dpop.ErrURL},
		{id: "DP9/scheme", proof: with(es256, authtest.Proof{URL: "http://api.example.com/items"}), want: dpop.ErrURL},
		{id: "DP9/port", proof: with(es256, authtest.Proof{URL: "https://api.example.com:8443/items"}), want: dpop.ErrURL},
		{id: "DP9/host", proof: with(es256, authtest.Proof{URL: "https://evil.example.com/items"}), want: dpop.ErrURL},
		{id: "DP9/user-info", proof: with(es256, authtest.Proof{URL: "https://user@api.example.com/items"}), want: dpop.ErrURL},
		{id: "DP9/relative", proof: with(es256, authtest.Proof{URL: "/items"}), want: dpop.ErrURL},
		{id: "DP9/query-and-fragment-ignored", proof: with(es256, authtest.Proof{URL: apiURL + "?page=2#top"})},
		{id: "DP9/case-and-default-port", proof: with(es256, authtest.Proof{URL: "HTTPS://API.Example.COM:443/items"})},
		{id: "DP9/percent-encoded-unreserved", proof: with(es256, authtest.Proof{URL: "https://api.example.com/%69tems"})},
		{id: "DP9/dot-segments", proof: with(es256, authtest.Proof{URL: "https://api.example.com/admin/../items"})},
		{id: "DP9/encoded-slash-is-not-a-slash", proof: with(es256, authtest.Proof{URL: "https://api.example.com/admin%2F..%2Fitems"}), want: dpop.ErrURL},

		{id: "DP11/iat-61s-old", proof: with(es256, authtest.Proof{IssuedAt: now.Add(-61 * time.Second)}), want: dpop.ErrIssuedAt},
		{id: "DP11/iat-61s-ahead", proof: with(es256, authtest.Proof{IssuedAt: now.Add(61 * time.Second)}), want: dpop.ErrIssuedAt},
		{id: "DP11/iat-60s-old", proof: with(es256, authtest.Proof{IssuedAt: now.Add(-60 * time.Second)})},
		{id: "DP11/iat-60s-ahead", proof: with(es256, authtest.Proof{IssuedAt: now.Add(60 * time.Second)})},
		{id: "DP11/window-10s", cfg: func(c *dpop.Config) { c.Window = 10 * time.Second }, proof: with(es256, authtest.Proof{IssuedAt: now.Add(-11 * time.Second)}), want: dpop.ErrIssuedAt},
		{id: "DP11/iat-string", proof: with(es256, authtest.Proof{Claims: map[string]any{"iat": "1800000000"}}), want: dpop.ErrMalformed},
		{id: "DP11/iat-absent", proof: with(es256, authtest.Proof{Claims: map[string]any{"iat": nil}}), want: dpop.ErrMalformed},

		{id: "DP12/jti-absent", proof: with(es256, authtest.Proof{Claims: map[string]any{"jti": nil}}), want: dpop.ErrMalformed},
		{id: "DP12/jti-empty", proof: with(es256, authtest.Proof{Claims: map[string]any{"jti": ""}}), want: dpop.ErrMalformed},
		{id: "DP12/jti-number", proof: with(es256, authtest.Proof{Claims: map[string]any{"jti": 7}}), want: dpop.ErrMalformed},
		{id: "DP12/jti-too-long", proof: with(es256, authtest.Proof{ID: strings.Repeat("j", 257)}), want: dpop.ErrMalformed},
		{id: "DP12/htm-absent", proof: with(es256, authtest.Proof{Claims: map[string]any{"htm": nil}}), want: dpop.ErrMalformed},
		{id: "DP12/htu-absent", proof: with(es256, authtest.Proof{Claims: map[string]any{"htu": nil}}), want: dpop.ErrMalformed},

		{id: "DP14/ath-absent", proof: func(t testing.TB) string {
			return proof(t, es256, authtest.Proof{Claims: map[string]any{"ath": nil}})
		}, want: dpop.ErrTokenHash},
		{id: "DP14/ath-of-another-token", proof: with(es256, authtest.Proof{AccessToken: "another.access.token"}), want: dpop.ErrTokenHash},
		{id: "DP14/ath-padded", proof: with(es256, authtest.Proof{Claims: map[string]any{"ath": authtest.TokenHash(accessToken) + "="}}), want: dpop.ErrTokenHash},
		{id: "DP14/ath-array", proof: with(es256, authtest.Proof{Claims: map[string]any{"ath": []any{}}}), want: dpop.ErrMalformed},

		{id: "DP15/other-key", proof: with(other, authtest.Proof{}), want: dpop.ErrBinding},
		{id: "DP15/other-key-bad-signature", proof: with(other, authtest.Proof{SignWith: es256.Signer()}), want: dpop.ErrBinding},

		{id: "DP16/token-without-cnf", proof: with(es256, authtest.Proof{}), req: func(r *dpop.Request) { r.JKT = "" }, want: dpop.ErrNotBound},

		{id: "DP20/two-parts", proof: func(testing.TB) string { return "eyJhbGciOiJFUzI1NiJ9.e30" }, want: dpop.ErrMalformed},
		{id: "DP20/oversize", proof: func(testing.TB) string { return strings.Repeat("a", 9000) }, want: dpop.ErrMalformed},
		{id: "DP20/empty", proof: func(testing.TB) string { return "" }, want: dpop.ErrMissing},
		{id: "DP20/crit", proof: with(es256, authtest.Proof{Header: map[string]any{"crit": []string{"exp"}, "exp": 1}}), want: dpop.ErrMalformed},
		{id: "DP20/claims-array", proof: func(t testing.TB) string { return signRaw(t, es256, header(es256), `[]`) }, want: dpop.ErrMalformed},
		{id: "DP20/duplicate-claim", proof: func(t testing.TB) string {
			return signRaw(t, es256, header(es256), `{"jti":"a","htm":"GET","htm":"POST","htu":"`+apiURL+`","iat":1800000000,"ath":"`+authtest.TokenHash(accessToken)+`"}`)
		}, want: dpop.ErrMalformed},
		{id: "DP20/case-folded-duplicate-claim", proof: func(t testing.TB) string {
			return signRaw(t, es256, header(es256), `{"jti":"a","htm":"GET","HTM":"POST","htu":"`+apiURL+`","iat":1800000000,"ath":"`+authtest.TokenHash(accessToken)+`"}`)
		}, want: dpop.ErrMalformed},
		{id: "DP20/raw-signed-accepted", proof: func(t testing.TB) string {
			return signRaw(t, es256, header(es256), `{"jti":"raw","htm":"GET","htu":"`+apiURL+`","iat":1800000000,"ath":"`+authtest.TokenHash(accessToken)+`"}`)
		}},
	})
}

// jkt sets the request's cnf.jkt to key's thumbprint.
func jkt(key *authtest.DPoPKey) func(*dpop.Request) {
	return func(r *dpop.Request) { r.JKT = key.JKT() }
}

func merge(m map[string]any, k string, v any) map[string]any {
	m[k] = v
	return m
}
