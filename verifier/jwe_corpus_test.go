package verifier_test

import (
	"context"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/tokengate/tokengate/verifier"
)

// jweCorpus is testdata/jose-jwe-vectors.json, written by
// interop/gen-jwe-vectors.mjs with the npm package jose.
type jweCorpus struct {
	Now        int64             `json:"now"`
	Issuer     string            `json:"issuer"`
	Audience   string            `json:"audience"`
	SigningKey string            `json:"signing_key"`
	Keys       map[string]string `json:"keys"`
	Vectors    []struct {
		Name  string `json:"name"`
		Token string `json:"token"`
		Alg   string `json:"alg"`
		Enc   string `json:"enc"`
		Key   string `json:"key"`
		Kid   string `json:"kid"`
		Want  string `json:"want"`
	} `json:"vectors"`
}

func parsePEM(t *testing.T, s string, public bool) any {
	t.Helper()
	blk, _ := pem.Decode([]byte(s))
	if blk == nil {
		t.Fatal("no PEM block")
	}
	var k any
	var err error
	if public {
		k, err = x509.ParsePKIXPublicKey(blk.Bytes)
	} else {
		k, err = x509.ParsePKCS8PrivateKey(blk.Bytes)
	}
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// TestJWECorpus (JW19): encrypted tokens made by the npm package jose,
// valid ones for every alg and enc offered and broken ones, each with its
// outcome (verifier.Reason).
func TestJWECorpus(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("testdata", "jose-jwe-vectors.json"))
	if err != nil {
		t.Fatal(err)
	}
	var c jweCorpus
	if err := json.Unmarshal(b, &c); err != nil {
		t.Fatal(err)
	}
	if len(c.Vectors) < 20 {
		t.Fatalf("got %d vectors, want the whole corpus", len(c.Vectors))
	}
	sigKey, err := verifier.NewKey("sig-1", "RS256", parsePEM(t, c.SigningKey, true))
	if err != nil {
		t.Fatal(err)
	}
	keys := map[string]any{}
	for name, v := range c.Keys {
		if len(v) > 0 && v[0] == '-' {
			keys[name] = parsePEM(t, v, false)
			continue
		}
		if keys[name], err = base64.RawURLEncoding.DecodeString(v); err != nil {
			t.Fatal(err)
		}
	}
	for _, vec := range c.Vectors {
		t.Run("JW19/jose: "+vec.Name, func(t *testing.T) {
			dk, err := verifier.NewDecryptionKey(vec.Kid, vec.Alg, keys[vec.Key])
			if err != nil {
				t.Fatal(err)
			}
			ks, err := verifier.NewKeySet(sigKey)
			if err != nil {
				t.Fatal(err)
			}
			v, err := verifier.New(verifier.Config{
				Issuer: c.Issuer, Audience: []string{c.Audience}, Keys: ks,
				Now:        func() time.Time { return time.Unix(c.Now, 0) },
				Decryption: verifier.Decryption{Keys: []*verifier.DecryptionKey{dk}, Algorithms: []string{vec.Alg}, Encryptions: []string{vec.Enc}},
			})
			if err != nil {
				t.Fatal(err)
			}
			_, err = v.Verify(context.Background(), vec.Token)
			if got := verifier.Reason(err); got != vec.Want {
				t.Errorf("got %s (%v), want %s", got, err, vec.Want)
			}
		})
	}
}
