package authtest_test

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/tokengate/tokengate/authtest"
)

// TestBackChannelLogoutSends (BL7): the tenant posts one form-encoded
// logout_token to each client with a URI, and reports the ones that did
// not answer 200.
func TestBackChannelLogoutSends(t *testing.T) {
	var mu sync.Mutex
	var got []string
	ok := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := r.ParseForm(); err != nil || r.Method != http.MethodPost ||
			r.Header.Get("Content-Type") != "application/x-www-form-urlencoded" || len(r.PostForm["logout_token"]) != 1 {
			w.WriteHeader(http.StatusBadRequest)
			return
		}
		mu.Lock()
		got = append(got, r.PostForm.Get("logout_token"))
		mu.Unlock()
	}))
	defer ok.Close()
	bad := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusBadRequest)
	}))
	defer bad.Close()
	tn, err := authtest.NewTenant(authtest.Config{Clients: []authtest.Client{
		{ID: "a", BackChannelLogoutURI: ok.URL},
		{ID: "b", BackChannelLogoutURI: bad.URL},
		{ID: "c"},
	}})
	if err != nil {
		t.Fatal(err)
	}
	defer tn.Close()
	err = tn.BackChannelLogout(t.Context(), authtest.Logout{Subject: "auth0|alice"})
	if err == nil || !strings.Contains(err.Error(), `"b"`) || strings.Contains(err.Error(), `"a"`) {
		t.Fatalf("got %v, want an error naming client b only", err)
	}
	if len(got) != 1 {
		t.Fatalf("client a got %d logout tokens, want 1", len(got))
	}
	if err := tn.BackChannelLogout(t.Context(), authtest.Logout{Subject: "auth0|alice", Client: "a"}); err != nil {
		t.Fatalf("to client a only: %v", err)
	}
	if err := tn.BackChannelLogout(t.Context(), authtest.Logout{Subject: "auth0|alice", Client: "c"}); !errors.Is(err, authtest.ErrNotFound) {
		t.Fatalf("to client c (no URI): got %v, want ErrNotFound", err)
	}
	if _, err := tn.LogoutToken("a", authtest.Logout{}); err == nil {
		t.Fatal("LogoutToken without subject or session: got no error")
	}
}

// TestBackChannelLogoutURIRefused: the tenant posts to loopback URLs only.
func TestBackChannelLogoutURIRefused(t *testing.T) {
	for _, u := range []string{"https://example.com/logout", "ftp://127.0.0.1/x", "http://user@127.0.0.1/x", "::", "http://10.0.0.1/"} {
		t.Run(url.PathEscape(u), func(t *testing.T) {
			_, err := authtest.NewTenant(authtest.Config{Clients: []authtest.Client{{ID: "a", BackChannelLogoutURI: u}}})
			if !errors.Is(err, authtest.ErrConfig) {
				t.Fatalf("got %v, want ErrConfig", err)
			}
		})
	}
}
