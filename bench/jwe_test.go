package bench_test

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"strings"
	"sync"
	"testing"

	"github.com/tokengate/tokengate/bench"
)

var jweFixture = sync.OnceValues(func() (*bench.JWEFixture, error) {
	fx, err := fixtures()
	if err != nil {
		return nil, err
	}
	return bench.NewJWEFixture(fx[bench.RS256])
})

func mustJWEFixture(tb testing.TB) *bench.JWEFixture {
	tb.Helper()
	f, err := jweFixture()
	if err != nil {
		tb.Fatalf("JWE fixture: %v", err)
	}
	return f
}

// TestJWECorrectness: every JWE contender accepts the good encrypted token
// and refuses one with a flipped ciphertext bit or tag bit, encryptions of
// an expired, a wrong-audience and a badly signed inner token, and the
// plain inner token; then accepts the good token again.
func TestJWECorrectness(t *testing.T) {
	f := mustJWEFixture(t)
	ctx := context.Background()
	for _, c := range bench.JWEContenders() {
		t.Run("lib="+c.Name, func(t *testing.T) {
			verify, err := c.New(f)
			if err != nil {
				t.Fatalf("setup: %v", err)
			}
			for _, tc := range bench.JWECases(f) {
				err := verify(ctx, tc.Token)
				if got := err == nil; got != tc.Accept {
					t.Errorf("%s token: got accepted=%v (err %v), want accepted=%v", tc.Name, got, err, tc.Accept)
				}
			}
			if err := verify(ctx, f.Good); err != nil {
				t.Errorf("good token after the refusals: got %v, want accepted", err)
			}
		})
	}
}

// TestJWEPrimitive: the floor passes the good token and fails the tampered
// ones (the GCM tag catches both flips) and the good token with a bit of
// its inner signature flipped.
func TestJWEPrimitive(t *testing.T) {
	f := mustJWEFixture(t)
	badSig := append([]byte(nil), f.Inner.Signature...)
	badSig[len(badSig)-1] ^= 1
	for _, tc := range []struct {
		name  string
		token string
		sig   []byte
		want  bool
	}{
		{"good", f.Good, f.Inner.Signature, true},
		{"tampered-ciphertext", f.TamperedCiphertext, f.Inner.Signature, false},
		{"tampered-tag", f.TamperedTag, f.Inner.Signature, false},
		{"inner-signature-flipped", f.Good, badSig, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, err := bench.NewJWEPrimitive(f, tc.token, tc.sig)
			if err != nil {
				t.Fatal(err)
			}
			if got := p(); got != tc.want {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}
}

// decryptOnly opens a JWE of the fixture and checks nothing inside: what
// CheckJWE must catch.
func decryptOnly(f *bench.JWEFixture) bench.VerifyFunc {
	return func(_ context.Context, token string) error {
		p := strings.Split(token, ".")
		if len(p) != 5 {
			return errors.New("not a JWE")
		}
		var seg [5][]byte
		for i := 1; i < 5; i++ {
			var err error
			if seg[i], err = base64.RawURLEncoding.DecodeString(p[i]); err != nil {
				return err
			}
		}
		cek, err := rsa.DecryptOAEP(sha256.New(), nil, f.Key, seg[1], nil)
		if err != nil {
			return err
		}
		block, err := aes.NewCipher(cek)
		if err != nil {
			return err
		}
		gcm, err := cipher.NewGCM(block)
		if err != nil {
			return err
		}
		_, err = gcm.Open(nil, seg[2], append(seg[3], seg[4]...), []byte(p[0]))
		return err
	}
}

// TestCheckJWECatches makes sure CheckJWE can fail: a contender that only
// decrypts must be caught on each inner case, and contenders that accept
// or refuse everything.
func TestCheckJWECatches(t *testing.T) {
	f := mustJWEFixture(t)
	ctx := context.Background()
	err := bench.CheckJWE(ctx, f, decryptOnly(f))
	if !errors.Is(err, bench.ErrCheck) {
		t.Fatalf("decrypt-only contender: got %v, want an error wrapping ErrCheck", err)
	}
	for _, name := range []string{"inner-expired", "inner-wrong-audience", "inner-bad-signature"} {
		if !strings.Contains(err.Error(), name) {
			t.Errorf("decrypt-only contender: got %v, want it to name %s", err, name)
		}
	}
	if strings.Contains(err.Error(), "tampered") {
		t.Errorf("decrypt-only contender: got %v, want the tampered tokens refused by the decryption", err)
	}
	if err := bench.CheckJWE(ctx, f, func(context.Context, string) error { return nil }); err == nil {
		t.Error("accept-all contender: got nil, want an error")
	}
	if err := bench.CheckJWE(ctx, f, func(context.Context, string) error { return errors.New("no") }); err == nil {
		t.Error("refuse-all contender: got nil, want an error")
	}
}
