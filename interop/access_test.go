package interop

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/tokengate/tokengate/verifier"
)

// accessVerifier checks the provider's access tokens for one resource.
func accessVerifier(t *testing.T, ks verifier.KeySource, audience string, algs ...string) *verifier.Verifier {
	t.Helper()
	v, err := verifier.New(verifier.Config{
		Issuer:     issuer,
		Audience:   []string{audience},
		Algorithms: algs,
		Keys:       ks,
		Types:      []string{"at+jwt"}, // RFC 9068: oidc-provider types its JWT access tokens
	})
	if err != nil {
		t.Fatalf("verifier.New: %v", err)
	}
	return v
}

func hsKeys(t *testing.T, secret []byte) verifier.KeySource {
	t.Helper()
	ks, err := verifier.SecretFor("HS256", secret)
	if err != nil {
		t.Fatalf("SecretFor: %v", err)
	}
	return ks
}

func TestAccessTokensAccepted(t *testing.T) {
	ks := keySource(t, issuer)
	for _, tc := range []struct {
		name     string
		resource string
		alg      string
		keys     verifier.KeySource
	}{
		{"RS256", resourceRS256, "RS256", ks},
		{"ES256", resourceES256, "ES256", ks},
		{"HS256", resourceHS256, "HS256", hsKeys(t, hsSecret)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			token := clientCredentials(t, tc.resource)
			v := accessVerifier(t, tc.keys, tc.resource, tc.alg)
			c, err := v.Verify(context.Background(), token, verifier.WithOrganization(orgID))
			if err != nil {
				t.Fatalf("got error %v, want ok", err)
			}
			if c.Issuer != issuer {
				t.Errorf("got iss %q, want %q", c.Issuer, issuer)
			}
			if !slices.Equal(c.Audience, []string{tc.resource}) {
				t.Errorf("got aud %q, want [%q]", c.Audience, tc.resource)
			}
			if c.OrgID != orgID {
				t.Errorf("got org_id %q, want %q", c.OrgID, orgID)
			}
			if c.ClientID != ccClient || c.Subject != ccClient {
				t.Errorf("got client_id %q sub %q, want %q for both", c.ClientID, c.Subject, ccClient)
			}
			if !c.HasScope("read:things") || c.HasScope("write:things") {
				t.Errorf("got scope %q, want exactly read:things", c.Scope)
			}
			if life := c.ExpiresAt.Sub(c.IssuedAt); life != time.Hour {
				t.Errorf("got lifetime %v, want 1h", life)
			}
		})
	}
}

func TestAccessTokensRejected(t *testing.T) {
	ks := keySource(t, issuer)
	rs := clientCredentials(t, resourceRS256)
	hs := clientCredentials(t, resourceHS256)
	otherSecret := []byte("another-secret-of-32-bytes-or-more-0123")
	for _, tc := range []struct {
		name  string
		token string
		v     *verifier.Verifier
		opts  []verifier.Option
		want  error
	}{
		{"wrong audience", rs, accessVerifier(t, ks, resourceES256, "RS256", "ES256"), nil, verifier.ErrAudience},
		{"wrong org_id", rs, accessVerifier(t, ks, resourceRS256, "RS256"), []verifier.Option{verifier.WithOrganization("org_other")}, verifier.ErrOrganization},
		{"org_id case changed", rs, accessVerifier(t, ks, resourceRS256, "RS256"), []verifier.Option{verifier.WithOrganization("org_INTEROP")}, verifier.ErrOrganization},
		{"alg not allowed", rs, accessVerifier(t, ks, resourceRS256, "ES256"), nil, verifier.ErrAlgorithm},
		{"HS256 with the wrong secret", hs, accessVerifier(t, hsKeys(t, otherSecret), resourceHS256, "HS256"), nil, verifier.ErrSignature},
		// The HS256 key is not published: the JWKS cannot verify it.
		{"HS256 against the JWKS", hs, accessVerifier(t, ks, resourceHS256, "HS256"), nil, verifier.ErrKeyNotFound},
		{"ID token typ required", rs, idVerifierFor(t, ks, resourceRS256), nil, verifier.ErrTokenType},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := tc.v.Verify(context.Background(), tc.token, tc.opts...)
			if !errors.Is(err, tc.want) {
				t.Fatalf("got error %v, want %v", err, tc.want)
			}
			if c != nil {
				t.Fatalf("got claims with the error, want none")
			}
		})
	}
}

// idVerifierFor is an ID-token verifier for aud: it must refuse an at+jwt
// access token by its typ (RFC 8725 section 3.11).
func idVerifierFor(t *testing.T, ks verifier.KeySource, aud string) *verifier.Verifier {
	t.Helper()
	v, err := verifier.New(verifier.Config{Issuer: issuer, Audience: []string{aud}, Keys: ks, Kind: verifier.IDToken})
	if err != nil {
		t.Fatalf("verifier.New: %v", err)
	}
	return v
}

func TestAccessTokenExpires(t *testing.T) {
	ks := keySource(t, issuer)
	token := clientCredentials(t, resourceShort)
	c, err := accessVerifier(t, ks, resourceShort, "RS256").Verify(context.Background(), token)
	if err != nil {
		t.Fatalf("fresh token: got error %v, want ok", err)
	}
	if life := c.ExpiresAt.Sub(c.IssuedAt); life != 2*time.Second {
		t.Fatalf("got lifetime %v, want the resource's 2s", life)
	}
	// A clock 3 s ahead instead of a sleep: the token the provider issued
	// for 2 s must be expired then.
	v, err := verifier.New(verifier.Config{
		Issuer:     issuer,
		Audience:   []string{resourceShort},
		Algorithms: []string{"RS256"},
		Keys:       ks,
		Now:        func() time.Time { return time.Now().Add(3 * time.Second) },
	})
	if err != nil {
		t.Fatalf("verifier.New: %v", err)
	}
	if _, err := v.Verify(context.Background(), token); !errors.Is(err, verifier.ErrExpired) {
		t.Fatalf("3 s later: got error %v, want %v", err, verifier.ErrExpired)
	}
}
