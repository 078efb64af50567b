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
		v, err := newTokengate(f, cached)
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

// tokengateCustom is the typed path: verifier.Typed decodes the custom
// claims into CustomClaims once per token (with the cache on, a hit returns
// them as decoded before).
func tokengateCustom(cached bool) Contender {
	c := Contender{
		Name:    NameTokengateCustom,
		Library: "github.com/tokengate/tokengate",
		Setup:   "verifier.NewTyped[CustomClaims] over verifier.New (static KeySet, CacheSize: -1); Typed.Verify",
		Algs:    allAlgs,
	}
	if cached {
		c.Name = NameTokengateCustomCached
		c.Setup = "verifier.NewTyped[CustomClaims] over verifier.New (static KeySet, default cache); Typed.Verify (every timed call is a hit: no decoding)"
	}
	c.NewDecode = func(f *Fixture) (DecodeFunc, func(), error) {
		v, err := newTokengate(f, cached)
		if err != nil {
			return nil, nil, err
		}
		tv, err := verifier.NewTyped(v, verifier.TypedConfig[CustomClaims]{})
		if err != nil {
			return nil, nil, err
		}
		return func(ctx context.Context, token string) (*CustomClaims, error) {
			_, custom, err := tv.Verify(ctx, token)
			return custom, err
		}, func() {}, nil
	}
	return c
}

func newTokengate(f *Fixture, cached bool) (*verifier.Verifier, error) {
	k, err := verifier.NewKey(KeyID, f.Alg, f.Key)
	if err != nil {
		return nil, err
	}
	keys, err := verifier.NewKeySet(k)
	if err != nil {
		return nil, err
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
	return verifier.New(cfg)
}
