package management

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"testing"
)

// TestOffsetExplicitPageZero: page=0 is sent when the caller asks for it
// (Offset.SendPage), also by the methods whose defaults send no page; with
// SendPage unset a zero Page is still the method's default (none).
func TestOffsetExplicitPageZero(t *testing.T) {
	var got url.Values
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		got = r.URL.Query()
		io.WriteString(w, `[]`)
	})
	m := newTestManagement(t, srv, Config{})
	ctx := context.Background()
	calls := []struct {
		name string
		call func(o *Offset) error
	}{
		{"Clients.List", func(o *Offset) error { _, err := m.Clients.List(ctx, &ClientListOptions{Offset: *o}); return err }},
		{"Organizations.List", func(o *Offset) error { _, err := m.Organizations.List(ctx, o); return err }},
		{"Organizations.ListConnections", func(o *Offset) error { _, err := m.Organizations.ListConnections(ctx, "o1", o); return err }},
		{"Actions.ListVersions", func(o *Offset) error { _, err := m.Actions.ListVersions(ctx, "a1", o); return err }},
		{"Users.ListRoles", func(o *Offset) error { _, err := m.Users.ListRoles(ctx, "u1", o); return err }},
	}
	for _, c := range calls {
		t.Run(c.name, func(t *testing.T) {
			for _, tc := range []struct {
				offset   Offset
				want     string
				wantSent bool
			}{
				{Offset{SendPage: true}, "0", true},
				{Offset{SendPage: true, PerPage: 10}, "0", true},
				{Offset{Page: 2}, "2", true},
			} {
				got = nil
				if err := c.call(&tc.offset); err != nil {
					t.Fatal(err)
				}
				if got.Has("page") != tc.wantSent || got.Get("page") != tc.want {
					t.Errorf("%+v: page %q (sent %v), want %q", tc.offset, got.Get("page"), got.Has("page"), tc.want)
				}
			}
		})
	}
	// Without SendPage a zero Page is the default: none for these methods.
	got = nil
	if _, err := m.Clients.List(ctx, &ClientListOptions{}); err != nil {
		t.Fatal(err)
	}
	if got.Has("page") {
		t.Errorf("Clients.List with a zero Offset sent page=%q, want none", got.Get("page"))
	}
}
