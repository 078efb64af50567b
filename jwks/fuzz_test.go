package jwks_test

import (
	"context"
	"errors"
	"testing"

	"github.com/tokengate/tokengate/jwks"
)

// FuzzParse: Parse never panics; it either refuses with ErrInvalidSet or
// returns 1 to 100 keys, each found again by its kid and algorithm. The
// seeds include the key policy tables, certificates and thumbprints (X8)
// among them, and an Auth0-shaped set.
func FuzzParse(f *testing.F) {
	for _, cases := range [][]policyCase{keyPolicyCases33(), keyPolicyCases310(), keyPolicyCases311(), structureCases312(), duplicateCases(), x509Cases()} {
		for _, c := range cases {
			if len(c.doc) < 64<<10 {
				f.Add([]byte(c.doc))
			}
		}
	}
	f.Add([]byte(`{"keys":[{"kty":"RSA","n":"","e":""}]}`))
	f.Add([]byte(`{"keys":[{"kty":"oct","alg":"HS256","k":""}]}`))
	f.Add([]byte(auth0JWKS()))
	f.Add([]byte(`{"keys":[{"kty":"RSA","n":"","e":"","x5c":["MA=="],"x5t":"","x5t#S256":""}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		set, err := jwks.Parse(data)
		if err != nil {
			if set != nil || !errors.Is(err, jwks.ErrInvalidSet) {
				t.Fatalf("Parse: got %v, %v; want nil and ErrInvalidSet", set, err)
			}
			return
		}
		if n := set.Len(); n < 1 || n > 100 {
			t.Fatalf("Len: got %d, want 1..100", n)
		}
		for _, k := range set.Keys() {
			if k.ID() == "" {
				continue // a key without kid is found only when it is the only one of its alg
			}
			got, err := set.Key(context.Background(), k.ID(), k.Algorithm())
			if err != nil || got != k {
				t.Fatalf("Key(%q, %s): got %v, %v; want the key", k.ID(), k.Algorithm(), got, err)
			}
		}
	})
}
