package resource_test

import (
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/tokengate/tokengate/dpop"
	"github.com/tokengate/tokengate/middleware"
	"github.com/tokengate/tokengate/resource"
)

const issuer = "https://tenant.example.com/"

func newHandler(t *testing.T, cfg resource.Config) *resource.Handler {
	t.Helper()
	h, err := resource.New(cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return h
}

func get(t *testing.T, h http.Handler, method, path string) (*http.Response, string) {
	t.Helper()
	srv := httptest.NewServer(h)
	defer srv.Close()
	req, err := http.NewRequest(method, srv.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, string(b)
}

func newDPoP(t *testing.T, algs ...string) *dpop.Verifier {
	t.Helper()
	d, err := dpop.New(dpop.Config{Algorithms: algs})
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// TestRM2MetadataDocument: the exact JSON of RFC 9728 section 2 for each
// configuration, with its headers; the DPoP members derived from the
// dpop.Verifier and the mode.
func TestRM2MetadataDocument(t *testing.T) {
	tests := []struct {
		name string
		cfg  resource.Config
		want string
	}{
		{"RM2/minimal", resource.Config{Resource: "https://api.example.com"},
			`{"resource":"https://api.example.com","bearer_methods_supported":["header"]}`},
		{"RM2/full", resource.Config{
			Resource:               "https://api.example.com/mcp",
			AuthorizationServers:   []string{issuer},
			ScopesSupported:        []string{"read:items", "write:items"},
			BearerMethodsSupported: []string{"header"},
			ResourceName:           "Items API",
			ResourceDocumentation:  "https://docs.example.com/items",
		}, `{"resource":"https://api.example.com/mcp","authorization_servers":["https://tenant.example.com/"],` +
			`"scopes_supported":["read:items","write:items"],"bearer_methods_supported":["header"],` +
			`"resource_name":"Items API","resource_documentation":"https://docs.example.com/items"}`},
		{"RM2/dpop-allowed", resource.Config{Resource: "https://api.example.com", DPoP: newDPoP(t, "ES256", "EdDSA"), DPoPMode: middleware.DPoPAllowed},
			`{"resource":"https://api.example.com","bearer_methods_supported":["header"],"dpop_signing_alg_values_supported":["ES256","EdDSA"]}`},
		{"RM2/dpop-required", resource.Config{Resource: "https://api.example.com", DPoP: newDPoP(t), DPoPMode: middleware.DPoPRequired},
			`{"resource":"https://api.example.com","bearer_methods_supported":["header"],"dpop_signing_alg_values_supported":["ES256"],"dpop_bound_access_tokens_required":true}`},
		{"RM2/mtls", resource.Config{Resource: "https://api.example.com", TLSClientCertificateBoundAccessTokens: true},
			`{"resource":"https://api.example.com","bearer_methods_supported":["header"],"tls_client_certificate_bound_access_tokens":true}`},
		{"RM2/escaped", resource.Config{Resource: "http://127.0.0.1:8080", ResourceName: `<"Items" & co>`},
			`{"resource":"http://127.0.0.1:8080","bearer_methods_supported":["header"],"resource_name":"\u003c\"Items\" \u0026 co\u003e"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHandler(t, tt.cfg)
			resp, body := get(t, h, "GET", h.Path())
			if resp.StatusCode != 200 {
				t.Fatalf("status: got %d, want 200", resp.StatusCode)
			}
			if body != tt.want {
				t.Errorf("body:\ngot  %s\nwant %s", body, tt.want)
			}
			for k, want := range map[string]string{
				"Content-Type":                "application/json",
				"Cache-Control":               "public, max-age=3600",
				"X-Content-Type-Options":      "nosniff",
				"Access-Control-Allow-Origin": "*",
			} {
				if got := resp.Header.Get(k); got != want {
					t.Errorf("%s: got %q, want %q", k, got, want)
				}
			}
			// The document HEAD describes, without the body.
			resp, hbody := get(t, h, "HEAD", h.Path())
			if resp.StatusCode != 200 || hbody != "" || resp.ContentLength != int64(len(tt.want)) {
				t.Errorf("HEAD: got %d, %q, length %d, want 200, no body, length %d", resp.StatusCode, hbody, resp.ContentLength, len(tt.want))
			}
		})
	}
	t.Run("RM2/max-age", func(t *testing.T) {
		h := newHandler(t, resource.Config{Resource: "https://api.example.com", MaxAge: 90 * time.Second})
		if resp, _ := get(t, h, "GET", "/"); resp.Header.Get("Cache-Control") != "public, max-age=90" {
			t.Errorf("Cache-Control: got %q, want %q", resp.Header.Get("Cache-Control"), "public, max-age=90")
		}
	})
	t.Run("RM2/metadata-copy", func(t *testing.T) {
		h := newHandler(t, resource.Config{Resource: "https://api.example.com", ScopesSupported: []string{"a"}})
		m := h.Metadata()
		m.ScopesSupported[0] = "changed"
		if _, body := get(t, h, "GET", "/"); strings.Contains(body, "changed") {
			t.Errorf("Metadata returned the handler's own slice: body %s", body)
		}
	})
}

// TestRM3Methods: only GET and HEAD; every other method 405 with Allow.
func TestRM3Methods(t *testing.T) {
	h := newHandler(t, resource.Config{Resource: "https://api.example.com"})
	for _, m := range []string{"POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "PROPFIND"} {
		t.Run("RM3/"+m, func(t *testing.T) {
			resp, body := get(t, h, m, h.Path())
			if resp.StatusCode != http.StatusMethodNotAllowed || resp.Header.Get("Allow") != "GET, HEAD" {
				t.Errorf("%s: got %d Allow %q, want 405 Allow %q", m, resp.StatusCode, resp.Header.Get("Allow"), "GET, HEAD")
			}
			if strings.Contains(body, "resource") {
				t.Errorf("%s: body %q holds the document", m, body)
			}
		})
	}
}

// TestRM4WellKnownPath: section 3.1: the well-known path is inserted between
// the host and the resource's path; Mount serves the document there and
// nowhere else.
func TestRM4WellKnownPath(t *testing.T) {
	tests := []struct {
		name, resource, path, url string
	}{
		{"RM4/host", "https://api.example.com", "/.well-known/oauth-protected-resource", "https://api.example.com/.well-known/oauth-protected-resource"},
		{"RM4/host-slash", "https://api.example.com/", "/.well-known/oauth-protected-resource", "https://api.example.com/.well-known/oauth-protected-resource"},
		{"RM4/path", "https://host.example/mcp", "/.well-known/oauth-protected-resource/mcp", "https://host.example/.well-known/oauth-protected-resource/mcp"},
		{"RM4/deep-path", "https://host.example:8443/v1/mcp", "/.well-known/oauth-protected-resource/v1/mcp", "https://host.example:8443/.well-known/oauth-protected-resource/v1/mcp"},
		{"RM4/loopback", "http://127.0.0.1:9000/mcp", "/.well-known/oauth-protected-resource/mcp", "http://127.0.0.1:9000/.well-known/oauth-protected-resource/mcp"},
		{"RM4/ipv6", "https://[2001:db8::1]/mcp", "/.well-known/oauth-protected-resource/mcp", "https://[2001:db8::1]/.well-known/oauth-protected-resource/mcp"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHandler(t, resource.Config{Resource: tt.resource, AuthorizationServers: []string{issuer}})
			if h.Path() != tt.path || h.URL() != tt.url {
				t.Errorf("Path, URL: got %q, %q, want %q, %q", h.Path(), h.URL(), tt.path, tt.url)
			}
			u, err := resource.WellKnownURL(tt.resource)
			if err != nil || u != tt.url {
				t.Errorf("WellKnownURL: got %q, %v, want %q", u, err, tt.url)
			}
			mux := http.NewServeMux()
			h.Mount(mux)
			resp, body := get(t, mux, "GET", tt.path)
			if resp.StatusCode != 200 || !strings.HasPrefix(body, `{"resource":"`+tt.resource+`"`) {
				t.Errorf("GET %s: got %d %s, want 200 and the document", tt.path, resp.StatusCode, body)
			}
			for _, other := range []string{"/.well-known/oauth-protected-resource/other", tt.path + "/x", "/mcp"} {
				if other == tt.path {
					continue
				}
				if resp, _ := get(t, mux, "GET", other); resp.StatusCode != 404 {
					t.Errorf("GET %s: got %d, want 404", other, resp.StatusCode)
				}
			}
		})
	}
}

// TestRM1HostileResource: a resource identifier that is not one canonical
// https URL (http only on loopback) is refused by New, before anything is
// served; so is WellKnownURL's.
func TestRM1HostileResource(t *testing.T) {
	for _, tt := range []struct{ name, resource string }{
		{"RM1/empty", ""},
		{"RM1/relative", "/mcp"},
		{"RM1/no-scheme", "api.example.com/mcp"},
		{"RM1/http-remote", "http://api.example.com/mcp"},
		{"RM1/http-loopback-lookalike", "http://127.0.0.1.example.com/mcp"},
		{"RM1/other-scheme", "ftp://api.example.com"},
		{"RM1/upper-scheme", "HTTPS://api.example.com"},
		{"RM1/upper-host", "https://API.example.com"},
		{"RM1/fragment", "https://api.example.com/mcp#top"},
		{"RM1/empty-fragment", "https://api.example.com/mcp#"},
		{"RM1/query", "https://api.example.com/mcp?tenant=a"},
		{"RM1/empty-query", "https://api.example.com/mcp?"},
		{"RM1/user-info", "https://user@api.example.com/mcp"},
		{"RM1/user-info-confusion", "https://api.example.com@evil.example/mcp"},
		{"RM1/backslash", `https://api.example.com\@evil.example/mcp`},
		{"RM1/no-host", "https:///mcp"},
		{"RM1/default-port", "https://api.example.com:443/mcp"},
		{"RM1/empty-port", "https://api.example.com:/mcp"},
		{"RM1/bad-port", "https://api.example.com:99999/mcp"},
		{"RM1/leading-zero-port", "https://api.example.com:08443/mcp"},
		{"RM1/percent", "https://api.example.com/m%63p"},
		{"RM1/encoded-slash", "https://api.example.com/a%2Fb"},
		{"RM1/dot-segment", "https://api.example.com/a/../mcp"},
		{"RM1/dot", "https://api.example.com/./mcp"},
		{"RM1/double-slash", "https://api.example.com//mcp"},
		{"RM1/trailing-slash", "https://api.example.com/mcp/"},
		{"RM1/pattern-wildcard", "https://api.example.com/{x}"},
		{"RM1/pattern-end", "https://api.example.com/{$}"},
		{"RM1/space", "https://api.example.com/a b"},
		{"RM1/crlf", "https://api.example.com/a\r\nX: y"},
		{"RM1/nul", "https://api.example.com/a\x00"},
		{"RM1/non-ascii", "https://api.example.com/é"},
		{"RM1/idn-host", "https://bücher.example/mcp"},
		{"RM1/ipv6-zone", "https://[fe80::1%25eth0]/mcp"},
		{"RM1/huge", "https://api.example.com/" + strings.Repeat("a", 5000)},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := resource.New(resource.Config{Resource: tt.resource}); !errors.Is(err, resource.ErrConfig) {
				t.Errorf("New(%q): got %v, want an error wrapping ErrConfig", tt.resource, err)
			}
			if u, err := resource.WellKnownURL(tt.resource); err == nil {
				t.Errorf("WellKnownURL(%q): got %q, want an error", tt.resource, u)
			}
		})
	}
}

// TestRM6ConfigErrors: the other members are checked as strictly.
func TestRM6ConfigErrors(t *testing.T) {
	const res = "https://api.example.com"
	d := newDPoP(t)
	for _, tt := range []struct {
		name string
		cfg  resource.Config
	}{
		{"RM6/issuer-http", resource.Config{Resource: res, AuthorizationServers: []string{"http://tenant.example.com/"}}},
		{"RM6/issuer-fragment", resource.Config{Resource: res, AuthorizationServers: []string{"https://tenant.example.com/#x"}}},
		{"RM6/issuer-query", resource.Config{Resource: res, AuthorizationServers: []string{"https://tenant.example.com/?a=b"}}},
		{"RM6/issuer-empty", resource.Config{Resource: res, AuthorizationServers: []string{""}}},
		{"RM6/issuer-duplicate", resource.Config{Resource: res, AuthorizationServers: []string{issuer, issuer}}},
		{"RM6/scope-space", resource.Config{Resource: res, ScopesSupported: []string{"read items"}}},
		{"RM6/scope-quote", resource.Config{Resource: res, ScopesSupported: []string{`read"`}}},
		{"RM6/scope-empty", resource.Config{Resource: res, ScopesSupported: []string{""}}},
		{"RM6/scope-duplicate", resource.Config{Resource: res, ScopesSupported: []string{"a", "a"}}},
		{"RM6/bearer-method-unknown", resource.Config{Resource: res, BearerMethodsSupported: []string{"cookie"}}},
		{"RM6/bearer-method-duplicate", resource.Config{Resource: res, BearerMethodsSupported: []string{"header", "header"}}},
		{"RM6/documentation-http", resource.Config{Resource: res, ResourceDocumentation: "http://docs.example.com"}},
		{"RM6/name-control", resource.Config{Resource: res, ResourceName: "a\nb"}},
		{"RM6/name-invalid-utf8", resource.Config{Resource: res, ResourceName: "a\xffb"}},
		{"RM6/dpop-without-mode", resource.Config{Resource: res, DPoP: d}},
		{"RM6/mode-without-dpop", resource.Config{Resource: res, DPoPMode: middleware.DPoPRequired}},
		{"RM6/unknown-mode", resource.Config{Resource: res, DPoP: d, DPoPMode: 9}},
		{"RM6/negative-max-age", resource.Config{Resource: res, MaxAge: -time.Second}},
		{"RM6/huge-max-age", resource.Config{Resource: res, MaxAge: 365 * 24 * time.Hour}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := resource.New(tt.cfg); !errors.Is(err, resource.ErrConfig) {
				t.Errorf("New: got %v, want an error wrapping ErrConfig", err)
			}
		})
	}
}
