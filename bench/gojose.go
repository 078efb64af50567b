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
