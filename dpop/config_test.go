package dpop_test

import (
	"crypto/ed25519"
	"crypto/rsa"
	"encoding/base64"
	"errors"
	"math/big"
	"net/netip"
	"testing"
	"time"

	"github.com/tokengate/tokengate/authtest"
	"github.com/tokengate/tokengate/dpop"
)

// TestConfigErrors: New refuses what could only weaken the checks or
// would be silently ignored.
func TestConfigErrors(t *testing.T) {
	proxy := []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8")}
	tests := []struct {
		name string
		cfg  dpop.Config
	}{
		{"DP2/HS256", dpop.Config{Algorithms: []string{"ES256", "HS256"}}},
		{"DP3/none", dpop.Config{Algorithms: []string{"none"}}},
		{"DP3/unknown", dpop.Config{Algorithms: []string{"ES256K"}}},
		{"DP11/negative-window", dpop.Config{Window: -time.Second}},
		{"DP11/window-over-5min", dpop.Config{Window: 6 * time.Minute}},
		{"DP10/forwarded-without-proxies", dpop.Config{ForwardedHost: "X-Forwarded-Host"}},
		{"DP10/proxies-without-headers", dpop.Config{TrustedProxies: proxy}},
		{"DP10/unmasked-prefix", dpop.Config{TrustedProxies: []netip.Prefix{netip.MustParsePrefix("10.0.0.1/8")}, ForwardedHost: "X-Forwarded-Host"}},
		{"DP10/bad-header-name", dpop.Config{TrustedProxies: proxy, ForwardedHost: "X Forwarded"}},
		{"DP10/url-and-forwarded", dpop.Config{URL: "https://api.example.com", TrustedProxies: proxy, ForwardedHost: "X-Forwarded-Host"}},
		{"DP10/url-query", dpop.Config{URL: "https://api.example.com/?x=1"}},
		{"DP10/url-scheme", dpop.Config{URL: "ftp://api.example.com"}},
		{"DP10/url-user", dpop.Config{URL: "https://u:p@api.example.com"}},
		{"DP18/short-secret", dpop.Config{NonceSecret: []byte("short")}},
		{"DP18/lifetime-without-secret", dpop.Config{NonceLifetime: time.Minute}},
		{"DP18/lifetime-too-short", dpop.Config{NonceSecret: nonceSecret, NonceLifetime: time.Second}},
		{"DP20/max-proof-size", dpop.Config{MaxProofSize: 1 << 20}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			v, err := dpop.New(tc.cfg)
			if !errors.Is(err, dpop.ErrConfig) || v != nil {
				t.Errorf("got %v, %v; want ErrConfig", v, err)
			}
		})
	}
	if _, err := dpop.NewMemoryStore(dpop.MemoryConfig{MaxEntries: -1}); !errors.Is(err, dpop.ErrConfig) {
		t.Errorf("NewMemoryStore(-1): got %v, want ErrConfig", err)
	}
	v := newVerifier(t, func(c *dpop.Config) { c.Algorithms = []string{"ES256", "EdDSA", "ES256"} })
	if got := v.Algorithms(); len(got) != 2 || got[0] != "ES256" || got[1] != "EdDSA" {
		t.Errorf("got algorithms %q, want [ES256 EdDSA]", got)
	}
}

// TestThumbprint: the RFC 7638 section 3.1 example, and agreement between
// Thumbprint, the jkt of an accepted proof and authtest.
func TestThumbprint(t *testing.T) {
	n, _ := base64.RawURLEncoding.DecodeString("0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw")
	got, err := dpop.Thumbprint(&rsa.PublicKey{N: new(big.Int).SetBytes(n), E: 65537})
	if want := "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs"; err != nil || got != want {
		t.Errorf("RFC 7638 example: got %q, %v; want %q", got, err, want)
	}
	keys(t)
	for _, k := range []*authtest.DPoPKey{es256, ed, rs, es384} {
		tp, err := dpop.Thumbprint(k.Signer().Public())
		if err != nil || tp != k.JKT() {
			t.Errorf("%s: got %q, %v; want %q", k.Algorithm(), tp, err, k.JKT())
		}
		v := newVerifier(t, allow(k.Algorithm()))
		p, err := v.Verify(ctx, proof(t, k, authtest.Proof{}), dpop.Request{Method: "GET", URL: apiURL, AccessToken: accessToken, JKT: tp})
		if err != nil || p.JKT != tp {
			t.Errorf("%s: proof jkt %q, %v; want %q", k.Algorithm(), p.JKT, err, tp)
		}
	}
	if _, err := dpop.Thumbprint(ed25519.PublicKey{1, 2}); err == nil {
		t.Error("short Ed25519 key: got a thumbprint, want an error")
	}
}

// TestIssuing: at a token endpoint there is no access token yet: the proof
// passes without ath, and gives the thumbprint to bind the new token to.
func TestIssuing(t *testing.T) {
	keys(t)
	v := newVerifier(t, nil)
	tokenURL := "https://tenant.example.com/oauth/token"
	p, err := es256.Proof(authtest.Proof{Method: "POST", URL: tokenURL, IssuedAt: now})
	if err != nil {
		t.Fatal(err)
	}
	got, err := v.Verify(ctx, p, dpop.Request{Method: "POST", URL: tokenURL, Issuing: true})
	if err != nil || got.JKT != es256.JKT() {
		t.Fatalf("got %+v, %v; want the key's jkt", got, err)
	}
	_, err = v.Verify(ctx, p, dpop.Request{Method: "POST", URL: tokenURL, Issuing: true})
	checkRefusal(t, err, dpop.ErrReplay, p)
	p2, _ := es256.Proof(authtest.Proof{Method: "POST", URL: tokenURL, IssuedAt: now})
	_, err = v.Verify(ctx, p2, dpop.Request{Method: "POST", URL: tokenURL, Issuing: true, JKT: other.JKT()})
	checkRefusal(t, err, dpop.ErrBinding, p2)
}

// TestReasons: one distinct label per sentinel, listed by Reasons.
func TestReasons(t *testing.T) {
	seen := map[string]bool{}
	for _, s := range sentinels {
		l := dpop.Reason(&dpop.Error{Err: s})
		if l == "other" || seen[l] {
			t.Errorf("%v: label %q is other or not distinct", s, l)
		}
		seen[l] = true
	}
	all := map[string]bool{}
	for _, l := range dpop.Reasons() {
		all[l] = true
	}
	for l := range seen {
		if !all[l] {
			t.Errorf("Reasons() lacks %q", l)
		}
	}
	if dpop.Reason(nil) != "ok" || dpop.Reason(errors.New("x")) != "other" {
		t.Error("Reason(nil) or Reason(unknown) wrong")
	}
}
