package authtest

import (
	"crypto/rand"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/tokengate/tokengate/verifier"
)

const pkjwtID = "pkjwt-client"

func assertionConfig(t *testing.T) Config {
	t.Helper()
	key, err := verifier.NewKey("", "RS256", &testRSA2().PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	cfg := fixtureConfig()
	cfg.Clients = append(cfg.Clients, Client{ID: pkjwtID, AssertionKey: key, Grants: map[string][]string{testAPI: {"read:items"}}})
	return cfg
}

// assertion makes a private_key_jwt client assertion as the Auth0 SDKs do.
func assertion(t *testing.T, tn *Tenant, override map[string]any) string {
	t.Helper()
	claims := map[string]any{"iss": pkjwtID, "sub": pkjwtID, "aud": tn.Issuer(), "jti": rand.Text()}
	for k, v := range override {
		claims[k] = v
	}
	return mustMint(t, tn, Token{Key: testRSA2(), Claims: claims, ExpiresIn: 3 * time.Minute, Header: map[string]any{"kid": nil}})
}

func assertionForm(a string) url.Values {
	return url.Values{"grant_type": {GrantClientCredentials}, "client_id": {pkjwtID}, "audience": {testAPI},
		"client_assertion": {a}, "client_assertion_type": {assertionType}}
}

func TestClientAssertion(t *testing.T) {
	tn := newTenant(t, assertionConfig(t))

	a := assertion(t, tn, nil)
	tok := accessToken(t, tn, assertionForm(a))
	if sub := decodePart(t, tok, 1)["sub"]; sub != pkjwtID+"@clients" {
		t.Errorf("sub: got %v, want %s@clients", sub, pkjwtID)
	}
	accessToken(t, tn, assertionForm(assertion(t, tn, map[string]any{"aud": tn.URL + "/oauth/token"})))

	otherKey := mustMint(t, tn, Token{Claims: map[string]any{"iss": pkjwtID, "sub": pkjwtID, "aud": tn.Issuer(), "jti": "j1"}})
	wrongType := assertionForm(assertion(t, tn, nil))
	wrongType.Set("client_assertion_type", "urn:nope")
	withSecret := assertionForm(assertion(t, tn, nil))
	withSecret.Set("client_secret", "x")
	noKey := assertionForm(assertion(t, tn, map[string]any{"iss": m2mID, "sub": m2mID}))
	noKey.Set("client_id", m2mID)

	cases := []struct {
		name   string
		form   url.Values
		status int
	}{
		{"replayed jti", assertionForm(a), 401},
		{"signed by another key", assertionForm(otherKey), 401},
		{"wrong issuer", assertionForm(assertion(t, tn, map[string]any{"iss": "someone"})), 401},
		{"wrong subject", assertionForm(assertion(t, tn, map[string]any{"sub": "someone"})), 401},
		{"no jti", assertionForm(assertion(t, tn, map[string]any{"jti": nil})), 401},
		{"wrong audience", assertionForm(assertion(t, tn, map[string]any{"aud": "https://elsewhere.example.com/"})), 401},
		{"expired", assertionForm(assertion(t, tn, map[string]any{"exp": time.Now().Add(-time.Minute).Unix()})), 401},
		{"not a JWT", assertionForm("garbage"), 401},
		{"client without AssertionKey", noKey, 401},
		{"wrong assertion type", wrongType, 400},
		{"assertion and secret", withSecret, 400},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res := postForm(t, tn, c.form)
			if res.status != c.status {
				t.Errorf("got %d %s, want %d", res.status, res.body, c.status)
			}
		})
	}
	t.Run("public client secret is never accepted", func(t *testing.T) {
		// The assertion client has no Secret: an empty one must not match.
		f := url.Values{"grant_type": {GrantClientCredentials}, "client_id": {pkjwtID}, "audience": {testAPI}, "client_secret": {""}}
		if res := postForm(t, tn, f); res.status != http.StatusUnauthorized {
			t.Errorf("got %d %s, want 401", res.status, res.body)
		}
	})
}

func TestJTICacheBounds(t *testing.T) {
	c := newJTICache()
	now := time.Unix(1000, 0)
	if !c.first("a", now.Add(time.Minute), now) || c.first("a", now.Add(time.Minute), now) {
		t.Fatal("first use: want true then false")
	}
	// Expired entries are forgotten, so a jti may come back after its exp.
	if !c.first("a", now.Add(3*time.Minute), now.Add(2*time.Minute)) {
		t.Error("jti after its expiry: got false, want true")
	}
	for i := range maxJTIs {
		c.seen[string(rune(i))+"x"] = now.Add(time.Hour)
	}
	if c.first("new", now.Add(time.Minute), now) {
		t.Error("full cache: got true, want false (fail closed)")
	}
}
