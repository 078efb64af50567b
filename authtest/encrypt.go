package authtest

import (
	"crypto"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"fmt"
)

// EncryptedAPI turns on access-token encryption for one API, as Auth0's
// "JSON Web Encryption" setting of an API does: the access tokens the
// tenant issues for Audience (the token endpoint, and AccessToken) are a
// compact JWE of the signed token, encrypted to Key with Algorithm and
// A256GCM, header {"alg", "enc", "cty": "JWT", "kid"}.
type EncryptedAPI struct {
	// Audience is the API identifier.
	Audience string
	// Key is the API's public key (an RSA key of at least 2048 bits).
	Key *rsa.PublicKey
	// KeyID, when set, is the JWE header's kid (Auth0 makes it optional).
	KeyID string
	// Algorithm is "RSA-OAEP-256" (default), "RSA-OAEP-384" or
	// "RSA-OAEP-512".
	Algorithm string
}

var oaepHashes = map[string]crypto.Hash{"RSA-OAEP-256": crypto.SHA256, "RSA-OAEP-384": crypto.SHA384, "RSA-OAEP-512": crypto.SHA512}

func checkEncryptedAPIs(apis []EncryptedAPI) (map[string]EncryptedAPI, error) {
	if len(apis) == 0 {
		return nil, nil
	}
	m := make(map[string]EncryptedAPI, len(apis))
	for _, a := range apis {
		if a.Algorithm == "" {
			a.Algorithm = "RSA-OAEP-256"
		}
		if _, ok := oaepHashes[a.Algorithm]; !ok {
			return nil, configErrorf("EncryptedAPIs: unsupported algorithm %q", a.Algorithm)
		}
		if a.Audience == "" || a.Key == nil || a.Key.N.BitLen() < 2048 {
			return nil, configErrorf("EncryptedAPIs: each needs Audience and an RSA Key of at least 2048 bits")
		}
		if _, dup := m[a.Audience]; dup {
			return nil, configErrorf("EncryptedAPIs: %q listed twice", a.Audience)
		}
		m[a.Audience] = a
	}
	return m, nil
}

// Encrypt returns the compact JWE of the signed token jws for api, as
// the tenant issues it when api is one of Config.EncryptedAPIs. Tests use
// it to encrypt tokens made with Mint (an expired one, a forged one).
func Encrypt(jws string, api EncryptedAPI) (string, error) {
	alg := api.Algorithm
	if alg == "" {
		alg = "RSA-OAEP-256"
	}
	h, ok := oaepHashes[alg]
	if !ok || api.Key == nil {
		return "", fmt.Errorf("%w: cannot encrypt with %q", ErrKey, alg)
	}
	hdr := map[string]string{"alg": alg, "enc": "A256GCM", "cty": "JWT"}
	if api.KeyID != "" {
		hdr["kid"] = api.KeyID
	}
	hj, err := json.Marshal(hdr)
	if err != nil {
		return "", err
	}
	cek := make([]byte, 32)
	rand.Read(cek)
	ek, err := rsa.EncryptOAEP(h.New(), rand.Reader, api.Key, cek, nil)
	if err != nil {
		return "", err
	}
	block, err := aes.NewCipher(cek)
	if err != nil {
		return "", err
	}
	gcm, err := cipher.NewGCM(block)
	if err != nil {
		return "", err
	}
	iv := make([]byte, gcm.NonceSize())
	rand.Read(iv)
	enc := base64.RawURLEncoding
	protected := enc.EncodeToString(hj)
	sealed := gcm.Seal(nil, iv, []byte(jws), []byte(protected))
	ct, tag := sealed[:len(sealed)-gcm.Overhead()], sealed[len(sealed)-gcm.Overhead():]
	return protected + "." + enc.EncodeToString(ek) + "." + enc.EncodeToString(iv) + "." + enc.EncodeToString(ct) + "." + enc.EncodeToString(tag), nil
}

// signAccessToken signs the claims of an access token (signRS256) and,
// when its audience is an encrypted API, encrypts it.
func (t *Tenant) signAccessToken(claims map[string]any) (string, error) {
	tok, err := t.signRS256(claims)
	if err != nil {
		return "", err
	}
	return t.encryptFor(claims["aud"], tok)
}

// encryptFor encrypts tok when aud (a string, or a list whose first entry
// is the API) is an encrypted API.
func (t *Tenant) encryptFor(aud any, tok string) (string, error) {
	if t.encrypted == nil {
		return tok, nil
	}
	var a string
	switch v := aud.(type) {
	case string:
		a = v
	case []string:
		if len(v) > 0 {
			a = v[0]
		}
	}
	api, ok := t.encrypted[a]
	if !ok {
		return tok, nil
	}
	return Encrypt(tok, api)
}
