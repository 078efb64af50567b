package logout_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tokengate/tokengate/authtest"
	"github.com/tokengate/tokengate/logout"
	"github.com/tokengate/tokengate/verifier"
)

const (
	clientID = "app"
	apiAud   = "https://api.example.com"
)

// clock is a settable clock shared by the tenant, the verifiers and the
// handler.
type clock struct{ ns atomic.Int64 }

func newClock() *clock {
	c := &clock{}
	c.ns.Store(time.Unix(1_800_000_000, 0).UnixNano())
	return c
}
func (c *clock) Now() time.Time         { return time.Unix(0, c.ns.Load()) }
func (c *clock) Add(d time.Duration)    { c.ns.Add(int64(d)) }
func (c *clock) Func() func() time.Time { return c.Now }

// fixture is a tenant whose client "app" has its back-channel logout URI
// on srv, where the logout handler is mounted, and an API verifier sharing
// the handler's revocation set.
type fixture struct {
	tenant *authtest.Tenant
	clk    *clock
	set    *verifier.MemoryRevocationSet
	api    *verifier.Verifier
	lv     *verifier.Verifier
	srv    *httptest.Server

	mu     sync.Mutex
	calls  []string // "sub|sid" of OnLogout calls
	onFail error
}

func newFixture(t *testing.T, cfg logout.Config) *fixture {
	t.Helper()
	f := &fixture{clk: newClock()}
	var h atomic.Pointer[http.Handler]
	f.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { (*h.Load()).ServeHTTP(w, r) }))
	t.Cleanup(f.srv.Close)
	tn, err := authtest.NewTenant(authtest.Config{
		Clients: []authtest.Client{{ID: clientID, GrantTypes: []string{authtest.GrantPassword},
			BackChannelLogoutURI: f.srv.URL + "/logout"}},
		Users: []authtest.User{{ID: "alice", Email: "alice@example.com", Password: "pw-alice"},
			{ID: "bob", Email: "bob@example.com", Password: "pw-bob"}},
		APIs: []string{apiAud},
		Now:  f.clk.Func(),
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(tn.Close)
	f.tenant = tn
	if f.set, err = verifier.NewMemoryRevocationSet(verifier.MemoryRevocationConfig{Now: f.clk.Func()}); err != nil {
		t.Fatal(err)
	}
	if f.api, err = verifier.New(verifier.Config{Issuer: tn.Issuer(), Audience: []string{apiAud}, Keys: tn,
		Revocations: f.set, Now: f.clk.Func()}); err != nil {
		t.Fatal(err)
	}
	if cfg.Verifier == nil {
		if f.lv, err = verifier.New(verifier.Config{Issuer: tn.Issuer(), Audience: []string{clientID}, Keys: tn,
			Kind: verifier.LogoutToken, Now: f.clk.Func()}); err != nil {
			t.Fatal(err)
		}
		cfg.Verifier = f.lv
	}
	if cfg.Revocations == nil {
		cfg.Revocations = f.set
	}
	if cfg.Now == nil {
		cfg.Now = f.clk.Func()
	}
	if cfg.OnLogout == nil {
		cfg.OnLogout = func(_ context.Context, sub, sid string) error {
			f.mu.Lock()
			defer f.mu.Unlock()
			f.calls = append(f.calls, sub+"|"+sid)
			return f.onFail
		}
	}
	lh, err := logout.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	var hh http.Handler = lh
	h.Store(&hh)
	return f
}

// login runs the password grant and returns the access token for apiAud.
func (f *fixture) login(t *testing.T, email, password string) string {
	t.Helper()
	form := url.Values{"grant_type": {authtest.GrantPassword}, "client_id": {clientID}, "username": {email},
		"password": {password}, "audience": {apiAud}}
	resp, err := f.tenant.Client().PostForm(f.tenant.URL+"/oauth/token", form)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body struct {
		AccessToken string `json:"access_token"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("login: status %d, %v", resp.StatusCode, err)
	}
	return body.AccessToken
}

// post sends a logout request and returns the status, headers and the
// decoded error body (nil for an empty body).
func post(t *testing.T, url, contentType, body string) (int, http.Header, map[string]string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	return do(t, req)
}

func do(t *testing.T, req *http.Request) (int, http.Header, map[string]string) {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]string
	if len(b) > 0 {
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatalf("body %q is not a JSON object of strings: %v", b, err)
		}
	}
	return resp.StatusCode, resp.Header, m
}

func form(tok string) string { return url.Values{"logout_token": {tok}}.Encode() }

// handler serves a handler configured by cfg, completed with f's verifier,
// revocation set and clock, and returns its URL.
func (f *fixture) handler(t *testing.T, cfg logout.Config) string {
	t.Helper()
	if cfg.Verifier == nil {
		cfg.Verifier = f.lv
	}
	if cfg.Revocations == nil {
		cfg.Revocations = f.set
	}
	cfg.Now = f.clk.Func()
	h, err := logout.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv.URL
}
