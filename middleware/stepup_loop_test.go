package middleware_test

import (
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/tokengate/tokengate/authtest"
	"github.com/tokengate/tokengate/middleware"
	"github.com/tokengate/tokengate/verifier"
)

var (
	acrValuesRE = regexp.MustCompile(`acr_values="([^"]*)"`)
	maxAgeRE    = regexp.MustCompile(`max_age=([0-9]+)(?:,|$)`)
)

// TestSU6StepUpLoop drives RFC 9470's loop against the local tenant: a
// token from a password login is refused with the challenge; the client
// reads acr_values and max_age from it, gets a token of a login that meets
// them (authtest mints what the authorization server would issue), and the
// same request passes.
func TestSU6StepUpLoop(t *testing.T) {
	tenant, err := authtest.NewTenant(authtest.Config{Now: func() time.Time { return testNow }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(tenant.Close)
	v, err := verifier.New(verifier.Config{Issuer: tenant.Issuer(), Audience: []string{testAud}, Keys: tenant.KeySet(),
		Now: func() time.Time { return testNow }})
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.Handle("POST /transfers", middleware.Authenticate(v)(
		middleware.RequireStepUp(middleware.StepUpMFA(), middleware.StepUpMaxAge(5*time.Minute))(echo)))
	srv := server(t, mux)
	base := authtest.Token{Claims: map[string]any{"sub": "auth0|alice", "aud": testAud}}

	// 1. A password login an hour ago.
	first, err := tenant.Mint(base.WithAuthentication(authtest.Authentication{AMR: []string{"pwd"}, Time: testNow.Add(-time.Hour)}))
	if err != nil {
		t.Fatal(err)
	}
	resp, body := call(t, srv, http.MethodPost, "/transfers", bearer(first))
	if resp.StatusCode != 401 {
		t.Fatalf("first request: got %d %q, want 401", resp.StatusCode, body)
	}
	ch := resp.Header.Get("WWW-Authenticate")
	if !strings.Contains(ch, `error="insufficient_user_authentication"`) {
		t.Fatalf("challenge %q: no insufficient_user_authentication", ch)
	}
	acr := acrValuesRE.FindStringSubmatch(ch)
	age := maxAgeRE.FindStringSubmatch(ch)
	if acr == nil || age == nil {
		t.Fatalf("challenge %q: want acr_values and max_age", ch)
	}
	if acr[1] != authtest.ACRMultiFactor || age[1] != "300" {
		t.Fatalf("challenge asks for acr_values %q, max_age %s; want %q, 300", acr[1], age[1], authtest.ACRMultiFactor)
	}

	// 2. The client logs in again with acr_values and max_age: the new
	// token carries the acr asked for, and a fresh auth_time.
	maxAge, _ := strconv.Atoi(age[1])
	second, err := tenant.Mint(base.WithAuthentication(authtest.Authentication{ACR: strings.Fields(acr[1])[0],
		Time: testNow.Add(-time.Duration(maxAge/2) * time.Second)}))
	if err != nil {
		t.Fatal(err)
	}
	resp, body = call(t, srv, http.MethodPost, "/transfers", bearer(second))
	checkResponse(t, resp, body, want{status: 200, body: "sub=auth0|alice"})

	// 3. The first token is still refused: the route's requirement is per
	// token, not per session.
	resp, _ = call(t, srv, http.MethodPost, "/transfers", bearer(first))
	if resp.StatusCode != 401 {
		t.Errorf("first token again: got %d, want 401", resp.StatusCode)
	}
}
