package authtest

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/hmac"
	"crypto/rand"
	"crypto/rsa"
	_ "crypto/sha256" // hash functions for crypto.Hash.New
	_ "crypto/sha512"
	"encoding/json"
	"fmt"
)

// algSpec says how one JWS algorithm signs.
type algSpec struct {
	family string // "RSA", "PSS", "EC", "HMAC", "OKP"
	hash   crypto.Hash
	curve  elliptic.Curve // EC only
}

var algs = map[string]algSpec{
	"RS256": {"RSA", crypto.SHA256, nil},
	"RS384": {"RSA", crypto.SHA384, nil},
	"RS512": {"RSA", crypto.SHA512, nil},
	"PS256": {"PSS", crypto.SHA256, nil},
	"PS384": {"PSS", crypto.SHA384, nil},
	"PS512": {"PSS", crypto.SHA512, nil},
	"ES256": {"EC", crypto.SHA256, elliptic.P256()},
	"ES384": {"EC", crypto.SHA384, elliptic.P384()},
	"ES512": {"EC", crypto.SHA512, elliptic.P521()},
	"HS256": {"HMAC", crypto.SHA256, nil},
	"HS384": {"HMAC", crypto.SHA384, nil},
	"HS512": {"HMAC", crypto.SHA512, nil},
	"EdDSA": {"OKP", 0, nil},
}

// signJWS returns the compact JWS of header and payload (already JSON)
// signed under alg with key (a crypto.Signer, or a []byte secret for HMAC).
func signJWS(alg string, key any, header, payload []byte) (string, error) {
	spec, ok := algs[alg]
	if !ok {
		return "", fmt.Errorf("%w: unsupported algorithm %q", ErrKey, alg)
	}
	input := b64.EncodeToString(header) + "." + b64.EncodeToString(payload)
	sig, err := signInput(spec, alg, key, []byte(input))
	if err != nil {
		return "", err
	}
	return input + "." + b64.EncodeToString(sig), nil
}

func signInput(spec algSpec, alg string, key any, input []byte) ([]byte, error) {
	wrong := fmt.Errorf("%w: a %T cannot sign %s", ErrKey, key, alg)
	var digest []byte
	if spec.hash != 0 && spec.family != "HMAC" {
		h := spec.hash.New()
		h.Write(input)
		digest = h.Sum(nil)
	}
	switch spec.family {
	case "RSA", "PSS":
		k, ok := key.(*rsa.PrivateKey)
		if !ok {
			return nil, wrong
		}
		if spec.family == "PSS" {
			return rsa.SignPSS(rand.Reader, k, spec.hash, digest, &rsa.PSSOptions{SaltLength: rsa.PSSSaltLengthEqualsHash})
		}
		return rsa.SignPKCS1v15(nil, k, spec.hash, digest)
	case "EC":
		k, ok := key.(*ecdsa.PrivateKey)
		if !ok || k.Curve != spec.curve {
			return nil, wrong
		}
		r, s, err := ecdsa.Sign(rand.Reader, k, digest)
		if err != nil {
			return nil, err
		}
		// JWS wants R || S, each the full coordinate size (RFC 7518 3.4).
		size := (spec.curve.Params().BitSize + 7) / 8
		sig := make([]byte, 2*size)
		r.FillBytes(sig[:size])
		s.FillBytes(sig[size:])
		return sig, nil
	case "HMAC":
		k, ok := key.([]byte)
		if !ok || len(k) == 0 {
			return nil, fmt.Errorf("%w: %s needs Token.Secret", ErrKey, alg)
		}
		m := hmac.New(spec.hash.New, k)
		m.Write(input)
		return m.Sum(nil), nil
	case "OKP":
		k, ok := key.(ed25519.PrivateKey)
		if !ok {
			return nil, wrong
		}
		return ed25519.Sign(k, input), nil
	}
	return nil, wrong
}

// marshalMembers encodes base with overrides applied: a nil override value
// removes the member. encoding/json writes map keys sorted, so the output
// is deterministic.
func marshalMembers(base, overrides map[string]any) ([]byte, error) {
	for k, v := range overrides {
		if v == nil {
			delete(base, k)
		} else {
			base[k] = v
		}
	}
	return json.Marshal(base)
}
