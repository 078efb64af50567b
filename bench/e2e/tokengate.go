package e2e

import (
	"net/http"

	"github.com/tokengate/tokengate/bench"
	"github.com/tokengate/tokengate/middleware"
	"github.com/tokengate/tokengate/orgs"
	"github.com/tokengate/tokengate/verifier"
)

// Verified-token cache sizes (verifier.Config.CacheSize).
const (
	cacheOn  = 0 // the default size
	cacheOff = -1
)

// tokengate builds a server with tokengate's middleware: Authenticate alone,
// or (chain) the whole per-route chain of an organization API.
func tokengate(chain bool, cacheSize int) func(f *bench.Fixture) (http.Handler, error) {
	return func(f *bench.Fixture) (http.Handler, error) {
		k, err := verifier.NewKey(bench.KeyID, f.Alg, f.Key)
		if err != nil {
			return nil, err
		}
		keys, err := verifier.NewKeySet(k)
		if err != nil {
			return nil, err
		}
		v, err := verifier.New(verifier.Config{
			Issuer:     bench.Issuer,
			Audience:   []string{bench.Audience},
			Algorithms: []string{f.Alg},
			Keys:       keys,
			CacheSize:  cacheSize,
		})
		if err != nil {
			return nil, err
		}
		h := api(func(r *http.Request) string {
			c, ok := middleware.ClaimsFromContext(r.Context())
			if !ok {
				return ""
			}
			return c.Subject
		})
		if chain {
			h = middleware.RequireScopes("read:items")(orgs.Require(orgs.FromPath("org"))(h))
		}
		return route(middleware.Authenticate(v)(h)), nil
	}
}
