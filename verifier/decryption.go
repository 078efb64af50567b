package verifier

import (
	"crypto"
	"crypto/ecdh"
	"crypto/ecdsa"
	"crypto/rsa"
	"errors"
	"fmt"

	"github.com/tokengate/tokengate/internal/jose"
)

// Decryption configures encrypted access tokens: a compact JWE (RFC 7516)
// whose plaintext is a compact JWS, as Auth0 issues them for an API with
// token encryption on. The zero value accepts none: a JWE is refused as
// malformed, as before. The JWE is decrypted with one of Keys, then its
// content is verified exactly as a plain token is (issuer keys, header
// policy, claims).
type Decryption struct {
	// Keys are the API's decryption keys, each bound to one key-management
	// alg (NewDecryptionKey). A token's key is the one whose kid equals the
	// header's kid and whose alg equals the header's alg; a token without
	// kid uses the one key bound to its alg, and is refused when several
	// are. jku, jwk and x5u in the header are never used.
	Keys []*DecryptionKey
	// Algorithms is the allow list of key-management algs. Default
	// {"RSA-OAEP-256"} (Auth0's). Opt in: "RSA-OAEP-384", "RSA-OAEP-512",
	// "ECDH-ES", "ECDH-ES+A128KW", "ECDH-ES+A192KW", "ECDH-ES+A256KW",
	// "dir", "A128KW", "A192KW", "A256KW". PBES2 is an error: its
	// iteration count is the sender's to choose (CVE-2023-49290).
	Algorithms []string
	// Encryptions is the allow list of content encryptions (enc). Default
	// {"A256GCM"}. Opt in: "A128GCM", "A192GCM", "A128CBC-HS256",
	// "A192CBC-HS384", "A256CBC-HS512".
	Encryptions []string
	// Required refuses plain (unencrypted) tokens with ErrTokenType;
	// otherwise both are accepted. It needs Keys.
	Required bool
}

// ErrDecrypt: the JWE does not decrypt. The key unwrap and the content's
// authentication (GCM tag, CBC HMAC) failing give this one error, with one
// message, so that neither is an oracle (Manger's attack on RSA-OAEP, the
// padding oracle of CBC).
var ErrDecrypt = errors.New("verifier: token cannot be decrypted")

// DecryptionKey is a private key (or a secret) of the API, bound to one
// key-management algorithm. Make it with NewDecryptionKey.
type DecryptionKey struct {
	id     string
	alg    jose.KeyAlg
	rsa    *rsa.PrivateKey
	hash   crypto.Hash
	ec     *ecdh.PrivateKey
	secret []byte
}

// NewDecryptionKey binds key to the key-management algorithm alg under the
// identifier kid (which may be empty).
//
// key is an *rsa.PrivateKey for "RSA-OAEP-256", "-384" and "-512" (2048 to
// 8192 bits, as verification keys); an *ecdh.PrivateKey or *ecdsa.PrivateKey
// on P-256, P-384, P-521 or X25519 for "ECDH-ES" and "ECDH-ES+AxxxKW"; a
// []byte secret for "dir" (16, 24, 32, 48 or 64 bytes: the key of an enc)
// and for "AxxxKW" (16, 24 or 32 bytes, as the name says). The secret is
// copied.
func NewDecryptionKey(kid, alg string, key any) (*DecryptionKey, error) {
	if jose.IsPBES2(alg) {
		return nil, keyError("%s is never accepted: PBES2's cost is the sender's choice", alg)
	}
	a, ok := jose.ParseKeyAlg(alg)
	if !ok {
		return nil, keyError("unsupported key-management algorithm %q", alg)
	}
	if len(kid) > maxKeyID {
		return nil, keyError("kid longer than %d bytes", maxKeyID)
	}
	k := &DecryptionKey{id: kid, alg: a}
	switch a {
	case jose.RSAOAEP256, jose.RSAOAEP384, jose.RSAOAEP512:
		priv, ok := key.(*rsa.PrivateKey)
		if !ok {
			return nil, keyError("%s needs an *rsa.PrivateKey, not %T", alg, key)
		}
		if err := checkRSA(&priv.PublicKey); err != nil {
			return nil, err
		}
		if err := priv.Validate(); err != nil {
			return nil, keyError("RSA private key: %v", err)
		}
		k.rsa = priv
		k.hash = map[jose.KeyAlg]crypto.Hash{jose.RSAOAEP256: crypto.SHA256, jose.RSAOAEP384: crypto.SHA384, jose.RSAOAEP512: crypto.SHA512}[a]
	case jose.ECDHES, jose.ECDHESA128KW, jose.ECDHESA192KW, jose.ECDHESA256KW:
		switch priv := key.(type) {
		case *ecdh.PrivateKey:
			k.ec = priv
		case *ecdsa.PrivateKey:
			ec, err := priv.ECDH()
			if err != nil {
				return nil, keyError("EC private key: %v", err)
			}
			k.ec = ec
		default:
			return nil, keyError("%s needs an *ecdh.PrivateKey or *ecdsa.PrivateKey, not %T", alg, key)
		}
		if curveName(k.ec.Curve()) == "" {
			return nil, keyError("%s: unsupported curve", alg)
		}
	default: // dir, AxxxKW
		s, ok := key.([]byte)
		if !ok {
			return nil, keyError("%s needs a []byte secret, not %T", alg, key)
		}
		if a == jose.Dir {
			switch len(s) {
			case 16, 24, 32, 48, 64:
			default:
				return nil, keyError("dir: a %d-byte secret is the key of no enc", len(s))
			}
		} else if len(s) != a.WrapLen() {
			return nil, keyError("%s needs a %d-byte secret, not %d bytes", alg, a.WrapLen(), len(s))
		}
		if err := checkSecretText(s); err != nil {
			return nil, err
		}
		k.secret = append([]byte(nil), s...)
	}
	return k, nil
}

// checkSecretText refuses a secret that is all one byte.
func checkSecretText(s []byte) error {
	for _, b := range s[1:] {
		if b != s[0] {
			return nil
		}
	}
	return keyError("secret is all one byte")
}

// ID returns the key's kid.
func (k *DecryptionKey) ID() string { return k.id }

// Algorithm returns the key-management algorithm the key is bound to.
func (k *DecryptionKey) Algorithm() string { return k.alg.String() }

// curveName is the JWK crv of an ECDH curve, "" for none of ours.
func curveName(c ecdh.Curve) string {
	switch c {
	case ecdh.P256():
		return "P-256"
	case ecdh.P384():
		return "P-384"
	case ecdh.P521():
		return "P-521"
	case ecdh.X25519():
		return "X25519"
	}
	return ""
}

// decryption is a checked Decryption.
type decryption struct {
	keys     []*DecryptionKey
	algs     [16]bool // by jose.KeyAlg
	encs     [8]bool  // by jose.Enc
	byAlg    [16]int  // keys bound to each alg
	required bool
}

func (d *Decryption) validate() (*decryption, error) {
	if len(d.Keys) == 0 {
		if d.Required || len(d.Algorithms) > 0 || len(d.Encryptions) > 0 {
			return nil, configError("Decryption needs Keys")
		}
		return nil, nil
	}
	out := &decryption{required: d.Required}
	algs := d.Algorithms
	if len(algs) == 0 {
		algs = []string{"RSA-OAEP-256"}
	}
	for _, name := range algs {
		if jose.IsPBES2(name) {
			return nil, configError("Decryption: %s is never accepted", name)
		}
		a, ok := jose.ParseKeyAlg(name)
		if !ok {
			return nil, configError("Decryption: unsupported key-management algorithm %q", name)
		}
		out.algs[a] = true
	}
	encs := d.Encryptions
	if len(encs) == 0 {
		encs = []string{"A256GCM"}
	}
	for _, name := range encs {
		e, ok := jose.ParseEnc(name)
		if !ok {
			return nil, configError("Decryption: unsupported content encryption %q", name)
		}
		out.encs[e] = true
	}
	type id struct {
		kid string
		alg jose.KeyAlg
	}
	seen := map[id]bool{}
	for i, k := range d.Keys {
		if k == nil {
			return nil, configError("Decryption.Keys[%d] is nil", i)
		}
		if !out.algs[k.alg] {
			return nil, configError("Decryption: key %q is bound to %s, which Algorithms does not allow", k.id, k.alg)
		}
		if seen[id{k.id, k.alg}] {
			return nil, configError("Decryption: two keys with kid %q for %s", k.id, k.alg)
		}
		seen[id{k.id, k.alg}] = true
		out.byAlg[k.alg]++
		out.keys = append(out.keys, k)
	}
	return out, nil
}

// key selects the decryption key of a JWE header: by kid and alg when the
// header has a kid, else the one key bound to alg. Never by a header URL
// or an embedded key.
func (d *decryption) key(h *jose.JWEHeader) (*DecryptionKey, error) {
	if h.HasKid {
		for _, k := range d.keys {
			if k.alg == h.Alg && k.id == string(h.Kid) {
				return k, nil
			}
		}
		return nil, newError(ErrKeyNotFound, "kid", fmt.Sprintf("no decryption key with ID %s for %s", quoteID(h.Kid), h.Alg))
	}
	if d.byAlg[h.Alg] != 1 {
		msg := fmt.Sprintf("no decryption key for %s", h.Alg)
		if d.byAlg[h.Alg] > 1 {
			msg = fmt.Sprintf("several decryption keys for %s and the token has no kid", h.Alg)
		}
		return nil, newError(ErrKeyNotFound, "kid", msg)
	}
	for _, k := range d.keys {
		if k.alg == h.Alg {
			return k, nil
		}
	}
	return nil, newError(ErrKeyNotFound, "kid", "no decryption key")
}
