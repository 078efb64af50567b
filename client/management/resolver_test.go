package management

import (
	"context"
	"net/http"
	"testing"
)

// The orgs package's interface, restated: OrgResolver must satisfy it.
var _ interface {
	OrgID(ctx context.Context, name string) (string, error)
} = (*OrgResolver)(nil)

func TestOrgResolver(t *testing.T) {
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet {
			t.Errorf("method: got %s, want GET", r.Method)
		}
		switch r.URL.EscapedPath() {
		case "/api/v2/organizations/name/acme":
			w.Write([]byte(`{"id":"org_new","name":"acme","display_name":"Acme"}`))
		case "/api/v2/organizations/name/liar":
			w.Write([]byte(`{"id":"org_other","name":"other"}`))
		case "/api/v2/organizations/name/noid":
			w.Write([]byte(`{"name":"noid"}`))
		case "/api/v2/organizations/name/down":
			w.WriteHeader(http.StatusBadRequest)
			w.Write([]byte(`{"statusCode":400,"error":"Bad Request","message":"nope"}`))
		case "/api/v2/organizations/name/a%2Fb":
			w.Write([]byte(`{"id":"org_ab","name":"a/b"}`))
		default:
			w.WriteHeader(http.StatusNotFound)
			w.Write([]byte(`{"statusCode":404,"error":"Not Found","message":"No organization found by that id or name"}`))
		}
	})
	r := &OrgResolver{Management: newTestManagement(t, srv, Config{})}
	tests := []struct {
		name    string
		want    string
		wantErr bool
	}{
		{"acme", "org_new", false},
		{"globex", "", false},
		{"liar", "", true},
		{"noid", "", true},
		{"down", "", true},
		{"a/b", "org_ab", false},
		{"", "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := r.OrgID(context.Background(), tt.name)
			if got != tt.want || (err != nil) != tt.wantErr {
				t.Errorf("OrgID(%q): got %q, %v, want %q, error %v", tt.name, got, err, tt.want, tt.wantErr)
			}
		})
	}
	if _, err := (&OrgResolver{}).OrgID(context.Background(), "acme"); err == nil {
		t.Errorf("without a client: got no error, want one")
	}
}
