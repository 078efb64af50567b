package bench

import (
	"context"
	"crypto"

	"github.com/coreos/go-oidc/v3/oidc"
)

// goOIDC: coreos/go-oidc's IDTokenVerifier with a StaticKeySet. It checks
// iss, aud (ClientID) and exp, which is what an access-token check needs;
// the custom claims are then decoded with IDToken.Claims.
func goOIDC() Contender {
	return Contender{
		Name:        "go-oidc-v3",
		Library:     "github.com/coreos/go-oidc/v3",
		Setup:       "oidc.NewVerifier(issuer, &StaticKeySet{key}, &Config{ClientID: audience, SupportedSigningAlgs}); Verify; IDToken.Claims(&custom)",
		Algs:        []string{RS256, ES256},
		Unsupported: "StaticKeySet takes public keys only (no HMAC)",
		New: func(f *Fixture) (VerifyFunc, func(), error) {
			v := oidc.NewVerifier(Issuer, &oidc.StaticKeySet{PublicKeys: []crypto.PublicKey{f.Key}}, &oidc.Config{
				ClientID:             Audience,
				SupportedSigningAlgs: []string{f.Alg},
			})
			return func(ctx context.Context, token string) error {
				tok, err := v.Verify(ctx, token)
				if err != nil {
					return err
				}
				var c customClaims
				return tok.Claims(&c)
			}, func() {}, nil
		},
	}
}

// goOIDCCustom: go-oidc as above, IDToken.Claims into a struct that also
// has the custom claims.
func goOIDCCustom() Contender {
	return Contender{
		Name:        "go-oidc-v3-custom",
		Library:     "github.com/coreos/go-oidc/v3",
		Setup:       "as go-oidc-v3; IDToken.Claims(&custom) with custom holding CustomClaims (embedded)",
		Algs:        []string{RS256, ES256},
		Unsupported: "StaticKeySet takes public keys only (no HMAC)",
		NewDecode: func(f *Fixture) (DecodeFunc, func(), error) {
			v := oidc.NewVerifier(Issuer, &oidc.StaticKeySet{PublicKeys: []crypto.PublicKey{f.Key}}, &oidc.Config{
				ClientID:             Audience,
				SupportedSigningAlgs: []string{f.Alg},
			})
			return func(ctx context.Context, token string) (*CustomClaims, error) {
				tok, err := v.Verify(ctx, token)
				if err != nil {
					return nil, err
				}
				var c struct {
					customClaims
					CustomClaims
				}
				if err := tok.Claims(&c); err != nil {
					return nil, err
				}
				return &c.CustomClaims, nil
			}, func() {}, nil
		},
	}
}
