package interop

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/tokengate/tokengate/middleware"
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

// hsKeys is the key source of an HS256 resource: its shared secret. The
// provider does not publish it (a JWKS holds public keys only), so the
// verifier of such a resource takes it from configuration instead of from
// the jwks.Cache.
func hsKeys(t *testing.T, secret []byte) verifier.KeySource {
	t.Helper()
	ks, err := verifier.SecretFor("HS256", secret)
	if err != nil {
		t.Fatalf("SecretFor: %v", err)
	}
	return ks
}

// TestAccessTokensAccepted: the provider's RS256, ES256 and HS256 access
// tokens verify, directly and through middleware.Authenticate, with keys
// from jwks.Discover + jwks.New (RS256, ES256) or the shared secret
// (HS256).
func TestAccessTokensAccepted(t *testing.T) {
	rk := newRemoteKeys(t, nil)

	// The HS256 resource's verifier, in full: same issuer and token type,
	// its own audience, HS256 as the only algorithm (so an RS256 or ES256
	// token can never be checked against the secret, nor the secret used
	// as a public key), and the secret as its key source.
	hsVerifier, err := verifier.New(verifier.Config{
		Issuer:     issuer,
		Audience:   []string{resourceHS256},
		Algorithms: []string{"HS256"},
		Keys:       hsKeys(t, hsSecret),
		Types:      []string{"at+jwt"},
	})
	if err != nil {
		t.Fatalf("verifier.New (HS256): %v", err)
	}

	for _, tc := range []struct {
		name     string
		resource string
		v        *verifier.Verifier
	}{
		{"RS256", resourceRS256, accessVerifier(t, rk, resourceRS256, "RS256")},
		{"ES256", resourceES256, accessVerifier(t, rk, resourceES256, "ES256")},
		{"HS256", resourceHS256, hsVerifier},
	} {
		t.Run(tc.name, func(t *testing.T) {
			token := clientCredentials(t, tc.resource)
			if h := header(t, token); h.Alg != tc.name || h.Typ != "at+jwt" {
				t.Fatalf("got alg %q typ %q from the provider, want %q and at+jwt", h.Alg, h.Typ, tc.name)
			}

			// The verifier alone.
			c, err := tc.v.Verify(context.Background(), token, verifier.WithOrganization(orgID))
			if err != nil {
				t.Fatalf("Verify: got error %v, want ok", err)
			}
			logToken(t, "verified", token, c)
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

			// The same verifier behind the middleware.
			api := newAPI(t, tc.v, middleware.WithVerifyOptions(verifier.WithOrganization(orgID)))
			r := api.get(t, "/things", token)
			r.wantOK(t, "GET /things")
			if r.claims.ClientID != ccClient || r.claims.OrgID != orgID || !slices.Equal(r.claims.Audience, []string{tc.resource}) {
				t.Errorf("GET /things: got claims %+v, want client_id %s, org_id %s, aud [%s]", r.claims, ccClient, orgID, tc.resource)
			}
			t.Logf("GET /things: %d, handler saw sub=%s org_id=%s aud=%q scope=%q", r.status, r.claims.Subject, r.claims.OrgID, r.claims.Audience, r.claims.Scope)

			// A route that needs a scope the provider did not grant.
			r = api.get(t, "/admin", token)
			if r.status != http.StatusForbidden || !strings.Contains(r.wwwAuth, `error="insufficient_scope"`) || !strings.Contains(r.wwwAuth, `scope="write:things"`) {
				t.Errorf("GET /admin: got %d %q, want 403 insufficient_scope for write:things", r.status, r.wwwAuth)
			}
			t.Logf("GET /admin: %d %s", r.status, r.errCode)
		})
	}
	// Both public keys came with the first fetch; the HS256 resource never
	// touches the JWKS.
	if got := rk.Fetches(); got != 1 {
		t.Errorf("got %d JWKS fetches, want 1", got)
	}
}

// TestAccessTokensRejected: tokens that must not pass, refused by the
// verifier with the right sentinel error and by the middleware with 401
// invalid_token, whose Event carries the same error class.
func TestAccessTokensRejected(t *testing.T) {
	rk := newRemoteKeys(t, nil)
	rs := clientCredentials(t, resourceRS256)
	hs := clientCredentials(t, resourceHS256)
	logToken(t, "RS256 token", rs, nil)
	logToken(t, "HS256 token", hs, nil)
	otherSecret := []byte("another-secret-of-32-bytes-or-more-0123")
	for _, tc := range []struct {
		name  string
		token string
		v     *verifier.Verifier
		opts  []verifier.Option
		want  error
	}{
		{"wrong audience", rs, accessVerifier(t, rk, resourceES256, "RS256", "ES256"), nil, verifier.ErrAudience},
		{"wrong org_id", rs, accessVerifier(t, rk, resourceRS256, "RS256"), []verifier.Option{verifier.WithOrganization("org_other")}, verifier.ErrOrganization},
		{"org_id case changed", rs, accessVerifier(t, rk, resourceRS256, "RS256"), []verifier.Option{verifier.WithOrganization("org_INTEROP")}, verifier.ErrOrganization},
		{"alg not allowed", rs, accessVerifier(t, rk, resourceRS256, "ES256"), nil, verifier.ErrAlgorithm},
		{"HS256 with the wrong secret", hs, accessVerifier(t, hsKeys(t, otherSecret), resourceHS256, "HS256"), nil, verifier.ErrSignature},
		// The HS256 key is not published: the JWKS cannot verify it.
		{"HS256 against the JWKS", hs, accessVerifier(t, rk, resourceHS256, "HS256"), nil, verifier.ErrKeyNotFound},
		{"access token to an ID-token verifier", rs, idVerifierFor(t, rk, resourceRS256), nil, verifier.ErrTokenType},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := tc.v.Verify(context.Background(), tc.token, tc.opts...)
			if !errors.Is(err, tc.want) {
				t.Fatalf("Verify: got error %v, want %v", err, tc.want)
			}
			if c != nil {
				t.Fatalf("Verify: got claims with the error, want none")
			}
			t.Logf("Verify: %v", err)

			api := newAPI(t, tc.v, middleware.WithVerifyOptions(tc.opts...))
			r := api.get(t, "/things", tc.token)
			r.wantInvalidToken(t, "GET /things", tc.want)
			t.Logf("GET /things: %d %s (reason %s)", r.status, r.errCode, r.event.Reason)
			rk.logEvents(t)
		})
	}
	// The HS256 token's kid is unknown to the JWKS, but within the
	// cooldown after the first fetch it costs no refetch.
	if got := rk.Fetches(); got != 1 {
		t.Errorf("got %d JWKS fetches, want 1", got)
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

// TestAccessTokenExpires: a token of the provider's 2 s resource is
// accepted, then, once its exp has passed on the real clock, refused (it was
// in the verifier's cache meanwhile: a hit re-checks exp).
func TestAccessTokenExpires(t *testing.T) {
	rk := newRemoteKeys(t, nil)
	token := clientCredentials(t, resourceShort)
	v := accessVerifier(t, rk, resourceShort, "RS256")
	api := newAPI(t, v)

	c, err := v.Verify(context.Background(), token)
	if err != nil {
		t.Fatalf("fresh token: got error %v, want ok", err)
	}
	logToken(t, "fresh token", token, c)
	if life := c.ExpiresAt.Sub(c.IssuedAt); life != 2*time.Second {
		t.Fatalf("got lifetime %v, want the resource's 2s", life)
	}
	api.get(t, "/things", token).wantOK(t, "fresh token: GET /things")

	// exp is in whole seconds; one more second keeps clear of the edge.
	wait := time.Until(c.ExpiresAt) + time.Second
	t.Logf("waiting %v, until 1 s after exp", wait.Round(time.Millisecond))
	time.Sleep(wait)

	c, err = v.Verify(context.Background(), token)
	if !errors.Is(err, verifier.ErrExpired) || c != nil {
		t.Fatalf("after exp: got (%v, claims=%v), want %v and no claims", err, c != nil, verifier.ErrExpired)
	}
	t.Logf("Verify after exp: %v", err)
	r := api.get(t, "/things", token)
	r.wantInvalidToken(t, "after exp: GET /things", verifier.ErrExpired)
	t.Logf("GET /things after exp: %d %s (reason %s)", r.status, r.errCode, r.event.Reason)
}
