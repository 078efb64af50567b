package verifier_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/tokengate/tokengate/verifier"
)

// The cross-implementation corpus: tokens signed by the npm package jose
// (interop/gen-vectors.mjs), replayed here with the corpus's fixed clock. The
// test reads only the JSON file; it never needs Node.

type corpusFile struct {
	Generator  string   `json:"generator"`
	Now        int64    `json:"now"`
	Issuer     string   `json:"issuer"`
	Audience   string   `json:"audience"`
	Algorithms []string `json:"algorithms"`
	JWKS       struct {
		Keys []corpusJWK `json:"keys"`
	} `json:"jwks"`
	Secrets []struct {
		Kid string `json:"kid"`
		Alg string `json:"alg"`
		K   string `json:"k"`
	} `json:"secrets"`
	Vectors []corpusVector `json:"vectors"`
}

type corpusJWK struct {
	Kty string `json:"kty"`
	Kid string `json:"kid"`
	Alg string `json:"alg"`
	Use string `json:"use"`
	N   string `json:"n"`
	E   string `json:"e"`
	Crv string `json:"crv"`
	X   string `json:"x"`
	Y   string `json:"y"`
}

type corpusVector struct {
	Name       string   `json:"name"`
	Alg        string   `json:"alg"`
	Keyset     string   `json:"keyset"` // "public" or "secret"
	Token      string   `json:"token"`
	Expected   string   `json:"expected"`
	Algorithms []string `json:"algorithms"` // replaces the corpus allow list when set
}

// corpusSentinels maps the outcome names of the corpus to the sentinels.
var corpusSentinels = map[string]error{
	"ErrMalformed":       verifier.ErrMalformed,
	"ErrAlgorithm":       verifier.ErrAlgorithm,
	"ErrKeyNotFound":     verifier.ErrKeyNotFound,
	"ErrSignature":       verifier.ErrSignature,
	"ErrExpired":         verifier.ErrExpired,
	"ErrNotYetValid":     verifier.ErrNotYetValid,
	"ErrIssuer":          verifier.ErrIssuer,
	"ErrAudience":        verifier.ErrAudience,
	"ErrNonce":           verifier.ErrNonce,
	"ErrMaxAge":          verifier.ErrMaxAge,
	"ErrOrganization":    verifier.ErrOrganization,
	"ErrAuthorizedParty": verifier.ErrAuthorizedParty,
	"ErrKeysUnavailable": verifier.ErrKeysUnavailable,
	"ErrTokenType":       verifier.ErrTokenType,
	"ErrMissingClaim":    verifier.ErrMissingClaim,
}

func loadCorpus(t *testing.T) *corpusFile {
	t.Helper()
	data, err := os.ReadFile("testdata/jose-vectors.json")
	if err != nil {
		t.Fatalf("reading the corpus: %v", err)
	}
	var c corpusFile
	if err := json.Unmarshal(data, &c); err != nil {
		t.Fatalf("decoding the corpus: %v", err)
	}
	if c.Now == 0 || c.Issuer == "" || c.Audience == "" || len(c.Vectors) == 0 {
		t.Fatalf("corpus incomplete: now=%d issuer=%q audience=%q vectors=%d", c.Now, c.Issuer, c.Audience, len(c.Vectors))
	}
	return &c
}

func corpusB64(s string) ([]byte, error) {
	return base64.RawURLEncoding.Strict().DecodeString(s)
}

// corpusPublicKey decodes an RSA, EC or OKP JWK with the standard library
// only (jwks.Parse is another package's job).
func corpusPublicKey(j corpusJWK) (any, error) {
	switch j.Kty {
	case "RSA":
		n, err := corpusB64(j.N)
		if err != nil {
			return nil, fmt.Errorf("n: %w", err)
		}
		e, err := corpusB64(j.E)
		if err != nil {
			return nil, fmt.Errorf("e: %w", err)
		}
		eb := new(big.Int).SetBytes(e)
		if !eb.IsInt64() || eb.Int64() > 1<<31-1 {
			return nil, errors.New("e out of range")
		}
		return &rsa.PublicKey{N: new(big.Int).SetBytes(n), E: int(eb.Int64())}, nil
	case "EC":
		var curve elliptic.Curve
		switch j.Crv {
		case "P-256":
			curve = elliptic.P256()
		case "P-384":
			curve = elliptic.P384()
		case "P-521":
			curve = elliptic.P521()
		default:
			return nil, fmt.Errorf("curve %q", j.Crv)
		}
		x, err := corpusB64(j.X)
		if err != nil {
			return nil, fmt.Errorf("x: %w", err)
		}
		y, err := corpusB64(j.Y)
		if err != nil {
			return nil, fmt.Errorf("y: %w", err)
		}
		size := (curve.Params().BitSize + 7) / 8
		if len(x) != size || len(y) != size {
			return nil, fmt.Errorf("coordinates of %d and %d bytes, want %d", len(x), len(y), size)
		}
		return ecdsa.ParseUncompressedPublicKey(curve, append(append([]byte{4}, x...), y...))
	case "OKP":
		if j.Crv != "Ed25519" {
			return nil, fmt.Errorf("curve %q", j.Crv)
		}
		x, err := corpusB64(j.X)
		if err != nil {
			return nil, fmt.Errorf("x: %w", err)
		}
		if len(x) != ed25519.PublicKeySize {
			return nil, fmt.Errorf("x of %d bytes", len(x))
		}
		return ed25519.PublicKey(x), nil
	}
	return nil, fmt.Errorf("kty %q", j.Kty)
}

// corpusKeySets builds the public key set (the JWKS) and the secret key set
// (the HMAC secrets): a KeySet never mixes the two.
func corpusKeySets(t *testing.T, c *corpusFile) map[string]verifier.KeySource {
	t.Helper()
	var pub, sec []*verifier.Key
	for _, j := range c.JWKS.Keys {
		raw, err := corpusPublicKey(j)
		if err != nil {
			t.Fatalf("JWK %s: %v", j.Kid, err)
		}
		k, err := verifier.NewKey(j.Kid, j.Alg, raw)
		if err != nil {
			t.Fatalf("NewKey(%s, %s): %v", j.Kid, j.Alg, err)
		}
		pub = append(pub, k)
	}
	for _, s := range c.Secrets {
		raw, err := corpusB64(s.K)
		if err != nil {
			t.Fatalf("secret %s: %v", s.Kid, err)
		}
		k, err := verifier.NewKey(s.Kid, s.Alg, raw)
		if err != nil {
			t.Fatalf("NewKey(%s, %s): %v", s.Kid, s.Alg, err)
		}
		sec = append(sec, k)
	}
	pubSet, err := verifier.NewKeySet(pub...)
	if err != nil {
		t.Fatalf("public key set: %v", err)
	}
	secSet, err := verifier.NewKeySet(sec...)
	if err != nil {
		t.Fatalf("secret key set: %v", err)
	}
	return map[string]verifier.KeySource{"public": pubSet, "secret": secSet}
}

func TestCorpus(t *testing.T) {
	c := loadCorpus(t)
	sets := corpusKeySets(t, c)
	now := time.Unix(c.Now, 0)
	// One verifier per key set and allow list, shared by the vectors so the
	// verified-token cache sees them all.
	verifiers := map[string]*verifier.Verifier{}
	verifierFor := func(t *testing.T, vec corpusVector) *verifier.Verifier {
		algs := c.Algorithms
		if vec.Algorithms != nil {
			algs = vec.Algorithms
		}
		id := vec.Keyset + "|" + strings.Join(algs, ",")
		if v, ok := verifiers[id]; ok {
			return v
		}
		keys, ok := sets[vec.Keyset]
		if !ok {
			t.Fatalf("unknown key set %q", vec.Keyset)
		}
		v, err := verifier.New(verifier.Config{
			Issuer:     c.Issuer,
			Audience:   []string{c.Audience},
			Algorithms: algs,
			Keys:       keys,
			Now:        func() time.Time { return now },
		})
		if err != nil {
			t.Fatalf("verifier.New: %v", err)
		}
		verifiers[id] = v
		return v
	}

	for _, vec := range c.Vectors {
		t.Run(vec.Name, func(t *testing.T) {
			v := verifierFor(t, vec)
			var want error
			if vec.Expected != "ok" {
				var ok bool
				if want, ok = corpusSentinels[vec.Expected]; !ok {
					t.Fatalf("unknown expected outcome %q", vec.Expected)
				}
			}
			// Twice: the second call may be answered by the verified-token
			// cache and must agree with the first.
			for round := 1; round <= 2; round++ {
				claims, err := v.Verify(context.Background(), vec.Token)
				if want == nil {
					if err != nil {
						t.Fatalf("round %d: got error %v, want ok", round, err)
					}
					if claims.Subject != "user|interop" || claims.OrgID != "org_interop" || !claims.HasScope("read:things") {
						t.Fatalf("round %d: got claims sub=%q org_id=%q scope=%v, want user|interop, org_interop, read:things",
							round, claims.Subject, claims.OrgID, claims.Scope)
					}
					continue
				}
				if err == nil {
					t.Fatalf("round %d: got ok, want %s", round, vec.Expected)
				}
				if claims != nil {
					t.Fatalf("round %d: got claims with error %v, want no claims", round, err)
				}
				if !errors.Is(err, want) {
					t.Fatalf("round %d: got error %v, want %s", round, err, vec.Expected)
				}
				// Exactly one failure class (CVE-2024-51744: an expired token
				// with a bad signature must not also look "expired").
				for name, other := range corpusSentinels {
					if other != want && errors.Is(err, other) {
						t.Fatalf("round %d: error %v also matches %s, want only %s", round, err, name, vec.Expected)
					}
				}
				var ve *verifier.ValidationError
				if !errors.As(err, &ve) {
					t.Fatalf("round %d: got error of type %T, want *verifier.ValidationError", round, err)
				}
				if strings.Contains(err.Error(), vec.Token) {
					t.Fatalf("round %d: error message contains the token", round)
				}
			}
		})
	}
}

// TestCorpusCoverage guards the corpus itself: every algorithm tokengate
// supports has valid and broken vectors of each kind the corpus promises.
func TestCorpusCoverage(t *testing.T) {
	c := loadCorpus(t)
	kinds := []string{"valid", "altered_payload", "altered_signature", "wrong_key", "wrong_alg_header",
		"alg_not_allowed", "kid_unknown", "expired", "not_yet_valid", "wrong_iss", "wrong_aud"}
	have := map[string]map[string]bool{}
	counts := map[string]int{}
	for _, vec := range c.Vectors {
		group, kind, ok := strings.Cut(vec.Name, "/")
		if !ok {
			t.Fatalf("vector name %q has no group", vec.Name)
		}
		counts[group]++
		if have[group] == nil {
			have[group] = map[string]bool{}
		}
		for _, k := range kinds {
			if kind == k || strings.HasPrefix(kind, k+"_") {
				have[group][k] = true
			}
		}
	}
	for _, alg := range []string{"RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA", "HS256", "HS384", "HS512"} {
		for _, k := range kinds {
			if !have[alg][k] {
				t.Errorf("%s: got no %q vector, want one", alg, k)
			}
		}
		t.Logf("%s: %d vectors", alg, counts[alg])
	}
	for _, group := range []string{"none", "key_confusion"} {
		if counts[group] == 0 {
			t.Errorf("got no %q vectors, want some", group)
		}
		t.Logf("%s: %d vectors", group, counts[group])
	}
	t.Logf("%d vectors in all, from %s", len(c.Vectors), c.Generator)
}
