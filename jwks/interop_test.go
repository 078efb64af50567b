package jwks_test

import (
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"encoding/json"
	"testing"

	"github.com/lestrrat-go/jwx/v3/jwk"

	"github.com/tokengate/tokengate/jwks"
)

// TestInteropJWX: a JWKS written by lestrrat-go/jwx parses here, and every
// key we accept is the key jwx reads from the same JWK (no parser
// differential on accepted input).
func TestInteropJWX(t *testing.T) {
	loadKeys()
	set := jwk.NewSet()
	for kid, pub := range map[string]any{
		"rsa": &rsaKey.PublicKey, "p256": &ecKey.PublicKey, "p384": &ec384Key.PublicKey,
		"p521": &ec521Key.PublicKey, "ed": edKey.Public(),
	} {
		k, err := jwk.Import(pub)
		if err != nil {
			t.Fatal(err)
		}
		_ = k.Set(jwk.KeyIDKey, kid)
		_ = k.Set(jwk.KeyUsageKey, "sig")
		if err := set.AddKey(k); err != nil {
			t.Fatal(err)
		}
	}
	data, err := json.Marshal(set)
	if err != nil {
		t.Fatal(err)
	}
	ours, err := jwks.Parse(data)
	if err != nil {
		t.Fatalf("Parse of a jwx-written JWKS: %v", err)
	}
	if ours.Len() != 5 {
		t.Fatalf("keys: got %d, want 5 (dropped %+v)", ours.Len(), ours.Dropped())
	}
	theirs, err := jwk.Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range ours.Keys() {
		jk, ok := theirs.LookupKeyID(k.ID())
		if !ok {
			t.Fatalf("jwx has no key %q", k.ID())
		}
		var raw any
		if err := jwk.Export(jk, &raw); err != nil {
			t.Fatal(err)
		}
		var same bool
		switch p := k.Public().(type) {
		case *rsa.PublicKey:
			same = p.Equal(raw)
		case *ecdsa.PublicKey:
			same = p.Equal(raw)
		case ed25519.PublicKey:
			same = p.Equal(raw)
		}
		if !same {
			t.Fatalf("key %q: ours and jwx's differ", k.ID())
		}
	}
}
