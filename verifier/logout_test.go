package verifier_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/tokengate/tokengate/verifier"
)

const backchannelEvent = "http://schemas.openid.net/event/backchannel-logout"

// logoutClaims returns a valid logout-token payload (OpenID Connect
// Back-Channel Logout 1.0 section 2.4) at testNow, with overrides.
func logoutClaims(over map[string]any) string {
	c := map[string]any{
		"iss":    testIss,
		"aud":    testAud,
		"iat":    testNow.Add(-time.Second).Unix(),
		"exp":    testNow.Add(2 * time.Minute).Unix(),
		"jti":    "bWJq",
		"sub":    "auth0|alice",
		"sid":    "08a5019c-17e1-4977-8f42-65a12843ea02",
		"events": map[string]any{backchannelEvent: map[string]any{}},
	}
	for k, v := range over {
		if v == nil {
			delete(c, k)
			continue
		}
		c[k] = v
	}
	return string(mustJSON(c))
}

func logoutHeader(typ string) string {
	h := map[string]string{"alg": "RS256", "kid": "k1"}
	if typ != "" {
		h["typ"] = typ
	}
	return string(mustJSON(h))
}

func newLogoutVerifier(t testing.TB) *verifier.Verifier {
	t.Helper()
	return newVerifier(t, verifier.Config{Kind: verifier.LogoutToken})
}

// TestLogoutTokenKind: the LogoutToken rules (BL1..BL8).
func TestLogoutTokenKind(t *testing.T) {
	v := newLogoutVerifier(t)
	tests := []struct {
		name    string
		typ     string
		payload string
		want    error // nil: accepted
	}{
		{"valid", "logout+jwt", logoutClaims(nil), nil},
		{"valid/no_typ", "", logoutClaims(nil), nil},
		{"valid/application_typ", "application/logout+jwt", logoutClaims(nil), nil},
		{"valid/sub_only", "logout+jwt", logoutClaims(map[string]any{"sid": nil}), nil},
		{"valid/sid_only", "logout+jwt", logoutClaims(map[string]any{"sub": nil}), nil},
		{"valid/other_events_too", "logout+jwt", logoutClaims(map[string]any{"events": map[string]any{
			"https://example.com/other": "x", backchannelEvent: map[string]any{"k": 1}}}), nil},
		{"BL1/typ_jwt", "JWT", logoutClaims(nil), verifier.ErrTokenType},
		{"BL1/typ_at_jwt", "at+jwt", logoutClaims(nil), verifier.ErrTokenType},
		{"BL2/no_iat", "logout+jwt", logoutClaims(map[string]any{"iat": nil}), verifier.ErrMissingClaim},
		{"BL2/no_jti", "logout+jwt", logoutClaims(map[string]any{"jti": nil}), verifier.ErrMissingClaim},
		{"BL2/empty_jti", "logout+jwt", logoutClaims(map[string]any{"jti": ""}), verifier.ErrMissingClaim},
		{"BL2/no_exp", "logout+jwt", logoutClaims(map[string]any{"exp": nil}), verifier.ErrExpired},
		{"BL2/expired", "logout+jwt", logoutClaims(map[string]any{"exp": testNow.Add(-time.Second).Unix()}), verifier.ErrExpired},
		{"BL2/wrong_aud", "logout+jwt", logoutClaims(map[string]any{"aud": "other"}), verifier.ErrAudience},
		{"BL2/wrong_iss", "logout+jwt", logoutClaims(map[string]any{"iss": "https://evil.example.com/"}), verifier.ErrIssuer},
		{"BL3/no_events", "logout+jwt", logoutClaims(map[string]any{"events": nil}), verifier.ErrMissingClaim},
		{"BL3/events_not_object", "logout+jwt", logoutClaims(map[string]any{"events": []string{backchannelEvent}}), verifier.ErrMalformed},
		{"BL3/events_string", "logout+jwt", logoutClaims(map[string]any{"events": backchannelEvent}), verifier.ErrMalformed},
		{"BL3/event_missing", "logout+jwt", logoutClaims(map[string]any{"events": map[string]any{"https://example.com/other": map[string]any{}}}), verifier.ErrMissingClaim},
		{"BL3/event_not_object", "logout+jwt", logoutClaims(map[string]any{"events": map[string]any{backchannelEvent: true}}), verifier.ErrMalformed},
		{"BL3/event_null", "logout+jwt", logoutClaims(map[string]any{"events": map[string]any{backchannelEvent: nil}}), verifier.ErrMalformed},
		{"BL3/event_other_case", "logout+jwt", logoutClaims(map[string]any{"events": map[string]any{strings.ToUpper(backchannelEvent): map[string]any{}}}), verifier.ErrMissingClaim},
		{"BL4/no_sub_no_sid", "logout+jwt", logoutClaims(map[string]any{"sub": nil, "sid": nil}), verifier.ErrMissingClaim},
		{"BL4/empty_sub_no_sid", "logout+jwt", logoutClaims(map[string]any{"sub": "", "sid": nil}), verifier.ErrMissingClaim},
		{"BL4/sid_not_string", "logout+jwt", logoutClaims(map[string]any{"sid": 42}), verifier.ErrMalformed},
		{"BL5/nonce", "logout+jwt", logoutClaims(map[string]any{"nonce": "n-0S6_WzA2Mj"}), verifier.ErrNonce},
		{"BL5/empty_nonce", "logout+jwt", logoutClaims(map[string]any{"nonce": ""}), verifier.ErrNonce},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tok := sign(t, "RS256", rsaKey, logoutHeader(tt.typ), tt.payload)
			c, err := v.Verify(t.Context(), tok)
			if tt.want == nil {
				if err != nil {
					t.Fatalf("got %v, want the logout token accepted", err)
				}
				return
			}
			if !errors.Is(err, tt.want) || c != nil {
				t.Fatalf("got (%v, %v), want %v", c != nil, err, tt.want)
			}
		})
	}
}

// TestLogoutTokenNotOtherKinds (BL1): an ID token or access token is not a
// logout token, and a logout token is neither (RFC 8725 section 3.12).
func TestLogoutTokenNotOtherKinds(t *testing.T) {
	lv := newLogoutVerifier(t)
	idv := newVerifier(t, verifier.Config{Kind: verifier.IDToken})
	av := newVerifier(t, verifier.Config{})
	logout := sign(t, "RS256", rsaKey, logoutHeader("logout+jwt"), logoutClaims(nil))
	idTok := sign(t, "RS256", rsaKey, hdr("RS256", "k1"), claims(map[string]any{"aud": testAud, "nonce": "n"}))
	tests := []struct {
		name string
		v    *verifier.Verifier
		tok  string
	}{
		{"BL1/logout_as_id_token", idv, logout},
		{"BL1/logout_as_access_token", av, logout},
		{"BL1/id_token_as_logout", lv, idTok},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if c, err := tt.v.Verify(t.Context(), tt.tok); err == nil {
				t.Fatalf("got claims of %q, want a refusal", c.Subject)
			}
		})
	}
}

// TestLogoutTokenConfig (BL6): a logout-token verifier keeps no verified-
// token cache and takes no revocation set.
func TestLogoutTokenConfig(t *testing.T) {
	set, err := verifier.NewMemoryRevocationSet(verifier.MemoryRevocationConfig{})
	if err != nil {
		t.Fatal(err)
	}
	loadKeys()
	_, err = verifier.New(verifier.Config{Issuer: testIss, Audience: []string{testAud}, Kind: verifier.LogoutToken,
		Keys: mustSet(t, mustKey(t, "k1", "RS256", &rsaKey.PublicKey)), Revocations: set})
	if err == nil {
		t.Fatal("New: got a logout-token verifier with a revocation set, want an error")
	}
	if _, err := verifier.New(verifier.Config{Issuer: testIss, Audience: []string{testAud}, Kind: verifier.LogoutToken + 1,
		Keys: mustSet(t, mustKey(t, "k1", "RS256", &rsaKey.PublicKey))}); err == nil {
		t.Fatal("New: got a verifier of an unknown Kind, want an error")
	}
	v := newLogoutVerifier(t)
	tok := sign(t, "RS256", rsaKey, logoutHeader("logout+jwt"), logoutClaims(nil))
	for range 2 {
		if _, err := v.Verify(t.Context(), tok); err != nil {
			t.Fatal(err)
		}
	}
	if st := v.Stats(); st.CacheEntries != 0 {
		t.Errorf("cache entries: got %d, want 0 (no cache for logout tokens)", st.CacheEntries)
	}
}

// FuzzLogoutClaims: whatever the payload, a logout token is accepted only
// when it has every claim section 2.4 requires, and never a nonce.
func FuzzLogoutClaims(f *testing.F) {
	f.Add(logoutClaims(nil))
	f.Add(logoutClaims(map[string]any{"nonce": "x"}))
	f.Add(logoutClaims(map[string]any{"events": map[string]any{backchannelEvent: "x"}}))
	f.Add(`{"iss":"https://idp.example.com/","aud":"api","iat":1799999999,"exp":1800000100,"jti":"a","sid":"s","events":{"http://schemas.openid.net/event/backchannel-logout":{},"http://schemas.openid.net/event/backchannel-logout":1}}`)
	f.Add(`{"events":{"http://schemas.openid.net/event/backchannel-logout":{"a":{"b":[[[[]]]]}}}}`)
	loadKeys()
	v, err := verifier.New(verifier.Config{Issuer: testIss, Audience: []string{testAud}, Kind: verifier.LogoutToken,
		Keys: mustSet(f, mustKey(f, "k1", "RS256", &rsaKey.PublicKey)), Now: func() time.Time { return testNow }})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, payload string) {
		tok := sign(t, "RS256", rsaKey, logoutHeader("logout+jwt"), payload)
		c, err := v.Verify(t.Context(), tok)
		if err != nil {
			if c != nil {
				t.Fatal("claims returned with an error")
			}
			return
		}
		if c.ID == "" || c.IssuedAt.IsZero() || c.ExpiresAt.IsZero() {
			t.Fatalf("accepted without jti, iat or exp: %s", payload)
		}
		if _, ok := c.Lookup("nonce"); ok {
			t.Fatalf("accepted with a nonce: %s", payload)
		}
		ev, ok := c.Lookup("events")
		if !ok || !strings.Contains(string(ev), "backchannel-logout") {
			t.Fatalf("accepted without the back-channel-logout event: %s", payload)
		}
		_, hasSid := c.Lookup("sid")
		if c.Subject == "" && !hasSid {
			t.Fatalf("accepted without sub or sid: %s", payload)
		}
	})
}
