package dpop_test

import (
	"crypto/tls"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"testing"

	"github.com/tokengate/tokengate/authtest"
	"github.com/tokengate/tokengate/dpop"
	"github.com/tokengate/tokengate/verifier"
)

// TestDP10RequestURL: the URL a proof's htu must name comes from
// Config.URL, or from the request's own scheme and Host; forwarded headers
// only from a trusted proxy, one value each. A Host carrying a path, query
// or user info is refused, never rewritten (auth0/node-oauth2-jwt-bearer
// #244: "Host: api.example.com/items?" made a proof for /items pass on
// another path).
func TestDP10RequestURL(t *testing.T) {
	proxy := []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8")}
	fwd := func(c *dpop.Config) {
		c.TrustedProxies, c.ForwardedHost, c.ForwardedProto = proxy, "X-Forwarded-Host", "X-Forwarded-Proto"
	}
	tests := []struct {
		name    string
		cfg     func(*dpop.Config)
		target  string // request target
		host    string
		remote  string
		tls     bool
		headers map[string][]string
		want    string // "" : ErrURL
	}{
		{name: "DP10/host", target: "/items?q=1", host: "api.example.com", want: "http://api.example.com/items"},
		{name: "DP10/tls", target: "/items", host: "API.example.com:443", tls: true, want: "https://api.example.com/items"},
		{name: "DP10/port-kept", target: "/items", host: "api.example.com:8443", tls: true, want: "https://api.example.com:8443/items"},
		{name: "DP10/ipv6", target: "/items", host: "[::1]:8080", want: "http://[::1]:8080/items"},
		{name: "DP10/configured", cfg: func(c *dpop.Config) { c.URL = "https://API.example.com:443/api/" }, target: "/items", host: "evil.example.com", want: "https://api.example.com/api/items"},
		{name: "DP10/host-path-injection", target: "/other", host: "api.example.com/items?"},
		{name: "DP10/host-fragment", target: "/other", host: "api.example.com#"},
		{name: "DP10/host-user-info", target: "/items", host: "user@api.example.com"},
		{name: "DP10/host-scheme", target: "/items", host: "https://api.example.com"},
		{name: "DP10/host-empty", target: "/items", host: ""},
		{name: "DP10/host-bad-port", target: "/items", host: "api.example.com:99999"},
		{name: "DP10/host-space", target: "/items", host: "api.example.com evil"},
		{name: "DP10/forwarded-untrusted-peer", cfg: fwd, target: "/items", host: "internal:8080", remote: "203.0.113.9:4000",
			headers: map[string][]string{"X-Forwarded-Host": {"api.example.com"}, "X-Forwarded-Proto": {"https"}}, want: "http://internal:8080/items"},
		{name: "DP10/forwarded-trusted-proxy", cfg: fwd, target: "/items", host: "internal:8080", remote: "10.1.2.3:4000",
			headers: map[string][]string{"X-Forwarded-Host": {"API.example.com"}, "X-Forwarded-Proto": {"HTTPS"}}, want: "https://api.example.com/items"},
		{name: "DP10/forwarded-list", cfg: fwd, target: "/items", host: "internal", remote: "10.1.2.3:4000",
			headers: map[string][]string{"X-Forwarded-Host": {"evil.example.com, api.example.com"}}},
		{name: "DP10/forwarded-twice", cfg: fwd, target: "/items", host: "internal", remote: "10.1.2.3:4000",
			headers: map[string][]string{"X-Forwarded-Host": {"evil.example.com", "api.example.com"}}},
		{name: "DP10/forwarded-host-injection", cfg: fwd, target: "/other", host: "internal", remote: "10.1.2.3:4000",
			headers: map[string][]string{"X-Forwarded-Host": {"api.example.com/items?"}}},
		{name: "DP10/forwarded-proto-other", cfg: fwd, target: "/items", host: "internal", remote: "10.1.2.3:4000",
			headers: map[string][]string{"X-Forwarded-Proto": {"ftp"}}},
		{name: "DP10/absolute-form", target: "https://api.example.com/items?x", host: "api.example.com", want: "http://api.example.com/items"},
		{name: "DP10/asterisk", target: "*", host: "api.example.com"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			v := newVerifier(t, tc.cfg)
			r := httptest.NewRequest(http.MethodGet, "http://x/", nil)
			r.RequestURI, r.Host = tc.target, tc.host
			if tc.remote != "" {
				r.RemoteAddr = tc.remote
			}
			if tc.tls {
				r.TLS = &tls.ConnectionState{}
			}
			for k, vs := range tc.headers {
				r.Header[k] = vs
			}
			got, err := v.RequestURL(r)
			if tc.want == "" {
				checkRefusal(t, err, dpop.ErrURL, "")
				return
			}
			if err != nil || got != tc.want {
				t.Errorf("got %q, %v; want %q", got, err, tc.want)
			}
		})
	}
}

// TestDP10ForgedHostThroughVerifyRequest: an attacker holding a proof for
// GET https://api.example.com/items and its token replays it on /other
// with a Host that would make a naive URL builder produce the proof's htu.
// Refused; the genuine request passes.
func TestDP10ForgedHostThroughVerifyRequest(t *testing.T) {
	keys(t)
	claims := boundClaims(es256.JKT())
	for _, tc := range []struct {
		name, target, host string
		xfh                string
		cfg                func(*dpop.Config)
		want               error
	}{
		{name: "DP10/genuine", target: "/items", host: "api.example.com", want: nil},
		{name: "DP10/path-in-host", target: "/other", host: "api.example.com/items?", want: dpop.ErrURL},
		{name: "DP10/x-forwarded-host-untrusted", target: "/items", host: "internal", xfh: "api.example.com", want: dpop.ErrURL,
			cfg: func(c *dpop.Config) {
				c.TrustedProxies, c.ForwardedHost = []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8")}, "X-Forwarded-Host"
			}},
		{name: "DP10/configured-url-ignores-host", target: "/items", host: "evil.example.com", want: nil,
			cfg: func(c *dpop.Config) { c.URL = "https://api.example.com" }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v := newVerifier(t, tc.cfg)
			p := proof(t, es256, authtest.Proof{URL: "https://api.example.com/items"})
			r := httptest.NewRequest(http.MethodGet, "https://api.example.com/", nil)
			r.RequestURI, r.Host, r.RemoteAddr = tc.target, tc.host, "203.0.113.9:4000"
			r.TLS = &tls.ConnectionState{}
			r.Header.Set("DPoP", p)
			if tc.xfh != "" {
				r.Header.Set("X-Forwarded-Host", tc.xfh)
				r.TLS = nil
			}
			_, err := v.VerifyRequest(ctx, r, accessToken, claims)
			checkRefusal(t, err, tc.want, p)
		})
	}
}

// boundClaims are verified claims whose cnf.jkt is jkt.
func boundClaims(jkt string) *verifier.Claims {
	return &verifier.Claims{Confirmation: &verifier.Confirmation{JKT: jkt}}
}

// TestVerifyRequestHeaders: exactly one DPoP header (RFC 9449 section 4.3
// check 1), and a token bound with cnf.jkt.
func TestVerifyRequestHeaders(t *testing.T) {
	keys(t)
	good := func(t testing.TB) string { return proof(t, es256, authtest.Proof{}) }
	tests := []struct {
		name   string
		proofs int
		claims *verifier.Claims
		want   error
	}{
		{"DP20/no-header", 0, boundClaims(es256.JKT()), dpop.ErrMissing},
		{"DP20/one-header", 1, boundClaims(es256.JKT()), nil},
		{"DP20/two-headers", 2, boundClaims(es256.JKT()), dpop.ErrMalformed},
		{"DP16/claims-without-cnf", 1, &verifier.Claims{}, dpop.ErrNotBound},
		{"DP16/cnf-x5t-only", 1, &verifier.Claims{Confirmation: &verifier.Confirmation{X5TS256: "abc"}}, dpop.ErrNotBound},
		{"DP16/nil-claims", 1, nil, dpop.ErrNotBound},
		{"DP15/other-jkt", 1, boundClaims(other.JKT()), dpop.ErrBinding},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			v := newVerifier(t, func(c *dpop.Config) { c.URL = "https://api.example.com" })
			r := httptest.NewRequest(http.MethodGet, "/items", nil)
			for range tc.proofs {
				r.Header.Add("DPoP", good(t))
			}
			got, err := v.VerifyRequest(ctx, r, accessToken, tc.claims)
			checkRefusal(t, err, tc.want, "")
			if err == nil && got.JKT != es256.JKT() {
				t.Errorf("got jkt %q, want %q", got.JKT, es256.JKT())
			}
		})
	}
}
