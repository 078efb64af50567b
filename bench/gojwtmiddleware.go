package bench

import (
	"context"
	"fmt"

	validatorv2 "github.com/auth0/go-jwt-middleware/v2/validator"
	validatorv3 "github.com/auth0/go-jwt-middleware/v3/validator"
)

// mwClaims are the custom claims of the Auth0 Go quickstart, extended with
// permissions and org_id.
type mwClaims struct {
	Scope       string   `json:"scope"`
	Permissions []string `json:"permissions"`
	OrgID       string   `json:"org_id"`
}

// Validate is the CustomClaims hook; the benchmark token needs no extra rule.
func (c *mwClaims) Validate(context.Context) error { return nil }

// mwCustomClaims is mwClaims with the four custom claims.
type mwCustomClaims struct {
	mwClaims
	CustomClaims
}

// Validate is the CustomClaims hook; the benchmark token needs no extra rule.
func (c *mwCustomClaims) Validate(context.Context) error { return nil }

// goJWTMiddlewareV3Custom: the v3 validator above with CustomClaims that
// hold the four custom claims.
func goJWTMiddlewareV3Custom() Contender {
	return Contender{
		Name:    "go-jwt-middleware-v3-custom",
		Library: "github.com/auth0/go-jwt-middleware/v3",
		Setup:   "as go-jwt-middleware-v3; WithCustomClaims of a struct holding CustomClaims (embedded); ValidatedClaims.CustomClaims",
		Algs:    allAlgs,
		NewDecode: func(f *Fixture) (DecodeFunc, func(), error) {
			v, err := validatorv3.New(
				validatorv3.WithKeyFunc(func(context.Context) (any, error) { return f.Key, nil }),
				validatorv3.WithAlgorithm(validatorv3.SignatureAlgorithm(f.Alg)),
				validatorv3.WithIssuer(Issuer),
				validatorv3.WithAudience(Audience),
				validatorv3.WithCustomClaims(func() *mwCustomClaims { return &mwCustomClaims{} }),
			)
			if err != nil {
				return nil, nil, err
			}
			return func(ctx context.Context, token string) (*CustomClaims, error) {
				res, err := v.ValidateToken(ctx, token)
				if err != nil {
					return nil, err
				}
				vc, ok := res.(*validatorv3.ValidatedClaims)
				if !ok {
					return nil, fmt.Errorf("go-jwt-middleware v3 returned %T", res)
				}
				c, ok := vc.CustomClaims.(*mwCustomClaims)
				if !ok {
					return nil, fmt.Errorf("go-jwt-middleware v3 custom claims are %T", vc.CustomClaims)
				}
				return &c.CustomClaims, nil
			}, func() {}, nil
		},
	}
}

// goJWTMiddlewareV3: auth0/go-jwt-middleware v3's validator (jwx v3 inside)
// with a static key, as its quickstart configures it.
func goJWTMiddlewareV3() Contender {
	return Contender{
		Name:    "go-jwt-middleware-v3",
		Library: "github.com/auth0/go-jwt-middleware/v3",
		Setup:   "validator.New(WithKeyFunc(static key), WithAlgorithm, WithIssuer, WithAudience, WithCustomClaims); ValidateToken",
		Algs:    allAlgs,
		New: func(f *Fixture) (VerifyFunc, func(), error) {
			v, err := validatorv3.New(
				validatorv3.WithKeyFunc(func(context.Context) (any, error) { return f.Key, nil }),
				validatorv3.WithAlgorithm(validatorv3.SignatureAlgorithm(f.Alg)),
				validatorv3.WithIssuer(Issuer),
				validatorv3.WithAudience(Audience),
				validatorv3.WithCustomClaims(func() *mwClaims { return &mwClaims{} }),
			)
			if err != nil {
				return nil, nil, err
			}
			return func(ctx context.Context, token string) error {
				_, err := v.ValidateToken(ctx, token)
				return err
			}, func() {}, nil
		},
	}
}

// goJWTMiddlewareV2: the v2 validator (go-jose v2 inside), still the most
// deployed version.
func goJWTMiddlewareV2() Contender {
	return Contender{
		Name:    "go-jwt-middleware-v2",
		Library: "github.com/auth0/go-jwt-middleware/v2",
		Setup:   "validator.New(static keyFunc, alg, issuer, []string{audience}, WithCustomClaims); ValidateToken",
		Algs:    allAlgs,
		New: func(f *Fixture) (VerifyFunc, func(), error) {
			v, err := validatorv2.New(
				func(context.Context) (any, error) { return f.Key, nil },
				validatorv2.SignatureAlgorithm(f.Alg),
				Issuer,
				[]string{Audience},
				validatorv2.WithCustomClaims(func() validatorv2.CustomClaims { return &mwClaims{} }),
			)
			if err != nil {
				return nil, nil, err
			}
			return func(ctx context.Context, token string) error {
				_, err := v.ValidateToken(ctx, token)
				return err
			}, func() {}, nil
		},
	}
}
