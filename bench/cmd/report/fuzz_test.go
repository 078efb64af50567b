package main

import (
	"strings"
	"testing"
)

// FuzzParse feeds arbitrary text to the parsers of the report: none may
// panic, a parsed Verify result always has a positive run count, and an
// end-to-end summary's median lies within its spread.
func FuzzParse(f *testing.F) {
	f.Add("BenchmarkVerify/alg=RS256/lib=tokengate-2 \t 10\t 5.0 ns/op\t 1 B/op\t 1 allocs/op\n")
	f.Add("BenchmarkVerify/RS256-2 \t 10\t 5.0 ns/op\n")
	f.Add("date: 2026\ncpu: x\n")
	f.Add("github.com/a/b v1.0.0 => ../\n")
	f.Add("BenchmarkVerify/alg=/lib=-2 \t 10\t NaN ns/op\n")
	f.Add("BenchmarkE2E/server=bare/driver=wrk\t100\t33333 ns/op\t30000.0 req/s\t300000 p50-ns\t2000000 p99-ns\t0 failures\t20000 server-cpu-ns/req\n")
	f.Fuzz(func(t *testing.T, s string) {
		r, _ := ParseResults(strings.NewReader(s), "fuzz")
		for _, libs := range r {
			for _, sum := range libs {
				if sum.Runs <= 0 {
					t.Errorf("got a summary with %d runs, want > 0", sum.Runs)
				}
			}
		}
		e, _ := ParseE2E(strings.NewReader(s), "fuzz")
		for _, servers := range e {
			for _, sum := range servers {
				if sum.Rounds <= 0 || sum.MinRPS > sum.RPS || sum.RPS > sum.MaxRPS {
					t.Errorf("got an e2e summary with %d rounds, req/s %v in %v..%v; want > 0 rounds, min <= median <= max",
						sum.Rounds, sum.RPS, sum.MinRPS, sum.MaxRPS)
				}
			}
		}
		ParseMeta(strings.NewReader(s))
		ParseVersions(strings.NewReader(s))
		SplitName(s)
	})
}
