package logout_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/tokengate/tokengate/authtest"
	"github.com/tokengate/tokengate/dpop"
	"github.com/tokengate/tokengate/logout"
	"github.com/tokengate/tokengate/verifier"
)

const formType = "application/x-www-form-urlencoded"

// TestLoginLogoutRefused (BL7): login, the access token passes; the tenant
// sends a back-channel logout; the same token is refused (ErrRevoked), the
// other user's is not, and a login after the logout passes again.
func TestLoginLogoutRefused(t *testing.T) {
	f := newFixture(t, logout.Config{})
	ctx := t.Context()
	alice := f.login(t, "alice@example.com", "pw-alice")
	bob := f.login(t, "bob@example.com", "pw-bob")
	if _, err := f.api.Verify(ctx, alice); err != nil {
		t.Fatalf("before logout: %v", err)
	}
	f.clk.Add(time.Second)
	if err := f.tenant.BackChannelLogout(ctx, authtest.Logout{Subject: "auth0|alice", SessionID: "sid-1"}); err != nil {
		t.Fatalf("BackChannelLogout: %v", err)
	}
	if _, err := f.api.Verify(ctx, alice); !errors.Is(err, verifier.ErrRevoked) {
		t.Fatalf("alice after logout: got %v, want ErrRevoked", err)
	}
	if _, err := f.api.Verify(ctx, bob); err != nil {
		t.Fatalf("bob after alice's logout: got %v, want accepted", err)
	}
	if got := strings.Join(f.calls, ","); got != "auth0|alice|sid-1" {
		t.Errorf("OnLogout calls: got %q, want %q", got, "auth0|alice|sid-1")
	}
	f.clk.Add(time.Second)
	again := f.login(t, "alice@example.com", "pw-alice")
	if _, err := f.api.Verify(ctx, again); err != nil {
		t.Fatalf("alice's new login: got %v, want accepted", err)
	}
}

// TestLogoutSameSecond (BL8): a token issued in the logout's own second is
// refused (Before is iat rounded up).
func TestLogoutSameSecond(t *testing.T) {
	f := newFixture(t, logout.Config{})
	f.clk.Add(300 * time.Millisecond)
	alice := f.login(t, "alice@example.com", "pw-alice")
	if err := f.tenant.BackChannelLogout(t.Context(), authtest.Logout{Subject: "auth0|alice"}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.api.Verify(t.Context(), alice); !errors.Is(err, verifier.ErrRevoked) {
		t.Fatalf("got %v, want ErrRevoked", err)
	}
}

// TestLogoutReplay (BL9): the same logout token delivered twice is refused
// the second time, and OnLogout ran once.
func TestLogoutReplay(t *testing.T) {
	f := newFixture(t, logout.Config{})
	tok, err := f.tenant.LogoutToken(clientID, authtest.Logout{Subject: "auth0|alice"})
	if err != nil {
		t.Fatal(err)
	}
	st, hdr, body := post(t, f.srv.URL, formType, form(tok))
	if st != http.StatusOK || body != nil || hdr.Get("Cache-Control") != "no-store" {
		t.Fatalf("first: got %d %v %q, want 200, empty, no-store", st, body, hdr.Get("Cache-Control"))
	}
	st, hdr, body = post(t, f.srv.URL, formType, form(tok))
	if st != http.StatusBadRequest || body["error"] != "invalid_request" || body["error_description"] != "the logout token was already used" || hdr.Get("Cache-Control") != "no-store" {
		t.Fatalf("replay: got %d %v %q, want 400 already used, no-store", st, body, hdr.Get("Cache-Control"))
	}
	if len(f.calls) != 1 {
		t.Errorf("OnLogout calls: got %d, want 1", len(f.calls))
	}
}

// failingStore is a ReplayStore that answers err.
type failingStore struct{ err error }

func (s failingStore) Add(context.Context, string, time.Time) error { return s.err }

// failingSet is a RevocationSet whose Revoke fails or panics.
type failingSet struct{ panics bool }

func (failingSet) RevokedBefore(context.Context, string, string, string) (time.Time, error) {
	return time.Time{}, nil
}
func (s failingSet) Revoke(context.Context, verifier.Revocation) error {
	if s.panics {
		panic("boom")
	}
	return errors.New("redis: connection refused")
}

// downKeys is a key source that cannot answer.
type downKeys struct{}

func (downKeys) Key(context.Context, string, string) (*verifier.Key, error) {
	return nil, verifier.ErrKeysUnavailable
}

// TestLogoutRefusals: every refusal of the handler, with its status and
// error code, Cache-Control: no-store on each (BL10..BL14).
func TestLogoutRefusals(t *testing.T) {
	base := newFixture(t, logout.Config{})
	tn := base.tenant
	valid := func() string {
		tok, err := tn.LogoutToken(clientID, authtest.Logout{Subject: "auth0|alice", SessionID: "s1"})
		if err != nil {
			t.Fatal(err)
		}
		return tok
	}
	mint := func(claims map[string]any, header map[string]any) string {
		c := map[string]any{"aud": clientID, "jti": "j-" + time.Now().String(), "sub": "auth0|alice",
			"events": map[string]any{authtest.BackChannelLogoutEvent: map[string]any{}}}
		for k, v := range claims {
			c[k] = v
		}
		h := map[string]any{"typ": "logout+jwt"}
		for k, v := range header {
			h[k] = v
		}
		tok, err := tn.Mint(authtest.Token{Claims: c, Header: h, ExpiresIn: 2 * time.Minute})
		if err != nil {
			t.Fatal(err)
		}
		return tok
	}
	keysDown, err := verifier.New(verifier.Config{Issuer: tn.Issuer(), Audience: []string{clientID}, Keys: downKeys{},
		Kind: verifier.LogoutToken, Now: base.clk.Func()})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		cfg    logout.Config // handler configuration; zero: base's
		method string
		query  string
		ctype  []string
		body   string
		status int
		code   string
	}{
		{name: "BL10/method_get", method: http.MethodGet, status: http.StatusMethodNotAllowed, code: "invalid_request"},
		{name: "BL10/method_put", method: http.MethodPut, ctype: []string{formType}, body: form(valid()), status: http.StatusMethodNotAllowed, code: "invalid_request"},
		{name: "BL10/no_content_type", body: form(valid()), status: 400, code: "invalid_request"},
		{name: "BL10/json", ctype: []string{"application/json"}, body: `{"logout_token":"x"}`, status: 400, code: "invalid_request"},
		{name: "BL10/multipart", ctype: []string{"multipart/form-data; boundary=x"}, body: form(valid()), status: 400, code: "invalid_request"},
		{name: "BL10/two_content_types", ctype: []string{formType, formType}, body: form(valid()), status: 400, code: "invalid_request"},
		{name: "BL10/bad_media_type", ctype: []string{"application/x-www-form-urlencoded; ===="}, body: form(valid()), status: 400, code: "invalid_request"},
		{name: "BL11/body_too_large", body: form(valid()) + "&pad=" + strings.Repeat("a", logout.DefaultMaxBodySize), status: 400, code: "invalid_request"},
		{name: "BL11/no_token", body: "foo=bar", status: 400, code: "invalid_request"},
		{name: "BL11/empty_token", body: "logout_token=", status: 400, code: "invalid_request"},
		{name: "BL11/two_tokens", body: form(valid()) + "&" + form(valid()), status: 400, code: "invalid_request"},
		{name: "BL11/token_in_query", query: "?" + form(valid()), body: form(valid()), status: 400, code: "invalid_request"},
		{name: "BL11/bad_form_escape", body: "logout_token=%zz", status: 400, code: "invalid_request"},
		{name: "BL12/garbage", body: form("not.a.token"), status: 400, code: "invalid_request"},
		{name: "BL12/access_token", body: form(tn.AccessToken("auth0|alice", clientID)), status: 400, code: "invalid_request"},
		{name: "BL12/wrong_audience", body: form(mint(map[string]any{"aud": "other-app"}, nil)), status: 400, code: "invalid_request"},
		{name: "BL12/nonce", body: form(mint(map[string]any{"nonce": "n"}, nil)), status: 400, code: "invalid_request"},
		{name: "BL12/typ_jwt", body: form(mint(nil, map[string]any{"typ": "JWT"})), status: 400, code: "invalid_request"},
		{name: "BL12/no_events", body: form(mint(map[string]any{"events": nil}, nil)), status: 400, code: "invalid_request"},
		{name: "BL12/lifetime_too_long", body: form(mint(map[string]any{"exp": base.clk.Now().Add(2 * time.Hour).Unix()}, nil)), status: 400, code: "invalid_request"},
		{name: "BL13/keys_unavailable", cfg: logout.Config{Verifier: keysDown}, body: form(valid()), status: 503, code: "temporarily_unavailable"},
		{name: "BL13/store_full", cfg: logout.Config{Replay: failingStore{dpop.ErrStoreFull}}, body: form(valid()), status: 503, code: "temporarily_unavailable"},
		{name: "BL13/store_down", cfg: logout.Config{Replay: failingStore{errors.New("redis: timeout")}}, body: form(valid()), status: 503, code: "temporarily_unavailable"},
		{name: "BL13/revocation_set_down", cfg: logout.Config{Revocations: failingSet{}}, body: form(valid()), status: 503, code: "temporarily_unavailable"},
		{name: "BL13/revocation_set_panics", cfg: logout.Config{Revocations: failingSet{panics: true}}, body: form(valid()), status: 503, code: "temporarily_unavailable"},
		{name: "BL14/on_logout_fails", cfg: logout.Config{OnLogout: func(context.Context, string, string) error { return errors.New("db down") }}, body: form(valid()), status: 500, code: "server_error"},
		{name: "BL14/on_logout_panics", cfg: logout.Config{OnLogout: func(context.Context, string, string) error { panic("boom") }}, body: form(valid()), status: 500, code: "server_error"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			url := base.srv.URL
			if tt.cfg.Verifier != nil || tt.cfg.Replay != nil || tt.cfg.Revocations != nil || tt.cfg.OnLogout != nil {
				url = base.handler(t, tt.cfg)
			}
			method := tt.method
			if method == "" {
				method = http.MethodPost
			}
			req, err := http.NewRequest(method, url+tt.query, strings.NewReader(tt.body))
			if err != nil {
				t.Fatal(err)
			}
			ct := tt.ctype
			if ct == nil && tt.name != "BL10/no_content_type" {
				ct = []string{formType}
			}
			for _, v := range ct {
				req.Header.Add("Content-Type", v)
			}
			st, hdr, body := do(t, req)
			if st != tt.status || body["error"] != tt.code {
				t.Fatalf("got %d %v, want %d %s", st, body, tt.status, tt.code)
			}
			if hdr.Get("Cache-Control") != "no-store" {
				t.Errorf("Cache-Control: got %q, want no-store", hdr.Get("Cache-Control"))
			}
			if st == 503 && hdr.Get("Retry-After") == "" {
				t.Error("503 without Retry-After")
			}
			if strings.Contains(body["error_description"], "eyJ") {
				t.Errorf("the description echoes a token: %q", body["error_description"])
			}
		})
	}
	if len(base.calls) != 0 {
		t.Errorf("OnLogout ran %d times for refused requests, want 0", len(base.calls))
	}
}

// TestNewRefusesConfig (BL15): New refuses a missing verifier, a verifier
// of another kind and negative bounds.
func TestNewRefusesConfig(t *testing.T) {
	f := newFixture(t, logout.Config{})
	access, err := verifier.New(verifier.Config{Issuer: f.tenant.Issuer(), Audience: []string{clientID}, Keys: f.tenant})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		cfg  logout.Config
	}{
		{"BL15/no_verifier", logout.Config{}},
		{"BL15/access_token_verifier", logout.Config{Verifier: access}},
		{"BL15/negative_body", logout.Config{Verifier: f.lv, MaxBodySize: -1}},
		{"BL15/negative_lifetime", logout.Config{Verifier: f.lv, MaxLifetime: -1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := logout.New(tt.cfg); !errors.Is(err, logout.ErrConfig) {
				t.Fatalf("got %v, want ErrConfig", err)
			}
		})
	}
}
