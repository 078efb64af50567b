package httpx

import (
	"net/http"
	"net/http/httptest"
	"net/netip"
	"testing"
)

func TestProxiesTrusts(t *testing.T) {
	p := Proxies{netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("fd00::/8")}
	for _, tc := range []struct {
		remote string
		want   bool
	}{
		{"10.1.2.3:443", true},
		{"10.1.2.3", true},
		{"[::ffff:10.1.2.3]:80", true}, // IPv4-mapped
		{"[fd00::1%eth0]:80", true},
		{"11.0.0.1:443", false},
		{"@", false}, // a Unix socket
		{"", false},
		{"10.1.2.3:443, 11.0.0.1", false},
	} {
		r := httptest.NewRequest(http.MethodGet, "/", nil)
		r.RemoteAddr = tc.remote
		if got := p.Trusts(r); got != tc.want {
			t.Errorf("Trusts(%q) = %v, want %v", tc.remote, got, tc.want)
		}
	}
	if (Proxies{}).Trusts(httptest.NewRequest(http.MethodGet, "/", nil)) {
		t.Error("empty Proxies trusts a peer")
	}
}

func TestSingleValue(t *testing.T) {
	for _, tc := range []struct {
		name    string
		values  []string
		want    string
		present bool
		err     bool
	}{
		{"absent", nil, "", false, false},
		{"empty", []string{" "}, "", false, false},
		{"one", []string{" api.example.com "}, "api.example.com", true, false},
		{"list", []string{"a, b"}, "", true, true},
		{"twice", []string{"a", "b"}, "", true, true},
	} {
		h := http.Header{}
		for _, v := range tc.values {
			h.Add("X-Forwarded-Host", v)
		}
		got, present, err := SingleValue(h, "X-Forwarded-Host")
		if got != tc.want || present != tc.present || (err != nil) != tc.err {
			t.Errorf("%s: got %q, %v, %v; want %q, %v, error %v", tc.name, got, present, err, tc.want, tc.present, tc.err)
		}
	}
}

func TestCheckProxies(t *testing.T) {
	if err := CheckProxies([]netip.Prefix{netip.MustParsePrefix("10.0.0.0/8")}); err != nil {
		t.Error(err)
	}
	if err := CheckProxies([]netip.Prefix{netip.MustParsePrefix("10.0.0.1/8")}); err == nil {
		t.Error("unmasked prefix accepted")
	}
	if err := CheckProxies([]netip.Prefix{{}}); err == nil {
		t.Error("invalid prefix accepted")
	}
}
