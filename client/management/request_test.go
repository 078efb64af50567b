package management

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tokengate/tokengate/client"
)

func TestPathEscaping(t *testing.T) {
	var got string
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		got = r.URL.EscapedPath()
		io.WriteString(w, `{}`)
	})
	m := newTestManagement(t, srv, Config{})
	for _, tc := range []struct{ id, want string }{
		{"auth0|42", "/api/v2/users/auth0%7C42"},
		{"a/b", "/api/v2/users/a%2Fb"},
		{"x?y#z", "/api/v2/users/x%3Fy%23z"},
		{"email|me@example.com", "/api/v2/users/email%7Cme@example.com"},
		{"sp ace", "/api/v2/users/sp%20ace"},
	} {
		if _, err := m.Users.Get(context.Background(), tc.id, nil); err != nil {
			t.Fatalf("Get(%q): %v", tc.id, err)
		}
		if got != tc.want {
			t.Errorf("Get(%q): got path %q, want %q", tc.id, got, tc.want)
		}
	}
}

func TestRefusedPathParameters(t *testing.T) {
	var n atomic.Int32
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) { n.Add(1) })
	m := newTestManagement(t, srv, Config{})
	ctx := context.Background()
	if err := m.Users.Delete(ctx, ""); !errors.Is(err, ErrEmptyParameter) {
		t.Errorf("empty ID: got %v, want ErrEmptyParameter", err)
	}
	for _, id := range []string{".", "..", "../x", "../../clients"} {
		if err := m.Users.Delete(ctx, id); err == nil {
			t.Errorf("ID %q: got nil error, want a refused path", id)
		}
	}
	if _, err := m.Users.Create(ctx, nil); err == nil {
		t.Error("nil body: got nil error")
	}
	if got := n.Load(); got != 0 {
		t.Errorf("requests sent: got %d, want 0", got)
	}
}

func TestCustomDomainWhitelist(t *testing.T) {
	for _, tc := range []struct {
		path []string
		want bool
	}{
		{path("jobs", "verification-email"), true},
		{path("tickets", "email-verification"), true},
		{path("tickets", "password-change"), true},
		{path("organizations", "org_1", "invitations"), true},
		{path("users"), true},
		{path("users", "auth0|1"), true},
		{path("users", "a/b"), true}, // one escaped segment
		{path("guardian", "enrollments", "ticket"), true},
		{path("self-service-profiles", "ssp_1", "sso-ticket"), true},
		{path("organizations", "org_1", "invitations", "inv_1"), false},
		{path("organizations", "org_1"), false},
		{path("users", "auth0|1", "roles"), false},
		{path("users-by-email"), false},
		{path("jobs", "users-imports"), false},
		{path("tickets"), false},
		{path("self-service-profiles", "ssp_1", "sso-ticket", "t1", "revoke"), false},
		{path("clients"), false},
		{path("guardian", "enrollments", "dev_1"), false},
	} {
		if got := customDomainAllowed(tc.path); got != tc.want {
			t.Errorf("%v: got %v, want %v", tc.path, got, tc.want)
		}
	}
}

func TestCustomDomainHeader(t *testing.T) {
	var got []string
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		got = r.Header.Values("Auth0-Custom-Domain")
		io.WriteString(w, `{}`)
	})
	ctx := context.Background()
	m := newTestManagement(t, srv, Config{CustomDomain: "login.example.com"})
	check := func(name string, want ...string) {
		t.Helper()
		if len(got) != len(want) || len(want) == 1 && got[0] != want[0] {
			t.Errorf("%s: got Auth0-Custom-Domain %q, want %q", name, got, want)
		}
	}
	m.Users.Get(ctx, "auth0|1", nil)
	check("GET /users/{id}", "login.example.com")
	m.Users.List(ctx, nil)
	check("GET /users", "login.example.com")
	m.Users.Delete(ctx, "auth0|1")
	check("DELETE /users/{id}", "login.example.com")

	other, err := m.ForCustomDomain("brand.example.org")
	if err != nil {
		t.Fatal(err)
	}
	other.Users.Get(ctx, "auth0|1", nil)
	check("ForCustomDomain", "brand.example.org")
	m.Users.Get(ctx, "auth0|1", nil)
	check("original after ForCustomDomain", "login.example.com")

	none, err := m.ForCustomDomain("")
	if err != nil {
		t.Fatal(err)
	}
	none.Users.Get(ctx, "auth0|1", nil)
	check("ForCustomDomain(\"\")")

	plain := newTestManagement(t, srv, Config{})
	plain.Users.Get(ctx, "auth0|1", nil)
	check("no custom domain configured")

	if _, err := m.ForCustomDomain("a b"); err == nil {
		t.Error("ForCustomDomain(\"a b\"): got nil error")
	}
}

func TestRateLimit(t *testing.T) {
	var n atomic.Int32
	reset := time.Now().Add(time.Hour).Unix()
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		w.Header().Set("X-RateLimit-Limit", "50")
		w.Header().Set("X-RateLimit-Remaining", "0")
		w.Header().Set("X-RateLimit-Reset", strconv.FormatInt(reset, 10))
		w.WriteHeader(http.StatusTooManyRequests)
		io.WriteString(w, `{"statusCode":429,"error":"Too Many Requests","message":"Global limit has been reached","errorCode":"too_many_requests"}`)
	})
	// The reset is an hour away; the wait cap (20 ms) keeps the test fast
	// and the default 3 retries are all made.
	m := newTestManagement(t, srv, Config{})
	_, err := m.Users.Get(context.Background(), "auth0|1", nil)
	var rl *client.RateLimitError
	if !errors.As(err, &rl) {
		t.Fatalf("got %v, want a *client.RateLimitError", err)
	}
	if rl.ResetAt.Unix() != reset || rl.Limit != 50 || rl.Remaining != 0 {
		t.Errorf("got reset %v limit %d remaining %d, want %v 50 0", rl.ResetAt.Unix(), rl.Limit, rl.Remaining, reset)
	}
	if rl.Err.Code != "too_many_requests" {
		t.Errorf("code: got %q, want too_many_requests", rl.Err.Code)
	}
	if got := n.Load(); got != 1+3 { // the default MaxRetries
		t.Errorf("attempts: got %d, want %d", got, 1+3)
	}
}

func TestRateLimitThenSuccess(t *testing.T) {
	var n atomic.Int32
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1) == 1 {
			// Reset in the past: retry at once.
			w.Header().Set("X-RateLimit-Reset", strconv.FormatInt(time.Now().Add(-time.Second).Unix(), 10))
			w.WriteHeader(http.StatusTooManyRequests)
			return
		}
		io.WriteString(w, `{"user_id":"auth0|1"}`)
	})
	m := newTestManagement(t, srv, Config{})
	u, err := m.Users.Get(context.Background(), "auth0|1", nil)
	if err != nil || u.ID != "auth0|1" {
		t.Fatalf("got %v %v, want the user", u, err)
	}
	if got := n.Load(); got != 2 {
		t.Errorf("attempts: got %d, want 2", got)
	}
}

func TestRateLimitPOSTRetried(t *testing.T) {
	// A 429 means the request was not processed, so even a POST is retried
	// (Python 4.6.0, issue #513).
	var n atomic.Int32
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1) == 1 {
			w.Header().Set("Retry-After", "0")
			w.WriteHeader(http.StatusTooManyRequests)
			return
		}
		w.WriteHeader(http.StatusCreated)
		io.WriteString(w, `{"user_id":"auth0|2"}`)
	})
	m := newTestManagement(t, srv, Config{})
	if _, err := m.Users.Create(context.Background(), &User{Email: "a@example.com"}); err != nil {
		t.Fatal(err)
	}
	if got := n.Load(); got != 2 {
		t.Errorf("attempts: got %d, want 2", got)
	}
}
