package verifier_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/tokengate/tokengate/verifier"
)

// TestSU2CheckMaxAge: CheckMaxAge (per-route step-up) and WithMaxAge (per
// call) are one rule: auth_time present, not in the future, no older than
// the max age, each with Leeway.
func TestSU2CheckMaxAge(t *testing.T) {
	now := testNow.Unix()
	cases := []struct {
		name     string
		authTime string // raw JSON value, "" for none
		maxAge   time.Duration
		leeway   time.Duration
		ok       bool
	}{
		{"SU2/recent", fmt.Sprint(now - 10), time.Minute, 0, true},
		{"SU2/at the limit", fmt.Sprint(now - 60), time.Minute, 0, true},
		{"SU2/too old", fmt.Sprint(now - 61), time.Minute, 0, false},
		{"SU2/too old within leeway", fmt.Sprint(now - 61), time.Minute, 5 * time.Second, true},
		{"SU2/fraction too old", fmt.Sprintf("%d.5", now-61), time.Minute, 0, false},
		{"SU2/missing", "", time.Minute, 0, false},
		{"SU2/max age zero now", fmt.Sprint(now), 0, 0, true},
		{"SU2/max age zero past", fmt.Sprint(now - 1), 0, 0, false},
		{"SU2/negative max age", fmt.Sprint(now), -time.Second, 0, false},
		{"SU2/in the future", fmt.Sprint(now + 1), time.Hour, 0, false},
		{"SU2/far future", "9999999999", time.Hour, 0, false},
		{"SU2/future within leeway", fmt.Sprint(now + 3), time.Hour, 5 * time.Second, true},
		{"SU2/future beyond leeway", fmt.Sprint(now + 6), time.Hour, 5 * time.Second, false},
		{"SU2/epoch", "0", time.Hour, 0, false},
		{"SU2/huge max age", "0", time.Duration(1<<63 - 1), 0, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			v := hsVerifier(t, verifier.Config{Leeway: tc.leeway})
			extra := ""
			if tc.authTime != "" {
				extra = `"auth_time":` + tc.authTime
			}
			tok := customToken(t, extra)
			c, err := v.Verify(context.Background(), tok)
			if err != nil {
				t.Fatalf("Verify: %v", err)
			}
			errCheck := v.CheckMaxAge(c, tc.maxAge)
			_, errOpt := v.Verify(context.Background(), tok, verifier.WithMaxAge(tc.maxAge))
			for name, err := range map[string]error{"CheckMaxAge": errCheck, "WithMaxAge": errOpt} {
				if tc.ok && err != nil {
					t.Errorf("%s: got %v, want nil", name, err)
				}
				if !tc.ok && !errors.Is(err, verifier.ErrMaxAge) {
					t.Errorf("%s: got %v, want ErrMaxAge", name, err)
				}
			}
		})
	}
	t.Run("SU2/nil claims", func(t *testing.T) {
		if err := hsVerifier(t, verifier.Config{}).CheckMaxAge(nil, time.Hour); !errors.Is(err, verifier.ErrMaxAge) {
			t.Errorf("got %v, want ErrMaxAge", err)
		}
	})
}

// TestSU4HostileAuthTime: an auth_time that is not a NumericDate in range
// refuses the token itself, whatever the route asks.
func TestSU4HostileAuthTime(t *testing.T) {
	v := hsVerifier(t, verifier.Config{})
	for name, raw := range map[string]string{
		"SU4/negative": "-1", "SU4/huge": "1e300", "SU4/beyond maxDate": "1e20", "SU4/string": `"1800000000"`,
		"SU4/null": "null", "SU4/array": "[1800000000]", "SU4/bool": "true",
	} {
		t.Run(name, func(t *testing.T) {
			if _, err := v.Verify(context.Background(), customToken(t, `"auth_time":`+raw)); !errors.Is(err, verifier.ErrMalformed) {
				t.Errorf("got %v, want ErrMalformed", err)
			}
		})
	}
}
