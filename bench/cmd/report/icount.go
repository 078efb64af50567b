package main

import (
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strings"

	"golang.org/x/perf/benchfmt"

	"github.com/tokengate/tokengate/bench"
)

// ICount maps alg, then lib, to the instructions per verification that
// callgrind counted (icount.txt, written by run.sh when valgrind is
// installed): repeatable to about 0.5 %, where the times are not.
type ICount map[string]map[string]float64

// Get returns the count of alg and lib, 0 when it was not counted.
func (c ICount) Get(alg, lib string) float64 { return c[alg][lib] }

// ParseICount reads icount.txt: benchmark-format lines
// "BenchmarkVerify/alg=A/lib=L <iterations> <n> instructions/op".
func ParseICount(r io.Reader, name string) (ICount, error) {
	br := benchfmt.NewReader(r, name)
	c := ICount{}
	var errs []error
	for br.Scan() {
		switch rec := br.Result().(type) {
		case *benchfmt.SyntaxError:
			errs = append(errs, rec)
		case *benchfmt.Result:
			base, keys := SplitName(rec.Name.String())
			alg, lib := keys["alg"], keys["lib"]
			if base != "Verify" || alg == "" || lib == "" {
				errs = append(errs, fmt.Errorf("%s: %q is not a Verify/alg=/lib= row", name, rec.Name))
				continue
			}
			for _, v := range rec.Values {
				if v.Unit == "instructions/op" {
					if c[alg] == nil {
						c[alg] = map[string]float64{}
					}
					c[alg][lib] = v.Value
				}
			}
		}
	}
	if err := br.Err(); err != nil {
		errs = append(errs, err)
	}
	return c, errors.Join(errs...)
}

// renderICount writes the instruction counts, when the run has them.
func renderICount(p *printer, c ICount, how string) {
	if len(c) == 0 {
		return
	}
	p.f("\n## Instructions per verification (callgrind)\n\n")
	p.f("Counted by `run.sh` under valgrind (%s), inside the verification (the floor's loop, `Verifier.Verify`, `Typed.Verify`), ", how)
	p.f("as the difference of two iteration counts: repeatable to about 0.5 %%, so a change of the parsing path shows here as it is, ")
	p.f("where the times above move with the load of the machine. Garbage collection is off (GOGC=off) and not counted. ")
	p.f("valgrind does not emulate the SHA extensions, so SHA-256 runs its AVX2 code here, several times the instructions of the SHA-NI code ")
	p.f("the timed runs use: the floors weigh more here than in time, and the ratios are smaller than the times' (most for HS256, ")
	p.f("whose floor also builds its HMAC each time); *over the floor* is the parsing, the claims and the checks.\n\n")
	p.f("| alg | %s | %s | over the floor | × floor | %s | over the floor | × floor |\n|---|--:|--:|--:|--:|--:|--:|--:|\n",
		bench.NamePrimitive, bench.NameTokengate, bench.NameTokengateCustom)
	// The JWE row: decrypt+verify against the bare primitives (no custom
	// claims row).
	for _, alg := range append(slices.Clone(bench.Algorithms), bench.JWE) {
		floor := c.Get(alg, bench.NamePrimitive)
		if len(c[alg]) == 0 {
			continue
		}
		cells := []string{alg, fmtCount(floor)}
		for _, lib := range []string{bench.NameTokengate, bench.NameTokengateCustom} {
			n := c.Get(alg, lib)
			switch {
			case n == 0 || floor == 0:
				cells = append(cells, fmtCount(n), "", "")
			default:
				sign := "+"
				if n < floor {
					sign = "-"
				}
				cells = append(cells, fmtCount(n), sign+fmtInt(math.Abs(n-floor)), fmt.Sprintf("%.3f", n/floor))
			}
		}
		p.f("| %s |\n", strings.Join(cells, " | "))
	}
}

func fmtCount(n float64) string {
	if n == 0 {
		return "–"
	}
	return fmtInt(n)
}
