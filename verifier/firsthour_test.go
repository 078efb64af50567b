package verifier_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/tokengate/tokengate/verifier"
)

// TestFH1IssuerMistakes: the issuer mistakes of the first hour are refused
// by New, with the value and the fix in the message (SECURITY.md 3.28).
func TestFH1IssuerMistakes(t *testing.T) {
	loadKeys()
	keys := mustSet(t, mustKey(t, "k1", "RS256", &rsaKey.PublicKey))
	long := strings.Repeat("a", 100_000) + ".auth0.com"
	tests := []struct {
		name   string
		issuer string
		want   []string // substrings of the error; nil: accepted
	}{
		{"FH1/bare-auth0-host", "tenant.eu.auth0.com", []string{`Config.Issuer "tenant.eu.auth0.com" looks like a host name`, `an Auth0 issuer is "https://tenant.eu.auth0.com/"`}},
		{"FH1/bare-host", "login.example.com", []string{`Config.Issuer "login.example.com" looks like a host name`, `"https://login.example.com/"`}},
		{"FH1/bare-host-port", "login.example.com:443", []string{`looks like a host name`}},
		{"FH1/bare-host-slash", "tenant.auth0.com/", []string{`looks like a host name`, `"https://tenant.auth0.com/"`}},
		{"FH1/huge", long, []string{`looks like a host name`}},
		{"FH2/auth0-http", "http://tenant.auth0.com/", []string{`Config.Issuer "http://tenant.auth0.com/"`, `an Auth0 issuer is "https://tenant.auth0.com/"`}},
		{"FH2/auth0-no-slash", "https://tenant.us.auth0.com", []string{`an Auth0 issuer is "https://tenant.us.auth0.com/"`}},
		{"FH2/auth0-path", "https://tenant.auth0.com/api/v2/", []string{`an Auth0 issuer is "https://tenant.auth0.com/"`}},
		{"FH2/auth0-upper", "https://Tenant.Auth0.com/", []string{`an Auth0 issuer is "https://tenant.auth0.com/"`}},
		{"FH2/auth0-port", "https://tenant.auth0.com:8443/", []string{`an Auth0 issuer is "https://tenant.auth0.com/"`}},
		{"FH2/auth0-query", "https://tenant.auth0.com/?x=1", []string{`an Auth0 issuer is "https://tenant.auth0.com/"`}},
		{"FH3/service-name", "billing-service", nil},
		{"FH3/urn", "urn:example:issuer.v1", nil},
		{"FH3/auth0", "https://tenant.eu.auth0.com/", nil},
		{"FH3/custom-domain-no-slash", "https://login.example.com", nil},
		{"FH3/loopback", "http://127.0.0.1:8080/", nil},
		{"FH3/not-auth0", "https://auth0.com.example.net", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, field := range []string{"Issuer", "Issuers"} {
				cfg := verifier.Config{Issuer: tt.issuer, Audience: []string{"api"}, Keys: keys}
				wantField := "Config.Issuer "
				if field == "Issuers" {
					cfg.Issuer = "https://other.example.com/"
					cfg.Issuers = []verifier.Issuer{{Issuer: tt.issuer, Keys: keys}}
					wantField = "Config.Issuers[0].Issuer "
				}
				_, err := verifier.New(cfg)
				if tt.want == nil {
					if err != nil {
						t.Fatalf("%s: New: %v, want nil", field, err)
					}
					continue
				}
				if !errors.Is(err, verifier.ErrConfig) {
					t.Fatalf("%s: New: %v, want an error wrapping ErrConfig", field, err)
				}
				msg := err.Error()
				if len(msg) > 400 {
					t.Fatalf("%s: message of %d bytes, want at most 400", field, len(msg))
				}
				if !strings.Contains(msg, wantField) {
					t.Errorf("%s: got %q, want it to name %q", field, msg, wantField)
				}
				for _, w := range tt.want {
					w = strings.Replace(w, "Config.Issuer ", wantField, 1)
					if !strings.Contains(msg, w) {
						t.Errorf("%s: got %q, want it to contain %q", field, msg, w)
					}
				}
			}
		})
	}
}
