package main

import (
	"fmt"
	"strings"
)

// Evaluate marks the DESIGN.md targets from the medians of a run.
func ExampleEvaluate() {
	raw := `BenchmarkVerify/alg=RS256/lib=floor-primitive-2  1000  30000 ns/op  1376 B/op  9 allocs/op
BenchmarkVerify/alg=RS256/lib=tokengate-2        1000  32000 ns/op  2464 B/op  10 allocs/op
BenchmarkVerify/alg=RS256/lib=golang-jwt-v5-2    1000  45000 ns/op  6296 B/op  78 allocs/op
`
	r, err := ParseResults(strings.NewReader(raw), "raw.txt")
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, t := range Evaluate(r, nil)[:2] {
		fmt.Printf("%s: %s (%s)\n", t.Measure, t.Status, t.Measured)
	}
	// Output:
	// RS256 verify incl. claims, uncached: met (1.07 × (32.0 µs vs 30.0 µs))
	// RS256 verify, uncached, against peers: met (fastest peer golang-jwt-v5: 45.0 µs, 1.41 × tokengate)
}
