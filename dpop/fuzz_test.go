package dpop_test

import (
	"encoding/base64"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/tokengate/tokengate/authtest"
	"github.com/tokengate/tokengate/dpop"
)

// FuzzDP23VerifyProof fuzzes the proof parser (SECURITY.md DP23): Verify
// never panics; every refusal is a *dpop.Error around exactly one sentinel
// and says nothing of the proof; a proof that passes is bound to the
// requested key. The header and payload are fuzzed separately too, so that
// the fuzzer reaches the jwk and claims parsers behind valid base64url.
func FuzzDP23VerifyProof(f *testing.F) {
	keys(f)
	good := proof(f, es256, authtest.Proof{})
	f.Add(good, "", "")
	parts := strings.Split(good, ".")
	hdr, _ := base64.RawURLEncoding.DecodeString(parts[0])
	pay, _ := base64.RawURLEncoding.DecodeString(parts[1])
	f.Add("", string(hdr), string(pay))
	f.Add("", `{"typ":"dpop+jwt","alg":"ES256","jwk":{"kty":"EC","crv":"P-256","x":"","y":"","d":""}}`, `{}`)
	f.Add("", `{"typ":"dpop+jwt","alg":"RS256","jwk":{"kty":"RSA","n":"AQAB","e":"AQAB"}}`, `{"jti":1}`)
	f.Add("", `{"typ":"dpop+jwt","alg":"EdDSA","jwk":{"kty":"OKP","crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}}`, `{"iat":1e400}`)
	f.Add("a.b.c", "", "")
	f.Add(strings.Repeat("A", 100)+"."+strings.Repeat("B", 100)+".", "", "")
	v := newVerifier(f, func(c *dpop.Config) { c.Algorithms = []string{"ES256", "EdDSA", "RS256", "PS256", "ES384"} })
	f.Fuzz(func(t *testing.T, raw, header, payload string) {
		p := raw
		if header != "" || payload != "" {
			enc := base64.RawURLEncoding
			p = enc.EncodeToString([]byte(header)) + "." + enc.EncodeToString([]byte(payload)) + "." + parts[2]
		}
		got, err := v.Verify(ctx, p, request(es256))
		if err == nil {
			if got.JKT != es256.JKT() {
				t.Fatalf("accepted a proof with jkt %q, want %q", got.JKT, es256.JKT())
			}
			return
		}
		var de *dpop.Error
		if !errors.As(err, &de) {
			t.Fatalf("got error of type %T, want *dpop.Error", err)
		}
		n := 0
		for _, s := range sentinels {
			if errors.Is(err, s) {
				n++
			}
		}
		if n != 1 {
			t.Fatalf("error %v matches %d sentinels, want 1", err, n)
		}
		if len(p) > 40 && strings.Contains(err.Error(), p[:40]) {
			t.Fatalf("error %q holds the proof", err)
		}
	})
}

// FuzzDP10RequestURL fuzzes the URL a proof must name, from a request's
// Host and target: never a panic, and a URL that is returned is an absolute
// http(s) URL without user info, query or fragment, in normal form.
func FuzzDP10RequestURL(f *testing.F) {
	for _, s := range [][2]string{
		{"api.example.com", "/items?x"}, {"api.example.com/items?", "/other"}, {"[::1]:80", "/"},
		{"a:0", "/"}, {"user@host", "/"}, {"h", "https://h/x"}, {"h", "*"}, {"H:443", "/%2e%2E/x"},
	} {
		f.Add(s[0], s[1])
	}
	v := newVerifier(f, nil)
	f.Fuzz(func(t *testing.T, host, target string) {
		r := httptest.NewRequest(http.MethodGet, "/", nil)
		r.Host, r.RequestURI = host, target
		got, err := v.RequestURL(r)
		if err != nil {
			if !errors.Is(err, dpop.ErrURL) {
				t.Fatalf("got error %v, want ErrURL", err)
			}
			return
		}
		u, perr := url.Parse(got)
		if perr != nil || (u.Scheme != "http" && u.Scheme != "https") || u.User != nil || u.RawQuery != "" || u.Fragment != "" || u.Host == "" {
			t.Fatalf("RequestURL(Host %q, target %q) = %q: not an absolute http(s) URL without user info, query and fragment", host, target, got)
		}
		if strings.ToLower(u.Host) != u.Host {
			t.Fatalf("RequestURL(Host %q) = %q: host not in lower case", host, got)
		}
	})
}
