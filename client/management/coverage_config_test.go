package management

import (
	"context"
	"io"
	"net/http"
	"slices"
	"sync"
	"testing"
)

// configClasses are the reference classes of the configuration-style
// resources.
var configClasses = []string{
	"Actions", "AttackProtection", "Blacklists", "Branding", "ClientCredentials",
	"CustomDomains", "EmailTemplates", "Emails", "Guardian", "Hooks", "LogStreams",
	"NetworkAcls", "Prompts", "Rules", "RulesConfigs", "SelfServiceProfiles",
	"Stats", "Tenants",
}

// configCoverage returns the coverage.tsv rows of configClasses.
func configCoverage(t *testing.T) map[string]covRow {
	t.Helper()
	rows := map[string]covRow{}
	for _, c := range readCoverage(t) {
		if c.source == sourcePython && slices.Contains(configClasses, c.class) {
			rows[c.class+"."+c.method] = c
		}
	}
	return rows
}

// TestCoverageConfig checks that each of the 101 reference methods of the
// configuration classes has a row whose verb and path are the reference's
// and whose Go method exists, and that no two map to one Go method.
func TestCoverageConfig(t *testing.T) {
	rows := configCoverage(t)
	goNames := map[string]string{}
	n := 0
	for _, r := range readReference(t) {
		if !slices.Contains(configClasses, r.class) {
			continue
		}
		n++
		c, ok := rows[r.key()]
		if !ok {
			t.Errorf("%s (%s %s): no row", r.key(), r.verb, r.path)
			continue
		}
		delete(rows, r.key())
		if c.verb != r.verb || c.path != r.path {
			t.Errorf("%s: row says %s %s, reference %s %s", r.key(), c.verb, c.path, r.verb, r.path)
		}
		if !goMethodExists(c.goMethod) {
			t.Errorf("%s: Go method %s does not exist", r.key(), c.goMethod)
		}
		if other, dup := goNames[c.goMethod]; dup {
			t.Errorf("%s and %s both map to %s", other, r.key(), c.goMethod)
		}
		goNames[c.goMethod] = r.key()
	}
	for k := range rows {
		t.Errorf("row %s is not in the reference", k)
	}
	if n != 101 || len(goNames) != 101 {
		t.Errorf("configuration methods: got %d reference rows and %d Go methods, want 101", n, len(goNames))
	}
}

// routeServer starts a server that answers {} and returns a client for it
// with the options and a func returning (and forgetting) the last request
// received and its Auth0-Custom-Domain values.
func routeServer(t *testing.T, cfg Config) (*Management, func() (*sentRequest, []string)) {
	t.Helper()
	var mu sync.Mutex
	var got *sentRequest
	var domain []string
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		got = &sentRequest{r.Method, r.URL.EscapedPath(), r.Header.Get("Content-Type"), r.URL.Query(), b}
		domain = r.Header.Values("Auth0-Custom-Domain")
		mu.Unlock()
		io.WriteString(w, `{}`)
	})
	last := func() (*sentRequest, []string) {
		mu.Lock()
		defer mu.Unlock()
		g, d := got, domain
		got, domain = nil, nil
		return g, d
	}
	return newTestManagement(t, srv, cfg), last
}

// TestRoutesConfig calls every configuration method with default options
// and checks the request against its reference row (checkRoute: verb,
// path, default query, body members).
func TestRoutesConfig(t *testing.T) {
	m, last := routeServer(t, Config{})
	rows := configCoverage(t)
	for key, row := range rows {
		call, ok := configRoutes[key]
		if !ok {
			t.Errorf("%s: no entry in configRoutes", key)
			continue
		}
		t.Run(key, func(t *testing.T) {
			err := call(context.Background(), m)
			got, _ := last()
			if got == nil {
				t.Fatalf("no request sent (err %v)", err)
			}
			checkRoute(t, row, got)
		})
	}
	for key := range configRoutes {
		if _, ok := rows[key]; !ok {
			t.Errorf("configRoutes has %s, which is not a reference method", key)
		}
	}
}

// TestCustomDomainConfig: of the configuration methods, exactly the two
// whose paths are in the Python SDK's whitelist send Auth0-Custom-Domain.
func TestCustomDomainConfig(t *testing.T) {
	m, last := routeServer(t, Config{CustomDomain: "login.example.com"})
	want := []string{"Guardian.create_enrollment_ticket", "SelfServiceProfiles.create_sso_ticket"}
	for key, call := range configRoutes {
		call(context.Background(), m)
		got, h := last()
		if got == nil {
			t.Errorf("%s: no request sent", key)
			continue
		}
		sent := len(h) == 1 && h[0] == "login.example.com"
		if sent != slices.Contains(want, key) || len(h) > 1 {
			t.Errorf("%s (%s): Auth0-Custom-Domain %q, want it: %v", key, got.path, h, slices.Contains(want, key))
		}
	}
}
