package interop

import (
	"context"
	"errors"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/tokengate/tokengate/jwks"
	"github.com/tokengate/tokengate/middleware"
	"github.com/tokengate/tokengate/verifier"
)

// countHits is a verifier.Observer that ignores the events: with an
// Observer set, the verifier counts its cache hits (verifier.Stats), which
// tells cache hits from full verifications.
type countHits struct{}

func (countHits) ObserveVerify(context.Context, verifier.Event) {}

// TestKeyRotation follows the provider through two rotations with one
// jwks.Cache, one verifier and one API behind middleware.Authenticate, as a
// long-running API would see them: the first tokens with a new kid cost
// exactly one JWKS refetch (also when they arrive together), later tokens
// none; the previous keys keep working while they are published; and once
// the provider drops them and the Cache has re-read the JWKS, tokens they
// signed are refused with ErrKeyNotFound, also the ones in the verifier's
// cache.
//
// The Cache runs on a fake clock with the default 30 s cooldown: the test
// steps over the cooldown instead of waiting for it.
func TestKeyRotation(t *testing.T) {
	ctx := context.Background()
	clock := newFakeClock()
	rk := newRemoteKeys(t, clock.Now)
	v, err := verifier.New(verifier.Config{
		Issuer:     issuer,
		Audience:   []string{resourceRS256, resourceES256},
		Algorithms: []string{"RS256", "ES256"},
		Keys:       rk,
		Types:      []string{"at+jwt"},
		Observer:   countHits{},
	})
	if err != nil {
		t.Fatalf("verifier.New: %v", err)
	}
	api := newAPI(t, v)

	wantFetches := func(t *testing.T, want int64, why string) {
		t.Helper()
		rk.logEvents(t)
		if got := rk.Fetches(); got != want {
			t.Fatalf("%s: got %d JWKS fetches in all, want %d", why, got, want)
		}
		t.Logf("JWKS fetches so far: %d (%s)", want, why)
	}
	// pastCooldown moves the Cache's clock beyond its cooldown. No
	// background refresh may fall due meanwhile, so that every fetch
	// counted here is one a token caused.
	pastCooldown := func(t *testing.T) {
		t.Helper()
		step := jwks.DefaultCooldown + time.Second
		if next := rk.Stats().NextRefresh; !clock.Now().Add(step).Before(next) {
			t.Fatalf("a background refresh is due at %v, within the %v step", next, step)
		}
		clock.Advance(step)
		t.Logf("Cache clock advanced %v, past the %v cooldown", step, jwks.DefaultCooldown)
	}
	var lastHit bool // the last verify was a verified-token cache hit
	verify := func(t *testing.T, what, token string, want error) {
		t.Helper()
		hits := v.Stats().CacheHits
		c, err := v.Verify(ctx, token)
		lastHit = v.Stats().CacheHits > hits
		if want == nil && err != nil {
			t.Fatalf("%s: Verify: got error %v, want ok", what, err)
		}
		if want != nil && (!errors.Is(err, want) || c != nil) {
			t.Fatalf("%s: Verify: got (%v, claims=%v), want %v and no claims", what, err, c != nil, want)
		}
	}

	var oldRS, oldES, newRS, newES, newestRS string
	var rot rotation
	steps := []struct {
		name string
		run  func(t *testing.T)
	}{
		{"first generation", func(t *testing.T) {
			oldRS = clientCredentials(t, resourceRS256)
			oldES = clientCredentials(t, resourceES256)
			logToken(t, "RS256 token", oldRS, nil)
			logToken(t, "ES256 token", oldES, nil)
			api.get(t, "/things", oldRS).wantOK(t, "RS256 token")
			api.get(t, "/things", oldES).wantOK(t, "ES256 token")
			verify(t, "RS256 token again", oldRS, nil)
			if !lastHit {
				t.Fatalf("RS256 token again: got a full verification, want a verified-token cache hit")
			}
			wantFetches(t, 1, "the first fetch, made by jwks.New")
		}},
		{"rotation: the first tokens with the new kid cost one refetch", func(t *testing.T) {
			pastCooldown(t) // the API has been up a while when the provider rotates
			rot = rotate(t, false)
			t.Logf("provider rotated: signing %v, JWKS publishes %v", rot.Signing, rot.Published)
			// Several clients with new tokens arrive together.
			const n = 8
			tokens := make([]string, n)
			for i := range tokens {
				tokens[i] = clientCredentials(t, resourceRS256)
			}
			newRS = tokens[0]
			if got := header(t, newRS).Kid; got != rot.Signing["RS256"] || got == header(t, oldRS).Kid {
				t.Fatalf("got RS256 kid %q (old %q), want the new %q", got, header(t, oldRS).Kid, rot.Signing["RS256"])
			}
			logToken(t, "new RS256 token", newRS, nil)
			var wg sync.WaitGroup
			statuses := make([]int, n)
			for i, tok := range tokens {
				wg.Go(func() { statuses[i] = api.do(t, "/things", tok).status })
			}
			wg.Wait()
			for i := range n {
				if e := api.event(t); statuses[i] != http.StatusOK || e.Outcome != middleware.OutcomeOK {
					t.Errorf("concurrent request %d: got status %d (an event: %s/%s), want 200", i, statuses[i], e.Outcome, e.Reason)
				}
			}
			t.Logf("%d concurrent requests with new-kid tokens: statuses %v", n, statuses)
			wantFetches(t, 2, "exactly one refetch for the new kid")
		}},
		{"rotation: later tokens cost no fetch", func(t *testing.T) {
			newES = clientCredentials(t, resourceES256)
			if got := header(t, newES).Kid; got != rot.Signing["ES256"] {
				t.Fatalf("got ES256 kid %q, want %q", got, rot.Signing["ES256"])
			}
			logToken(t, "new ES256 token", newES, nil)
			api.get(t, "/things", newES).wantOK(t, "new ES256 token")
			api.get(t, "/things", clientCredentials(t, resourceRS256)).wantOK(t, "another new RS256 token")
			api.get(t, "/things", oldRS).wantOK(t, "old RS256 token, its key still published")
			api.get(t, "/things", oldES).wantOK(t, "old ES256 token, its key still published")
			// The refetch kept the old keys' *verifier.Key: the old
			// tokens' cache entries survived it.
			verify(t, "old RS256 token", oldRS, nil)
			if !lastHit {
				t.Fatalf("old RS256 token: got a full verification, want a verified-token cache hit")
			}
			wantFetches(t, 2, "no fetch for known kids")
		}},
		{"drop: the newest kid waits for the cooldown", func(t *testing.T) {
			rot = rotate(t, true)
			t.Logf("provider rotated and dropped: signing %v, JWKS publishes %v", rot.Signing, rot.Published)
			newestRS = clientCredentials(t, resourceRS256)
			if got := header(t, newestRS).Kid; got != rot.Signing["RS256"] {
				t.Fatalf("got RS256 kid %q, want %q", got, rot.Signing["RS256"])
			}
			logToken(t, "newest RS256 token", newestRS, nil)
			// The last fetch was less than a cooldown ago (on the Cache's
			// clock): the unknown kid is refused without a fetch, and the
			// Cache does not know yet that the older keys are gone.
			r := api.get(t, "/things", newestRS)
			r.wantInvalidToken(t, "newest RS256 token within the cooldown", verifier.ErrKeyNotFound)
			t.Logf("newest RS256 token within the cooldown: %d %s (reason %s)", r.status, r.errCode, r.event.Reason)
			rk.logEvents(t)
			// Every earlier token still verifies, from the verifier's cache.
			for _, tc := range []struct{ what, token string }{
				{"first-generation RS256 token", oldRS},
				{"first-generation ES256 token", oldES},
				{"second-generation RS256 token", newRS},
				{"second-generation ES256 token", newES},
			} {
				verify(t, tc.what+" before the refetch", tc.token, nil)
				if !lastHit {
					t.Fatalf("%s before the refetch: got a full verification, want a verified-token cache hit", tc.what)
				}
			}
			t.Log("the 4 earlier tokens still verify before the refetch, as verified-token cache hits")
			wantFetches(t, 2, "no fetch within the cooldown")
		}},
		{"drop: a token with the newest kid after the cooldown refetches", func(t *testing.T) {
			pastCooldown(t)
			api.get(t, "/things", newestRS).wantOK(t, "newest RS256 token")
			wantFetches(t, 3, "one refetch for the newest kid")
			if got := rk.Stats().Keys; got != 2 {
				t.Fatalf("got %d keys in the Cache, want the 2 newest", got)
			}
		}},
		{"drop: tokens of dropped keys are refused, cached ones too", func(t *testing.T) {
			for _, tc := range []struct{ what, token string }{
				{"first-generation RS256 token", oldRS},
				{"first-generation ES256 token", oldES},
				{"second-generation RS256 token", newRS},
				{"second-generation ES256 token", newES},
			} {
				// Every one of them was in the verifier's cache; the
				// refetch retired their keys, so the entries are void.
				verify(t, tc.what, tc.token, verifier.ErrKeyNotFound)
				r := api.get(t, "/things", tc.token)
				r.wantInvalidToken(t, tc.what, verifier.ErrKeyNotFound)
				t.Logf("%s (kid %s): Verify and GET /things: %d %s (reason %s)", tc.what, header(t, tc.token).Kid, r.status, r.errCode, r.event.Reason)
				rk.logEvents(t)
			}
			api.get(t, "/things", newestRS).wantOK(t, "newest RS256 token")
			wantFetches(t, 3, "dropped kids cost no fetch within the cooldown")
		}},
	}
	for _, s := range steps {
		if !t.Run(s.name, s.run) {
			return // later steps build on this one
		}
	}
}
