package verifier_test

import (
	"context"
	"errors"
	"testing"

	"github.com/tokengate/tokengate/verifier"
)

// TestX12OrganizationRule (SECURITY.md X12): a value whose first four
// bytes are "org_" in any ASCII case is an organization id, compared exactly
// with org_id; any other value is lower-cased (strings.ToLower, as the Auth0
// SDKs lower-case it) and compared exactly with org_name. So "ORG_W30n…" is
// never matched against an organization named "org_w30n…", and names are
// not compared under Unicode folding (ſ is not s).
func TestX12OrganizationRule(t *testing.T) {
	loadKeys()
	const (
		victim   = "org_W30nTq8zJ2bX4yKd" // an organization id
		attacker = "org_w30ntq8zj2bx4ykd" // another organization's NAME, chosen to look like it
	)
	tests := []struct {
		name    string
		orgID   string // claims; "" for absent
		orgName string
		route   string
		want    error
	}{
		{"upper-case id vs a name that looks like it", "org_attacker1", attacker, "ORG_W30nTq8zJ2bX4yKd", verifier.ErrOrganization},
		{"mixed-case id vs a name that looks like it", "org_attacker1", attacker, "Org_W30nTq8zJ2bX4yKd", verifier.ErrOrganization},
		{"mixed-case id vs the id", "org_abc", "acme", "Org_abc", verifier.ErrOrganization},
		{"upper-case id vs the id", "org_abc", "acme", "ORG_ABC", verifier.ErrOrganization},
		{"id vs the id", victim, "acme", victim, nil},
		{"id vs an id differing in case", "org_w30ntq8zj2bx4ykd", "acme", victim, verifier.ErrOrganization},
		{"id vs a name equal to it", "", victim, victim, verifier.ErrOrganization},
		{"name vs the name", "org_abc", "acme", "acme", nil},
		{"capitalised name vs the name", "org_abc", "acme", "Acme", nil},
		{"upper-case name vs the name", "org_abc", "acme", "ACME", nil},
		{"name vs an upper-case org_name", "org_abc", "ACME", "acme", verifier.ErrOrganization},
		{"name vs a mixed-case org_name", "org_abc", "Acme", "Acme", verifier.ErrOrganization},
		{"long s vs s", "org_abc", "stark", "ſtark", verifier.ErrOrganization},
		{"s vs long s", "org_abc", "ſtark", "stark", verifier.ErrOrganization},
		// strings.ToLower maps the Kelvin sign to k, as Python's str.lower
		// and JavaScript's toLowerCase do: the SDKs would match it too.
		{"Kelvin sign lower-cases to k", "org_abc", "kelvin", "\u212aelvin", nil},
		{"name vs a token without org_name", "org_abc", "", "acme", verifier.ErrOrganization},
		{"id vs a token without org_id", "", "acme", "org_abc", verifier.ErrOrganization},
		{"org_ alone is an id", "org_", "acme", "ORG_", verifier.ErrOrganization},
		{"org without underscore is a name", "org_abc", "orgx", "ORGX", nil},
		{"empty route value", "org_abc", "acme", "", verifier.ErrOrganization},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			over := map[string]any{}
			if tt.orgID != "" {
				over["org_id"] = tt.orgID
			}
			if tt.orgName != "" {
				over["org_name"] = tt.orgName
			}
			c, err := verifier.ParseClaims([]byte(claims(over)))
			if err != nil {
				t.Fatal(err)
			}
			if err := c.CheckOrganization(tt.route); !errors.Is(err, tt.want) || (err == nil) != (tt.want == nil) {
				t.Errorf("CheckOrganization(%q) with org_id %q, org_name %q: got %v, want %v", tt.route, tt.orgID, tt.orgName, err, tt.want)
			}
			// The same rule through Verify, on a miss and on a cache hit.
			v := newVerifier(t, verifier.Config{})
			tok := rs(claims(over))(t)
			for _, try := range []string{"miss", "hit"} {
				c, err := v.Verify(context.Background(), tok, verifier.WithOrganization(tt.route))
				if !errors.Is(err, tt.want) || (err == nil) != (tt.want == nil) || (c == nil) == (err == nil) {
					t.Errorf("Verify (%s) WithOrganization(%q): got %v, want %v", try, tt.route, err, tt.want)
				}
			}
		})
	}
}
