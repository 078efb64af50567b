package bench

import (
	"context"

	jose "github.com/go-jose/go-jose/v4"
	josejwt "github.com/go-jose/go-jose/v4/jwt"
	jwav3 "github.com/lestrrat-go/jwx/v3/jwa"
	jwev3 "github.com/lestrrat-go/jwx/v3/jwe"
	jwtv3 "github.com/lestrrat-go/jwx/v3/jwt"

	"github.com/tokengate/tokengate/verifier"
)

// tokengateJWE is our verifier with Config.Decryption: the API's key bound
// to RSA-OAEP-256, encryption required, the RS256 key set of the bearer
// rows. Uncached is the figure of the target; cached is a repeat of the
// encrypted token (the cache keys on it).
func tokengateJWE(cached bool) JWEContender {
	c := JWEContender{
		Name: NameTokengate, Library: "github.com/tokengate/tokengate",
		Setup: "verifier.New, static RS256 KeySet, Decryption{Keys: NewDecryptionKey(kid, RSA-OAEP-256, key), Required: true}, CacheSize: -1 (cache off)",
	}
	if cached {
		c.Name = NameTokengateCached
		c.Setup = "as tokengate, default cache (every timed call is a hit on the encrypted token)"
	}
	c.New = func(f *JWEFixture) (VerifyFunc, error) {
		k, err := verifier.NewKey(KeyID, RS256, f.Inner.Key)
		if err != nil {
			return nil, err
		}
		keys, err := verifier.NewKeySet(k)
		if err != nil {
			return nil, err
		}
		dk, err := verifier.NewDecryptionKey(JWEKeyID, JWEAlg, f.Key)
		if err != nil {
			return nil, err
		}
		cfg := verifier.Config{
			Issuer:     Issuer,
			Audience:   []string{Audience},
			Algorithms: []string{RS256},
			Keys:       keys,
			Decryption: verifier.Decryption{Keys: []*verifier.DecryptionKey{dk}, Required: true},
		}
		if !cached {
			cfg.CacheSize = -1
		}
		v, err := verifier.New(cfg)
		if err != nil {
			return nil, err
		}
		return func(ctx context.Context, token string) error {
			_, err := v.Verify(ctx, token)
			return err
		}, nil
	}
	return c
}

// goJoseJWE: go-jose/v4 in two steps, jose.ParseEncryptedCompact with the
// allowed algorithms and Decrypt with the API's key, then the goJose row's
// jwt.ParseSigned, Claims with the signing key and Validate on the
// plaintext. Its one-call nested path, jwt.ParseSignedAndEncrypted, refuses
// every asymmetric key-management algorithm (v4.1.9: "asymmetric
// encryption algorithms not supported for JWT"), Auth0's RSA-OAEP-256
// among them.
func goJoseJWE() JWEContender {
	return JWEContender{
		Name: "go-jose-v4", Library: "github.com/go-jose/go-jose/v4",
		Setup: "jose.ParseEncryptedCompact(RSA-OAEP-256, A256GCM allow lists); Decrypt(key); jwt.ParseSigned(plaintext, RS256); Claims(pub, &jwt.Claims, &custom); Validate(Expected{Issuer, AnyAudience}) (jwt.ParseSignedAndEncrypted refuses RSA key management)",
		New: func(f *JWEFixture) (VerifyFunc, error) {
			keyAlgs := []jose.KeyAlgorithm{jose.RSA_OAEP_256}
			encs := []jose.ContentEncryption{jose.A256GCM}
			sigAlgs := []jose.SignatureAlgorithm{jose.RS256}
			want := josejwt.Expected{Issuer: Issuer, AnyAudience: josejwt.Audience{Audience}}
			return func(_ context.Context, token string) error {
				enc, err := jose.ParseEncryptedCompact(token, keyAlgs, encs)
				if err != nil {
					return err
				}
				plain, err := enc.Decrypt(f.Key)
				if err != nil {
					return err
				}
				tok, err := josejwt.ParseSigned(string(plain), sigAlgs)
				if err != nil {
					return err
				}
				var reg josejwt.Claims
				var c customClaims
				if err := tok.Claims(f.Inner.Key, &reg, &c); err != nil {
					return err
				}
				return reg.Validate(want)
			}, nil
		},
	}
}

// jwxV3JWE: lestrrat-go/jwx v3, jwe.Decrypt with the API's key, then
// jwt.Parse of the plaintext as the jwx-v3 row parses a token (jwt.Parse
// does not decrypt: its documentation says to decrypt first).
func jwxV3JWE() JWEContender {
	return JWEContender{
		Name: "jwx-v3", Library: "github.com/lestrrat-go/jwx/v3",
		Setup: "jwe.Decrypt(token, WithKey(RSA_OAEP_256, key)); jwt.Parse(plaintext, WithKey(RS256, pub), WithValidate(true), WithIssuer, WithAudience, WithRequiredClaim(exp)); options built once",
		New: func(f *JWEFixture) (VerifyFunc, error) {
			decOpts := []jwev3.DecryptOption{jwev3.WithKey(jwav3.RSA_OAEP_256(), f.Key)}
			opts := []jwtv3.ParseOption{
				jwtv3.WithKey(jwav3.RS256(), f.Inner.Key),
				jwtv3.WithValidate(true),
				jwtv3.WithIssuer(Issuer),
				jwtv3.WithAudience(Audience),
				jwtv3.WithRequiredClaim("exp"),
			}
			return func(_ context.Context, token string) error {
				plain, err := jwev3.Decrypt([]byte(token), decOpts...)
				if err != nil {
					return err
				}
				_, err = jwtv3.Parse(plain, opts...)
				return err
			}, nil
		},
	}
}
