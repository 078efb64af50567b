package logout_test

import (
	"bytes"
	"errors"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/tokengate/tokengate/authtest"
	"github.com/tokengate/tokengate/logout"
	"github.com/tokengate/tokengate/verifier"
)

// TestLogoutSessionOnly (BL16): by default a logout naming sub and sid
// refuses every token of the subject (Auth0 access tokens carry no sid);
// with SessionOnly only the tokens of that session are refused, and a
// sid-only logout never touches the subject's other sessions.
func TestLogoutSessionOnly(t *testing.T) {
	mint := func(t *testing.T, tn *authtest.Tenant, sid string) string {
		c := map[string]any{"sub": "auth0|alice", "aud": apiAud}
		if sid != "" {
			c["sid"] = sid
		}
		tok, err := tn.Mint(authtest.Token{Claims: c})
		if err != nil {
			t.Fatal(err)
		}
		return tok
	}
	tests := []struct {
		name        string
		sessionOnly bool
		logout      authtest.Logout
		// refused: of the tokens without sid, with sid s1, with sid s2
		noSid, s1, s2 bool
	}{
		{"BL16/default_sub_and_sid", false, authtest.Logout{Subject: "auth0|alice", SessionID: "s1"}, true, true, true},
		{"BL16/session_only_sub_and_sid", true, authtest.Logout{Subject: "auth0|alice", SessionID: "s1"}, false, true, false},
		{"BL16/sid_only", false, authtest.Logout{SessionID: "s1"}, false, true, false},
		{"BL16/session_only_sub_only", true, authtest.Logout{Subject: "auth0|alice"}, true, true, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, logout.Config{SessionOnly: tt.sessionOnly})
			toks := []string{mint(t, f.tenant, ""), mint(t, f.tenant, "s1"), mint(t, f.tenant, "s2")}
			f.clk.Add(time.Second)
			if err := f.tenant.BackChannelLogout(t.Context(), tt.logout); err != nil {
				t.Fatal(err)
			}
			for i, want := range []bool{tt.noSid, tt.s1, tt.s2} {
				_, err := f.api.Verify(t.Context(), toks[i])
				if got := errors.Is(err, verifier.ErrRevoked); got != want {
					t.Errorf("token %d: revoked %v (%v), want %v", i, got, err, want)
				}
			}
		})
	}
}

// TestLogoutLogsNoToken (BL12): the log records of refusals name the
// reason, never the token.
func TestLogoutLogsNoToken(t *testing.T) {
	var buf bytes.Buffer
	f := newFixture(t, logout.Config{})
	url := f.handler(t, logout.Config{Logger: slog.New(slog.NewTextHandler(&buf, nil))})
	wrongAud, err := f.tenant.LogoutToken("another-app", authtest.Logout{Subject: "auth0|alice"})
	if err != nil {
		t.Fatal(err)
	}
	good, err := f.tenant.LogoutToken(clientID, authtest.Logout{Subject: "auth0|alice"})
	if err != nil {
		t.Fatal(err)
	}
	for _, tok := range []string{wrongAud, good, good} {
		post(t, url, formType, form(tok))
	}
	out := buf.String()
	if !strings.Contains(out, "reason=invalid_token") || !strings.Contains(out, "reason=replay") {
		t.Fatalf("log: got %q, want the reasons invalid_token and replay", out)
	}
	for _, tok := range []string{wrongAud, good} {
		for _, part := range strings.Split(tok, ".") {
			if strings.Contains(out, part) {
				t.Fatalf("the log holds a part of a token: %q", out)
			}
		}
	}
}
