package authtest

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/tokengate/tokengate/verifier"
)

func TestWithAuthentication(t *testing.T) {
	now := time.Unix(1_800_000_000, 0)
	tn := newTenant(t, withClock(Config{}, now))
	base := Token{Claims: map[string]any{"sub": "auth0|alice", "aud": testAPI}}
	tok, err := tn.Mint(base.WithAuthentication(MultiFactor(now.Add(-time.Minute))))
	if err != nil {
		t.Fatal(err)
	}
	if len(base.Claims) != 2 {
		t.Errorf("WithAuthentication changed the caller's map: %v", base.Claims)
	}
	c, err := verify(t, tn, tok, verifier.Config{Audience: []string{testAPI}, Now: func() time.Time { return now }})
	if err != nil {
		t.Fatalf("Verify: %v", err)
	}
	if !c.AuthTime.Equal(now.Add(-time.Minute)) {
		t.Errorf("auth_time: got %v, want %v", c.AuthTime, now.Add(-time.Minute))
	}
	for name, want := range map[string]string{"acr": `"` + ACRMultiFactor + `"`, "amr": `["pwd","mfa"]`} {
		if raw, _ := c.Lookup(name); string(raw) != want {
			t.Errorf("%s: got %s, want %s", name, raw, want)
		}
	}
	payload := decodePart(t, mustMint(t, tn, Token{}.WithAuthentication(Authentication{ACR: "urn:x"})), 1)
	if _, ok := payload["amr"]; ok || payload["acr"] != "urn:x" || payload["auth_time"] != nil {
		t.Errorf("zero fields added claims: %v", payload)
	}
}

func TestWithAuthorizationDetails(t *testing.T) {
	now := time.Unix(1_800_000_000, 0)
	tn := newTenant(t, withClock(Config{}, now))
	type account struct {
		Accounts []string `json:"accounts"`
	}
	detail := map[string]any{"type": "account_information", "accounts": []string{"acc_1"}}
	tok := mustMint(t, tn, Token{Claims: map[string]any{"sub": "auth0|alice", "aud": testAPI}}.WithAuthorizationDetails(detail))
	v, err := verifier.New(verifier.Config{Issuer: tn.Issuer(), Audience: []string{testAPI}, Keys: tn.KeySet(), Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	tv, err := verifier.NewTyped(v, verifier.TypedConfig[struct{}]{AuthorizationDetails: []verifier.DetailType{verifier.DetailOf[account]("account_information")}})
	if err != nil {
		t.Fatal(err)
	}
	c, _, err := tv.Verify(context.Background(), tok)
	if err != nil {
		t.Fatalf("Verify: %v", err)
	}
	ds := tv.Details(c)
	if len(ds) != 1 || !reflect.DeepEqual(ds[0].Value, &account{Accounts: []string{"acc_1"}}) {
		t.Errorf("got %v, want one account_information detail for acc_1", ds)
	}
}
