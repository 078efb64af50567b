package interop

import (
	"context"
	"errors"
	"testing"

	"github.com/tokengate/tokengate/verifier"
)

// TestKeyRotation follows the provider through two rotations with one
// verifier and one key source, as a long-running API would see them:
// a new kid costs exactly one JWKS refetch, the previous key keeps working
// while it is published, and dropped keys are refused after the next
// refresh, also for tokens the verifier had cached.
func TestKeyRotation(t *testing.T) {
	ctx := context.Background()
	ks := keySource(t, issuer)
	v, err := verifier.New(verifier.Config{
		Issuer:     issuer,
		Audience:   []string{resourceRS256, resourceES256},
		Algorithms: []string{"RS256", "ES256"},
		Keys:       ks,
		Types:      []string{"at+jwt"},
	})
	if err != nil {
		t.Fatalf("verifier.New: %v", err)
	}
	verify := func(t *testing.T, what, token string, want error) {
		t.Helper()
		_, err := v.Verify(ctx, token)
		if want == nil && err != nil {
			t.Fatalf("%s: got error %v, want ok", what, err)
		}
		if want != nil && !errors.Is(err, want) {
			t.Fatalf("%s: got error %v, want %v", what, err, want)
		}
	}

	oldRS := clientCredentials(t, resourceRS256)
	oldES := clientCredentials(t, resourceES256)
	verify(t, "old RS256 token", oldRS, nil)
	verify(t, "old ES256 token", oldES, nil)
	if got := ks.Fetches(); got != 1 {
		t.Fatalf("before rotation: got %d JWKS fetches, want 1", got)
	}

	// Rotation: new keys sign, the old ones stay published.
	kids := rotate(t, false)
	newRS := clientCredentials(t, resourceRS256)
	newES := clientCredentials(t, resourceES256)
	if got, want := headerKid(t, newRS), kids["RS256"]; got != want || got == headerKid(t, oldRS) {
		t.Fatalf("after rotation: got RS256 kid %q (old %q), want the new %q", got, headerKid(t, oldRS), want)
	}
	if got, want := headerKid(t, newES), kids["ES256"]; got != want {
		t.Fatalf("after rotation: got ES256 kid %q, want %q", got, want)
	}
	verify(t, "new RS256 token", newRS, nil)
	if got := ks.Fetches(); got != 2 {
		t.Fatalf("first token with the new kid: got %d JWKS fetches in all, want 2 (exactly one refetch)", got)
	}
	verify(t, "new ES256 token", newES, nil)
	verify(t, "old RS256 token after rotation", oldRS, nil)
	verify(t, "old ES256 token after rotation", oldES, nil)
	if got := ks.Fetches(); got != 2 {
		t.Fatalf("after the refetch: got %d JWKS fetches in all, want still 2", got)
	}

	// Drop: only the newest keys are published. The next refresh must
	// withdraw every earlier key, including from the verified-token cache
	// that holds oldRS, oldES, newRS and newES.
	kids = rotate(t, true)
	newestRS := clientCredentials(t, resourceRS256)
	if got := headerKid(t, newestRS); got != kids["RS256"] {
		t.Fatalf("after drop: got RS256 kid %q, want %q", got, kids["RS256"])
	}
	if err := ks.Refresh(ctx); err != nil {
		t.Fatalf("refresh: %v", err)
	}
	for _, tc := range []struct{ what, token string }{
		{"first-generation RS256 token", oldRS},
		{"first-generation ES256 token", oldES},
		{"second-generation RS256 token", newRS},
		{"second-generation ES256 token", newES},
	} {
		verify(t, tc.what+" after drop", tc.token, verifier.ErrKeyNotFound)
	}
	verify(t, "newest RS256 token", newestRS, nil)
}
