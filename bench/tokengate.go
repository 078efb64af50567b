package bench

import (
	"context"

	"github.com/tokengate/tokengate/verifier"
)

// tokengate is our verifier with a static key set. Uncached is the figure
// the targets are about; cached measures a verified-token cache hit.
func tokengate(cached bool) Contender {
	c := Contender{
		Name:    NameTokengate,
		Library: "github.com/tokengate/tokengate",
		Setup:   "verifier.New, static KeySet, CacheSize: -1 (cache off)",
		Algs:    allAlgs,
	}
	if cached {
		c.Name = NameTokengateCached
		c.Setup = "verifier.New, static KeySet, default cache (every timed call is a hit)"
	}
	c.New = func(f *Fixture) (VerifyFunc, func(), error) {
		k, err := verifier.NewKey(KeyID, f.Alg, f.Key)
		if err != nil {
			return nil, nil, err
		}
		keys, err := verifier.NewKeySet(k)
		if err != nil {
			return nil, nil, err
		}
		cfg := verifier.Config{
			Issuer:     Issuer,
			Audience:   []string{Audience},
			Algorithms: []string{f.Alg},
			Keys:       keys,
		}
		if !cached {
			cfg.CacheSize = -1
		}
		v, err := verifier.New(cfg)
		if err != nil {
			return nil, nil, err
		}
		return func(ctx context.Context, token string) error {
			_, err := v.Verify(ctx, token)
			return err
		}, func() {}, nil
	}
	return c
}
