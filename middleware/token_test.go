package middleware_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/tokengate/tokengate/middleware"
)

// TestTokenFromContext (OB1): the raw token is on the context only once it
// verified; anonymous requests, requests refused, and contexts made by
// NewContext carry none.
func TestTokenFromContext(t *testing.T) {
	v := newVerifier(t, nil)
	good := token(t, nil)
	var got string
	var gotOK, reached bool
	h := middleware.Authenticate(v, middleware.CredentialsOptional())(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		reached = true
		got, gotOK = middleware.TokenFromContext(r.Context())
	}))
	tests := []struct {
		name    string
		auth    string
		reach   bool
		want    string
		wantOK  bool
		wantSts int
	}{
		{"OB1/verified", "Bearer " + good, true, good, true, http.StatusOK},
		{"OB1/anonymous", "", true, "", false, http.StatusOK},
		{"OB1/invalid_token", "Bearer " + token(t, map[string]any{"aud": "https://other.example.com"}), false, "", false, http.StatusUnauthorized},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, gotOK, reached = "", false, false
			r := httptest.NewRequest(http.MethodGet, "/", nil)
			if tt.auth != "" {
				r.Header.Set("Authorization", tt.auth)
			}
			w := httptest.NewRecorder()
			h.ServeHTTP(w, r)
			io.Copy(io.Discard, w.Result().Body)
			if w.Code != tt.wantSts || reached != tt.reach {
				t.Fatalf("status %d reached %v, want %d %v", w.Code, reached, tt.wantSts, tt.reach)
			}
			if got != tt.want || gotOK != tt.wantOK {
				t.Errorf("TokenFromContext: got (%d bytes, %v), want (%d bytes, %v)", len(got), gotOK, len(tt.want), tt.wantOK)
			}
		})
	}
	t.Run("OB1/new_context", func(t *testing.T) {
		c, err := v.Verify(t.Context(), good)
		if err != nil {
			t.Fatal(err)
		}
		if tok, ok := middleware.TokenFromContext(middleware.NewContext(t.Context(), c)); ok || tok != "" {
			t.Errorf("NewContext: got a token (%v), want none", ok)
		}
	})
	t.Run("OB1/plain_context", func(t *testing.T) {
		if _, ok := middleware.TokenFromContext(t.Context()); ok {
			t.Error("got a token from a context without Authenticate")
		}
	})
}
