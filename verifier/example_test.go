package verifier_test

import (
	"context"
	"crypto"
	"crypto/hmac"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"sync/atomic"
	"time"

	"github.com/tokengate/tokengate/verifier"
)

// mintRS256 and mintHS256 stand in for the identity provider of the
// examples: they sign claims as compact JWTs.
func mintRS256(key *rsa.PrivateKey, kid string, claims map[string]any) string {
	input := encodeSegments(map[string]any{"alg": "RS256", "typ": "JWT", "kid": kid}, claims)
	digest := sha256.Sum256([]byte(input))
	sig, err := rsa.SignPKCS1v15(nil, key, crypto.SHA256, digest[:])
	if err != nil {
		log.Fatal(err)
	}
	return input + "." + base64.RawURLEncoding.EncodeToString(sig)
}

func mintHS256(secret []byte, claims map[string]any) string {
	input := encodeSegments(map[string]any{"alg": "HS256", "typ": "JWT"}, claims)
	mac := hmac.New(sha256.New, secret)
	mac.Write([]byte(input))
	return input + "." + base64.RawURLEncoding.EncodeToString(mac.Sum(nil))
}

func encodeSegments(header, claims map[string]any) string {
	h, _ := json.Marshal(header)
	c, _ := json.Marshal(claims)
	return base64.RawURLEncoding.EncodeToString(h) + "." + base64.RawURLEncoding.EncodeToString(c)
}

// A verifier for RS256 access tokens with a static key.
func ExampleNew() {
	priv, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		log.Fatal(err)
	}
	key, err := verifier.NewKey("k1", "RS256", &priv.PublicKey)
	if err != nil {
		log.Fatal(err)
	}
	keys, err := verifier.NewKeySet(key)
	if err != nil {
		log.Fatal(err)
	}
	v, err := verifier.New(verifier.Config{
		Issuer:   "https://tenant.example.com/",
		Audience: []string{"https://api.example.com"},
		Keys:     keys, // Algorithms defaults to RS256
	})
	if err != nil {
		log.Fatal(err)
	}

	token := mintRS256(priv, "k1", map[string]any{
		"iss":   "https://tenant.example.com/",
		"sub":   "auth0|alice",
		"aud":   []string{"https://api.example.com", "https://tenant.example.com/userinfo"},
		"exp":   time.Now().Add(time.Hour).Unix(),
		"scope": "openid read:items",
	})
	claims, err := v.Verify(context.Background(), token)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("subject:", claims.Subject)
	fmt.Println("audience:", claims.Audience)
	fmt.Println("read:items:", claims.HasScope("read:items"))
	// Output:
	// subject: auth0|alice
	// audience: [https://api.example.com https://tenant.example.com/userinfo]
	// read:items: true
}

// HS256 with a shared secret of at least 32 bytes.
func ExampleSecret() {
	secret := []byte("a-32-byte-or-longer-shared-secret-for-hs256")
	keys, err := verifier.Secret(secret)
	if err != nil {
		log.Fatal(err)
	}
	v, err := verifier.New(verifier.Config{
		Issuer:     "https://tenant.example.com/",
		Audience:   []string{"https://api.example.com"},
		Algorithms: []string{"HS256"},
		Keys:       keys,
	})
	if err != nil {
		log.Fatal(err)
	}
	token := mintHS256(secret, map[string]any{
		"iss": "https://tenant.example.com/",
		"sub": "service-account",
		"aud": "https://api.example.com",
		"exp": time.Now().Add(time.Minute).Unix(),
	})
	claims, err := v.Verify(context.Background(), token)
	fmt.Println(claims.Subject, err)

	// A short secret is refused.
	_, err = verifier.Secret([]byte("too short"))
	fmt.Println(errors.Is(err, verifier.ErrKeyPolicy))
	// Output:
	// service-account <nil>
	// true
}

// Organizations: a value starting with "org_" must equal org_id exactly; any
// other value must equal org_name, ignoring case.
func ExampleWithOrganization() {
	secret := []byte("a-32-byte-or-longer-shared-secret-for-hs256")
	keys, _ := verifier.Secret(secret)
	v, err := verifier.New(verifier.Config{
		Issuer:     "https://tenant.example.com/",
		Audience:   []string{"https://api.example.com"},
		Algorithms: []string{"HS256"},
		Keys:       keys,
	})
	if err != nil {
		log.Fatal(err)
	}
	token := mintHS256(secret, map[string]any{
		"iss":      "https://tenant.example.com/",
		"sub":      "auth0|alice",
		"aud":      "https://api.example.com",
		"exp":      time.Now().Add(time.Hour).Unix(),
		"org_id":   "org_7rWcG3Sxv1XNqX9Z",
		"org_name": "acme",
	})
	ctx := context.Background()
	for _, org := range []string{"org_7rWcG3Sxv1XNqX9Z", "ACME", "org_other"} {
		_, err := v.Verify(ctx, token, verifier.WithOrganization(org))
		fmt.Printf("%s: ok=%v organization error=%v\n", org, err == nil, errors.Is(err, verifier.ErrOrganization))
	}
	// Output:
	// org_7rWcG3Sxv1XNqX9Z: ok=true organization error=false
	// ACME: ok=true organization error=false
	// org_other: ok=false organization error=true
}

// Errors match their sentinel with errors.Is; the *ValidationError names the
// claim at fault.
func Example_expiredToken() {
	secret := []byte("a-32-byte-or-longer-shared-secret-for-hs256")
	keys, _ := verifier.Secret(secret)
	now := time.Date(2030, 1, 1, 12, 0, 0, 0, time.UTC)
	v, err := verifier.New(verifier.Config{
		Issuer:     "https://tenant.example.com/",
		Audience:   []string{"https://api.example.com"},
		Algorithms: []string{"HS256"},
		Keys:       keys,
		Now:        func() time.Time { return now },
	})
	if err != nil {
		log.Fatal(err)
	}
	token := mintHS256(secret, map[string]any{
		"iss": "https://tenant.example.com/",
		"sub": "auth0|alice",
		"aud": "https://api.example.com",
		"exp": now.Add(-time.Minute).Unix(),
	})
	claims, err := v.Verify(context.Background(), token)
	fmt.Println("claims:", claims)
	fmt.Println("expired:", errors.Is(err, verifier.ErrExpired))
	fmt.Println("bad signature:", errors.Is(err, verifier.ErrSignature))
	var ve *verifier.ValidationError
	if errors.As(err, &ve) {
		fmt.Println("claim:", ve.Claim)
	}
	fmt.Println("reason:", verifier.Reason(err))
	// Output:
	// claims: <nil>
	// expired: true
	// bad signature: false
	// claim: exp
	// reason: expired
}

// Custom claims: Decode unmarshals the verified payload.
func ExampleClaims_Decode() {
	secret := []byte("a-32-byte-or-longer-shared-secret-for-hs256")
	keys, _ := verifier.Secret(secret)
	v, err := verifier.New(verifier.Config{
		Issuer:     "https://tenant.example.com/",
		Audience:   []string{"https://api.example.com"},
		Algorithms: []string{"HS256"},
		Keys:       keys,
	})
	if err != nil {
		log.Fatal(err)
	}
	token := mintHS256(secret, map[string]any{
		"iss":                       "https://tenant.example.com/",
		"sub":                       "auth0|alice",
		"aud":                       "https://api.example.com",
		"exp":                       time.Now().Add(time.Hour).Unix(),
		"https://example.com/roles": []string{"admin", "billing"},
		"plan":                      "pro",
	})
	claims, err := v.Verify(context.Background(), token)
	if err != nil {
		log.Fatal(err)
	}
	var custom struct {
		Roles []string `json:"https://example.com/roles"`
		Plan  string   `json:"plan"`
	}
	if err := claims.Decode(&custom); err != nil {
		log.Fatal(err)
	}
	fmt.Println(custom.Roles, custom.Plan)
	// Output:
	// [admin billing] pro
}

// A key source whose keys change (a JWKS refresh, a rotation) builds each
// new set with NextKeySet: a key it keeps stays the same *Key, so the tokens
// it verified stay cached; a key it drops is retired, and its tokens are
// refused at once, cached or not.
func ExampleNextKeySet() {
	oldPriv, _ := rsa.GenerateKey(rand.Reader, 2048)
	newPriv, _ := rsa.GenerateKey(rand.Reader, 2048)
	oldKey, _ := verifier.NewKey("old", "RS256", &oldPriv.PublicKey)
	newKey, _ := verifier.NewKey("new", "RS256", &newPriv.PublicKey)

	// The source publishes its current set through an atomic pointer.
	var current atomic.Pointer[verifier.KeySet]
	first, _ := verifier.NextKeySet(nil, oldKey)
	current.Store(first)
	source := keySourceFunc(func(ctx context.Context, kid, alg string) (*verifier.Key, error) {
		return current.Load().Key(ctx, kid, alg)
	})
	v, _ := verifier.New(verifier.Config{Issuer: "https://tenant.example.com/",
		Audience: []string{"https://api.example.com"}, Keys: source})
	claims := map[string]any{"iss": "https://tenant.example.com/", "sub": "auth0|alice",
		"aud": "https://api.example.com", "exp": time.Now().Add(time.Hour).Unix()}
	oldToken := mintRS256(oldPriv, "old", claims)
	ctx := context.Background()
	_, err := v.Verify(ctx, oldToken) // verified, and cached
	fmt.Println("old token:", err)

	// Rotation: both keys published.
	both, _ := verifier.NextKeySet(current.Load(), oldKey, newKey)
	current.Store(both)
	_, err = v.Verify(ctx, oldToken)
	fmt.Println("old token after the rotation:", err)

	// The old key is dropped: retired, its cached token refused.
	last, _ := verifier.NextKeySet(current.Load(), newKey)
	current.Store(last)
	_, err = v.Verify(ctx, oldToken)
	fmt.Println("old token after the drop:", errors.Is(err, verifier.ErrKeyNotFound))
	// Output:
	// old token: <nil>
	// old token after the rotation: <nil>
	// old token after the drop: true
}

type keySourceFunc func(ctx context.Context, kid, alg string) (*verifier.Key, error)

func (f keySourceFunc) Key(ctx context.Context, kid, alg string) (*verifier.Key, error) {
	return f(ctx, kid, alg)
}
