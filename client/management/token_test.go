package management

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tokengate/tokengate/client"
	"github.com/tokengate/tokengate/client/authentication"
)

// authServer answers 200 {} and records the Authorization of each request;
// reject decides which tokens get a 401.
func authServer(t *testing.T, reject func(tok string) bool) (*Management, *fakeFetcher, *fakeClock, func() []string) {
	t.Helper()
	var mu sync.Mutex
	var seen []string
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		auth := r.Header.Get("Authorization")
		mu.Lock()
		seen = append(seen, auth)
		mu.Unlock()
		if tok, ok := strings.CutPrefix(auth, "Bearer "); !ok || reject != nil && reject(tok) {
			w.WriteHeader(http.StatusUnauthorized)
			io.WriteString(w, `{"statusCode":401,"error":"Unauthorized","message":"Expired token received for JSON Web Token validation"}`)
			return
		}
		io.WriteString(w, `{"user_id":"auth0|1"}`)
	})
	f := &fakeFetcher{lifetime: time.Hour}
	clock := &fakeClock{now: time.Unix(1_700_000_000, 0)}
	m, err := newWithFetcher(srv.URL, f, Config{HTTP: client.Config{Now: clock.Now, MaxRetries: client.NoRetries}})
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return m, f, clock, func() []string {
		mu.Lock()
		defer mu.Unlock()
		return append([]string(nil), seen...)
	}
}

func TestTokenCacheUntilShortlyBeforeExpiry(t *testing.T) {
	m, f, clock, seen := authServer(t, nil)
	ctx := context.Background()
	get := func() {
		t.Helper()
		if _, err := m.Users.Get(ctx, "auth0|1", nil); err != nil {
			t.Fatalf("Get: %v", err)
		}
	}
	get()
	get()
	clock.Add(58 * time.Minute) // a 1 h token is kept until 1 min before expiry
	get()
	if got := f.calls.Load(); got != 1 {
		t.Fatalf("token requests after 3 calls within the lifetime: got %d, want 1", got)
	}
	clock.Add(time.Minute + time.Second)
	get()
	if got := f.calls.Load(); got != 2 {
		t.Fatalf("token requests after the refresh point: got %d, want 2", got)
	}
	want := []string{"Bearer cc-token-1", "Bearer cc-token-1", "Bearer cc-token-1", "Bearer cc-token-2"}
	if got := seen(); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("Authorization headers: got %v, want %v", got, want)
	}
	if got, want := f.audiences[0], m.rest.BaseURL()+"/api/v2/"; got != want {
		t.Errorf("audience: got %q, want %q", got, want)
	}
}

func TestTokenShortLifetimeMargin(t *testing.T) {
	m, f, clock, _ := authServer(t, nil)
	f.lifetime = 30 * time.Second // margin: a tenth, 3 s
	ctx := context.Background()
	m.Users.Get(ctx, "a", nil)
	clock.Add(26 * time.Second)
	m.Users.Get(ctx, "a", nil)
	if got := f.calls.Load(); got != 1 {
		t.Fatalf("token requests at 26 s of 30: got %d, want 1", got)
	}
	clock.Add(2 * time.Second)
	m.Users.Get(ctx, "a", nil)
	if got := f.calls.Load(); got != 2 {
		t.Fatalf("token requests at 28 s of 30: got %d, want 2", got)
	}
}

func TestTokenWithoutLifetimeIsNotCached(t *testing.T) {
	m, f, _, _ := authServer(t, nil)
	f.lifetime = 0
	for range 3 {
		if _, err := m.Users.Get(context.Background(), "a", nil); err != nil {
			t.Fatalf("Get: %v", err)
		}
	}
	if got := f.calls.Load(); got != 3 {
		t.Errorf("token requests: got %d, want 3 (no expires_in: never cached)", got)
	}
}

func TestToken401RetriesOnceWithANewToken(t *testing.T) {
	t.Run("revoked token", func(t *testing.T) {
		m, f, _, seen := authServer(t, func(tok string) bool { return tok == "cc-token-1" })
		if _, err := m.Users.Get(context.Background(), "a", nil); err != nil {
			t.Fatalf("Get: %v", err)
		}
		if got := f.calls.Load(); got != 2 {
			t.Errorf("token requests: got %d, want 2", got)
		}
		want := []string{"Bearer cc-token-1", "Bearer cc-token-2"}
		if got := seen(); fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("requests: got %v, want %v", got, want)
		}
		// The new token is cached.
		m.Users.Get(context.Background(), "a", nil)
		if got := f.calls.Load(); got != 2 {
			t.Errorf("token requests after success: got %d, want 2", got)
		}
	})
	t.Run("always 401", func(t *testing.T) {
		m, f, _, seen := authServer(t, func(string) bool { return true })
		_, err := m.Users.Get(context.Background(), "a", nil)
		var apiErr *client.Error
		if !errors.As(err, &apiErr) || apiErr.StatusCode != 401 {
			t.Fatalf("got %v, want a 401 *client.Error", err)
		}
		if got := len(seen()); got != 2 {
			t.Errorf("API requests: got %d, want 2 (one retry)", got)
		}
		if strings.Contains(err.Error(), "cc-token") {
			t.Errorf("error %q shows the token", err)
		}
		if got := f.calls.Load(); got != 2 {
			t.Errorf("token requests: got %d, want 2", got)
		}
	})
	t.Run("static token is not retried", func(t *testing.T) {
		var n atomic.Int32
		srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
			n.Add(1)
			w.WriteHeader(http.StatusUnauthorized)
		})
		m := newTestManagement(t, srv, Config{})
		_, err := m.Users.Get(context.Background(), "a", nil)
		var apiErr *client.Error
		if !errors.As(err, &apiErr) || apiErr.StatusCode != 401 {
			t.Fatalf("got %v, want a 401 *client.Error", err)
		}
		if got := n.Load(); got != 1 {
			t.Errorf("requests: got %d, want 1", got)
		}
	})
}

func TestTokenConcurrentFirstUseFetchesOnce(t *testing.T) {
	m, f, _, seen := authServer(t, nil)
	f.delay = 50 * time.Millisecond
	const n = 32
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for range n {
		wg.Go(func() {
			_, err := m.Users.Get(context.Background(), "a", nil)
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatalf("Get: %v", err)
		}
	}
	if got := f.calls.Load(); got != 1 {
		t.Errorf("token requests: got %d, want 1", got)
	}
	if got := len(seen()); got != n {
		t.Errorf("API requests: got %d, want %d", got, n)
	}
}

func TestTokenFailureSendsNoRequest(t *testing.T) {
	t.Run("fetch error", func(t *testing.T) {
		m, f, _, seen := authServer(t, nil)
		tokenErr := &client.Error{StatusCode: 403, Code: "access_denied", Message: "Unauthorized"}
		f.err = tokenErr
		_, err := m.Users.Get(context.Background(), "a", nil)
		if !errors.Is(err, ErrToken) {
			t.Errorf("got %v, want ErrToken", err)
		}
		var apiErr *client.Error
		if !errors.As(err, &apiErr) || apiErr != tokenErr {
			t.Errorf("got %v, want the token endpoint's *client.Error inside", err)
		}
		if got := seen(); len(got) != 0 {
			t.Errorf("API requests: got %v, want none", got)
		}
		// The failure is not cached: the next call tries again.
		f.mu.Lock()
		f.err = nil
		f.mu.Unlock()
		if _, err := m.Users.Get(context.Background(), "a", nil); err != nil {
			t.Fatalf("Get after recovery: %v", err)
		}
		if got := seen(); len(got) != 1 || got[0] != "Bearer cc-token-2" {
			t.Errorf("requests after recovery: got %v, want [Bearer cc-token-2]", got)
		}
	})
	t.Run("caller gives up while the fetch is slow", func(t *testing.T) {
		m, f, _, seen := authServer(t, nil)
		f.delay = time.Second
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
		defer cancel()
		_, err := m.Users.Get(ctx, "a", nil)
		if !errors.Is(err, ErrToken) || !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("got %v, want ErrToken and context.DeadlineExceeded", err)
		}
		if got := seen(); len(got) != 0 {
			t.Errorf("API requests: got %v, want none", got)
		}
	})
	t.Run("empty token", func(t *testing.T) {
		srv := newServer(t, func(w http.ResponseWriter, r *http.Request) { t.Error("request sent") })
		m, err := newWithFetcher(srv.URL, emptyFetcher{}, Config{})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := m.Users.Get(context.Background(), "a", nil); !errors.Is(err, ErrToken) {
			t.Errorf("got %v, want ErrToken", err)
		}
	})
}

type emptyFetcher struct{}

func (emptyFetcher) clientCredentials(context.Context, string) (string, time.Duration, error) {
	return "", time.Hour, nil
}

func TestNewConfig(t *testing.T) {
	key := "secret-value-123"
	rsaKey, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	auth, err := authentication.New("tenant.auth0.com", authentication.Config{ClientID: "id", ClientSecret: key})
	if err != nil {
		t.Fatal(err)
	}
	for name, tc := range map[string]struct {
		cfg     Config
		wantErr bool
	}{
		"none":                                  {Config{}, true},
		"static":                                {Config{Token: "t"}, false},
		"secret":                                {Config{ClientID: "id", ClientSecret: key}, false},
		"assertion":                             {Config{ClientID: "id", ClientAssertionKey: rsaKey}, false},
		"authentication client":                 {Config{Authentication: auth}, false},
		"static and credentials":                {Config{Token: "t", ClientID: "id", ClientSecret: key}, true},
		"static and authentication client":      {Config{Token: "t", Authentication: auth}, true},
		"credentials and authentication":        {Config{ClientID: "id", ClientSecret: key, Authentication: auth}, true},
		"client ID only":                        {Config{ClientID: "id"}, true},
		"secret without client ID":              {Config{ClientSecret: key}, true},
		"algorithm without key":                 {Config{ClientID: "id", ClientSecret: key, ClientAssertionAlg: "RS256"}, true},
		"typed nil assertion key":               {Config{ClientID: "id", ClientAssertionKey: (*rsa.PrivateKey)(nil)}, true},
		"audience with a static token":          {Config{Token: "t", Audience: "https://api/"}, true},
		"audience with client credentials":      {Config{ClientID: "id", ClientSecret: key, Audience: "https://api/"}, false},
		"custom domain with URL":                {Config{Token: "t", CustomDomain: "https://login.example.com"}, true},
		"custom domain":                         {Config{Token: "t", CustomDomain: "login.example.com"}, false},
		"bad HTTP config":                       {Config{Token: "t", HTTP: client.Config{MaxRetries: 99}}, true},
		"bad HTTP config of client credentials": {Config{ClientID: "id", ClientSecret: key, HTTP: client.Config{Timeout: -1}}, true},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := New("tenant.auth0.com", tc.cfg)
			if (err != nil) != tc.wantErr {
				t.Fatalf("got err %v, want error %v", err, tc.wantErr)
			}
			if err != nil && strings.Contains(err.Error(), key) {
				t.Errorf("error %q shows the secret", err)
			}
		})
	}
	if _, err := New("tenant.auth0.com", Config{}); !errors.Is(err, ErrNoCredentials) {
		t.Errorf("no credentials: got %v, want ErrNoCredentials", err)
	}
	if _, err := New("http://tenant.auth0.com", Config{Token: "t"}); err == nil {
		t.Error("plain http to a remote host: got nil error")
	}
}

func TestWithAudience(t *testing.T) {
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, `{}`) })
	f := &fakeFetcher{lifetime: time.Hour}
	m, err := newWithFetcher(srv.URL, f, Config{Audience: "https://tenant.auth0.com/api/v2/"})
	if err != nil {
		t.Fatal(err)
	}
	m.Users.Get(context.Background(), "a", nil)
	if len(f.audiences) != 1 || f.audiences[0] != "https://tenant.auth0.com/api/v2/" {
		t.Errorf("audiences: got %v, want [https://tenant.auth0.com/api/v2/]", f.audiences)
	}
}

func TestStringHidesToken(t *testing.T) {
	m, err := New("tenant.auth0.com", Config{Token: "eyJhbGciOiJSUzI1NiJ9.secret", CustomDomain: "login.example.com"})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{m.String(), fmt.Sprintf("%v", m), fmt.Sprintf("%#v", m), fmt.Sprintf("%+v", m)} {
		if strings.Contains(s, "secret") || strings.Contains(s, "eyJ") {
			t.Errorf("got %q, want no token", s)
		}
	}
	if got, want := m.String(), "management.Management{https://tenant.auth0.com token=static custom_domain=login.example.com}"; got != want {
		t.Errorf("String: got %q, want %q", got, want)
	}
}

// TestConfigStringHidesCredentials: printing or logging a Config (with
// fmt's verbs or log/slog) never shows its token or secret.
func TestConfigStringHidesCredentials(t *testing.T) {
	const secret = "s3cr3t-credential-value"
	for name, cfg := range map[string]Config{
		"static":      {Token: secret, CustomDomain: "login.example.com"},
		"credentials": {ClientID: "app", ClientSecret: secret},
	} {
		t.Run(name, func(t *testing.T) {
			var logs strings.Builder
			slog.New(slog.NewJSONHandler(&logs, nil)).Info("config", "cfg", cfg)
			slog.New(slog.NewTextHandler(&logs, nil)).Info("config", "cfg", cfg)
			out := fmt.Sprintf("%v %+v %#v %s", cfg, cfg, cfg, cfg) + logs.String()
			if strings.Contains(out, secret) {
				t.Errorf("the credential shows in %s", out)
			}
			if !strings.Contains(out, "token="+cfg.tokenKind()) {
				t.Errorf("the token source does not show in %s", out)
			}
		})
	}
}
