package verifier_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/tokengate/tokengate/verifier"
)

// TestX6CacheSizeIsABound (SECURITY.md X6): Config.CacheSize is the
// number of tokens the verified-token cache may hold, exactly: never more,
// and, once enough distinct tokens went through, that many.
func TestX6CacheSizeIsABound(t *testing.T) {
	loadKeys()
	secret, err := verifier.Secret(hmacKey)
	if err != nil {
		t.Fatal(err)
	}
	const tokens = 600
	toks := make([]string, tokens)
	for i := range toks {
		toks[i] = sign(t, "HS256", hmacKey, `{"alg":"HS256","typ":"JWT"}`, claims(map[string]any{"jti": fmt.Sprintf("t%d", i)}))
	}
	for _, size := range []int{1, 2, 3, 15, 16, 17, 100} {
		t.Run(fmt.Sprint(size), func(t *testing.T) {
			v := newVerifier(t, verifier.Config{Algorithms: []string{"HS256"}, Keys: secret, CacheSize: size})
			for i, tok := range toks {
				if _, err := v.Verify(context.Background(), tok); err != nil {
					t.Fatal(err)
				}
				if n := v.Stats().CacheEntries; n > size {
					t.Fatalf("after %d distinct tokens: got CacheEntries %d, want at most CacheSize %d", i+1, n, size)
				}
			}
			if n := v.Stats().CacheEntries; n != size {
				t.Errorf("after %d distinct tokens: got CacheEntries %d, want the cache full at %d", tokens, n, size)
			}
			// The cache still answers: the last token is a hit.
			rec := &recorder{}
			v2 := newVerifier(t, verifier.Config{Algorithms: []string{"HS256"}, Keys: secret, CacheSize: size, Observer: rec})
			for range 2 {
				if _, err := v2.Verify(context.Background(), toks[0]); err != nil {
					t.Fatal(err)
				}
			}
			if v2.Stats().CacheHits != 1 {
				t.Errorf("second Verify of one token with CacheSize %d: got a miss, want a hit", size)
			}
		})
	}
}
