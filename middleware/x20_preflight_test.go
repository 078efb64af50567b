package middleware_test

import (
	"net/http"
	"sync/atomic"
	"testing"

	"github.com/tokengate/tokengate/middleware"
	"github.com/tokengate/tokengate/orgs"
)

// TestX20PreflightNeverReachesHandler: with PassCORSPreflight, a CORS
// preflight (OPTIONS with Origin and Access-Control-Request-Method) is
// answered by Authenticate: the protected handler, which may assume
// claims, is never called for it.
func TestX20PreflightNeverReachesHandler(t *testing.T) {
	var called atomic.Int32
	protected := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		called.Add(1)
		claims, _ := middleware.ClaimsFromContext(r.Context()) // the README's pattern
		w.Write([]byte(claims.Subject))                        // panics on nil claims
	})
	auth := middleware.Authenticate(newVerifier(t, nil), middleware.PassCORSPreflight(nil))
	preflight := http.Header{"Origin": {"https://app.example.com"}, "Access-Control-Request-Method": {"DELETE"}}
	chains := []struct {
		name string
		h    http.Handler
	}{
		{"Authenticate", auth(protected)},
		{"with route checks", auth(middleware.RequireScopes("read:items")(orgs.Require(orgs.Static("org_a"))(protected)))},
	}
	for _, c := range chains {
		t.Run(c.name, func(t *testing.T) {
			called.Store(0)
			srv := server(t, c.h)
			resp, body := call(t, srv, "OPTIONS", "/items", preflight)
			if resp.StatusCode != http.StatusNoContent || body != "" {
				t.Errorf("answer: got %d %q, want 204 and no body", resp.StatusCode, body)
			}
			if n := called.Load(); n != 0 {
				t.Errorf("protected handler calls: got %d, want 0", n)
			}
		})
	}
}
