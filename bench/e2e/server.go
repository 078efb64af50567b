package e2e

import (
	"encoding/json"
	"net/http"

	"github.com/tokengate/tokengate/bench"
)

// Server is one way of serving the benchmark API.
type Server struct {
	// Name is the server= label of the results: lower case, no spaces or
	// slashes.
	Name string
	// Setup says in a few words what stands in front of the handler.
	Setup string
	// Protected servers answer 401 without a valid token.
	Protected bool
	// ChecksOrg servers answer 403 to a valid token on another
	// organization's path.
	ChecksOrg bool
	// New builds the handler: a ServeMux serving Route. f is the RS256
	// fixture of a Setup.
	New func(f *bench.Fixture) (http.Handler, error)
}

// Names of the servers the report compares.
const (
	NameBare             = "bare"
	NameTokengate        = "tokengate"
	NameTokengateChain   = "tokengate-chain"
	NameTokengateNoCache = "tokengate-nocache"
	NameGoJWTMiddleware3 = "go-jwt-middleware-v3"
	NameGoJWTMiddleware2 = "go-jwt-middleware-v2"
)

// Servers lists the servers compared, in report order. Every one serves the
// same handler on the same ServeMux route; bare is the baseline the others'
// requests/s are divided by.
func Servers() []Server {
	return []Server{
		{Name: NameBare, Setup: "the handler alone, on the same ServeMux route", New: bare},
		{Name: NameTokengate, Protected: true, New: tokengate(false, cacheOn),
			Setup: "middleware.Authenticate(v); verifier cache on (default size), static RS256 key set"},
		{Name: NameTokengateChain, Protected: true, ChecksOrg: true, New: tokengate(true, cacheOn),
			Setup: `Authenticate + RequireScopes("read:items") + orgs.Require(orgs.FromPath("org")); cache on`},
		{Name: NameTokengateNoCache, Protected: true, New: tokengate(false, cacheOff),
			Setup: "middleware.Authenticate(v) with CacheSize: -1: an RSA verification per request"},
		{Name: NameGoJWTMiddleware3, Protected: true, New: goJWTMiddlewareV3,
			Setup: "CheckJWT, validator with a static key func (the library has no verified-token cache)"},
		{Name: NameGoJWTMiddleware2, Protected: true, New: goJWTMiddlewareV2,
			Setup: "CheckJWT, validator with a static key func (the library has no verified-token cache)"},
	}
}

// route serves h on Route, the way every server does.
func route(h http.Handler) http.Handler {
	mux := http.NewServeMux()
	mux.Handle(Route, h)
	return mux
}

// item is what the handler answers: a small JSON document naming the caller
// and the organization, as a typical API read does.
type item struct {
	Subject string `json:"sub"`
	Org     string `json:"org"`
}

// api is the handler behind every server; subject reads the caller from what
// the server's middleware put on the request.
func api(subject func(*http.Request) string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(item{Subject: subject(r), Org: r.PathValue("org")})
	})
}

func bare(*bench.Fixture) (http.Handler, error) {
	return route(api(func(*http.Request) string { return "anonymous" })), nil
}
