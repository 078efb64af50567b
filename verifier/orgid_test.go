package verifier

import "testing"

func TestIsOrganizationID(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{"org_W30n", true},
		{"ORG_W30n", true},
		{"Org_x", true},
		{"oRg_", true},
		{"org", false},
		{"org-x", false},
		{"orgx_", false},
		{"acme", false},
		{"", false},
		{"\u00f8rg_x", false},
		{"ſrg_x", false},
		{"org\u005fx", true},
		{"OR\x47_x", true},
		{"o\x52g_x", true},
		{"\x4frg_x", true},
		{"\x0frg_x", false},
		{"or\x07_x", false},
	}
	for _, tt := range tests {
		if got := IsOrganizationID(tt.in); got != tt.want {
			t.Errorf("IsOrganizationID(%q): got %v, want %v", tt.in, got, tt.want)
		}
	}
}
