package bench_test

import (
	"context"
	"encoding/base64"
	"errors"
	"strings"
	"testing"

	"github.com/tokengate/tokengate/bench"
)

// TestCorrectness checks, for every contender and algorithm, that the
// contender accepts the good token and rejects the expired, wrong-audience,
// wrong-issuer and bad-signature tokens; a custom-claims contender must
// also decode the good token's custom claims right and reject the token
// whose roles claim is a string (bench.CheckDecode). The benchmarks run the same check
// before timing and fail rather than time a contender that gets one wrong.
func TestCorrectness(t *testing.T) {
	fx := mustFixtures(t)
	ctx := context.Background()
	for _, alg := range bench.Algorithms {
		f := fx[alg]
		for _, c := range bench.Contenders() {
			if !c.Supports(alg) {
				continue
			}
			t.Run("alg="+alg+"/lib="+c.Name, func(t *testing.T) {
				if c.Custom() {
					decode, done, err := c.NewDecode(f)
					if err != nil {
						t.Fatalf("setup: %v", err)
					}
					defer done()
					if err := bench.CheckDecode(ctx, f, decode); err != nil {
						t.Error(err)
					}
					return
				}
				verify, done, err := c.New(f)
				if err != nil {
					t.Fatalf("setup: %v", err)
				}
				defer done()
				for _, tc := range bench.Cases(f) {
					err := verify(ctx, tc.Token)
					if got := err == nil; got != tc.Accept {
						t.Errorf("%s token: got accepted=%v (err %v), want accepted=%v", tc.Name, got, err, tc.Accept)
					}
				}
				// The good token again: a rejection must not spoil the verifier.
				if err := verify(ctx, f.Good); err != nil {
					t.Errorf("good token after the rejections: got %v, want accepted", err)
				}
			})
		}
	}
}

// TestPrimitive checks the signature floor: it accepts the good signature
// and rejects another token's signature over the same input.
func TestPrimitive(t *testing.T) {
	for alg, f := range mustFixtures(t) {
		t.Run("alg="+alg, func(t *testing.T) {
			good, err := bench.NewPrimitive(f, f.Signature)
			if err != nil {
				t.Fatal(err)
			}
			if !good([]byte(f.SigningInput)) {
				t.Errorf("good signature: got rejected, want accepted")
			}
			bad := append([]byte(nil), f.Signature...)
			bad[len(bad)-1] ^= 1
			p, err := bench.NewPrimitive(f, bad)
			if err != nil {
				t.Fatal(err)
			}
			if p([]byte(f.SigningInput)) {
				t.Errorf("signature with one bit flipped: got accepted, want rejected")
			}
		})
	}
}

// TestUnsupportedHaveReasons: a contender that skips an algorithm says why,
// so that the report can print it.
func TestUnsupportedHaveReasons(t *testing.T) {
	for _, c := range bench.Contenders() {
		for _, alg := range bench.Algorithms {
			if !c.Supports(alg) && c.Unsupported == "" {
				t.Errorf("%s skips %s: got no reason, want one in Unsupported", c.Name, alg)
			}
		}
	}
}

// TestCheckCatches makes sure Check can fail: a verifier that checks the
// signature and nothing else must be caught on every claim case.
func TestCheckCatches(t *testing.T) {
	f := mustFixtures(t)[bench.RS256]
	sigOnly := func(_ context.Context, token string) error {
		i := strings.LastIndexByte(token, '.')
		sig, err := base64.RawURLEncoding.DecodeString(token[i+1:])
		if err != nil {
			return err
		}
		p, err := bench.NewPrimitive(f, sig)
		if err != nil {
			return err
		}
		if !p([]byte(token[:i])) {
			return errors.New("bad signature")
		}
		return nil
	}
	err := bench.Check(context.Background(), f, sigOnly)
	if !errors.Is(err, bench.ErrCheck) {
		t.Fatalf("got %v, want an error wrapping ErrCheck", err)
	}
	for _, name := range []string{"expired", "wrong-audience", "wrong-issuer"} {
		if !strings.Contains(err.Error(), name+" token: got accepted") {
			t.Errorf("got %q, want it to name the %s token", err, name)
		}
	}
	if strings.Contains(err.Error(), "bad-signature") {
		t.Errorf("got %q, want the bad-signature token not named (it is rejected)", err)
	}
}

// TestCheckDecodeCatches makes sure CheckDecode can fail: a contender that
// verifies right but decodes the custom claims wrong, or not at all, or
// accepts the token whose roles claim is a string, is caught.
func TestCheckDecodeCatches(t *testing.T) {
	f := mustFixtures(t)[bench.HS256]
	var tg bench.Contender
	for _, c := range bench.Contenders() {
		if c.Name == bench.NameTokengate {
			tg = c
		}
	}
	verify, done, err := tg.New(f)
	if err != nil {
		t.Fatal(err)
	}
	defer done()
	good := bench.GoodCustom()
	tests := []struct {
		name   string
		decode bench.DecodeFunc
		want   string
	}{
		{"nothing decoded", func(ctx context.Context, tok string) (*bench.CustomClaims, error) {
			return &bench.CustomClaims{}, verify(ctx, tok)
		}, "good token"},
		{"one role short", func(ctx context.Context, tok string) (*bench.CustomClaims, error) {
			c := good
			c.Roles = c.Roles[:2]
			return &c, verify(ctx, tok)
		}, "good token"},
		{"wrong type accepted", func(ctx context.Context, tok string) (*bench.CustomClaims, error) {
			c := good
			return &c, verify(ctx, tok)
		}, "custom-wrong-type token: got accepted"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := bench.CheckDecode(context.Background(), f, tt.decode)
			if !errors.Is(err, bench.ErrCheck) || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("got %v, want an ErrCheck about %q", err, tt.want)
			}
		})
	}
}
