package jwks_test

import (
	"strconv"
	"testing"

	"github.com/tokengate/tokengate/jwks"
	"github.com/tokengate/tokengate/verifier"
)

// TestJ6KeyLimitIsTheVerifiers: a JWKS holds at most as many keys as a
// verifier key set, one bound declared once (verifier.MaxKeys), so that a
// set Parse accepts is never one NewKeySet refuses, and the other way round.
func TestJ6KeyLimitIsTheVerifiers(t *testing.T) {
	loadKeys()
	k1 := rsaJWK("k1", &rsaKey.PublicKey)
	many := func(n int) string {
		keys := make([]any, n)
		for i := range keys {
			keys[i] = with(k1, "kid", strconv.Itoa(i))
		}
		return doc(keys...)
	}
	for _, tc := range []struct {
		name string
		n    int
		ok   bool
	}{
		{"MaxKeys", verifier.MaxKeys, true},
		{"MaxKeys+1", verifier.MaxKeys + 1, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, err := jwks.Parse([]byte(many(tc.n)))
			if (err == nil) != tc.ok {
				t.Fatalf("Parse of %d keys: got error %v, want accepted %v", tc.n, err, tc.ok)
			}
			if tc.ok && s.Len() != tc.n {
				t.Errorf("Parse of %d keys: got %d keys, want %d", tc.n, s.Len(), tc.n)
			}
		})
	}
}
