package verifier_test

import (
	"context"
	"testing"

	"github.com/tokengate/tokengate/verifier"
)

// benchCustom are the four namespaced claims of the bench module's fixture:
// a string, a list of three strings, an object of two strings and a bool.
type benchCustom struct {
	Tenant  string   `json:"https://tokengate.example/tenant"`
	Roles   []string `json:"https://tokengate.example/roles"`
	Profile struct {
		Team   string `json:"team"`
		Region string `json:"region"`
	} `json:"https://tokengate.example/profile"`
	Beta bool `json:"https://tokengate.example/beta"`
}

func benchCustomClaims() string {
	return claims(map[string]any{
		"permissions":                       []string{"read:items", "write:items", "delete:items"},
		"org_id":                            "org_7rWcG3Sxv1XNqX9Z",
		"https://tokengate.example/tenant":  "acme-eu",
		"https://tokengate.example/roles":   []string{"admin", "editor", "viewer"},
		"https://tokengate.example/profile": map[string]string{"team": "platform", "region": "eu-west-1"},
		"https://tokengate.example/beta":    true,
	})
}

// BenchmarkTyped: Typed.Verify with the four custom claims, uncached (the
// decoding on every call) and cached (a hit returns the decoded value);
// Verify on the same token, for the difference.
func BenchmarkTyped(b *testing.B) {
	loadKeys()
	tok := sign(b, "HS256", hmacKey, hdr("HS256", "k1"), benchCustomClaims())
	ctx := context.Background()
	for _, size := range []int{-1, 0} {
		name := "cached"
		if size < 0 {
			name = "uncached"
		}
		secret, err := verifier.Secret(hmacKey)
		if err != nil {
			b.Fatal(err)
		}
		v := newVerifier(b, verifier.Config{Algorithms: []string{"HS256"}, Keys: secret, CacheSize: size})
		tv, err := verifier.NewTyped(v, verifier.TypedConfig[benchCustom]{})
		if err != nil {
			b.Fatal(err)
		}
		b.Run("Verify/"+name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := v.Verify(ctx, tok); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run("Typed/"+name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				_, c, err := tv.Verify(ctx, tok)
				if err != nil || c.Tenant != "acme-eu" || len(c.Roles) != 3 || c.Profile.Region != "eu-west-1" || !c.Beta {
					b.Fatalf("got %+v, %v", c, err)
				}
			}
		})
	}
}
