package verifier_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/tokengate/tokengate/verifier"
)

// TestFH5Auth0Tenant: the tenant helper derives issuer, JWKS URL and
// Management audience from the domain in every spelling users write, and
// refuses what is not a tenant domain (SECURITY.md 3.28).
func TestFH5Auth0Tenant(t *testing.T) {
	want := verifier.Tenant{
		Domain:             "tenant.eu.auth0.com",
		Issuer:             "https://tenant.eu.auth0.com/",
		JWKSURL:            "https://tenant.eu.auth0.com/.well-known/jwks.json",
		ManagementAudience: "https://tenant.eu.auth0.com/api/v2/",
	}
	for _, in := range []string{
		"tenant.eu.auth0.com", "tenant.eu.auth0.com/", "https://tenant.eu.auth0.com",
		"https://tenant.eu.auth0.com/", "Tenant.EU.auth0.com", "HTTPS://tenant.eu.auth0.com",
	} {
		t.Run("FH5/"+in, func(t *testing.T) {
			got, err := verifier.Auth0Tenant(in)
			if err != nil {
				t.Fatalf("Auth0Tenant(%q): %v", in, err)
			}
			if got != want {
				t.Errorf("Auth0Tenant(%q) = %+v, want %+v", in, got, want)
			}
		})
	}
	t.Run("FH5/custom-domain", func(t *testing.T) {
		got, err := verifier.Auth0Tenant("login.example.com")
		if err != nil || got.Issuer != "https://login.example.com/" || got.JWKSURL != "https://login.example.com/.well-known/jwks.json" {
			t.Errorf("got %+v, %v, want the custom domain's issuer and JWKS URL", got, err)
		}
	})
	t.Run("FH5/loopback", func(t *testing.T) {
		got, err := verifier.Auth0Tenant("http://127.0.0.1:8080")
		if err != nil || got.Issuer != "http://127.0.0.1:8080/" || got.Domain != "127.0.0.1:8080" {
			t.Errorf("got %+v, %v, want the local tenant's issuer", got, err)
		}
	})
	refused := []struct{ name, in, want string }{
		{"FH6/empty", "", "empty"},
		{"FH6/path", "https://tenant.auth0.com/api/v2/", "has a path"},
		{"FH6/bare-path", "tenant.auth0.com/x", "not a host name"},
		{"FH6/query", "https://tenant.auth0.com/?a=b", "query"},
		{"FH6/fragment", "https://tenant.auth0.com/#x", "fragment"},
		{"FH6/userinfo", "https://user:pw@tenant.auth0.com/", "user information"},
		{"FH6/port", "https://tenant.auth0.com:8443", "has a port"},
		{"FH6/bare-port", "tenant.auth0.com:444", "has a port"},
		{"FH6/http", "http://tenant.auth0.com", "plain http"},
		{"FH6/scheme", "ftp://tenant.auth0.com", "scheme"},
		{"FH6/non-ascii", "tenänt.auth0.com", "xn--"},
		{"FH6/control", "tenant.auth0.com\r\nX: y", "not printable ASCII"},
		{"FH6/space", "tenant auth0.com", "not a host name"},
		{"FH6/huge", strings.Repeat("a", 1<<20) + ".auth0.com/x", "not a host name"},
	}
	for _, tt := range refused {
		t.Run(tt.name, func(t *testing.T) {
			got, err := verifier.Auth0Tenant(tt.in)
			if !errors.Is(err, verifier.ErrConfig) {
				t.Fatalf("Auth0Tenant(%.40q) = %+v, %v; want an error wrapping ErrConfig", tt.in, got, err)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("got %q, want it to contain %q", err, tt.want)
			}
			if len(err.Error()) > 400 {
				t.Errorf("message of %d bytes, want at most 400", len(err.Error()))
			}
			if got != (verifier.Tenant{}) {
				t.Errorf("got %+v with the error, want the zero Tenant", got)
			}
		})
	}
}

// Auth0Tenant derives what a verifier (and a Management client) needs from
// the tenant's domain, however it is written.
func ExampleAuth0Tenant() {
	t, err := verifier.Auth0Tenant("https://tenant.eu.auth0.com")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(t.Issuer)
	fmt.Println(t.JWKSURL)
	fmt.Println(t.ManagementAudience)

	_, err = verifier.Auth0Tenant("https://tenant.eu.auth0.com/api/v2/")
	fmt.Println(err)
	// Output:
	// https://tenant.eu.auth0.com/
	// https://tenant.eu.auth0.com/.well-known/jwks.json
	// https://tenant.eu.auth0.com/api/v2/
	// verifier: invalid configuration: tenant domain "https://tenant.eu.auth0.com/api/v2/" has a path: give the tenant's domain only, as in "https://tenant.eu.auth0.com"
}
