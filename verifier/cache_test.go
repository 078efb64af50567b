package verifier_test

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tokengate/tokengate/verifier"
)

// SECURITY.md 3.18: the verified-token cache, with a fake clock, an
// observer that records cache hits, and key sources whose keys get retired.

// recorder is an Observer that keeps the events.
type recorder struct {
	mu     sync.Mutex
	events []verifier.Event
}

func (r *recorder) ObserveVerify(_ context.Context, e verifier.Event) {
	r.mu.Lock()
	r.events = append(r.events, e)
	r.mu.Unlock()
}

// len returns the number of events.
func (r *recorder) len() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.events)
}

// last returns the last event.
func (r *recorder) last(t testing.TB) verifier.Event {
	t.Helper()
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.events) == 0 {
		t.Fatal("no event observed")
	}
	return r.events[len(r.events)-1]
}

// rotatingSource serves the current snapshot of a key set, as a JWKS cache
// does between refreshes.
type rotatingSource struct {
	cur atomic.Pointer[verifier.KeySet]
}

func (s *rotatingSource) Key(ctx context.Context, kid, alg string) (*verifier.Key, error) {
	return s.cur.Load().Key(ctx, kid, alg)
}

// verifyStep is one Verify call of a cache scenario and what it must give.
func verifyStep(t *testing.T, v *verifier.Verifier, rec *recorder, tok string, want error, hit bool, opts ...verifier.Option) {
	t.Helper()
	hits := v.Stats().CacheHits
	events := rec.len()
	c, err := v.Verify(context.Background(), tok, opts...)
	checkOutcome(t, tok, c, err, want, "")
	counted := v.Stats().CacheHits - hits
	if want == nil && hit {
		// A hit that returns claims is counted, not observed.
		if counted != 1 || rec.len() != events {
			t.Errorf("got %d counted hits and %d events, want a hit counted and no event", counted, rec.len()-events)
		}
		return
	}
	if counted != 0 {
		t.Errorf("got %d counted hits, want 0 (error %v)", counted, err)
	}
	if e := rec.last(t); e.CacheHit != hit {
		t.Errorf("got CacheHit %v, want %v (error %v)", e.CacheHit, hit, err)
	}
}

// verifyHit calls Verify and reports whether the verified-token cache
// answered: a hit that returns claims is counted (Stats.CacheHits), a hit
// refused by a per-call option is an Event with CacheHit.
func verifyHit(t *testing.T, v *verifier.Verifier, rec *recorder, tok string, opts ...verifier.Option) (*verifier.Claims, error, bool) {
	t.Helper()
	hits, events := v.Stats().CacheHits, rec.len()
	c, err := v.Verify(context.Background(), tok, opts...)
	if v.Stats().CacheHits != hits {
		return c, err, true
	}
	return c, err, rec.len() > events && rec.last(t).CacheHit
}

func wantCacheLen(t *testing.T, v *verifier.Verifier, n int) {
	t.Helper()
	if got := v.Stats().CacheEntries; got != n {
		t.Errorf("got %d cached tokens, want %d", got, n)
	}
}

func TestVerifiedTokenCache(t *testing.T) {
	loadKeys()
	t.Run("VC1", func(t *testing.T) {
		clock := newFakeClock(testNow)
		rec := &recorder{}
		v := newVerifier(t, verifier.Config{Now: clock.Now, Observer: rec})
		tok := rs(payload(fmt.Sprintf(`"exp":%d`, now+60), "exp"))(t)
		verifyStep(t, v, rec, tok, nil, false)
		verifyStep(t, v, rec, tok, nil, true)
		wantCacheLen(t, v, 1)
		clock.Advance(59 * time.Second)
		verifyStep(t, v, rec, tok, nil, true)
		clock.Advance(time.Second) // now == exp
		verifyStep(t, v, rec, tok, errExp, false)
		wantCacheLen(t, v, 0) // evicted
		clock.Advance(time.Hour)
		verifyStep(t, v, rec, tok, errExp, false)
		clock.Set(testNow) // a clock set back verifies afresh
		verifyStep(t, v, rec, tok, nil, false)
		verifyStep(t, v, rec, tok, nil, true)
	})
	t.Run("VC1/nbf-on-hit", func(t *testing.T) {
		clock := newFakeClock(testNow)
		rec := &recorder{}
		v := newVerifier(t, verifier.Config{Now: clock.Now, Observer: rec})
		tok := rs(payload(fmt.Sprintf(`"nbf":%d`, now)))(t)
		verifyStep(t, v, rec, tok, nil, false)
		clock.Set(testNow.Add(-time.Second)) // the clock steps back before nbf
		verifyStep(t, v, rec, tok, errNbf, false)
		wantCacheLen(t, v, 0)
	})
	t.Run("VC1/leeway", func(t *testing.T) {
		clock := newFakeClock(testNow)
		rec := &recorder{}
		v := newVerifier(t, verifier.Config{Now: clock.Now, Observer: rec, Leeway: 30 * time.Second})
		tok := rs(payload(fmt.Sprintf(`"exp":%d`, now+60), "exp"))(t)
		verifyStep(t, v, rec, tok, nil, false)
		clock.Advance(89 * time.Second)
		verifyStep(t, v, rec, tok, nil, true)
		clock.Advance(time.Second)
		verifyStep(t, v, rec, tok, errExp, false)
	})
	t.Run("VC2", func(t *testing.T) {
		rec := &recorder{}
		k1 := key("k1", "RS256", rsaPub())
		k2 := key("k2", "RS256", &rsaKey2.PublicKey)
		src := &rotatingSource{}
		src.cur.Store(set(k1, k2))
		v := newVerifier(t, verifier.Config{Keys: src, Observer: rec})
		tok1 := rs(claims(nil))(t)
		tok2 := signed("RS256", rsaPriv2, hdr("RS256", "k2"), claims(nil))(t)
		verifyStep(t, v, rec, tok1, nil, false)
		verifyStep(t, v, rec, tok2, nil, false)
		verifyStep(t, v, rec, tok1, nil, true)
		// The source drops k1, which NextKeySet retires, as a JWKS refresh
		// does.
		next, err := verifier.NextKeySet(src.cur.Load(), k2)
		if err != nil {
			t.Fatal(err)
		}
		src.cur.Store(next)
		verifyStep(t, v, rec, tok1, errKid, false)
		wantCacheLen(t, v, 1)
		verifyStep(t, v, rec, tok2, nil, true)
	})
	t.Run("VC2/retired-but-still-served", func(t *testing.T) {
		// A key retired by one source but still offered (by a buggy or a
		// second source) never answers from the cache.
		rec := &recorder{}
		keys := set(key("k1", "RS256", rsaPub()))
		v := newVerifier(t, verifier.Config{Keys: keys, Observer: rec})
		tok := rs(claims(nil))(t)
		verifyStep(t, v, rec, tok, nil, false)
		if _, err := verifier.NextKeySet(keys); err != nil { // retires k1
			t.Fatal(err)
		}
		for range 3 {
			verifyStep(t, v, rec, tok, nil, false)
		}
	})
	t.Run("VC3", func(t *testing.T) {
		rec := &recorder{}
		keys := set(key("k1", "RS256", rsaPub()))
		v1 := newVerifier(t, verifier.Config{Keys: keys, Observer: rec})
		vAud := newVerifier(t, verifier.Config{Keys: keys, Observer: rec, Audience: []string{"other-api"}})
		vIss := newVerifier(t, verifier.Config{Keys: keys, Observer: rec, Issuer: "https://other.example.com/"})
		vID := newVerifier(t, verifier.Config{Keys: keys, Observer: rec, Kind: verifier.IDToken, ClientID: "client-2"})
		vAzp := newVerifier(t, verifier.Config{Keys: keys, Observer: rec, AuthorizedParties: []string{"client-2"}})
		tok := rs(claims(nil))(t)
		verifyStep(t, v1, rec, tok, nil, false)
		verifyStep(t, v1, rec, tok, nil, true)
		verifyStep(t, vAud, rec, tok, errAud, false)
		verifyStep(t, vIss, rec, tok, errIss, false)
		verifyStep(t, vID, rec, tok, errAzp, false)
		verifyStep(t, vAzp, rec, tok, errAzp, false)
		for _, v := range []*verifier.Verifier{vAud, vIss, vID, vAzp} {
			wantCacheLen(t, v, 0)
		}
	})
	t.Run("VC3/options-on-hit", func(t *testing.T) {
		rec := &recorder{}
		v := newVerifier(t, verifier.Config{Observer: rec})
		tok := rs(payload(`"nonce":"n1","org_id":"org_1","auth_time":1799999000`))(t)
		verifyStep(t, v, rec, tok, nil, false)
		verifyStep(t, v, rec, tok, errNonce, true, verifier.WithNonce("n2"))
		verifyStep(t, v, rec, tok, errOrg, true, verifier.WithOrganization("org_2"))
		verifyStep(t, v, rec, tok, errAge, true, verifier.WithMaxAge(time.Minute))
		verifyStep(t, v, rec, tok, nil, true, verifier.WithNonce("n1"), verifier.WithOrganization("org_1"), verifier.WithMaxAge(time.Hour))
	})
	t.Run("VC3/failed-options-still-cache", func(t *testing.T) {
		// A token whose configuration checks pass is cached even when a
		// per-call option fails: the options run again on every hit.
		rec := &recorder{}
		v := newVerifier(t, verifier.Config{Observer: rec})
		tok := rs(payload(`"nonce":"n1"`))(t)
		verifyStep(t, v, rec, tok, errNonce, false, verifier.WithNonce("n2"))
		verifyStep(t, v, rec, tok, errNonce, true, verifier.WithNonce("n2"))
		verifyStep(t, v, rec, tok, nil, true, verifier.WithNonce("n1"))
	})
	t.Run("VC4", func(t *testing.T) {
		rec := &recorder{}
		v := newVerifier(t, verifier.Config{Observer: rec})
		big := rs(payload(`"pad":"` + strings.Repeat("x", 4096) + `"`))(t)
		if len(big) <= 4096 {
			t.Fatalf("token of %d bytes, want > 4096", len(big))
		}
		verifyStep(t, v, rec, big, nil, false)
		verifyStep(t, v, rec, big, nil, false)
		wantCacheLen(t, v, 0)
		// Just under the cap: cached.
		small := rs(claims(nil))(t)
		verifyStep(t, v, rec, small, nil, false)
		verifyStep(t, v, rec, small, nil, true)
	})
	t.Run("VC4/bound", func(t *testing.T) {
		cfg := verifier.Config{CacheSize: 32}
		hs256Cfg(&cfg)
		v := newVerifier(t, cfg)
		for i := range 500 {
			tok := sign(t, "HS256", hmacKey, hdr("HS256", ""), payload(fmt.Sprintf(`"jti":"%d"`, i)))
			if _, err := v.Verify(context.Background(), tok); err != nil {
				t.Fatalf("token %d: %v", i, err)
			}
			if n := v.Stats().CacheEntries; n > 32 {
				t.Fatalf("after %d tokens: got %d cached, want at most 32", i+1, n)
			}
		}
		if n := v.Stats().CacheEntries; n < 16 {
			t.Errorf("got %d cached tokens after 500, want the cache in use (>= 16)", n)
		}
	})
	t.Run("VC4/off", func(t *testing.T) {
		rec := &recorder{}
		v := newVerifier(t, verifier.Config{Observer: rec, CacheSize: -1})
		tok := rs(claims(nil))(t)
		for range 3 {
			verifyStep(t, v, rec, tok, nil, false)
		}
		wantCacheLen(t, v, 0)
	})
	t.Run("VC5", func(t *testing.T) {
		rec := &recorder{}
		v := newVerifier(t, verifier.Config{Observer: rec})
		tok := rs(claims(nil))(t)
		verifyStep(t, v, rec, tok, nil, false)
		i := strings.LastIndexByte(tok, '.')
		nc, ok := nonCanonical(tok[i+1:])
		if !ok {
			t.Fatal("signature has no unused bits")
		}
		variants := []string{tok[:i+1] + nc, tok + "=", tok[:i+1] + "=" + tok[i+1:]}
		for _, bad := range variants {
			for range 2 {
				verifyStep(t, v, rec, bad, errMalformed, false)
			}
		}
		wantCacheLen(t, v, 1)
		verifyStep(t, v, rec, tok, nil, true)
	})
}

// Z5: a flood of tokens with random signatures leaves the cache empty.
func TestCacheFloodZ5(t *testing.T) {
	loadKeys()
	cfg := verifier.Config{}
	hs256Cfg(&cfg)
	v := newVerifier(t, cfg)
	head := b64([]byte(hdr("HS256", ""))) + "." + b64([]byte(payload(`"pad":"`+strings.Repeat("p", 6000)+`"`)))
	small := b64([]byte(hdr("HS256", ""))) + "." + b64([]byte(claims(nil)))
	for i := range 2000 {
		sig := make([]byte, 32)
		rand.Read(sig)
		h := head
		if i%2 == 0 {
			h = small // under the 4 KiB cache cap, so only the check keeps it out
		}
		_, err := v.Verify(context.Background(), h+"."+b64(sig))
		if !errors.Is(err, verifier.ErrSignature) {
			t.Fatalf("token %d: got %v, want ErrSignature", i, err)
		}
	}
	wantCacheLen(t, v, 0)
}

// The cache under concurrent hits, misses, expiry and retirement (run with
// -race).
func TestCacheConcurrent(t *testing.T) {
	loadKeys()
	clock := newFakeClock(testNow)
	k := key("h", "HS256", hmacKey)
	cfg := verifier.Config{Keys: set(k), Algorithms: []string{"HS256"}, Now: clock.Now, CacheSize: 64}
	v := newVerifier(t, cfg)
	var toks []string
	for i := range 200 {
		toks = append(toks, sign(t, "HS256", hmacKey, hdr("HS256", "h"), payload(fmt.Sprintf(`"jti":"%d","exp":%d`, i, now+int64(i)), "exp")))
	}
	var wg sync.WaitGroup
	var fails atomic.Int64
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 2000 {
				tok := toks[(g*31+i)%len(toks)]
				c, err := v.Verify(context.Background(), tok)
				if (c == nil) == (err == nil) {
					fails.Add(1)
				}
				if err != nil && !errors.Is(err, verifier.ErrExpired) {
					fails.Add(1)
				}
				if g == 0 && i%100 == 0 {
					clock.Advance(time.Second)
				}
			}
		}()
	}
	wg.Wait()
	if n := fails.Load(); n != 0 {
		t.Fatalf("got %d inconsistent results, want 0", n)
	}
	if n := v.Stats().CacheEntries; n > 64 {
		t.Fatalf("got %d cached, want at most 64", n)
	}
}

// The Observer sees one event per Verify, but for the cache hits that
// return claims (counted in Stats): outcome, cache hit, algorithm, and no
// token data.
func TestObserver(t *testing.T) {
	loadKeys()
	rec := &recorder{}
	v := newVerifier(t, verifier.Config{Observer: rec, Algorithms: []string{"RS256", "ES256"}})
	good := rs(claims(nil))(t)
	es := signed("ES256", ecPriv, hdr("ES256", "e1"), claims(nil))(t)
	steps := []struct {
		tok  string
		err  error
		hit  bool
		algo string
	}{
		{good, nil, false, "RS256"},
		{good, nil, true, "RS256"},
		{es, nil, false, "ES256"},
		{flipLastSigByte(good), verifier.ErrSignature, false, "RS256"},
		{raw(parts(`{"alg":"none"}`, claims(nil), "c2ln"))(t), verifier.ErrAlgorithm, false, ""},
		{"garbage", verifier.ErrMalformed, false, ""},
	}
	events := 0
	for i, s := range steps {
		n := rec.len()
		_, err := v.Verify(context.Background(), s.tok)
		if s.hit && s.err == nil {
			// Counted (Stats), not observed.
			if rec.len() != n {
				t.Errorf("step %d: a cache hit that returned claims was observed, want it only counted", i)
			}
			continue
		}
		events++
		e := rec.last(t)
		// The event holds the class (the sentinel), never Verify's
		// message, which may quote the kid (HK1).
		if e.Err != s.err || !errors.Is(err, s.err) {
			t.Errorf("step %d: event error %v, Verify %v; want %v", i, e.Err, err, s.err)
		}
		if e.CacheHit != s.hit || e.Algorithm != s.algo {
			t.Errorf("step %d: got hit %v alg %q, want %v %q", i, e.CacheHit, e.Algorithm, s.hit, s.algo)
		}
		if e.Duration < 0 || s.hit && (e.Duration != 0 || !e.Start.IsZero()) || !s.hit && e.Start.IsZero() {
			t.Errorf("step %d: got start %v duration %v, want a start and a duration >= 0, none on a cache hit (hits are not timed)", i, e.Start, e.Duration)
		}
	}
	if rec.len() != events {
		t.Errorf("got %d events, want %d", rec.len(), events)
	}
	if got := v.Stats().CacheHits; got != 1 {
		t.Errorf("got %d counted cache hits, want 1", got)
	}
}
