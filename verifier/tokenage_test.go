package verifier_test

import (
	"context"
	"errors"
	"math"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tokengate/tokengate/verifier"
)

// TestFH7MaxTokenAge: Config.MaxTokenAge refuses tokens issued longer ago
// than it (express maxTokenAge, Envoy max_lifetime), as expired, with the
// claim iat; a token without iat is refused as missing a claim; the
// verified-token cache re-checks the age on every hit (SECURITY.md 3.28).
func TestFH7MaxTokenAge(t *testing.T) {
	loadKeys()
	now := testNow.Unix()
	tests := []struct {
		name    string
		age     time.Duration
		leeway  time.Duration
		iat     any // nil: absent
		want    error
		claim   string
		message string
	}{
		{name: "FH7/fresh", age: time.Hour, iat: now - 60},
		{name: "FH7/just-inside", age: time.Hour, iat: now - 3600},
		{name: "FH7/too-old", age: time.Hour, iat: now - 3601, want: verifier.ErrExpired, claim: "iat", message: "older than MaxTokenAge (1h0m0s)"},
		{name: "FH7/leeway", age: time.Hour, leeway: time.Minute, iat: now - 3660},
		{name: "FH7/beyond-leeway", age: time.Hour, leeway: time.Minute, iat: now - 3661, want: verifier.ErrExpired, claim: "iat"},
		{name: "FH7/fractional", age: time.Second, iat: float64(now) - 1.5, want: verifier.ErrExpired, claim: "iat"},
		{name: "FH7/epoch", age: time.Hour, iat: 0, want: verifier.ErrExpired, claim: "iat"},
		{name: "FH7/missing", age: time.Hour, iat: nil, want: verifier.ErrMissingClaim, claim: "iat"},
		{name: "FH7/future", age: time.Hour, iat: 253402300799, want: verifier.ErrNotYetValid, claim: "iat"},
		{name: "FH7/negative", age: time.Hour, iat: -1, want: verifier.ErrMalformed},
		{name: "FH7/huge", age: time.Hour, iat: 1e300, want: verifier.ErrMalformed},
		{name: "FH7/max-duration", age: math.MaxInt64, iat: 0},
		{name: "FH7/off", age: 0, iat: 0},
		{name: "FH7/off-missing", age: 0, iat: nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := newVerifier(t, verifier.Config{MaxTokenAge: tt.age, Leeway: tt.leeway})
			tok := sign(t, "RS256", rsaKey, hdr("RS256", "k1"), claims(map[string]any{"iat": tt.iat}))
			_, err := v.Verify(context.Background(), tok)
			if !errors.Is(err, tt.want) || (tt.want == nil) != (err == nil) {
				t.Fatalf("Verify: got %v, want %v", err, tt.want)
			}
			if err == nil {
				return
			}
			var ve *verifier.ValidationError
			if tt.claim != "" && (!errors.As(err, &ve) || ve.Claim != tt.claim) {
				t.Errorf("got claim %v, want %q", err, tt.claim)
			}
			if !strings.Contains(err.Error(), tt.message) {
				t.Errorf("got %q, want it to contain %q", err, tt.message)
			}
		})
	}
	t.Run("FH7/negative-config", func(t *testing.T) {
		_, err := verifier.New(verifier.Config{Issuer: testIss, Audience: []string{testAud}, Keys: mustSet(t), MaxTokenAge: -time.Second})
		if !errors.Is(err, verifier.ErrConfig) {
			t.Fatalf("New: got %v, want ErrConfig", err)
		}
	})
	t.Run("FH7/cache-hit", func(t *testing.T) {
		var clock atomic.Int64
		clock.Store(testNow.UnixNano())
		v := newVerifier(t, verifier.Config{MaxTokenAge: 10 * time.Minute, Now: func() time.Time { return time.Unix(0, clock.Load()) }})
		tok := sign(t, "RS256", rsaKey, hdr("RS256", "k1"), claims(map[string]any{"iat": now - 60}))
		for i := range 2 { // a miss, then a hit
			if _, err := v.Verify(context.Background(), tok); err != nil {
				t.Fatalf("Verify %d: %v", i, err)
			}
		}
		clock.Add(int64(10 * time.Minute)) // 11 minutes after iat; exp is an hour after now
		if _, err := v.Verify(context.Background(), tok); !errors.Is(err, verifier.ErrExpired) {
			t.Fatalf("Verify after MaxTokenAge: got %v, want ErrExpired", err)
		}
	})
}
