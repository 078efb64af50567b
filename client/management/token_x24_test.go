package management

import (
	"context"
	"errors"
	"io"
	"net/http"
	"sync/atomic"
	"testing"

	"github.com/tokengate/tokengate/client/authentication"
)

// TestX24ManagementTokenAnswer: the token source takes the token answer
// through the Authentication client's one decoder, so a 2xx answer that is
// not a token response is ErrToken and no API request is sent, and a huge
// expires_in is clamped before the cache computes when to refresh.
func TestX24ManagementTokenAnswer(t *testing.T) {
	cases := []struct {
		name, answer string
		wantErr      bool
		wantFetches  int32 // token requests for two API calls
	}{
		{"no access_token", `{"token_type":"Bearer","expires_in":86400}`, true, 1},
		{"access_token null", `{"access_token":null,"token_type":"Bearer","expires_in":86400}`, true, 1},
		{"no token_type", `{"access_token":"mgmt-1","expires_in":86400}`, true, 1},
		{"expires_in max int64", `{"access_token":"mgmt-1","token_type":"Bearer","expires_in":9223372036854775807}`, false, 1},
		{"expires_in negative", `{"access_token":"mgmt-1","token_type":"Bearer","expires_in":-86400}`, false, 2},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var fetches, apiCalls atomic.Int32
			mux := http.NewServeMux()
			mux.HandleFunc("POST /oauth/token", func(w http.ResponseWriter, r *http.Request) {
				fetches.Add(1)
				w.Header().Set("Content-Type", "application/json")
				io.WriteString(w, tc.answer)
			})
			mux.HandleFunc("GET /api/v2/users/{id}", func(w http.ResponseWriter, r *http.Request) {
				apiCalls.Add(1)
				io.WriteString(w, `{"user_id":"auth0|1"}`)
			})
			srv := newServer(t, mux.ServeHTTP)
			m, err := New(srv.URL, Config{ClientID: "app", ClientSecret: "secret"})
			if err != nil {
				t.Fatal(err)
			}
			for range 2 {
				_, err = m.Users.Get(context.Background(), "auth0|1", nil)
				if tc.wantErr {
					var te *authentication.TokenResponseError
					if !errors.Is(err, ErrToken) || !errors.As(err, &te) {
						t.Fatalf("got %v, want ErrToken wrapping a *authentication.TokenResponseError", err)
					}
					break
				}
				if err != nil {
					t.Fatalf("got %v, want success", err)
				}
			}
			if tc.wantErr && apiCalls.Load() != 0 {
				t.Errorf("API requests: got %d, want 0 (no token)", apiCalls.Load())
			}
			if got := fetches.Load(); got != tc.wantFetches {
				t.Errorf("token requests: got %d, want %d", got, tc.wantFetches)
			}
		})
	}
}
