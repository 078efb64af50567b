package authtest

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/tokengate/tokengate/verifier"
)

// TestMintTyped mints tokens from the typed fields and verifies them as an
// API would: every field lands in the claim Auth0 uses.
func TestMintTyped(t *testing.T) {
	now := time.Unix(1_800_000_000, 0)
	tn := newTenant(t, withClock(Config{}, now))
	v, err := verifier.New(verifier.Config{Issuer: tn.Issuer(), Audience: []string{testAPI}, Keys: tn,
		Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	s, err := tn.Mint(Token{
		Subject:     "auth0|alice",
		Audience:    []string{testAPI},
		Scopes:      []string{"read:items", "write:items"},
		Permissions: []string{"read:items"},
		OrgID:       acmeID,
		OrgName:     "acme",
		Custom:      map[string]any{"https://example.com/roles": []string{"admin"}, "tier": "gold"},
		IssuedAt:    now.Add(-time.Hour),
		ExpiresIn:   2 * time.Hour,
	})
	if err != nil {
		t.Fatal(err)
	}
	c, err := v.Verify(context.Background(), s)
	if err != nil {
		t.Fatalf("Verify: %v", err)
	}
	if c.Subject != "auth0|alice" || c.OrgID != acmeID || c.OrgName != "acme" ||
		!slices.Equal(c.Scope, []string{"read:items", "write:items"}) || !slices.Equal(c.Permissions, []string{"read:items"}) {
		t.Errorf("got sub %q org %q/%q scope %q permissions %q, want the typed fields", c.Subject, c.OrgID, c.OrgName, c.Scope, c.Permissions)
	}
	if !c.IssuedAt.Equal(now.Add(-time.Hour)) || !c.ExpiresAt.Equal(now.Add(time.Hour)) {
		t.Errorf("got iat %v exp %v, want %v and %v", c.IssuedAt, c.ExpiresAt, now.Add(-time.Hour), now.Add(time.Hour))
	}
	var custom struct {
		Roles []string `json:"https://example.com/roles"`
		Tier  string   `json:"tier"`
	}
	if err := c.Decode(&custom); err != nil || !slices.Equal(custom.Roles, []string{"admin"}) || custom.Tier != "gold" {
		t.Errorf("custom claims: got %+v (%v), want roles [admin], tier gold", custom, err)
	}
	raw := decodePart(t, s, 1)
	if _, ok := raw["aud"].(string); !ok {
		t.Errorf("aud: got %T, want a string for one audience", raw["aud"])
	}
}

// TestMintTypedShapes checks the JSON shape of the edge values of the typed
// fields.
func TestMintTypedShapes(t *testing.T) {
	tn := newTenant(t, Config{})
	cases := []struct {
		name    string
		tok     Token
		claim   string
		want    string // JSON of the claim; "" for absent
		comment string
	}{
		{"nil scopes: no scope claim", Token{Scopes: nil}, "scope", "", ""},
		{"empty scopes: no scope claim", Token{Scopes: []string{}}, "scope", "", ""},
		{"nil permissions: no claim", Token{}, "permissions", "", ""},
		{"empty permissions: an empty array", Token{Permissions: []string{}}, "permissions", "[]", "as Auth0 sends to a user without any"},
		{"two audiences: an array", Token{Audience: []string{testAPI, otherAPI}}, "aud", `["https://api.example.com","https://other.example.com"]`, ""},
		{"Claims overrides a typed field", Token{Subject: "auth0|alice", Claims: map[string]any{"sub": "auth0|mallory"}}, "sub", `"auth0|mallory"`, ""},
		{"Claims removes a typed field", Token{OrgID: acmeID, Claims: map[string]any{"org_id": nil}}, "org_id", "", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s, err := tn.Mint(tc.tok)
			if err != nil {
				t.Fatal(err)
			}
			raw := decodePart(t, s, 1)
			got := ""
			if v, ok := raw[tc.claim]; ok {
				b, _ := json.Marshal(v)
				got = string(b)
			}
			if got != tc.want {
				t.Errorf("%s: got %s, want %s", tc.claim, got, tc.want)
			}
		})
	}
}

// TestMintTypedRefusals: typed fields refuse what Auth0 would not issue,
// with an error that wraps ErrClaim and names the field; raw Claims still
// mint anything.
func TestMintTypedRefusals(t *testing.T) {
	tn := newTenant(t, Config{})
	huge := strings.Repeat("x", maxCustomClaims)
	cases := []struct {
		name string
		tok  Token
		want string // in the error
	}{
		{"org id without org_ prefix", Token{OrgID: "acme"}, `OrgID "acme": does not start with org_`},
		{"org id upper-case prefix", Token{OrgID: "ORG_abc"}, "does not start with org_"},
		{"org id org_ alone", Token{OrgID: "org_"}, "nothing after org_"},
		{"org id with a space", Token{OrgID: "org_a b"}, "characters other than"},
		{"org id with a quote", Token{OrgID: `org_a"b`}, "characters other than"},
		{"org id huge", Token{OrgID: "org_" + strings.Repeat("é", 1000)}, "…"},
		{"org name upper-case", Token{OrgName: "Acme"}, "not lower-case"},
		{"empty scope", Token{Scopes: []string{"read", ""}}, `Scopes[1] "": not a valid value`},
		{"scope with a space", Token{Scopes: []string{"read write"}}, `Scopes[0] "read write"`},
		{"scope with a quote", Token{Scopes: []string{`a"b`}}, "Scopes[0]"},
		{"scope with a backslash", Token{Scopes: []string{`a\b`}}, "Scopes[0]"},
		{"scope non-ASCII", Token{Scopes: []string{"lire:éléments"}}, "Scopes[0]"},
		{"scope repeated", Token{Scopes: []string{"read", "read"}}, `Scopes[1] "read": repeated`},
		{"permission empty", Token{Permissions: []string{""}}, "Permissions[0]"},
		{"permission repeated", Token{Permissions: []string{"a", "a"}}, "repeated"},
		{"empty audience", Token{Audience: []string{""}}, "Audience: empty"},
		{"audience repeated", Token{Audience: []string{testAPI, testAPI}}, "repeated"},
		{"custom iss", Token{Custom: map[string]any{"iss": "https://evil.example/"}}, `Custom["iss"]: a registered or Auth0 claim`},
		{"custom sub", Token{Custom: map[string]any{"sub": "x"}}, `Custom["sub"]`},
		{"custom aud", Token{Custom: map[string]any{"aud": "x"}}, `Custom["aud"]`},
		{"custom exp", Token{Custom: map[string]any{"exp": 1}}, `Custom["exp"]`},
		{"custom nbf", Token{Custom: map[string]any{"nbf": 1}}, `Custom["nbf"]`},
		{"custom iat", Token{Custom: map[string]any{"iat": 1}}, `Custom["iat"]`},
		{"custom jti", Token{Custom: map[string]any{"jti": "x"}}, `Custom["jti"]`},
		{"custom scope", Token{Custom: map[string]any{"scope": "admin"}}, `Custom["scope"]`},
		{"custom permissions", Token{Custom: map[string]any{"permissions": []string{"admin"}}}, `Custom["permissions"]`},
		{"custom org_id", Token{Custom: map[string]any{"org_id": "org_x"}}, `Custom["org_id"]`},
		{"custom cnf", Token{Custom: map[string]any{"cnf": map[string]any{"jkt": "x"}}}, `Custom["cnf"]`},
		{"custom gty", Token{Custom: map[string]any{"gty": "client-credentials"}}, `Custom["gty"]`},
		{"custom empty name", Token{Custom: map[string]any{"": 1}}, "empty claim name"},
		{"custom nil value", Token{Custom: map[string]any{"tier": nil}}, `Custom["tier"]: nil value`},
		{"custom not JSON", Token{Custom: map[string]any{"f": func() {}}}, "Custom: json"},
		{"custom over 100 KiB", Token{Custom: map[string]any{"big": huge}}, "over Auth0's limit"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s, err := tn.Mint(tc.tok)
			if !errors.Is(err, ErrClaim) || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("got %q, %v; want an ErrClaim error containing %q", s, err, tc.want)
			}
			if len(err.Error()) > 400 {
				t.Errorf("error of %d bytes, want the value cut: %.100s…", len(err.Error()), err)
			}
		})
	}
	// The escape hatch: Claims mint the malformed values on purpose.
	if _, err := tn.Mint(Token{Claims: map[string]any{"org_id": "acme", "scope": "read read", "iss": "https://evil.example/"}}); err != nil {
		t.Errorf("raw Claims: got %v, want no check", err)
	}
}

// TestMustMint: MustMint returns Mint's token and panics with its error.
func TestMustMint(t *testing.T) {
	tn := newTenant(t, Config{})
	if s := tn.MustMint(Token{Subject: "auth0|alice"}); decodePart(t, s, 1)["sub"] != "auth0|alice" {
		t.Errorf("got %v, want sub auth0|alice", decodePart(t, s, 1))
	}
	defer func() {
		err, _ := recover().(error)
		if !errors.Is(err, ErrClaim) {
			t.Errorf("got panic %v, want an ErrClaim error", err)
		}
	}()
	tn.MustMint(Token{OrgID: "acme"})
}
