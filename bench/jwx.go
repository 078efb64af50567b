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

// The custom claims are registered with jwx v3 once, for the whole
// process (jwt.RegisterCustomField is global): jwx then decodes them into
// these types when it parses a token, for both jwx-v3 rows, and Token.Get
// assigns them without conversion.
func init() {
	jwtv3.RegisterCustomField(ClaimTenant, "")
	jwtv3.RegisterCustomField(ClaimRoles, []string{})
	jwtv3.RegisterCustomField(ClaimProfile, Profile{})
	jwtv3.RegisterCustomField(ClaimBeta, false)
}

// jwxV3Custom: jwx v3 as above, then Token.Get of each custom claim (jwx's
// way to read a private claim into a typed value).
func jwxV3Custom() Contender {
	return Contender{
		Name:    "jwx-v3-custom",
		Library: "github.com/lestrrat-go/jwx/v3",
		Setup:   "as jwx-v3, the four claims registered with jwt.RegisterCustomField (for both jwx-v3 rows); Token.Get of each into CustomClaims",
		Algs:    allAlgs,
		NewDecode: func(f *Fixture) (DecodeFunc, func(), error) {
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
			return func(_ context.Context, token string) (*CustomClaims, error) {
				tok, err := jwtv3.ParseString(token, opts...)
				if err != nil {
					return nil, err
				}
				c := &CustomClaims{}
				for _, g := range []struct {
					name string
					dst  any
				}{{ClaimTenant, &c.Tenant}, {ClaimRoles, &c.Roles}, {ClaimProfile, &c.Profile}, {ClaimBeta, &c.Beta}} {
					if err := tok.Get(g.name, g.dst); err != nil {
						return nil, err
					}
				}
				return c, nil
			}, func() {}, nil
		},
	}
}
