package middleware_test

import (
	"net/http"
	"testing"

	"github.com/tokengate/tokengate/middleware"
)

const bodyCrossSite = `{"error":"access_denied","error_description":"the request's origin may not use the cookie credentials"}` + "\n"

// TestX19CookieCSRF: a token from the cookie on an unsafe method is refused
// unless the request shows it comes from the site itself; safe methods and
// header tokens are not affected.
func TestX19CookieCSRF(t *testing.T) {
	good := token(t, nil)
	auth := middleware.Authenticate(newVerifier(t, nil), middleware.WithCookie("at"))
	cookie := func(kv ...string) http.Header {
		h := http.Header{"Cookie": {"at=" + good}}
		for i := 0; i < len(kv); i += 2 {
			h.Set(kv[i], kv[i+1])
		}
		return h
	}
	ok := want{200, "", "sub=auth0|alice", ""}
	crossSite := want{403, "", bodyCrossSite, ""}
	tests := []struct {
		name   string
		method string
		header http.Header
		want   want
	}{
		{"cross-site POST", "POST", cookie("Sec-Fetch-Site", "cross-site", "Origin", "https://evil.example"), crossSite},
		{"same-site POST", "POST", cookie("Sec-Fetch-Site", "same-site", "Origin", "https://evil.example.com"), crossSite},
		{"user-initiated POST (none)", "POST", cookie("Sec-Fetch-Site", "none"), crossSite},
		{"same-origin POST", "POST", cookie("Sec-Fetch-Site", "same-origin", "Origin", "https://api.example.com"), ok},
		{"same-origin DELETE", "DELETE", cookie("Sec-Fetch-Site", "same-origin"), ok},
		{"cross-site PUT", "PUT", cookie("Sec-Fetch-Site", "cross-site"), crossSite},
		{"cross-site PATCH", "PATCH", cookie("Sec-Fetch-Site", "cross-site"), crossSite},
		{"lower-case method is unsafe", "post", cookie("Sec-Fetch-Site", "cross-site"), crossSite},
		{"no Sec-Fetch-Site, no Origin (old browser, non-browser)", "POST", cookie(), crossSite},
		{"Origin only, no allow-list", "POST", cookie("Origin", "https://api.example.com"), crossSite},
		{"Origin null", "POST", cookie("Origin", "null"), crossSite},
		{"unknown Sec-Fetch-Site", "POST", cookie("Sec-Fetch-Site", "Same-Origin"), crossSite},
		{"cross-site GET", "GET", cookie("Sec-Fetch-Site", "cross-site"), ok},
		{"cross-site HEAD", "HEAD", cookie("Sec-Fetch-Site", "cross-site"), want{200, "", "", ""}},
		{"cross-site OPTIONS", "OPTIONS", cookie("Sec-Fetch-Site", "cross-site"), ok},
		{"cross-site TRACE", "TRACE", cookie("Sec-Fetch-Site", "cross-site"), ok},
		{"header token, cross-site POST", "POST", http.Header{"Authorization": {"Bearer " + good}, "Sec-Fetch-Site": {"cross-site"}}, ok},
		{"invalid cookie token, cross-site POST", "POST", http.Header{"Cookie": {"at=" + mint(t, rogueKey, "k1", nil)}, "Sec-Fetch-Site": {"cross-site"}}, crossSite},
	}
	for _, rt := range routers {
		srv := server(t, rt.serve(route{"", "/items", []mw{auth}}))
		for _, tt := range tests {
			t.Run(rt.name+"/"+tt.name, func(t *testing.T) {
				if tt.method == "post" && rt.name == "chi" {
					t.Skip("chi answers 405 to a method it does not know before any middleware runs")
				}
				resp, body := call(t, srv, tt.method, "/items", tt.header)
				if tt.method == "HEAD" {
					if resp.StatusCode != tt.want.status {
						t.Errorf("status: got %d, want %d", resp.StatusCode, tt.want.status)
					}
					return
				}
				checkResponse(t, resp, body, tt.want)
			})
		}
	}
}

// TestX19CookieCSRFOptions: TrustedOrigins and CSRFHeader let unsafe
// requests of the site's own front ends through, and nothing else.
func TestX19CookieCSRFOptions(t *testing.T) {
	good := token(t, nil)
	v := newVerifier(t, nil)
	origins := middleware.Authenticate(v, middleware.WithCookie("at", middleware.TrustedOrigins("https://App.Example.com", "http://localhost:3000")))
	header := middleware.Authenticate(v, middleware.WithCookie("at", middleware.CSRFHeader("x-requested-with")))
	optional := middleware.Authenticate(v, middleware.WithCookie("at"), middleware.CredentialsOptional())
	post := func(kv ...string) http.Header {
		h := http.Header{"Cookie": {"at=" + good}}
		for i := 0; i < len(kv); i += 2 {
			h.Add(kv[i], kv[i+1])
		}
		return h
	}
	ok := want{200, "", "sub=auth0|alice", ""}
	crossSite := want{403, "", bodyCrossSite, ""}
	tests := []struct {
		name   string
		target string
		header http.Header
		want   want
	}{
		{"trusted origin, cross-site", "/origins", post("Origin", "https://app.example.com", "Sec-Fetch-Site", "cross-site"), ok},
		{"trusted origin with port", "/origins", post("Origin", "http://localhost:3000"), ok},
		{"trusted origin, other port", "/origins", post("Origin", "http://localhost:3001"), crossSite},
		{"untrusted origin", "/origins", post("Origin", "https://evil.example", "Sec-Fetch-Site", "cross-site"), crossSite},
		{"origin with a trusted prefix", "/origins", post("Origin", "https://app.example.com.evil.example"), crossSite},
		{"origin with a path", "/origins", post("Origin", "https://app.example.com/"), crossSite},
		{"two Origin headers", "/origins", post("Origin", "https://app.example.com", "Origin", "https://evil.example"), crossSite},
		{"two Sec-Fetch-Site headers", "/origins", post("Sec-Fetch-Site", "same-origin", "Sec-Fetch-Site", "cross-site"), crossSite},
		{"Origin null", "/origins", post("Origin", "null"), crossSite},
		{"custom header", "/header", post("X-Requested-With", "XMLHttpRequest"), ok},
		{"custom header empty", "/header", post("X-Requested-With", ""), crossSite},
		{"no custom header", "/header", post("Sec-Fetch-Site", "cross-site"), crossSite},
		{"custom header, cross-site", "/header", post("X-Requested-With", "1", "Sec-Fetch-Site", "cross-site"), ok},
		{"credentials optional: still refused", "/optional", post("Sec-Fetch-Site", "cross-site"), crossSite},
		{"credentials optional: no cookie", "/optional", http.Header{"Sec-Fetch-Site": {"cross-site"}}, want{200, "", "anonymous", ""}},
	}
	srv := server(t, routers[0].serve(route{"POST", "/origins", []mw{origins}}, route{"POST", "/header", []mw{header}}, route{"POST", "/optional", []mw{optional}}))
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := call(t, srv, "POST", tt.target, tt.header)
			checkResponse(t, resp, body, tt.want)
		})
	}
}

func TestX19CookieOptionPanics(t *testing.T) {
	v := newVerifier(t, nil)
	tests := []struct {
		name string
		opt  middleware.CookieOption
	}{
		{"origin with path", middleware.TrustedOrigins("https://app.example.com/x")},
		{"origin with trailing slash", middleware.TrustedOrigins("https://app.example.com/")},
		{"origin without scheme", middleware.TrustedOrigins("app.example.com")},
		{"origin null", middleware.TrustedOrigins("null")},
		{"origin with user", middleware.TrustedOrigins("https://u@app.example.com")},
		{"origin with query", middleware.TrustedOrigins("https://app.example.com?x")},
		{"ftp origin", middleware.TrustedOrigins("ftp://app.example.com")},
		{"default https port", middleware.TrustedOrigins("https://app.example.com:443")},
		{"default http port", middleware.TrustedOrigins("http://app.example.com:80")},
		{"non-ASCII host", middleware.TrustedOrigins("https://bücher.example")},
		{"empty", middleware.TrustedOrigins("")},
		{"header name with space", middleware.CSRFHeader("X Requested")},
		{"nil option", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Errorf("got no panic, want one")
				}
			}()
			middleware.Authenticate(v, middleware.WithCookie("at", tt.opt))
		})
	}
}
