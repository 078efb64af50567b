package e2e

import (
	"context"
	"net/http"

	jwtmiddlewarev2 "github.com/auth0/go-jwt-middleware/v2"
	validatorv2 "github.com/auth0/go-jwt-middleware/v2/validator"
	jwtmiddlewarev3 "github.com/auth0/go-jwt-middleware/v3"
	validatorv3 "github.com/auth0/go-jwt-middleware/v3/validator"

	"github.com/tokengate/tokengate/bench"
)

func goJWTMiddlewareV3(f *bench.Fixture) (http.Handler, error) {
	v, err := validatorv3.New(
		validatorv3.WithKeyFunc(func(context.Context) (any, error) { return f.Key, nil }),
		validatorv3.WithAlgorithm(validatorv3.SignatureAlgorithm(f.Alg)),
		validatorv3.WithIssuer(bench.Issuer),
		validatorv3.WithAudience(bench.Audience),
	)
	if err != nil {
		return nil, err
	}
	mw, err := jwtmiddlewarev3.New(jwtmiddlewarev3.WithValidator(v))
	if err != nil {
		return nil, err
	}
	return route(mw.CheckJWT(api(func(r *http.Request) string {
		c, err := jwtmiddlewarev3.GetClaims[*validatorv3.ValidatedClaims](r.Context())
		if err != nil {
			return ""
		}
		return c.RegisteredClaims.Subject
	}))), nil
}

func goJWTMiddlewareV2(f *bench.Fixture) (http.Handler, error) {
	v, err := validatorv2.New(
		func(context.Context) (any, error) { return f.Key, nil },
		validatorv2.SignatureAlgorithm(f.Alg),
		bench.Issuer,
		[]string{bench.Audience},
	)
	if err != nil {
		return nil, err
	}
	mw := jwtmiddlewarev2.New(v.ValidateToken)
	return route(mw.CheckJWT(api(func(r *http.Request) string {
		c, ok := r.Context().Value(jwtmiddlewarev2.ContextKey{}).(*validatorv2.ValidatedClaims)
		if !ok {
			return ""
		}
		return c.RegisteredClaims.Subject
	}))), nil
}
