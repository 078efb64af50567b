package bench

import (
	"context"

	jose "github.com/go-jose/go-jose/v4"
	josejwt "github.com/go-jose/go-jose/v4/jwt"
)

// customClaims are the non-registered claims a handler reads; shared by the
// contenders that decode registered and custom claims separately.
type customClaims struct {
	Scope       string   `json:"scope"`
	Permissions []string `json:"permissions"`
	OrgID       string   `json:"org_id"`
	AzP         string   `json:"azp"`
}

// goJose: go-jose/v4's jwt package, ParseSigned with the allowed algorithm,
// Claims with the key, then Validate.
func goJose() Contender {
	return Contender{
		Name:    "go-jose-v4",
		Library: "github.com/go-jose/go-jose/v4",
		Setup:   "jwt.ParseSigned(alg allow list); Claims(key, &jwt.Claims, &custom); Validate(Expected{Issuer, AnyAudience})",
		Algs:    allAlgs,
		New: func(f *Fixture) (VerifyFunc, func(), error) {
			algs := []jose.SignatureAlgorithm{jose.SignatureAlgorithm(f.Alg)}
			want := josejwt.Expected{Issuer: Issuer, AnyAudience: josejwt.Audience{Audience}}
			return func(_ context.Context, token string) error {
				tok, err := josejwt.ParseSigned(token, algs)
				if err != nil {
					return err
				}
				var reg josejwt.Claims
				var c customClaims
				if err := tok.Claims(f.Key, &reg, &c); err != nil {
					return err
				}
				return reg.Validate(want)
			}, func() {}, nil
		},
	}
}

// goJoseCustom: go-jose as above, the custom claims decoded with the other
// non-registered ones.
func goJoseCustom() Contender {
	return Contender{
		Name:    "go-jose-v4-custom",
		Library: "github.com/go-jose/go-jose/v4",
		Setup:   "as go-jose-v4; Claims(key, &jwt.Claims, &custom) with custom holding CustomClaims (embedded)",
		Algs:    allAlgs,
		NewDecode: func(f *Fixture) (DecodeFunc, func(), error) {
			algs := []jose.SignatureAlgorithm{jose.SignatureAlgorithm(f.Alg)}
			want := josejwt.Expected{Issuer: Issuer, AnyAudience: josejwt.Audience{Audience}}
			return func(_ context.Context, token string) (*CustomClaims, error) {
				tok, err := josejwt.ParseSigned(token, algs)
				if err != nil {
					return nil, err
				}
				var reg josejwt.Claims
				var c struct {
					customClaims
					CustomClaims
				}
				if err := tok.Claims(f.Key, &reg, &c); err != nil {
					return nil, err
				}
				if err := reg.Validate(want); err != nil {
					return nil, err
				}
				return &c.CustomClaims, nil
			}, func() {}, nil
		},
	}
}
