package interop

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/tokengate/tokengate/verifier"
)

// TestIDTokens: ID tokens from the authorization code flow (RS256 with the
// JWKS through jwks.Discover + jwks.New, HS256 keyed by the client secret)
// verify with the nonce the client sent, and only with it.
func TestIDTokens(t *testing.T) {
	ks := newRemoteKeys(t, nil)
	for _, tc := range []struct {
		name     string
		clientID string
		secret   string
		alg      string
		keys     verifier.KeySource
	}{
		{"RS256", codeClient, codeSecret, "RS256", ks},
		// oidc-provider keys HS256 ID tokens with the client secret.
		{"HS256", codeClientHS, codeSecretHS, "HS256", hsKeys(t, []byte(codeSecretHS))},
	} {
		t.Run(tc.name, func(t *testing.T) {
			nonce := randomString(t)
			token := idToken(t, tc.clientID, tc.secret, nonce)
			v, err := verifier.New(verifier.Config{
				Issuer:     issuer,
				Audience:   []string{tc.clientID},
				ClientID:   tc.clientID,
				Kind:       verifier.IDToken,
				Algorithms: []string{tc.alg},
				Keys:       tc.keys,
			})
			if err != nil {
				t.Fatalf("verifier.New: %v", err)
			}

			c, err := v.Verify(context.Background(), token, verifier.WithNonce(nonce), verifier.WithMaxAge(5*time.Minute))
			if err != nil {
				t.Fatalf("right nonce: got error %v, want ok", err)
			}
			h := header(t, token)
			t.Logf("right nonce: verified: alg=%s kid=%s typ=%s iss=%s aud=%q azp=%s sub=%s auth_time=%s",
				h.Alg, h.Kid, h.Typ, c.Issuer, c.Audience, c.AuthorizedParty, c.Subject, c.AuthTime.UTC().Format(time.RFC3339))
			if h.Alg != tc.alg {
				t.Errorf("got alg %q, want %q", h.Alg, tc.alg)
			}
			if c.Nonce != nonce || c.Subject != account {
				t.Errorf("got nonce %q sub %q, want %q and %q", c.Nonce, c.Subject, nonce, account)
			}
			if c.AuthTime.IsZero() {
				t.Errorf("got no auth_time, want one")
			}

			for _, wrong := range []string{randomString(t), nonce[:len(nonce)-1], ""} {
				c, err := v.Verify(context.Background(), token, verifier.WithNonce(wrong))
				if !errors.Is(err, verifier.ErrNonce) || c != nil {
					t.Errorf("nonce %q: got (%v, claims=%v), want %v and no claims", wrong, err, c != nil, verifier.ErrNonce)
					continue
				}
				t.Logf("wrong nonce (%d chars): %v", len(wrong), err)
			}

			// Ten minutes on, the 5-minute max age is over (the token
			// itself still lives for an hour).
			later, err := verifier.New(verifier.Config{
				Issuer: issuer, Audience: []string{tc.clientID}, Kind: verifier.IDToken,
				Algorithms: []string{tc.alg}, Keys: tc.keys,
				Now: func() time.Time { return time.Now().Add(10 * time.Minute) },
			})
			if err != nil {
				t.Fatalf("verifier.New: %v", err)
			}
			if _, err := later.Verify(context.Background(), token, verifier.WithNonce(nonce), verifier.WithMaxAge(5*time.Minute)); !errors.Is(err, verifier.ErrMaxAge) {
				t.Errorf("max age: got error %v, want %v", err, verifier.ErrMaxAge)
			}

			// The ID token is not an access token for anyone: a verifier
			// of another client's ID tokens refuses it by its audience.
			other, err := verifier.New(verifier.Config{
				Issuer: issuer, Audience: []string{"some-other-client"}, Kind: verifier.IDToken,
				Algorithms: []string{tc.alg}, Keys: tc.keys,
			})
			if err != nil {
				t.Fatalf("verifier.New: %v", err)
			}
			if _, err := other.Verify(context.Background(), token, verifier.WithNonce(nonce)); !errors.Is(err, verifier.ErrAudience) {
				t.Errorf("other client: got error %v, want %v", err, verifier.ErrAudience)
			}
		})
	}
}
