package jwks_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"net/http"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tokengate/tokengate/jwks"
	"github.com/tokengate/tokengate/verifier"
)

func oneKeyDoc() string { loadKeys(); return doc(rsaJWK("k1", &rsaKey.PublicKey)) }

// TestF1_UnknownKidStorm: 10,000 concurrent lookups of random unknown kids
// cause exactly one fetch per cooldown window; within the window every
// lookup fails fast with ErrKeyNotFound.
func TestF1_UnknownKidStorm(t *testing.T) {
	srv := newJWKSServer(t, oneKeyDoc())
	clk := newFakeClock()
	rec := &recorder{}
	c := newCache(t, srv.URL, clk, func(cfg *jwks.Config) { cfg.Observer = rec })
	if got := srv.count(); got != 1 {
		t.Fatalf("fetches after New: got %d, want 1", got)
	}
	// A slow endpoint, so that the storm piles up on the fetch in flight.
	srv.setHandler(func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(50 * time.Millisecond)
		_, _ = w.Write([]byte(oneKeyDoc()))
	})

	const lookups = 10000
	workers := lookups
	if raceEnabled {
		workers = lookups / 2 // the race detector caps live goroutines at 8128
	}
	storm := func() (notFound int64, elapsed time.Duration) {
		var wg sync.WaitGroup
		var nf, other atomic.Int64
		start := make(chan struct{})
		for w := 0; w < workers; w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				for i := 0; i < lookups/workers; i++ {
					kid := fmt.Sprintf("unknown-%016x", rand.Uint64())
					_, err := lookup(c, kid, "RS256")
					if errors.Is(err, verifier.ErrKeyNotFound) {
						nf.Add(1)
					} else {
						other.Add(1)
					}
				}
			}()
		}
		t0 := time.Now()
		close(start)
		wg.Wait()
		if other.Load() != 0 {
			t.Fatalf("%d lookups: got an error other than ErrKeyNotFound", other.Load())
		}
		return nf.Load(), time.Since(t0)
	}

	clk.Advance(31 * time.Second) // past the cooldown of the first fetch
	if nf, _ := storm(); nf != lookups {
		t.Fatalf("storm 1: got %d ErrKeyNotFound, want %d", nf, lookups)
	}
	if got := srv.count(); got != 2 {
		t.Fatalf("storm 1: fetches: got %d, want 2 (exactly one for the storm)", got)
	}
	clk.Advance(20 * time.Second) // still within the cooldown of that fetch
	nf, elapsed := storm()
	if nf != lookups {
		t.Fatalf("storm 2: got %d ErrKeyNotFound, want %d", nf, lookups)
	}
	if got := srv.count(); got != 2 {
		t.Fatalf("storm 2 within the cooldown: fetches: got %d, want 2", got)
	}
	t.Logf("storm within the cooldown: %d lookups failed in %v", lookups, elapsed)
	clk.Advance(11 * time.Second) // the next window
	storm()
	if got := srv.count(); got != 3 {
		t.Fatalf("storm 3 in the next window: fetches: got %d, want 3", got)
	}
	rec.mu.Lock()
	var joined, suppressed int
	for _, m := range rec.misses {
		if m.Refetched {
			joined++
		} else {
			suppressed++
		}
	}
	rec.mu.Unlock()
	if joined+suppressed != 3*lookups || suppressed < lookups {
		t.Fatalf("miss events: got %d refetched + %d suppressed, want %d in all and at least %d suppressed", joined, suppressed, 3*lookups, lookups)
	}
}

// TestF2_KnownKidBadSignature: a bad signature under a known kid never
// refetches.
func TestF2_KnownKidBadSignature(t *testing.T) {
	srv := newJWKSServer(t, oneKeyDoc())
	clk := newFakeClock()
	v := newVerifier(t, newCache(t, srv.URL, clk, nil))
	clk.Advance(time.Minute) // a refetch would be allowed
	for i := 0; i < 3; i++ {
		_, err := v.Verify(context.Background(), rsaToken(t, rsaKey2, "k1"))
		if !errors.Is(err, verifier.ErrSignature) {
			t.Fatalf("Verify: got %v, want ErrSignature", err)
		}
	}
	if got := srv.count(); got != 1 {
		t.Fatalf("fetches: got %d, want 1", got)
	}
}

// TestF3_NoKid: tokens without kid never refetch; with one key of the alg
// they verify (KD6), with two they are refused (KD7).
func TestF3_NoKid(t *testing.T) {
	loadKeys()
	srv := newJWKSServer(t, doc(rsaJWK("k1", &rsaKey.PublicKey), rsaJWK("k2", &rsaKey2.PublicKey), ecJWK("e1", &ecKey.PublicKey)))
	clk := newFakeClock()
	c := newCache(t, srv.URL, clk, nil)
	clk.Advance(time.Minute)
	if _, err := lookup(c, "", "RS256"); !errors.Is(err, verifier.ErrKeyNotFound) {
		t.Fatalf("no kid, two RS256 keys: got %v, want ErrKeyNotFound", err)
	}
	k, err := lookup(c, "", "ES256")
	if err != nil || k.ID() != "e1" {
		t.Fatalf("no kid, one ES256 key: got %v, %v; want e1", k, err)
	}
	v := newVerifier(t, c)
	if _, err := v.Verify(context.Background(), rsaToken(t, rsaKey, "")); !errors.Is(err, verifier.ErrKeyNotFound) {
		t.Fatalf("Verify without kid: got %v, want ErrKeyNotFound", err)
	}
	if got := srv.count(); got != 1 {
		t.Fatalf("fetches: got %d, want 1", got)
	}
}

// TestKnownKidOtherAlg: a known kid asked for with another algorithm is
// not found, without a refetch.
func TestKnownKidOtherAlg(t *testing.T) {
	srv := newJWKSServer(t, oneKeyDoc())
	clk := newFakeClock()
	c := newCache(t, srv.URL, clk, nil)
	clk.Advance(time.Minute)
	for _, alg := range []string{"PS256", "RS512", "ES256", "HS256", "bogus"} {
		if _, err := lookup(c, "k1", alg); !errors.Is(err, verifier.ErrKeyNotFound) {
			t.Fatalf("Key(k1, %s): got %v, want ErrKeyNotFound", alg, err)
		}
	}
	if got := srv.count(); got != 1 {
		t.Fatalf("fetches: got %d, want 1", got)
	}
}

// TestF4_Rotation (and the end-to-end rotation): the provider adds k2 and
// signs with it; the first k2 token causes exactly one fetch and verifies;
// later the provider drops k1 and k1 tokens stop verifying.
func TestF4_Rotation(t *testing.T) {
	loadKeys()
	srv := newJWKSServer(t, oneKeyDoc())
	clk := newFakeClock()
	c := newCache(t, srv.URL, clk, nil)
	v := newVerifier(t, c)
	ctx := context.Background()
	tok1 := rsaToken(t, rsaKey, "k1")
	if _, err := v.Verify(ctx, tok1); err != nil {
		t.Fatalf("k1 token: %v", err)
	}
	srv.set(http.StatusOK, doc(rsaJWK("k1", &rsaKey.PublicKey), rsaJWK("k2", &rsaKey2.PublicKey)))
	clk.Advance(2 * time.Minute)
	tok2 := rsaToken(t, rsaKey2, "k2")
	if _, err := v.Verify(ctx, tok2); err != nil {
		t.Fatalf("first k2 token: got %v, want it verified", err)
	}
	if got := srv.count(); got != 2 {
		t.Fatalf("fetches after the first k2 token: got %d, want 2", got)
	}
	for i := 0; i < 5; i++ {
		if _, err := v.Verify(ctx, sign(t, "RS256", rsaKey2, hdr("RS256", "k2"), claims(testIss))); err != nil {
			t.Fatalf("k2 token %d: %v", i, err)
		}
	}
	if got := srv.count(); got != 2 {
		t.Fatalf("fetches after more k2 tokens: got %d, want 2", got)
	}
	// Retirement of k1 at the next scheduled refresh.
	srv.set(http.StatusOK, doc(rsaJWK("k2", &rsaKey2.PublicKey)))
	clk.Advance(10 * time.Minute)
	waitFor(t, "the scheduled refresh", func() bool { return c.Stats().Keys == 1 })
	if _, err := v.Verify(ctx, tok1); !errors.Is(err, verifier.ErrKeyNotFound) {
		t.Fatalf("k1 token after k1 was dropped: got %v, want ErrKeyNotFound", err)
	}
	if _, err := v.Verify(ctx, tok2); err != nil {
		t.Fatalf("k2 token after k1 was dropped: %v", err)
	}
}

// TestF5_Revocation: after a refresh drops k1, k1 tokens are refused,
// including those in the verifier's verified-token cache; k2 keeps its
// *verifier.Key, so its cached tokens stay cached.
func TestF5_Revocation(t *testing.T) {
	loadKeys()
	srv := newJWKSServer(t, doc(rsaJWK("k1", &rsaKey.PublicKey), rsaJWK("k2", &rsaKey2.PublicKey)))
	clk := newFakeClock()
	c := newCache(t, srv.URL, clk, nil)
	v := newVerifier(t, c)
	ctx := context.Background()
	tok1, tok2 := rsaToken(t, rsaKey, "k1"), rsaToken(t, rsaKey2, "k2")
	for _, tok := range []string{tok1, tok2, tok1, tok2} { // the second round is served from the cache
		if _, err := v.Verify(ctx, tok); err != nil {
			t.Fatal(err)
		}
	}
	k1, _ := lookup(c, "k1", "RS256")
	k2, _ := lookup(c, "k2", "RS256")

	srv.set(http.StatusOK, doc(rsaJWK("k2", &rsaKey2.PublicKey)))
	clk.Advance(8 * time.Minute) // the refresh-ahead point of the default 10 min
	waitFor(t, "the scheduled refresh", func() bool { return srv.count() == 2 && c.Stats().Keys == 1 })
	if !retired(t, k1, tok1) {
		t.Fatalf("k1 after removal: not retired, want retired")
	}
	if _, err := v.Verify(ctx, tok1); !errors.Is(err, verifier.ErrKeyNotFound) {
		t.Fatalf("cached k1 token after removal: got %v, want ErrKeyNotFound", err)
	}
	k2b, err := lookup(c, "k2", "RS256")
	if err != nil || k2b != k2 || retired(t, k2, tok2) {
		t.Fatalf("k2 after the refresh: got %p (retired %v), %v; want the same key %p, not retired", k2b, retired(t, k2, tok2), err, k2)
	}
	if _, err := v.Verify(ctx, tok2); err != nil {
		t.Fatalf("k2 token: %v", err)
	}
}

// TestF6_StaleIfError: failures keep the last good keys, back off with
// jitter, honour Retry-After, are reported, and MaxStale ends it.
func TestF6_StaleIfError(t *testing.T) {
	failures := map[string]func(w http.ResponseWriter, r *http.Request){
		"500": func(w http.ResponseWriter, r *http.Request) { http.Error(w, "oops", http.StatusInternalServerError) },
		"429_Retry-After": func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Retry-After", "120")
			http.Error(w, "slow down", http.StatusTooManyRequests)
		},
		"connection_reset": func(w http.ResponseWriter, r *http.Request) {
			conn, _, err := w.(http.Hijacker).Hijack()
			if err != nil {
				return
			}
			_ = conn.(*net.TCPConn).SetLinger(0)
			conn.Close()
		},
	}
	for name, fail := range failures {
		t.Run(name, func(t *testing.T) {
			srv := newJWKSServer(t, oneKeyDoc())
			clk := newFakeClock()
			rec := &recorder{}
			c := newCache(t, srv.URL, clk, func(cfg *jwks.Config) { cfg.Observer = rec })
			k1, _ := lookup(c, "k1", "RS256")
			srv.setHandler(fail)

			clk.Advance(8 * time.Minute) // scheduled refresh, which fails
			waitFor(t, "a failed refresh", func() bool { return c.Stats().Failures == 1 && len(rec.outcomes()) == 2 })
			st := c.Stats()
			if k, err := lookup(c, "k1", "RS256"); err != nil || k != k1 {
				t.Fatalf("k1 after a failed refresh: got %v, %v; want the last good key", k, err)
			}
			wantOutcome := jwks.OutcomeHTTPError
			if name == "connection_reset" {
				wantOutcome = jwks.OutcomeNetworkError
			}
			if got := rec.outcomes(); len(got) != 2 || got[0] != jwks.OutcomeOK || got[1] != wantOutcome {
				t.Fatalf("fetch outcomes: got %q, want [ok %s]", got, wantOutcome)
			}
			delay := st.NextRefresh.Sub(st.LastAttempt)
			if name == "429_Retry-After" {
				if delay < 120*time.Second {
					t.Fatalf("next refresh after Retry-After 120: got %v later, want at least 120s", delay)
				}
				// Lookups may not fetch before Retry-After either.
				clk.Advance(60 * time.Second)
				before := srv.count()
				if _, err := lookup(c, "new-kid", "RS256"); !errors.Is(err, verifier.ErrKeyNotFound) {
					t.Fatalf("unknown kid during Retry-After: got %v, want ErrKeyNotFound", err)
				}
				if got := srv.count(); got != before {
					t.Fatalf("fetches during Retry-After: got %d, want %d", got, before)
				}
			} else if delay < 500*time.Millisecond || delay > time.Second {
				t.Fatalf("first backoff: got %v, want within [0.5s, 1s]", delay)
			}

			// Past MaxStale: fail closed, keys retired.
			clk.Advance(24 * time.Hour)
			_, err := lookup(c, "k1", "RS256")
			if !errors.Is(err, verifier.ErrKeysUnavailable) {
				t.Fatalf("k1 past MaxStale: got %v, want ErrKeysUnavailable", err)
			}
			tok1 := rsaToken(t, rsaKey, "k1")
			if !retired(t, k1, tok1) {
				t.Fatalf("k1 past MaxStale: not retired, want retired")
			}
			// Recovery.
			srv.set(http.StatusOK, oneKeyDoc())
			clk.Advance(6 * time.Minute)
			waitFor(t, "recovery", func() bool { return c.Stats().Keys == 1 })
			if k, err := lookup(c, "k1", "RS256"); err != nil || k == k1 || retired(t, k, tok1) {
				t.Fatalf("k1 after recovery: got %p, %v; want a fresh key", k, err)
			}
		})
	}
}

// TestF6_Backoff: consecutive failures double the delay from MinBackoff to
// MaxBackoff, each jittered within [d/2, d].
func TestF6_Backoff(t *testing.T) {
	srv := newJWKSServer(t, oneKeyDoc())
	clk := newFakeClock()
	c := newCache(t, srv.URL, clk, nil)
	srv.set(http.StatusServiceUnavailable, "down")
	clk.Advance(8 * time.Minute)
	want := time.Second
	for n := 1; n <= 12; n++ {
		waitFor(t, fmt.Sprintf("failure %d", n), func() bool { return c.Stats().Failures == n })
		st := c.Stats()
		d := st.NextRefresh.Sub(st.LastAttempt)
		if d < want/2 || d > want {
			t.Fatalf("failure %d: backoff %v, want within [%v, %v]", n, d, want/2, want)
		}
		if k, err := lookup(c, "k1", "RS256"); err != nil || k == nil {
			t.Fatalf("failure %d: k1: %v", n, err)
		}
		want = min(2*want, 5*time.Minute)
		clk.Advance(d)
	}
}

// TestF6_TLSError: a TLS failure of a refresh keeps the last good keys.
func TestF6_TLSError(t *testing.T) {
	pki := newTestPKI(t)
	srv, bad := pki.switchableServer(t, oneKeyDoc())
	clk := newFakeClock()
	rec := &recorder{}
	c := newCache(t, srv.URL, clk, func(cfg *jwks.Config) { cfg.HTTPClient = pki.client(); cfg.Observer = rec })
	bad.Store(true)
	clk.Advance(8 * time.Minute)
	waitFor(t, "a failed refresh", func() bool { return c.Stats().Failures == 1 && len(rec.outcomes()) == 2 })
	if _, err := lookup(c, "k1", "RS256"); err != nil {
		t.Fatalf("k1 after a TLS failure: %v", err)
	}
	if got := rec.outcomes(); len(got) != 2 || got[1] != jwks.OutcomeNetworkError {
		t.Fatalf("outcomes: got %q, want [ok network_error]", got)
	}
}

// TestF7_ColdStart: before the first success lookups fail closed with
// ErrKeysUnavailable, without waiting long; Prefetch makes New fail.
func TestF7_ColdStart(t *testing.T) {
	srv := newJWKSServer(t, "")
	srv.set(http.StatusInternalServerError, "no")
	clk := newFakeClock()
	c, err := jwks.NewWithTimer(jwks.Config{URL: srv.URL, Now: clk.Now}, clk.After)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	start := time.Now()
	for i := 0; i < 3; i++ {
		_, err := lookup(c, "k1", "RS256")
		if !errors.Is(err, verifier.ErrKeysUnavailable) {
			t.Fatalf("lookup %d before any success: got %v, want ErrKeysUnavailable", i, err)
		}
	}
	if el := time.Since(start); el > 2*time.Second {
		t.Fatalf("cold-start lookups took %v, want fail-fast", el)
	}
	if got := srv.count(); got != 1 {
		t.Fatalf("fetches: got %d, want 1 (one attempt, then backoff)", got)
	}
	v := newVerifier(t, c)
	if _, err := v.Verify(context.Background(), rsaToken(t, rsaKey, "k1")); !errors.Is(err, verifier.ErrKeysUnavailable) {
		t.Fatalf("Verify before any success: got %v, want ErrKeysUnavailable", err)
	}
	// The endpoint recovers; the backoff retry picks the keys up.
	srv.set(http.StatusOK, oneKeyDoc())
	clk.Advance(time.Second)
	waitFor(t, "the retry", func() bool { return c.Stats().Keys == 1 })
	if _, err := lookup(c, "k1", "RS256"); err != nil {
		t.Fatalf("after recovery: %v", err)
	}

	t.Run("prefetch_fails", func(t *testing.T) {
		srv.set(http.StatusInternalServerError, "no")
		_, err := jwks.New(jwks.Config{URL: srv.URL, Prefetch: 2 * time.Second})
		if !errors.Is(err, verifier.ErrKeysUnavailable) || !errors.Is(err, jwks.ErrStatus) {
			t.Fatalf("New with Prefetch: got %v, want ErrKeysUnavailable wrapping ErrStatus", err)
		}
	})
	t.Run("prefetch_deadline", func(t *testing.T) {
		release := make(chan struct{})
		defer close(release)
		srv.setHandler(func(w http.ResponseWriter, r *http.Request) {
			select {
			case <-release:
			case <-r.Context().Done():
			}
		})
		start := time.Now()
		_, err := jwks.New(jwks.Config{URL: srv.URL, Prefetch: 200 * time.Millisecond})
		if !errors.Is(err, verifier.ErrKeysUnavailable) {
			t.Fatalf("New with a hanging endpoint: got %v, want ErrKeysUnavailable", err)
		}
		if el := time.Since(start); el > 2*time.Second {
			t.Fatalf("New with Prefetch 200ms took %v", el)
		}
	})
}

// TestWaiterBoundedByOwnContext: a lookup waiting for a fetch gives up when
// its own context ends; other waiters still get the result.
func TestWaiterBoundedByOwnContext(t *testing.T) {
	loadKeys()
	srv := newJWKSServer(t, oneKeyDoc())
	clk := newFakeClock()
	c := newCache(t, srv.URL, clk, nil)
	release := make(chan struct{})
	srv.setHandler(func(w http.ResponseWriter, r *http.Request) {
		<-release
		_, _ = w.Write([]byte(doc(rsaJWK("k1", &rsaKey.PublicKey), rsaJWK("k2", &rsaKey2.PublicKey))))
	})
	clk.Advance(time.Minute)
	patient := make(chan error, 1)
	go func() {
		_, err := lookup(c, "k2", "RS256")
		patient <- err
	}()
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := c.Key(ctx, "k2", "RS256")
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("impatient waiter: got %v, want context.DeadlineExceeded", err)
	}
	if el := time.Since(start); el > time.Second {
		t.Fatalf("impatient waiter returned after %v", el)
	}
	close(release)
	if err := <-patient; err != nil {
		t.Fatalf("patient waiter: got %v, want k2", err)
	}
	if got := srv.count(); got != 2 {
		t.Fatalf("fetches: got %d, want 2", got)
	}
}

// TestF14_CacheControl: max-age is clamped to [1 min, 24 h] (default 10
// min without one), the refresh starts at 80% of it, and never sooner than
// the cooldown.
func TestF14_CacheControl(t *testing.T) {
	for _, tc := range []struct {
		name, header string
		minRefresh   time.Duration
		want         time.Duration
	}{
		{"max-age=0", "max-age=0", 0, 48 * time.Second},
		{"max-age=1", "max-age=1", 0, 48 * time.Second},
		{"max-age=31536000", "max-age=31536000", 0, 24 * time.Hour * 4 / 5},
		{"max-age=3600_public", "public, max-age=3600", 0, 48 * time.Minute},
		{"max-age_garbage", "max-age=soon", 0, 8 * time.Minute},
		{"max-age_negative", "max-age=-5", 0, 8 * time.Minute},
		{"garbage", "%%%", 0, 8 * time.Minute},
		{"absent", "", 0, 8 * time.Minute},
		{"no-store", "no-store", 0, 48 * time.Second},
		{"max-age_huge", "max-age=99999999999999999999999", 0, 24 * time.Hour * 4 / 5},
		{"cooldown_floor", "max-age=0", time.Second, 30 * time.Second},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := newJWKSServer(t, oneKeyDoc())
			if tc.header != "" {
				srv.set(http.StatusOK, oneKeyDoc(), "Cache-Control", tc.header)
			}
			c := newCache(t, srv.URL, newFakeClock(), func(cfg *jwks.Config) { cfg.MinRefreshInterval = tc.minRefresh })
			st := c.Stats()
			if got := st.NextRefresh.Sub(st.LastSuccess); got != tc.want {
				t.Fatalf("next refresh: got %v after the fetch, want %v", got, tc.want)
			}
		})
	}
}

// TestF15_BadBodiesKeepLastGood: invalid JSON, a set with no usable key
// and an empty set do not replace the last good keys; they count as failed
// refreshes.
func TestF15_BadBodiesKeepLastGood(t *testing.T) {
	for _, tc := range []struct{ name, body string }{
		{"invalid_JSON", `{"keys":[`},
		{"not_JSON", `<html>maintenance</html>`},
		{"no_usable_key", `{"keys":[{"kty":"PQC","kid":"q"}]}`},
		{"all_keys_removed", `{"keys":[]}`},
		{"only_oct_keys", doc(octJWK("h1", "HS256", hmacKey))},
		{"duplicate_kids", doc(rsaJWK("k1", &rsaKey.PublicKey), rsaJWK("k1", &rsaKey2.PublicKey))},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := newJWKSServer(t, oneKeyDoc())
			clk := newFakeClock()
			rec := &recorder{}
			c := newCache(t, srv.URL, clk, func(cfg *jwks.Config) { cfg.Observer = rec })
			srv.set(http.StatusOK, tc.body)
			clk.Advance(time.Minute)
			if _, err := lookup(c, "k9", "RS256"); !errors.Is(err, verifier.ErrKeyNotFound) {
				t.Fatalf("unknown kid: got %v, want ErrKeyNotFound", err)
			}
			st := c.Stats()
			if st.Keys != 1 || st.Failures != 1 || !errors.Is(st.LastError, jwks.ErrInvalidSet) {
				t.Fatalf("stats: got %d keys, %d failures, error %v; want 1, 1, ErrInvalidSet", st.Keys, st.Failures, st.LastError)
			}
			if _, err := lookup(c, "k1", "RS256"); err != nil {
				t.Fatalf("k1 after the bad body: %v", err)
			}
			if got := rec.outcomes(); len(got) != 2 || got[1] != jwks.OutcomeParseError {
				t.Fatalf("outcomes: got %q, want [ok parse_error]", got)
			}
		})
	}
}

// TestF16_LookupsDuringRefresh: lookups racing with refreshes always see a
// whole snapshot (run with -race); a key present in every version keeps
// its *verifier.Key.
func TestF16_LookupsDuringRefresh(t *testing.T) {
	loadKeys()
	var n atomic.Int64
	srv := newJWKSServer(t, oneKeyDoc())
	srv.setHandler(func(w http.ResponseWriter, r *http.Request) {
		other := rsaJWK(fmt.Sprintf("r%d", n.Add(1)), &rsaKey2.PublicKey)
		_, _ = w.Write([]byte(doc(rsaJWK("k1", &rsaKey.PublicKey), other)))
	})
	clk := newFakeClock()
	c := newCache(t, srv.URL, clk, func(cfg *jwks.Config) { cfg.Cooldown = time.Second })
	k1, err := lookup(c, "k1", "RS256")
	if err != nil {
		t.Fatal(err)
	}
	stop := make(chan struct{})
	var wg sync.WaitGroup
	var bad atomic.Int64
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				if k, err := lookup(c, "k1", "RS256"); err != nil || k != k1 {
					bad.Add(1)
				}
			}
		}()
	}
	for i := 0; i < 50; i++ {
		clk.Advance(2 * time.Second)
		if _, err := lookup(c, fmt.Sprintf("r%d", n.Load()+1), "RS256"); err != nil {
			t.Errorf("refresh %d: %v", i, err)
		}
	}
	close(stop)
	wg.Wait()
	if r := retired(t, k1, rsaToken(t, rsaKey, "k1")); bad.Load() != 0 || r {
		t.Fatalf("k1 during refreshes: %d bad lookups, retired %v; want 0, false", bad.Load(), r)
	}
	if got := srv.count(); got < 51 {
		t.Fatalf("fetches: got %d, want at least 51", got)
	}
}

// TestM7_RemoteDropsOct: a remote JWKS never provides symmetric keys.
func TestM7_RemoteDropsOct(t *testing.T) {
	loadKeys()
	srv := newJWKSServer(t, doc(rsaJWK("k1", &rsaKey.PublicKey), octJWK("h1", "HS256", hmacKey)))
	clk := newFakeClock()
	c := newCache(t, srv.URL, clk, nil)
	if _, err := lookup(c, "k1", "RS256"); err != nil {
		t.Fatalf("k1: %v", err)
	}
	for _, alg := range []string{"HS256", "RS256"} {
		if _, err := lookup(c, "h1", alg); !errors.Is(err, verifier.ErrKeyNotFound) {
			t.Fatalf("h1 (%s): got %v, want ErrKeyNotFound", alg, err)
		}
	}
	if st := c.Stats(); st.Keys != 1 {
		t.Fatalf("keys: got %d, want 1", st.Keys)
	}
}

// TestClose_StopsGoroutines: Close stops every goroutine the cache
// started, also with a fetch in flight.
func TestClose_StopsGoroutines(t *testing.T) {
	srv := newJWKSServer(t, oneKeyDoc())
	settle := func(limit int) int {
		deadline := time.Now().Add(5 * time.Second)
		n := runtime.NumGoroutine()
		for n > limit && time.Now().Before(deadline) {
			time.Sleep(10 * time.Millisecond)
			runtime.GC()
			n = runtime.NumGoroutine()
		}
		return n
	}
	time.Sleep(50 * time.Millisecond) // let earlier tests' goroutines end
	before := runtime.NumGoroutine()
	for _, slow := range []bool{false, true} {
		clk := newFakeClock()
		c, err := jwks.NewWithTimer(jwks.Config{URL: srv.URL, Now: clk.Now, Prefetch: 5 * time.Second}, clk.After)
		if err != nil {
			t.Fatal(err)
		}
		clk.Advance(time.Minute)
		if _, err := lookup(c, "other", "RS256"); !errors.Is(err, verifier.ErrKeyNotFound) {
			t.Fatalf("lookup: %v", err)
		}
		if slow {
			srv.setHandler(func(w http.ResponseWriter, r *http.Request) { <-r.Context().Done() })
			clk.Advance(time.Minute)
			go func() { _, _ = lookup(c, "third", "RS256") }()
			waitFor(t, "the slow fetch", func() bool { return srv.count() == 3 })
		}
		if runtime.NumGoroutine() <= before {
			t.Fatalf("goroutines while running: got %d, want more than %d", runtime.NumGoroutine(), before)
		}
		start := time.Now()
		if err := c.Close(); err != nil {
			t.Fatalf("Close: %v", err)
		}
		if el := time.Since(start); el > 2*time.Second {
			t.Fatalf("Close took %v", el)
		}
		if err := c.Close(); err != nil {
			t.Fatalf("second Close: %v", err)
		}
		if got := settle(before); got > before {
			buf := make([]byte, 1<<20)
			t.Fatalf("goroutines after Close (slow=%v): got %d, want at most %d\n%s", slow, got, before, buf[:runtime.Stack(buf, true)])
		}
		// Known keys are still answered; nothing is fetched.
		if _, err := lookup(c, "k1", "RS256"); err != nil {
			t.Fatalf("k1 after Close: %v", err)
		}
		srv.set(http.StatusOK, oneKeyDoc())
		srv.requests.Store(0)
	}
}

// TestNotModified: a response with an ETag is revalidated with
// If-None-Match; a 304 confirms the keys (same *verifier.Key, MaxStale
// counted from the confirmation).
func TestNotModified(t *testing.T) {
	var sawINM atomic.Value
	srv := newJWKSServer(t, "")
	srv.setHandler(func(w http.ResponseWriter, r *http.Request) {
		sawINM.Store(r.Header.Get("If-None-Match"))
		if r.Header.Get("If-None-Match") == `"v1"` {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("ETag", `"v1"`)
		_, _ = w.Write([]byte(oneKeyDoc()))
	})
	clk := newFakeClock()
	rec := &recorder{}
	c := newCache(t, srv.URL, clk, func(cfg *jwks.Config) { cfg.Observer = rec; cfg.MaxStale = time.Hour })
	k1, _ := lookup(c, "k1", "RS256")
	for i := 1; i <= 3; i++ { // 3 x 48 min > MaxStale 1 h: only confirmations keep the keys
		clk.Advance(48 * time.Minute)
		waitFor(t, "a revalidation", func() bool { return len(rec.outcomes()) == i+1 })
		if got := sawINM.Load(); got != `"v1"` {
			t.Fatalf("revalidation %d: If-None-Match %q, want \"v1\"", i, got)
		}
		if k, err := lookup(c, "k1", "RS256"); err != nil || k != k1 {
			t.Fatalf("k1 after 304 number %d: got %p, %v; want the same key", i, k, err)
		}
	}
	if got := rec.outcomes(); got[1] != jwks.OutcomeNotModified {
		t.Fatalf("outcomes: got %q, want not_modified after the first", got)
	}
	if st := c.Stats(); st.LastSuccess != clk.Now() || st.Failures != 0 {
		t.Fatalf("stats: last success %v, failures %d; want %v, 0", st.LastSuccess, st.Failures, clk.Now())
	}
}
