package verifier_test

import (
	"context"
	"testing"
)

func TestSmoke(t *testing.T) {
	v := newVerifier(t, verifierConfigAll())
	for _, alg := range []string{"RS256", "ES256"} {
		var tok string
		if alg == "RS256" {
			tok = sign(t, alg, rsaKey, hdr(alg, "k1"), claims(nil))
		} else {
			tok = sign(t, alg, ecKey, hdr(alg, "e1"), claims(nil))
		}
		for i := 0; i < 2; i++ {
			c, err := v.Verify(context.Background(), tok)
			if err != nil {
				t.Fatalf("%s: %v", alg, err)
			}
			if c.Subject != "auth0|alice" || !c.HasScope("read:items") || len(c.Audience) != 2 {
				t.Fatalf("claims %+v", c)
			}
		}
	}
}
