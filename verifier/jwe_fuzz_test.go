package verifier_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/tokengate/tokengate/verifier"
)

// FuzzJWE feeds the JWE path arbitrary five-segment (and other) strings
// derived from valid encrypted tokens. It must never panic, every refusal
// must be a *ValidationError, and what passes is an encrypted token of the
// one signed inner token (or that token itself). The seeds are sealed
// afresh in each fuzzing process (random keys and IVs), so the property
// cannot name them.
func FuzzJWE(f *testing.F) {
	loadKeys()
	inner := innerToken(f)
	pub := &rsaKey2.PublicKey
	for _, tok := range []string{
		seal(f, "RSA-OAEP-256", "A256GCM", pub, map[string]any{"kid": "enc-1"}, []byte(inner)),
		seal(f, "RSA-OAEP-256", "A256GCM", pub, map[string]any{"cty": "at+jwt", "iss": testIss}, []byte(inner)),
		seal(f, "RSA-OAEP-512", "A128CBC-HS256", pub, nil, []byte(inner)),
		seal(f, "ECDH-ES+A256KW", "A256GCM", ecdhKey(f, ecKey).PublicKey(), nil, []byte(inner)),
	} {
		f.Add(tok)
	}
	f.Add(seal(f, "RSA-OAEP-256", "A256GCM", pub, map[string]any{"zip": "DEF"}, []byte(inner)))
	f.Add(`{"protected":"eyJhbGciOiJSU0EtT0FFUC0yNTYifQ","ciphertext":""}`)
	f.Add("a.b.c.d.e")
	f.Add("....")
	f.Add(inner)
	v := newVerifier(f, verifier.Config{
		CacheSize: -1,
		Decryption: verifier.Decryption{
			Keys: []*verifier.DecryptionKey{
				mustDecKey(f, "enc-1", "RSA-OAEP-256", rsaKey2),
				mustDecKey(f, "enc-2", "RSA-OAEP-512", rsaKey2),
				mustDecKey(f, "enc-3", "ECDH-ES+A256KW", ecdhKey(f, ecKey)),
			},
			Algorithms:  []string{"RSA-OAEP-256", "RSA-OAEP-512", "ECDH-ES+A256KW"},
			Encryptions: []string{"A256GCM", "A128CBC-HS256"},
		},
	})
	f.Fuzz(func(t *testing.T, tok string) {
		c, err := v.Verify(context.Background(), tok)
		if err == nil {
			if c == nil || c.Subject != "auth0|alice" || (tok != inner && strings.Count(tok, ".") != 4) {
				t.Fatalf("accepted %q with claims %v", tok, c)
			}
			return
		}
		var ve *verifier.ValidationError
		if !errors.As(err, &ve) || c != nil {
			t.Fatalf("got %T %v with claims %v, want a *ValidationError and no claims", err, err, c)
		}
	})
}
