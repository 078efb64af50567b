package main

import (
	"strings"
	"testing"
)

// FuzzParse feeds arbitrary text to the three parsers of the report: none
// may panic, and a parsed Verify result always has a positive run count.
func FuzzParse(f *testing.F) {
	f.Add("BenchmarkVerify/alg=RS256/lib=tokengate-2 \t 10\t 5.0 ns/op\t 1 B/op\t 1 allocs/op\n")
	f.Add("BenchmarkVerify/RS256-2 \t 10\t 5.0 ns/op\n")
	f.Add("date: 2026\ncpu: x\n")
	f.Add("github.com/a/b v1.0.0 => ../\n")
	f.Add("BenchmarkVerify/alg=/lib=-2 \t 10\t NaN ns/op\n")
	f.Fuzz(func(t *testing.T, s string) {
		r, _ := ParseResults(strings.NewReader(s), "fuzz")
		for _, libs := range r {
			for _, sum := range libs {
				if sum.Runs <= 0 {
					t.Errorf("got a summary with %d runs, want > 0", sum.Runs)
				}
			}
		}
		ParseMeta(strings.NewReader(s))
		ParseVersions(strings.NewReader(s))
		SplitName(s)
	})
}
