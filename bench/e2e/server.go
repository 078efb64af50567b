package e2e

import (
	"context"
	"encoding/json"
	"net/http"

	jwtmiddlewarev2 "github.com/auth0/go-jwt-middleware/v2"
	validatorv2 "github.com/auth0/go-jwt-middleware/v2/validator"
	jwtmiddlewarev3 "github.com/auth0/go-jwt-middleware/v3"
	validatorv3 "github.com/auth0/go-jwt-middleware/v3/validator"

	"github.com/tokengate/tokengate/bench"
)

// Server is one way of serving the benchmark API.
type Server struct {
	Name string
	// Protected servers answer 401 without a valid token.
	Protected bool
	// New builds the handler for the fixture's algorithm.
	New func(f *bench.Fixture) (http.Handler, error)
}

// Servers lists the servers compared. tokengate's middleware joins them
// when it is on main:
//
//	{Name: "tokengate", Protected: true, New: ... middleware.Authenticate(v)(api(subFromTokengate)) ...}
func Servers() []Server {
	return []Server{
		{Name: "bare", New: func(*bench.Fixture) (http.Handler, error) {
			return api(func(*http.Request) string { return "anonymous" }), nil
		}},
		{Name: "go-jwt-middleware-v3", Protected: true, New: goJWTMiddlewareV3},
		{Name: "go-jwt-middleware-v2", Protected: true, New: goJWTMiddlewareV2},
	}
}

// api is the handler behind every server: it answers a small JSON document
// naming the caller, as a typical "who am I" endpoint does.
func api(subject func(*http.Request) string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(struct {
			Subject string `json:"sub"`
		}{subject(r)})
	})
}

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
	return mw.CheckJWT(api(func(r *http.Request) string {
		c, err := jwtmiddlewarev3.GetClaims[*validatorv3.ValidatedClaims](r.Context())
		if err != nil {
			return ""
		}
		return c.RegisteredClaims.Subject
	})), nil
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
	return mw.CheckJWT(api(func(r *http.Request) string {
		c, ok := r.Context().Value(jwtmiddlewarev2.ContextKey{}).(*validatorv2.ValidatedClaims)
		if !ok {
			return ""
		}
		return c.RegisteredClaims.Subject
	})), nil
}
