package middleware_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/tokengate/tokengate/middleware"
)

// TestX1BoundTokenUnauthorized (SECURITY.md X1): a sender-constrained
// token (cnf) sent as a plain bearer token is answered 401 invalid_token,
// on the first request and on the repeat that the verified-token cache
// would answer; a token without cnf still passes.
func TestX1BoundTokenUnauthorized(t *testing.T) {
	srv := server(t, middleware.Authenticate(newVerifier(t, nil))(echo))
	tests := []struct {
		name   string
		cnf    any
		status int
	}{
		{"no cnf", nil, http.StatusOK},
		{"cnf jkt (DPoP)", map[string]any{"jkt": "0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I"}, http.StatusUnauthorized},
		{"cnf x5t#S256 (mTLS)", map[string]any{"x5t#S256": "bwcK0esc3ACC3DB2Y5_lESsXE8o9ltc05O89jdN-dg2"}, http.StatusUnauthorized},
		{"cnf unknown member", map[string]any{"kid": "k"}, http.StatusUnauthorized},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			over := map[string]any{}
			if tt.cnf != nil {
				over["cnf"] = tt.cnf
			}
			tok := token(t, over)
			for _, try := range []string{"first", "repeat"} {
				resp, body := call(t, srv, http.MethodGet, "/", bearer(tok))
				if resp.StatusCode != tt.status {
					t.Fatalf("%s request: got status %d (body %q), want %d", try, resp.StatusCode, body, tt.status)
				}
				if tt.status != http.StatusUnauthorized {
					continue
				}
				if ch := resp.Header.Get("WWW-Authenticate"); !strings.Contains(ch, `error="invalid_token"`) {
					t.Errorf("%s request: got WWW-Authenticate %q, want error=\"invalid_token\"", try, ch)
				}
			}
		})
	}
}
