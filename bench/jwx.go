package bench

import (
	"context"
	"fmt"

	jwav2 "github.com/lestrrat-go/jwx/v2/jwa"
	jwtv2 "github.com/lestrrat-go/jwx/v2/jwt"
	jwav3 "github.com/lestrrat-go/jwx/v3/jwa"
	jwtv3 "github.com/lestrrat-go/jwx/v3/jwt"
)

// jwxV2: lestrrat-go/jwx v2, jwt.Parse with the key and validation options,
// built once. The parsed token holds every claim (private ones in a map).
func jwxV2() Contender {
	return Contender{
		Name:    "jwx-v2",
		Library: "github.com/lestrrat-go/jwx/v2",
		Setup:   "jwt.Parse(token, WithKey(alg, key), WithValidate(true), WithIssuer, WithAudience, WithRequiredClaim(exp)); options built once",
		Algs:    allAlgs,
		New: func(f *Fixture) (VerifyFunc, func(), error) {
			opts := []jwtv2.ParseOption{
				jwtv2.WithKey(jwav2.SignatureAlgorithm(f.Alg), f.Key),
				jwtv2.WithValidate(true),
				jwtv2.WithIssuer(Issuer),
				jwtv2.WithAudience(Audience),
				jwtv2.WithRequiredClaim("exp"),
			}
			return func(_ context.Context, token string) error {
				_, err := jwtv2.ParseString(token, opts...)
				return err
			}, func() {}, nil
		},
	}
}

// jwxV3: lestrrat-go/jwx v3, the same calls.
func jwxV3() Contender {
	return Contender{
		Name:    "jwx-v3",
		Library: "github.com/lestrrat-go/jwx/v3",
		Setup:   "jwt.ParseString(token, WithKey(alg, key), WithValidate(true), WithIssuer, WithAudience, WithRequiredClaim(exp)); options built once",
		Algs:    allAlgs,
		New: func(f *Fixture) (VerifyFunc, func(), error) {
			alg, ok := jwav3.LookupSignatureAlgorithm(f.Alg)
			if !ok {
				return nil, nil, fmt.Errorf("jwx v3 does not know %s", f.Alg)
			}
			opts := []jwtv3.ParseOption{
				jwtv3.WithKey(alg, f.Key),
				jwtv3.WithValidate(true),
				jwtv3.WithIssuer(Issuer),
				jwtv3.WithAudience(Audience),
				jwtv3.WithRequiredClaim("exp"),
			}
			return func(_ context.Context, token string) error {
				_, err := jwtv3.ParseString(token, opts...)
				return err
			}, func() {}, nil
		},
	}
}
