package authtest

import (
	"bytes"
	"context"
	"crypto"
	"crypto/ecdh"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"errors"
	"math/big"
	"net/http"
	"reflect"
	"strings"
	"testing"

	"github.com/tokengate/tokengate/verifier"
)

func TestDiscovery(t *testing.T) {
	tn := newTenant(t, Config{})
	res := get(t, tn, "/.well-known/openid-configuration", "")
	if res.status != http.StatusOK {
		t.Fatalf("got status %d, want 200", res.status)
	}
	if ct := res.header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("Content-Type: got %q, want application/json", ct)
	}
	doc := res.json(t)
	if !strings.HasSuffix(tn.Issuer(), "/") || tn.Issuer() != tn.URL+"/" {
		t.Fatalf("Issuer(): got %q, want %q", tn.Issuer(), tn.URL+"/")
	}
	for field, want := range map[string]any{
		"issuer":                 tn.Issuer(),
		"jwks_uri":               tn.URL + "/.well-known/jwks.json",
		"token_endpoint":         tn.URL + "/oauth/token",
		"userinfo_endpoint":      tn.URL + "/userinfo",
		"authorization_endpoint": tn.URL + "/authorize",
	} {
		if doc[field] != want {
			t.Errorf("%s: got %v, want %v", field, doc[field], want)
		}
	}
	for field, want := range map[string][]any{
		"id_token_signing_alg_values_supported": {"RS256"},
		"grant_types_supported":                 {GrantClientCredentials, GrantPassword, GrantPasswordRealm},
		"token_endpoint_auth_methods_supported": {"client_secret_basic", "client_secret_post", "private_key_jwt"},
		"subject_types_supported":               {"public"},
	} {
		if got, _ := doc[field].([]any); !reflect.DeepEqual(got, want) {
			t.Errorf("%s: got %v, want %v", field, doc[field], want)
		}
	}
	if tn.JWKSURL() != doc["jwks_uri"] {
		t.Errorf("JWKSURL(): got %q, want %v", tn.JWKSURL(), doc["jwks_uri"])
	}
}

type jwksDoc struct {
	Keys []jwk `json:"keys"`
}

func fetchJWKS(t *testing.T, tn *Tenant) (jwksDoc, response) {
	t.Helper()
	res := get(t, tn, "/.well-known/jwks.json", "")
	if res.status != http.StatusOK {
		t.Fatalf("JWKS: got status %d, want 200", res.status)
	}
	var doc jwksDoc
	if err := json.Unmarshal(res.body, &doc); err != nil {
		t.Fatalf("JWKS body: %v", err)
	}
	return doc, res
}

func b64Int(t *testing.T, s string) *big.Int {
	t.Helper()
	b, err := base64.RawURLEncoding.Strict().DecodeString(s)
	if err != nil {
		t.Fatalf("base64url %q: %v", s, err)
	}
	return new(big.Int).SetBytes(b)
}

func TestJWKSContent(t *testing.T) {
	tn := newTenant(t, Config{})
	doc, res := fetchJWKS(t, tn)
	if got, want := res.header.Get("Cache-Control"), "public, max-age=600"; got != want {
		t.Errorf("Cache-Control: got %q, want %q", got, want)
	}
	if len(doc.Keys) != 2 {
		t.Fatalf("got %d keys, want 2 (RSA and EC)", len(doc.Keys))
	}
	r, e := doc.Keys[0], doc.Keys[1]
	if r.Kty != "RSA" || r.Alg != "RS256" || r.Use != "sig" || r.Kid != tn.SigningKeyID("RS256") {
		t.Errorf("RSA key: got %+v, want kty RSA, alg RS256, use sig, kid %q", r, tn.SigningKeyID("RS256"))
	}
	pub := testRSA().PublicKey
	if b64Int(t, r.N).Cmp(pub.N) != 0 || b64Int(t, r.E).Int64() != int64(pub.E) || r.E != "AQAB" {
		t.Errorf("RSA key: n or e differ from the configured key (e=%q)", r.E)
	}
	if e.Kty != "EC" || e.Alg != "ES256" || e.Crv != "P-256" || e.Use != "sig" || e.Kid != tn.SigningKeyID("ES256") {
		t.Errorf("EC key: got %+v, want kty EC, alg ES256, crv P-256, kid %q", e, tn.SigningKeyID("ES256"))
	}
	ec := testEC().PublicKey
	point, err := ec.Bytes() // 0x04 || X || Y
	if err != nil {
		t.Fatal(err)
	}
	x, errX := base64.RawURLEncoding.DecodeString(e.X)
	y, errY := base64.RawURLEncoding.DecodeString(e.Y)
	if errX != nil || errY != nil || !bytes.Equal(x, point[1:33]) || !bytes.Equal(y, point[33:]) {
		t.Errorf("EC key: x or y differ from the configured key or are not 32 bytes")
	}
	if _, err := ecdh.P256().NewPublicKey(append([]byte{4}, append(x, y...)...)); err != nil {
		t.Errorf("EC key: point not on P-256: %v", err)
	}
	// The JWKS, the KeySet and the Tenant as a KeySource hold the same keys.
	if n := tn.KeySet().Len(); n != 2 {
		t.Errorf("KeySet().Len(): got %d, want 2", n)
	}
	k, err := tn.Key(context.Background(), r.Kid, "RS256")
	if err != nil {
		t.Fatalf("Key(RSA kid): %v", err)
	}
	if got, ok := k.Public().(*rsa.PublicKey); !ok || !got.Equal(&pub) {
		t.Errorf("Key(RSA kid): got %T, want the configured RSA public key", k.Public())
	}
	if _, err := tn.Key(context.Background(), r.Kid, "ES256"); !errors.Is(err, verifier.ErrKeyNotFound) {
		t.Errorf("Key(RSA kid, ES256): got %v, want ErrKeyNotFound", err)
	}
}

func TestJWKSCacheControl(t *testing.T) {
	tn := newTenant(t, Config{JWKSCacheControl: "public, max-age=15, stale-while-revalidate=15"})
	_, res := fetchJWKS(t, tn)
	if got, want := res.header.Get("Cache-Control"), "public, max-age=15, stale-while-revalidate=15"; got != want {
		t.Errorf("Cache-Control: got %q, want %q", got, want)
	}
}

func TestGeneratedKeys(t *testing.T) {
	// No keys given: the tenant makes its own, and they work end to end.
	tn, err := NewTenant(Config{})
	if err != nil {
		t.Fatal(err)
	}
	defer tn.Close()
	shared, err := newSigningKey(testRSA())
	if err != nil {
		t.Fatal(err)
	}
	if kid := tn.SigningKeyID("RS256"); kid == "" || kid == shared.kid {
		t.Fatalf("SigningKeyID: got %q, want a fresh key's kid", kid)
	}
	tok := tn.AccessToken("someone", testAPI)
	if _, err := verify(t, tn, tok, verifier.Config{Audience: []string{testAPI}}); err != nil {
		t.Fatalf("token of a generated key: %v", err)
	}
	if tn.SigningKeyID("PS256") != "" {
		t.Errorf("SigningKeyID(PS256): got %q, want empty", tn.SigningKeyID("PS256"))
	}
}

func TestRotation(t *testing.T) {
	tn := newTenant(t, Config{})
	ctx := context.Background()
	oldKID := tn.SigningKeyID("RS256")
	oldTok := tn.AccessToken("u1", testAPI)

	// A verifier on the Tenant follows the keys; one on a snapshot does not.
	live, err := verifier.New(verifier.Config{Issuer: tn.Issuer(), Audience: []string{testAPI}, Keys: tn})
	if err != nil {
		t.Fatal(err)
	}
	snapshot := tn.KeySet()

	newKID, err := tn.RotateTo(testRSA2())
	if err != nil {
		t.Fatalf("RotateTo: %v", err)
	}
	if newKID == oldKID || tn.SigningKeyID("RS256") != newKID {
		t.Fatalf("after rotation: signing kid %q, want new kid %q (old %q)", tn.SigningKeyID("RS256"), newKID, oldKID)
	}
	doc, _ := fetchJWKS(t, tn)
	var kids []string
	for _, k := range doc.Keys {
		kids = append(kids, k.Kid)
	}
	if want := []string{oldKID, tn.SigningKeyID("ES256"), newKID}; !reflect.DeepEqual(kids, want) {
		t.Fatalf("published kids after rotation: got %v, want %v", kids, want)
	}
	newTok := tn.AccessToken("u2", testAPI)
	if got := decodePart(t, newTok, 0)["kid"]; got != newKID {
		t.Errorf("new token kid: got %v, want %q", got, newKID)
	}
	for name, tok := range map[string]string{"old": oldTok, "new": newTok} {
		if _, err := live.Verify(ctx, tok); err != nil {
			t.Errorf("%s token after rotation: %v", name, err)
		}
	}
	if _, err := snapshot.Key(ctx, newKID, "RS256"); !errors.Is(err, verifier.ErrKeyNotFound) {
		t.Errorf("snapshot taken before rotation: got %v, want ErrKeyNotFound for the new kid", err)
	}

	// Removing the old key revokes its tokens, cached ones included.
	if err := tn.RemoveKey(oldKID); err != nil {
		t.Fatalf("RemoveKey(old): %v", err)
	}
	if _, err := live.Verify(ctx, oldTok); !errors.Is(err, verifier.ErrKeyNotFound) {
		t.Errorf("old token after RemoveKey: got %v, want ErrKeyNotFound", err)
	}
	if _, err := live.Verify(ctx, newTok); err != nil {
		t.Errorf("new token after RemoveKey: %v", err)
	}
	doc, _ = fetchJWKS(t, tn)
	if len(doc.Keys) != 2 || doc.Keys[1].Kid != newKID {
		t.Errorf("JWKS after RemoveKey: got %+v, want the EC key and %q", doc.Keys, newKID)
	}

	for name, kid := range map[string]string{"current RSA": newKID, "current EC": tn.SigningKeyID("ES256"), "unknown": "nope", "removed": oldKID} {
		if err := tn.RemoveKey(kid); !errors.Is(err, ErrKey) {
			t.Errorf("RemoveKey(%s): got %v, want ErrKey", name, err)
		}
	}
	if _, err := tn.RotateTo(testRSA2()); !errors.Is(err, ErrKey) {
		t.Errorf("RotateTo(published key): got %v, want ErrKey", err)
	}
}

func TestRotateGeneratesAndRotatesEC(t *testing.T) {
	tn := newTenant(t, Config{})
	kid, err := tn.Rotate()
	if err != nil || kid == "" || tn.SigningKeyID("RS256") != kid {
		t.Fatalf("Rotate: got kid %q, err %v; signing kid %q", kid, err, tn.SigningKeyID("RS256"))
	}
	ec, err := generateEC()
	if err != nil {
		t.Fatal(err)
	}
	oldEC := tn.SigningKeyID("ES256")
	ecKID, err := tn.RotateTo(ec)
	if err != nil || tn.SigningKeyID("ES256") != ecKID || ecKID == oldEC {
		t.Fatalf("RotateTo(EC): kid %q err %v, signing %q, old %q", ecKID, err, tn.SigningKeyID("ES256"), oldEC)
	}
	tok, err := tn.Mint(Token{Alg: "ES256", Claims: map[string]any{"sub": "x", "aud": testAPI}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := verify(t, tn, tok, verifier.Config{Audience: []string{testAPI}, Algorithms: []string{"ES256"}}); err != nil {
		t.Errorf("ES256 token after EC rotation: %v", err)
	}
	if err := tn.RemoveKey(oldEC); err != nil {
		t.Errorf("RemoveKey(old EC): %v", err)
	}
}

func TestRotateToRefusesUnsuitableKeys(t *testing.T) {
	tn := newTenant(t, Config{})
	p384, err := ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	small, err := rsa.GenerateKey(rand.Reader, 1024)
	if err != nil {
		t.Fatal(err)
	}
	_, ed, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name string
		key  crypto.Signer
	}{
		{"P-384 EC key", p384},
		{"RSA 1024", small},
		{"Ed25519", ed},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if _, err := tn.RotateTo(c.key); !errors.Is(err, ErrKey) {
				t.Errorf("got %v, want ErrKey", err)
			}
		})
	}
	if n := tn.KeySet().Len(); n != 2 {
		t.Errorf("keys after refused rotations: got %d, want 2", n)
	}
}

func TestNewTenantConfigErrors(t *testing.T) {
	small, err := rsa.GenerateKey(rand.Reader, 1024)
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name string
		cfg  Config
	}{
		{"non-loopback address", Config{Addr: "0.0.0.0:0"}},
		{"bad address", Config{Addr: "nonsense"}},
		{"negative TTL", Config{TokenTTL: -1}},
		{"weak RSA key", Config{RSAKey: small}},
		{"client without ID", Config{Clients: []Client{{Secret: "x"}}}},
		{"duplicate client", Config{Clients: []Client{{ID: "a"}, {ID: "a"}}}},
		{"public client with client_credentials", Config{Clients: []Client{{ID: "a", GrantTypes: []string{GrantClientCredentials}}}}},
		{"unknown grant type", Config{Clients: []Client{{ID: "a", GrantTypes: []string{"implicit"}}}}},
		{"grant with empty audience", Config{Clients: []Client{{ID: "a", Secret: "s", Grants: map[string][]string{"": {"x"}}}}}},
		{"client unknown organization", Config{Clients: []Client{{ID: "a", Secret: "s", Organizations: []string{"nope"}}}}},
		{"user without ID", Config{Users: []User{{Email: "a@b", Password: "p"}}}},
		{"user without password", Config{Users: []User{{ID: "a", Email: "a@b"}}}},
		{"user without login", Config{Users: []User{{ID: "a", Password: "p"}}}},
		{"duplicate user", Config{Users: []User{{ID: "a", Email: "a@b", Password: "p"}, {ID: "auth0|a", Email: "c@d", Password: "p"}}}},
		{"duplicate login", Config{Users: []User{{ID: "a", Email: "A@b", Password: "p"}, {ID: "b", Email: "a@B", Password: "p"}}}},
		{"unknown role", Config{Users: []User{{ID: "a", Email: "a@b", Password: "p", Roles: []string{"nope"}}}}},
		{"unknown organization", Config{Users: []User{{ID: "a", Email: "a@b", Password: "p", Organizations: []Membership{{Organization: "nope"}}}}}},
		{"member twice", Config{
			Organizations: []Organization{{Name: "o"}},
			Users:         []User{{ID: "a", Email: "a@b", Password: "p", Organizations: []Membership{{Organization: "o"}, {Organization: "o"}}}},
		}},
		{"unknown org role", Config{
			Organizations: []Organization{{Name: "o"}},
			Users:         []User{{ID: "a", Email: "a@b", Password: "p", Organizations: []Membership{{Organization: "o", Roles: []string{"nope"}}}}},
		}},
		{"role without name", Config{Roles: []Role{{ID: "rol_1"}}}},
		{"duplicate role", Config{Roles: []Role{{Name: "r"}, {Name: "r"}}}},
		{"permission without API", Config{Roles: []Role{{Name: "r", Permissions: []Permission{{Name: "p"}}}}}},
		{"organization without name", Config{Organizations: []Organization{{ID: "org_1"}}}},
		{"upper-case organization name", Config{Organizations: []Organization{{Name: "Acme"}}}},
		{"organization ID without org_", Config{Organizations: []Organization{{ID: "acme", Name: "acme"}}}},
		{"duplicate organization", Config{Organizations: []Organization{{Name: "acme"}, {Name: "acme"}}}},
		{"empty API", Config{APIs: []string{""}}},
		{"organization ID with a space", Config{Organizations: []Organization{{ID: "org_a b", Name: "acme"}}}},
		{"organization ID org_ alone", Config{Organizations: []Organization{{ID: "org_", Name: "acme"}}}},
		{"invitation to an unknown organization", invitationConfig(Invitation{Organization: "nope", Email: "a@b"})},
		{"invitation without email", invitationConfig(Invitation{Organization: "o"})},
		{"invitation for an unknown user", invitationConfig(Invitation{Organization: "o", Email: "x@y"})},
		{"invitation of a member", invitationConfig(Invitation{Organization: "m", Email: "a@b"})},
		{"invitation ID without uinv_", invitationConfig(Invitation{ID: "inv_1", Organization: "o", Email: "a@b"})},
		{"invitation ID uinv_ alone", invitationConfig(Invitation{ID: "uinv_", Organization: "o", Email: "a@b"})},
		{"invitation twice", invitationConfig(Invitation{Organization: "o", Email: "a@b"}, Invitation{Organization: "o", Email: "A@B"})},
		{"invitation with an unknown role", invitationConfig(Invitation{Organization: "o", Email: "a@b", Roles: []string{"nope"}})},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if c.cfg.RSAKey == nil {
				c.cfg.RSAKey = testRSA()
			}
			c.cfg.ECKey = testEC()
			tn, err := NewTenant(c.cfg)
			if err == nil {
				tn.Close()
				t.Fatal("got no error, want one")
			}
			if !errors.Is(err, ErrConfig) {
				t.Errorf("got %v, want an error wrapping ErrConfig", err)
			}
		})
	}
}

func TestCloseIsIdempotent(t *testing.T) {
	tn := newTenant(t, Config{})
	tn.Close()
	tn.Close()
	if _, err := tn.Client().Get(tn.JWKSURL()); err == nil {
		t.Error("request after Close: got no error, want one")
	}
}

func TestTLS(t *testing.T) {
	tn := newTenant(t, Config{TLS: true})
	if !strings.HasPrefix(tn.URL, "https://127.0.0.1:") {
		t.Fatalf("URL: got %q, want https://127.0.0.1:port", tn.URL)
	}
	res := get(t, tn, "/.well-known/openid-configuration", "")
	if res.status != http.StatusOK || res.json(t)["jwks_uri"] != tn.URL+"/.well-known/jwks.json" {
		t.Fatalf("discovery over TLS: got %d %s", res.status, res.body)
	}
	// A client that does not trust the test certificate fails.
	plain := &http.Client{Timeout: clientTimeout}
	if res, err := plain.Get(tn.JWKSURL()); err == nil {
		res.Body.Close()
		t.Error("untrusted client: got no error, want a certificate error")
	}
}

// invitationConfig is a tenant with organizations o and m, user a@b a
// member of m, and the given invitations.
func invitationConfig(invs ...Invitation) Config {
	return Config{
		Organizations: []Organization{{Name: "o"}, {Name: "m"}},
		Users:         []User{{ID: "a", Email: "a@b", Password: "p", Organizations: []Membership{{Organization: "m"}}}},
		Invitations:   invs,
	}
}
