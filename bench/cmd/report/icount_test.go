package main

import (
	"bytes"
	"strconv"
	"strings"
	"testing"
)

const icountTxt = `BenchmarkVerify/alg=RS256/lib=floor-primitive 800 574889 instructions/op
BenchmarkVerify/alg=RS256/lib=tokengate 800 599000 instructions/op
BenchmarkVerify/alg=RS256/lib=tokengate-custom 800 605500 instructions/op
BenchmarkVerify/alg=HS256/lib=floor-primitive 800 40844 instructions/op
BenchmarkVerify/alg=HS256/lib=tokengate 800 55000 instructions/op
BenchmarkVerify/alg=ES256/lib=floor-primitive 800 869183 instructions/op
BenchmarkVerify/alg=JWE/lib=floor-primitive 80 17890000 instructions/op
BenchmarkVerify/alg=JWE/lib=tokengate 80 17920000 instructions/op
`

func TestParseICount(t *testing.T) {
	c, err := ParseICount(strings.NewReader(icountTxt), "icount.txt")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		alg, lib string
		want     float64
	}{
		{"RS256", "tokengate", 599000},
		{"HS256", "floor-primitive", 40844},
		{"HS256", "tokengate-custom", 0},
		{"ES256", "tokengate", 0},
	} {
		if got := c.Get(tc.alg, tc.lib); got != tc.want {
			t.Errorf("Get(%s, %s) = %g, want %g", tc.alg, tc.lib, got, tc.want)
		}
	}
	if _, err := ParseICount(strings.NewReader("BenchmarkVerify/lib=tokengate 800 1 instructions/op\n"), "icount.txt"); err == nil {
		t.Error("a row without alg=: got no error, want one")
	}
}

func TestRenderICount(t *testing.T) {
	rows, allocs := allMet()
	c, err := ParseICount(strings.NewReader(icountTxt), "icount.txt")
	if err != nil {
		t.Fatal(err)
	}
	meta, err := ParseMeta(strings.NewReader("icount: valgrind-3.19.0 callgrind\n"))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := Render(&out, Input{Results: parse(t, rawRun(3, rows, allocs)), Meta: meta, ICount: c}); err != nil {
		t.Fatal(err)
	}
	md := out.String()
	for _, want := range []string{
		"## Instructions per verification (callgrind)",
		"under valgrind (valgrind-3.19.0 callgrind)",
		"| RS256 | 574,889 | 599,000 | +24,111 | 1.042 | 605,500 | +30,611 | 1.053 |",
		"| HS256 | 40,844 | 55,000 | +14,156 | 1.347 | – |  |  |",
		"| ES256 | 869,183 | – |  |  | – |  |  |",
		"| JWE | 17,890,000 | 17,920,000 | +30,000 | 1.002 | – |  |  |",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("report lacks %q", want)
		}
	}
	out.Reset()
	if err := Render(&out, Input{Results: parse(t, rawRun(3, rows, allocs))}); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(out.String(), "Instructions per verification") {
		t.Error("a run without icount.txt: the report has an instruction count section, want none")
	}
	if t.Failed() {
		t.Logf("report:\n%s", md)
	}
}

// TestParseResultsInterleavedPasses: run.sh appends COUNT passes of
// -count=1, each with its own header and PASS line; they read as the
// consecutive runs of -count=N do.
func TestParseResultsInterleavedPasses(t *testing.T) {
	rows, allocs := allMet()
	consecutive := parse(t, rawRun(5, rows, allocs))
	var passes strings.Builder
	for i := range 5 {
		one := rawRun(1, map[string][3]float64{}, allocs)
		one = strings.Replace(one, "PASS\n", "", 1)
		passes.WriteString(one)
		// The same samples as rawRun(5) makes, one per row and pass.
		for lib, ns := range rows {
			for ai, alg := range []string{"RS256", "HS256", "ES256"} {
				if ns[ai] == 0 {
					continue
				}
				d := float64(i%3 - 1)
				passes.WriteString("BenchmarkVerify/alg=" + alg + "/lib=" + lib + "-2 \t 1000\t " + ftoa(ns[ai]+d) + " ns/op\t 100 B/op\t " + ftoa(allocs[lib]) + " allocs/op\n")
			}
		}
		passes.WriteString("PASS\n")
	}
	interleaved := parse(t, passes.String())
	for alg, libs := range consecutive {
		for lib, want := range libs {
			got := interleaved.Get(alg, lib)
			if got == nil || *got != *want {
				t.Errorf("%s/%s: interleaved %+v, consecutive %+v", alg, lib, got, want)
			}
		}
	}
}

func ftoa(x float64) string { return strconv.FormatFloat(x, 'f', 1, 64) }
