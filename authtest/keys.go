package authtest

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math/big"
	"slices"

	"github.com/tokengate/tokengate/verifier"
)

// signingKey is one key pair of the tenant, bound to one algorithm.
type signingKey struct {
	kid    string
	alg    string // "RS256" or "ES256"
	signer crypto.Signer
	pub    *verifier.Key
	jwk    jwk
}

// jwk is the published form of a key (RFC 7517), members in Auth0's order.
type jwk struct {
	Kty string `json:"kty"`
	Use string `json:"use"`
	Alg string `json:"alg"`
	Kid string `json:"kid"`
	N   string `json:"n,omitempty"`
	E   string `json:"e,omitempty"`
	Crv string `json:"crv,omitempty"`
	X   string `json:"x,omitempty"`
	Y   string `json:"y,omitempty"`
}

// keyring is an immutable snapshot of the tenant's keys; writers replace it
// whole, so readers (JWKS handler, Mint, verification) need no lock.
type keyring struct {
	keys []*signingKey // published, oldest first
	rsa  *signingKey   // current RS256 signer
	ec   *signingKey   // current ES256 signer
	set  *verifier.KeySet
	jwks []byte // the JWKS document
}

var b64 = base64.RawURLEncoding

func newSigningKey(priv crypto.Signer) (*signingKey, error) {
	k := &signingKey{signer: priv}
	switch p := priv.(type) {
	case *rsa.PrivateKey:
		n, e := b64.EncodeToString(p.N.Bytes()), b64.EncodeToString(big.NewInt(int64(p.E)).Bytes())
		// RFC 7638 thumbprint: the required members in lexical order.
		k.kid = thumbprint(`{"e":"` + e + `","kty":"RSA","n":"` + n + `"}`)
		k.alg = "RS256"
		k.jwk = jwk{Kty: "RSA", Use: "sig", Alg: k.alg, Kid: k.kid, N: n, E: e}
	case *ecdsa.PrivateKey:
		if p.Curve != elliptic.P256() {
			return nil, fmt.Errorf("%w: EC key must be on P-256 (ES256)", ErrKey)
		}
		enc, err := p.PublicKey.Bytes() // 0x04 || X || Y
		if err != nil {
			return nil, fmt.Errorf("%w: EC key: %v", ErrKey, err)
		}
		x, y := b64.EncodeToString(enc[1:33]), b64.EncodeToString(enc[33:])
		k.kid = thumbprint(`{"crv":"P-256","kty":"EC","x":"` + x + `","y":"` + y + `"}`)
		k.alg = "ES256"
		k.jwk = jwk{Kty: "EC", Use: "sig", Alg: k.alg, Kid: k.kid, Crv: "P-256", X: x, Y: y}
	default:
		return nil, fmt.Errorf("%w: unsupported key type %T; want *rsa.PrivateKey or *ecdsa.PrivateKey", ErrKey, priv)
	}
	pub, err := verifier.NewKey(k.kid, k.alg, priv.Public())
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrKey, err)
	}
	k.pub = pub
	return k, nil
}

func thumbprint(canonical string) string {
	sum := sha256.Sum256([]byte(canonical))
	return b64.EncodeToString(sum[:])
}

// newKeyring builds the snapshot for keys with the given current signers,
// following prev (nil for the first): verifier.NextKeySet keeps the
// *verifier.Key of every key still published and retires the others, so
// verifiers built on the Tenant drop the tokens of a removed key from
// their caches at once, as they do with a jwks.Cache.
func newKeyring(prev *keyring, keys []*signingKey, rsaKey, ecKey *signingKey) (*keyring, error) {
	pubs := make([]*verifier.Key, len(keys))
	doc := struct {
		Keys []jwk `json:"keys"`
	}{Keys: make([]jwk, len(keys))}
	for i, k := range keys {
		pubs[i], doc.Keys[i] = k.pub, k.jwk
	}
	body, err := json.Marshal(doc)
	if err != nil {
		return nil, err
	}
	var prevSet *verifier.KeySet
	if prev != nil {
		prevSet = prev.set
	}
	// Last, because it retires the keys that are gone: nothing may fail
	// after it.
	set, err := verifier.NextKeySet(prevSet, pubs...)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrKey, err)
	}
	return &keyring{keys: keys, rsa: rsaKey, ec: ecKey, set: set, jwks: body}, nil
}

func generateRSA() (*rsa.PrivateKey, error) { return rsa.GenerateKey(rand.Reader, 2048) }

func generateEC() (*ecdsa.PrivateKey, error) { return ecdsa.GenerateKey(elliptic.P256(), rand.Reader) }

// KeySet returns the public keys the tenant publishes now, as a static
// verifier key set. It does not follow later rotations: use the Tenant
// itself as the verifier.KeySource for that.
func (t *Tenant) KeySet() *verifier.KeySet { return t.ring.Load().set }

// Key implements verifier.KeySource over the keys the tenant publishes at
// the time of the call, so a verifier built on the Tenant follows Rotate and
// RemoveKey without any HTTP.
func (t *Tenant) Key(ctx context.Context, kid, alg string) (*verifier.Key, error) {
	return t.ring.Load().set.Key(ctx, kid, alg)
}

// SigningKeyID returns the kid of the key that signs alg ("RS256" or
// "ES256") now, or "" for other algorithms.
func (t *Tenant) SigningKeyID(alg string) string {
	r := t.ring.Load()
	switch alg {
	case "RS256":
		return r.rsa.kid
	case "ES256":
		return r.ec.kid
	}
	return ""
}

// Rotate generates a new RSA 2048 key and makes it the RS256 signing key.
// The previous key stays published until RemoveKey. It returns the new kid.
func (t *Tenant) Rotate() (string, error) {
	priv, err := generateRSA()
	if err != nil {
		return "", err
	}
	return t.RotateTo(priv)
}

// RotateTo publishes priv (an *rsa.PrivateKey for RS256 or an
// *ecdsa.PrivateKey on P-256 for ES256) and makes it the signing key of its
// algorithm. The previous key stays published until RemoveKey. It returns
// the new kid.
func (t *Tenant) RotateTo(priv crypto.Signer) (string, error) {
	k, err := newSigningKey(priv)
	if err != nil {
		return "", err
	}
	t.keyMu.Lock()
	defer t.keyMu.Unlock()
	old := t.ring.Load()
	if slices.ContainsFunc(old.keys, func(o *signingKey) bool { return o.kid == k.kid }) {
		return "", fmt.Errorf("%w: key %q is already published", ErrKey, k.kid)
	}
	rsaKey, ecKey := old.rsa, old.ec
	if k.alg == "RS256" {
		rsaKey = k
	} else {
		ecKey = k
	}
	r, err := newKeyring(old, append(slices.Clone(old.keys), k), rsaKey, ecKey)
	if err != nil {
		return "", err
	}
	t.ring.Store(r)
	return k.kid, nil
}

// RemoveKey stops publishing the key kid, as a tenant does when it revokes a
// key after a rotation. The key is also retired (verifier.NextKeySet), so
// verifiers built on the Tenant drop tokens it signed from their caches at
// once. The current
// signing keys cannot be removed: rotate first.
func (t *Tenant) RemoveKey(kid string) error {
	t.keyMu.Lock()
	defer t.keyMu.Unlock()
	old := t.ring.Load()
	i := slices.IndexFunc(old.keys, func(o *signingKey) bool { return o.kid == kid })
	if i < 0 {
		return fmt.Errorf("%w: no published key %q", ErrKey, kid)
	}
	if old.keys[i] == old.rsa || old.keys[i] == old.ec {
		return fmt.Errorf("%w: key %q signs tokens now; rotate before removing it", ErrKey, kid)
	}
	r, err := newKeyring(old, slices.Delete(slices.Clone(old.keys), i, i+1), old.rsa, old.ec)
	if err != nil {
		return err
	}
	t.ring.Store(r)
	return nil
}
