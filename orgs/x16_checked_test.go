package orgs_test

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/go-chi/chi/v5"

	"github.com/tokengate/tokengate/middleware"
	"github.com/tokengate/tokengate/orgs"
)

// checkedEcho answers with the organization Require checked, as handlers
// should read it, next to what the path says under the same name.
var checkedEcho = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
	org, ok := orgs.Checked(r.Context())
	fmt.Fprintf(w, "checked=%v %+v path=%s", ok, org, r.PathValue("id"))
})

// TestX16CheckedOnContext: with a chi sub-route that reuses the parameter
// name, the path value a handler reads is another one than Require checked;
// the checked organization on the context is the one that was checked.
func TestX16CheckedOnContext(t *testing.T) {
	auth := middleware.Authenticate(newVerifier(t))
	r := chi.NewRouter()
	r.With(auth).Route("/orgs/{id}", func(r chi.Router) {
		r.Use(orgs.Require(orgs.FromPath("id"), orgs.Allow("org_support")))
		r.Get("/", checkedEcho)
		r.Get("/projects/{id}", checkedEcho)
	})
	r.With(auth).Get("/unchecked", checkedEcho)
	srv := server(t, r)
	acme := bearer(token(t, map[string]any{"org_id": "org_acme", "org_name": "acme"}))
	support := bearer(token(t, map[string]any{"org_id": "org_support"}))
	tests := []struct {
		name   string
		target string
		header http.Header
		want   want
	}{
		{"sub-route reusing {id}", "/orgs/org_acme/projects/org_globex", acme,
			want{200, "", "checked=true {Value:org_acme ID:org_acme ByName:false Granted:false} path=org_globex", ""}},
		{"by id", "/orgs/org_acme/", acme,
			want{200, "", "checked=true {Value:org_acme ID:org_acme ByName:false Granted:false} path=org_acme", ""}},
		{"by name: id unknown without a resolver", "/orgs/ACME/projects/p1", acme,
			want{200, "", "checked=true {Value:ACME ID: ByName:true Granted:false} path=p1", ""}},
		{"granted by Allow", "/orgs/org_acme/projects/p1", support,
			want{200, "", "checked=true {Value:org_acme ID:org_acme ByName:false Granted:true} path=p1", ""}},
		{"no Require", "/unchecked", acme,
			want{200, "", "checked=false {Value: ID: ByName:false Granted:false} path=", ""}},
		{"sub-route names another org", "/orgs/org_globex/projects/org_acme", acme, want{403, "", bodyDenied, ""}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := call(t, srv, tt.target, tt.header)
			check(t, resp, body, tt.want)
		})
	}
}

// TestX16CheckedNested: an Authenticate nested below Require does not hide
// the organization checked above it.
func TestX16CheckedNested(t *testing.T) {
	v := newVerifier(t)
	mux := http.NewServeMux()
	mux.Handle("GET /orgs/{id}/items", middleware.Authenticate(v)(orgs.Require(orgs.FromPath("id"))(middleware.Authenticate(v)(checkedEcho))))
	srv := server(t, mux)
	resp, body := call(t, srv, "/orgs/org_acme/items", bearer(token(t, map[string]any{"org_id": "org_acme"})))
	check(t, resp, body, want{200, "", "checked=true {Value:org_acme ID:org_acme ByName:false Granted:false} path=org_acme", ""})
}
