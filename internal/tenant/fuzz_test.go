package tenant

import (
	"strings"
	"testing"
)

// FuzzParse: whatever Parse accepts gives an issuer that IssuerMistake
// accepts (the helper never derives an issuer verifier.New refuses), and
// parses again to itself; messages stay bounded.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"tenant.eu.auth0.com", "https://tenant.auth0.com/", "Tenant.Auth0.COM", "http://127.0.0.1:8080",
		"login.example.com", "https://[::1]:9/", "tenant.auth0.com:443", "a.b/c", "https://x.auth0.com/?", "",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, domain string) {
		base, err := Parse(domain)
		if err != nil {
			if n := len(err.Error()); n > 400 {
				t.Fatalf("message of %d bytes", n)
			}
			return
		}
		if m := IssuerMistake(base + "/"); m != "" {
			t.Fatalf("Parse(%q) = %q, whose issuer IssuerMistake refuses: %s", domain, base, m)
		}
		again, err := Parse(base)
		if err != nil || again != base {
			t.Fatalf("Parse(%q) = %q, %v; want %q", base, again, err, base)
		}
		if strings.HasSuffix(base, "/") {
			t.Fatalf("Parse(%q) = %q ends with a slash", domain, base)
		}
	})
}

// FuzzIssuerMistake: no panic, bounded message, and the fix it proposes is
// itself accepted.
func FuzzIssuerMistake(f *testing.F) {
	for _, s := range []string{"tenant.eu.auth0.com", "http://t.auth0.com", "billing-service", "urn:a.b", "1.2.3.4:80/x", "https://T.auth0.com"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, iss string) {
		m := IssuerMistake(iss)
		if len(m) > 300 {
			t.Fatalf("message of %d bytes", len(m))
		}
		_, q, ok := strings.Cut(m, ` is "`)
		if !ok {
			_, q, ok = strings.Cut(m, `such as "`)
		}
		if ok && !strings.HasSuffix(q, `..."`) {
			fix := strings.TrimSuffix(q, `"`)
			if strings.ContainsAny(fix, `\"`) {
				return // an escaped value: not a fix to retry as it is
			}
			if again := IssuerMistake(fix); again != "" {
				t.Fatalf("IssuerMistake(%q) proposes %q, which it refuses: %s", iss, fix, again)
			}
		}
	})
}
