package verifier_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tokengate/tokengate/internal/hook"
	"github.com/tokengate/tokengate/verifier"
)

// tcCounted counts the decodings of its claim.
type tcCounted struct {
	Tenant tcCounter `json:"https://example.com/tenant"`
	Roles  []string  `json:"https://example.com/roles"`
}

type tcCounter string

var counterCalls atomic.Int64

func (c *tcCounter) UnmarshalJSON(b []byte) error {
	counterCalls.Add(1)
	*c = tcCounter(b)
	return nil
}

const tcCountedMembers = `"https://example.com/tenant":"acme","https://example.com/roles":["a","b"]`

// TestTC6DecodedOncePerCachedToken (SECURITY.md TC6): with the
// verified-token cache on, a token's custom claims are decoded on its
// first Verify only; every later call, by any goroutine, gets the same
// value (run with -race: concurrent readers of one cached value, hook
// included). First calls that race each verify and decode (the cache keeps
// the first to finish); from their second call on, all share its value.
// With the cache off, every call decodes.
func TestTC6DecodedOncePerCachedToken(t *testing.T) {
	var hookCalls atomic.Int64
	var seen sync.Map // *tcCounted the hook saw -> true
	cfg := verifier.TypedConfig[tcCounted]{Validate: func(_ context.Context, c *verifier.Claims, custom *tcCounted) error {
		hookCalls.Add(1)
		seen.Store(custom, true)
		// Readers of the shared value, to give -race something to see.
		if len(custom.Roles) != 2 || custom.Tenant == "" || c.Subject == "" {
			return errors.New("bad value")
		}
		return nil
	}}
	t.Run("cached", func(t *testing.T) {
		counterCalls.Store(0)
		hookCalls.Store(0)
		v := hsVerifier(t, verifier.Config{})
		tv := mustTyped(t, v, cfg)
		tok := customToken(t, tcCountedMembers)
		const goroutines, calls = 8, 200
		seconds := make([]*tcCounted, goroutines)
		var wg sync.WaitGroup
		var fails atomic.Int64
		for g := range goroutines {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := range calls {
					_, got, err := tv.Verify(context.Background(), tok)
					if err != nil {
						fails.Add(1)
						continue
					}
					if i == 1 {
						seconds[g] = got
					}
					if got.Tenant != `"acme"` || got.Roles[1] != "b" {
						fails.Add(1)
					}
				}
			}()
		}
		wg.Wait()
		if n := fails.Load(); n != 0 {
			t.Fatalf("got %d failed calls, want 0", n)
		}
		// Racing first calls may each decode, but all keep one value.
		if n := counterCalls.Load(); n < 1 || n > goroutines {
			t.Errorf("UnmarshalJSON ran %d times, want 1 (at most %d when first calls race)", n, goroutines)
		}
		_, last, _ := tv.Verify(context.Background(), tok)
		for g, p := range seconds {
			if p != last {
				t.Errorf("goroutine %d got %p, want the shared %p", g, p, last)
			}
		}
		before := counterCalls.Load()
		for range 100 {
			tv.Verify(context.Background(), tok)
		}
		if n := counterCalls.Load() - before; n != 0 {
			t.Errorf("100 cache hits decoded %d times, want 0", n)
		}
		if n := hookCalls.Load(); n != goroutines*calls+1+100 {
			t.Errorf("hook ran %d times, want once per call (%d)", n, goroutines*calls+1+100)
		}
		n, shared := 0, false
		seen.Range(func(k, _ any) bool {
			n++
			shared = shared || k.(*tcCounted) == last
			return true
		})
		if n > goroutines || !shared {
			t.Errorf("the hook saw %d values (the shared one: %v), want the shared one and at most one per racing first call", n, shared)
		}
	})
	t.Run("uncached", func(t *testing.T) {
		counterCalls.Store(0)
		v := hsVerifier(t, verifier.Config{CacheSize: -1})
		tv := mustTyped(t, v, cfg)
		tok := customToken(t, tcCountedMembers)
		for range 10 {
			if _, _, err := tv.Verify(context.Background(), tok); err != nil {
				t.Fatal(err)
			}
		}
		if n := counterCalls.Load(); n != 10 {
			t.Errorf("UnmarshalJSON ran %d times for 10 uncached calls, want 10", n)
		}
	})
	t.Run("two-types-one-token", func(t *testing.T) {
		v := hsVerifier(t, verifier.Config{})
		a := mustTyped(t, v, verifier.TypedConfig[tcCounted]{})
		b := mustTyped(t, v, verifier.TypedConfig[tcProfileClaims]{})
		a2 := mustTyped(t, v, verifier.TypedConfig[tcCounted]{})
		tok := customToken(t, tcCountedMembers+`,"https://example.com/profile":{"team":"t"}`)
		_, x, errA := a.Verify(context.Background(), tok)
		_, y, errB := b.Verify(context.Background(), tok)
		_, x2, errA2 := a2.Verify(context.Background(), tok)
		if errA != nil || errB != nil || errA2 != nil {
			t.Fatal(errA, errB, errA2)
		}
		if y.Profile.Team != "t" || x.Roles[0] != "a" {
			t.Errorf("got %+v and %+v", x, y)
		}
		if x2 != x {
			t.Errorf("two Typed of one type: got %p and %p, want one shared value", x, x2)
		}
	})
}

type tcProfileClaims struct {
	Profile tcProfile `json:"https://example.com/profile"`
}

// errTCRejected is the error of the hooks of TestTC7ValidateHook.
var errTCRejected = errors.New("tenant not allowed")

// TestTC7ValidateHook (SECURITY.md TC7): the Validate hook runs after the
// signature, the registered claims and the per-call options, on every
// call (cache hits too); its error refuses the token with a
// *ValidationError that matches ErrClaimsRejected and the hook's own error
// (Reason "claims_rejected"); its panic refuses the token too.
func TestTC7ValidateHook(t *testing.T) {
	var calls atomic.Int64
	hookFn := func(_ context.Context, c *verifier.Claims, custom *tcStrict) error {
		calls.Add(1)
		switch custom.Tenant {
		case "evil":
			return fmt.Errorf("tenant %s: %w", "evil", errTCRejected)
		case "panic":
			panic("hook bug")
		case "cancel":
			return context.Canceled
		}
		return nil
	}
	clock := newFakeClock(testNow)
	v := hsVerifier(t, verifier.Config{Now: clock.Now})
	tv := mustTyped(t, v, verifier.TypedConfig[tcStrict]{Validate: hookFn})
	tenant := func(s string) string { return customToken(t, `"https://example.com/tenant":"`+s+`","org_id":"org_1"`) }
	tests := []struct {
		id    string
		tok   string
		opts  []verifier.Option
		want  error
		calls int64 // hook calls this Verify makes
	}{
		{"TC7/accepted", tenant("good"), nil, nil, 1},
		{"TC7/accepted-hit", tenant("good"), nil, nil, 1},
		{"TC7/rejected", tenant("evil"), nil, errTCRejected, 1},
		{"TC7/rejected-hit", tenant("evil"), nil, verifier.ErrClaimsRejected, 1},
		{"TC7/panic", tenant("panic"), nil, hook.ErrPanic, 1},
		{"TC7/context-error", tenant("cancel"), nil, context.Canceled, 1},
		{"TC7/option-first", tenant("evil"), []verifier.Option{verifier.WithOrganization("org_2")}, verifier.ErrOrganization, 0},
		{"TC7/option-first-hit", tenant("good"), []verifier.Option{verifier.WithOrganization("org_2")}, verifier.ErrOrganization, 0},
		{"TC7/option-passes-hit", tenant("good"), []verifier.Option{verifier.WithOrganization("org_1")}, nil, 1},
		{"TC7/decode-first", customToken(t, `"https://example.com/tenant":"evil","small":1000`), nil, verifier.ErrMalformed, 0},
		{"TC7/signature-first", tenant("evil")[:strings.LastIndexByte(tenant("evil"), '.')] + tenant("good")[strings.LastIndexByte(tenant("good"), '.'):], nil, verifier.ErrSignature, 0},
	}
	for _, tt := range tests {
		t.Run(tt.id, func(t *testing.T) {
			before := calls.Load()
			c, got, err := tv.Verify(context.Background(), tt.tok, tt.opts...)
			if n := calls.Load() - before; n != tt.calls {
				t.Errorf("hook ran %d times, want %d", n, tt.calls)
			}
			if tt.want == nil {
				if err != nil || c == nil || got == nil {
					t.Fatalf("got %v, %v, %v; want claims", c, got, err)
				}
				return
			}
			if !errors.Is(err, tt.want) || c != nil || got != nil {
				t.Fatalf("got %v, %v, %v; want %v alone", c, got, err, tt.want)
			}
			if errors.Is(tt.want, verifier.ErrMalformed) || errors.Is(tt.want, verifier.ErrSignature) || errors.Is(tt.want, verifier.ErrOrganization) {
				return
			}
			if !errors.Is(err, verifier.ErrClaimsRejected) || verifier.Reason(err) != "claims_rejected" {
				t.Errorf("got %v (reason %s), want ErrClaimsRejected, reason claims_rejected", err, verifier.Reason(err))
			}
			var ve *verifier.ValidationError
			if !errors.As(err, &ve) {
				t.Errorf("got %T, want a *ValidationError", err)
			}
		})
	}
	// A token that expired since it was cached is refused before the hook.
	clock.Advance(2 * time.Hour)
	before := calls.Load()
	if _, _, err := tv.Verify(context.Background(), tenant("good")); !errors.Is(err, verifier.ErrExpired) {
		t.Fatalf("expired: got %v, want ErrExpired", err)
	}
	if calls.Load() != before {
		t.Errorf("the hook ran for an expired token")
	}
}

// TestTypedObserved: a Typed's refusals reach the Verifier's Observer as
// one event per call, like Verify's own.
func TestTypedObserved(t *testing.T) {
	rec := &recorder{}
	v := hsVerifier(t, verifier.Config{Observer: rec})
	tv := mustTyped(t, v, verifier.TypedConfig[tcStrict]{})
	tok := customToken(t, `"small":1000`)
	for i := range 2 {
		if _, _, err := tv.Verify(context.Background(), tok); !errors.Is(err, verifier.ErrMalformed) {
			t.Fatalf("call %d: got %v, want ErrMalformed", i, err)
		}
	}
	if n := rec.len(); n != 2 {
		t.Fatalf("got %d events, want 2", n)
	}
	if e := rec.last(t); !e.CacheHit || !errors.Is(e.Err, verifier.ErrMalformed) {
		t.Errorf("second event: got %+v, want a cache hit refused as malformed", e)
	}
}
