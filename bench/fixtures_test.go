package bench_test

import (
	"sync"
	"testing"
	"time"

	"github.com/tokengate/tokengate/bench"
)

// fixtures are built once per test binary: RSA key generation is slow, and
// every contender must see the same token bytes and keys.
var fixtures = sync.OnceValues(func() (map[string]*bench.Fixture, error) {
	keys, err := bench.NewKeys()
	if err != nil {
		return nil, err
	}
	now := time.Now()
	m := make(map[string]*bench.Fixture, len(bench.Algorithms))
	for _, alg := range bench.Algorithms {
		f, err := bench.NewFixture(alg, keys, now)
		if err != nil {
			return nil, err
		}
		m[alg] = f
	}
	return m, nil
})

func mustFixtures(tb testing.TB) map[string]*bench.Fixture {
	tb.Helper()
	m, err := fixtures()
	if err != nil {
		tb.Fatalf("fixtures: %v", err)
	}
	return m
}
