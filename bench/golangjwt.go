package bench

import (
	"context"
	"net/http"
	"net/http/httptest"
	"time"

	"github.com/MicahParks/keyfunc/v3"
	"github.com/golang-jwt/jwt/v5"
)

// gjClaims is how golang-jwt users decode an Auth0 access token.
type gjClaims struct {
	jwt.RegisteredClaims
	Scope       string   `json:"scope"`
	Permissions []string `json:"permissions"`
	OrgID       string   `json:"org_id"`
	AzP         string   `json:"azp"`
}

func golangJWTParser(alg string) *jwt.Parser {
	return jwt.NewParser(
		jwt.WithValidMethods([]string{alg}),
		jwt.WithIssuer(Issuer),
		jwt.WithAudience(Audience),
		jwt.WithExpirationRequired(),
	)
}

// golangJWT: golang-jwt/jwt/v5 with the key returned by a Keyfunc, a parser
// built once with every validation option.
func golangJWT() Contender {
	return Contender{
		Name:    NameGolangJWT,
		Library: "github.com/golang-jwt/jwt/v5",
		Setup:   "jwt.NewParser(WithValidMethods, WithIssuer, WithAudience, WithExpirationRequired) built once; ParseWithClaims into RegisteredClaims + custom fields; static key",
		Algs:    allAlgs,
		New: func(f *Fixture) (VerifyFunc, func(), error) {
			p := golangJWTParser(f.Alg)
			kf := func(*jwt.Token) (any, error) { return f.Key, nil }
			return func(_ context.Context, token string) error {
				var c gjClaims
				_, err := p.ParseWithClaims(token, &c, kf)
				return err
			}, func() {}, nil
		},
	}
}

// gjCustomClaims is gjClaims with the four custom claims.
type gjCustomClaims struct {
	gjClaims
	CustomClaims
}

// golangJWTCustom: the golang-jwt parser above, into a claims struct that
// also has the custom claims.
func golangJWTCustom() Contender {
	return Contender{
		Name:    "golang-jwt-v5-custom",
		Library: "github.com/golang-jwt/jwt/v5",
		Setup:   "as golang-jwt-v5; ParseWithClaims into RegisteredClaims + custom fields + CustomClaims (embedded)",
		Algs:    allAlgs,
		NewDecode: func(f *Fixture) (DecodeFunc, func(), error) {
			p := golangJWTParser(f.Alg)
			kf := func(*jwt.Token) (any, error) { return f.Key, nil }
			return func(_ context.Context, token string) (*CustomClaims, error) {
				var c gjCustomClaims
				if _, err := p.ParseWithClaims(token, &c, kf); err != nil {
					return nil, err
				}
				return &c.CustomClaims, nil
			}, func() {}, nil
		},
	}
}

// golangJWTKeyfunc: the usual production setup of golang-jwt, keys from a
// JWKS URL through MicahParks/keyfunc, here an httptest server fetched
// before timing starts.
func golangJWTKeyfunc() Contender {
	return Contender{
		Name:        "golang-jwt-v5-keyfunc",
		Library:     "github.com/MicahParks/keyfunc/v3",
		Setup:       "golang-jwt/v5 parser as above; Keyfunc from keyfunc.NewDefaultOverrideCtx on an httptest JWKS server, fetched before timing",
		Algs:        []string{RS256, ES256},
		Unsupported: "a shared secret is not published in a JWKS",
		New: func(f *Fixture) (VerifyFunc, func(), error) {
			srv := jwksServer(f.JWKS)
			ctx, cancel := context.WithCancel(context.Background())
			stop := func() { cancel(); srv.Close() }
			k, err := keyfunc.NewDefaultOverrideCtx(ctx, []string{srv.URL}, keyfunc.Override{
				Client:      &http.Client{Timeout: 5 * time.Second},
				HTTPTimeout: 5 * time.Second,
			})
			if err != nil {
				stop()
				return nil, nil, err
			}
			p := golangJWTParser(f.Alg)
			return func(_ context.Context, token string) error {
				var c gjClaims
				_, err := p.ParseWithClaims(token, &c, k.Keyfunc)
				return err
			}, stop, nil
		},
	}
}

// jwksServer serves doc as a JWKS document on loopback.
func jwksServer(doc []byte) *httptest.Server {
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Cache-Control", "public, max-age=600")
		w.Write(doc)
	}))
}
