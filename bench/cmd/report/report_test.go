package main

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/tokengate/tokengate/bench"
)

// rawRun builds go test -bench output: each lib gets the given ns/op for
// every alg, runs times, with a spread of ±1 ns around the median.
func rawRun(runs int, rows map[string][3]float64, allocs map[string]float64) string {
	var b strings.Builder
	b.WriteString("goos: linux\ngoarch: amd64\npkg: github.com/tokengate/tokengate/bench\ncpu: Test CPU\n")
	for i := 0; i < runs; i++ {
		for ai, alg := range bench.Algorithms {
			for lib, ns := range rows {
				if ns[ai] == 0 {
					continue
				}
				d := float64(i%3 - 1) // -1, 0, +1: the median is ns
				fmt.Fprintf(&b, "BenchmarkVerify/alg=%s/lib=%s-2 \t 1000\t %.1f ns/op\t 100 B/op\t %g allocs/op\n", alg, lib, ns[ai]+d, allocs[lib])
			}
		}
	}
	b.WriteString("PASS\nok  \tgithub.com/tokengate/tokengate/bench\t12.3s\n")
	return b.String()
}

// allMet is a run in which every measured target is met.
func allMet() (map[string][3]float64, map[string]float64) {
	rows := map[string][3]float64{
		bench.NamePrimitive:       {30000, 1000, 60000},
		bench.NameTokengate:       {32000, 2500, 64000},
		bench.NameTokengateCached: {100, 100, 100},
		bench.NameGolangJWT:       {45000, 12000, 80000},
		"jwx-v3":                  {50000, 20000, 90000},
	}
	allocs := map[string]float64{bench.NamePrimitive: 9, bench.NameTokengate: 10, bench.NameTokengateCached: 0, bench.NameGolangJWT: 78, "jwx-v3": 220}
	return rows, allocs
}

func parse(t *testing.T, raw string) Results {
	t.Helper()
	r, err := ParseResults(strings.NewReader(raw), "raw.txt")
	if err != nil {
		t.Fatalf("ParseResults: %v", err)
	}
	return r
}

func TestParseResultsMedians(t *testing.T) {
	rows, allocs := allMet()
	r := parse(t, rawRun(3, rows, allocs))
	tests := []struct {
		alg, lib string
		ns       float64
		allocs   float64
	}{
		{bench.RS256, bench.NameTokengate, 32000, 10},
		{bench.HS256, bench.NamePrimitive, 1000, 9},
		{bench.ES256, "jwx-v3", 90000, 220},
		{bench.ES256, bench.NameTokengateCached, 100, 0},
	}
	for _, tt := range tests {
		t.Run(tt.alg+"/"+tt.lib, func(t *testing.T) {
			s := r.Get(tt.alg, tt.lib)
			if s == nil {
				t.Fatalf("got no summary, want one")
			}
			if diff := s.NsOp - tt.ns; diff > 1e-6 || diff < -1e-6 {
				t.Errorf("ns/op: got %v, want %v", s.NsOp, tt.ns)
			}
			if s.AllocsOp != tt.allocs {
				t.Errorf("allocs/op: got %v, want %v", s.AllocsOp, tt.allocs)
			}
			if s.BytesOp != 100 {
				t.Errorf("B/op: got %v, want 100", s.BytesOp)
			}
			if s.Runs != 3 {
				t.Errorf("runs: got %d, want 3", s.Runs)
			}
		})
	}
}

func TestParseResultsRejectsNamesWithoutKeys(t *testing.T) {
	raw := "BenchmarkVerify/RS256/tokengate-2 \t 10\t 5.0 ns/op\n"
	if _, err := ParseResults(strings.NewReader(raw), "raw.txt"); err == nil {
		t.Fatalf("got nil error, want one for a Verify result without alg= and lib=")
	}
}

func TestParseResultsIgnoresOtherBenchmarks(t *testing.T) {
	raw := "BenchmarkOther/x=1-2 \t 10\t 5.0 ns/op\nsome log line\n"
	r := parse(t, raw)
	if len(r) != 0 {
		t.Errorf("got %d algs, want 0", len(r))
	}
}

func statuses(ts []Target) map[string]Status {
	m := map[string]Status{}
	for _, t := range ts {
		m[t.Measure+" | "+t.Goal] = t.Status
	}
	return m
}

func TestEvaluate(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(rows map[string][3]float64, allocs map[string]float64)
		want   map[string]Status // Goal substring -> status; others must be met or not measured as in allMet
	}{
		{
			name:   "all met",
			mutate: func(map[string][3]float64, map[string]float64) {},
			want:   map[string]Status{},
		},
		{
			name: "RS256 too slow against the floor and a peer",
			mutate: func(rows map[string][3]float64, _ map[string]float64) {
				r := rows[bench.NameTokengate]
				r[0] = 46000
				rows[bench.NameTokengate] = r
			},
			want: map[string]Status{"RS256 verify incl. claims, uncached": NotMet, "RS256 verify, uncached, against peers": NotMet},
		},
		{
			name: "HS256 not 3 times faster than golang-jwt",
			mutate: func(rows map[string][3]float64, _ map[string]float64) {
				r := rows[bench.NameGolangJWT]
				r[1] = 7000
				rows[bench.NameGolangJWT] = r
			},
			want: map[string]Status{"HS256 verify, uncached, against golang-jwt/v5": NotMet},
		},
		{
			name:   "too many allocations",
			mutate: func(_ map[string][3]float64, allocs map[string]float64) { allocs[bench.NameTokengate] = 13 },
			want:   map[string]Status{"allocations per uncached verify": NotMet},
		},
		{
			name:   "cache hit allocates",
			mutate: func(_ map[string][3]float64, allocs map[string]float64) { allocs[bench.NameTokengateCached] = 1 },
			want:   map[string]Status{"repeat token (verified-token cache hit)": NotMet},
		},
		{
			name:   "floor missing",
			mutate: func(rows map[string][3]float64, _ map[string]float64) { delete(rows, bench.NamePrimitive) },
			want: map[string]Status{
				"RS256 verify incl. claims, uncached": NotMeasured,
				"HS256 verify incl. claims, uncached": NotMeasured,
				"ES256 verify incl. claims, uncached": NotMeasured,
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rows, allocs := allMet()
			tt.mutate(rows, allocs)
			ts := Evaluate(parse(t, rawRun(3, rows, allocs)))
			if len(ts) != 9 {
				t.Fatalf("got %d targets, want 9", len(ts))
			}
			for _, target := range ts {
				want, ok := tt.want[target.Measure]
				switch {
				case ok:
				case strings.Contains(target.Measured, "phase 2"), strings.Contains(target.Measured, "jwks/"):
					want = NotMeasured
				default:
					want = Met
				}
				if target.Status != want {
					t.Errorf("%s: got %s (%s), want %s", target.Measure, target.Status, target.Measured, want)
				}
			}
		})
	}
}

func TestRender(t *testing.T) {
	rows, allocs := allMet()
	meta, err := ParseMeta(strings.NewReader("date: 2026-11-27 10:00 UTC\ncpu: Test CPU\ncores: 2\ngo: go1.26.8 linux/amd64\nnote: a test\n"))
	if err != nil {
		t.Fatal(err)
	}
	vers, err := ParseVersions(strings.NewReader("github.com/golang-jwt/jwt/v5 v5.3.1\ngithub.com/tokengate/tokengate v0.0.0 => ../\n"))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	in := Input{Results: parse(t, rawRun(3, rows, allocs)), Meta: meta, Versions: vers, Benchstat: "benchstat table"}
	if err := Render(&out, in); err != nil {
		t.Fatal(err)
	}
	md := out.String()
	for _, want := range []string{
		"| date | 2026-11-27 10:00 UTC |",
		"| machine | Test CPU, 2 logical cores |",
		"**Note:** a test",
		"## RS256", "## HS256", "## ES256",
		"| **tokengate** | 32,000 | 10 | 100 | 1.07 | 1.00 | 3 |",
		"| golang-jwt-v5 | 12,000 | 78 | 100 | 12.00 | 4.80 | 3 |",
		"| go-oidc-v3 | n/a: StaticKeySet takes public keys only (no HMAC) |",
		"| go-jose-v4 | missing from this run |",
		"| golang-jwt-v5 | github.com/golang-jwt/jwt/v5 | v5.3.1 |",
		"benchstat table",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("report lacks %q", want)
		}
	}
	if t.Failed() {
		t.Logf("report:\n%s", md)
	}
}

func TestParseMeta(t *testing.T) {
	m, err := ParseMeta(strings.NewReader("# comment\n\ndate: x: y\ncores:  2 \ncores: 4\n"))
	if err != nil {
		t.Fatal(err)
	}
	if got := m.Get("date"); got != "x: y" {
		t.Errorf("date: got %q, want %q", got, "x: y")
	}
	if got := m.Get("cores"); got != "4" {
		t.Errorf("cores: got %q, want the last value %q", got, "4")
	}
	if got := m.Get("absent"); got != "unknown" {
		t.Errorf("absent: got %q, want %q", got, "unknown")
	}
	if _, err := ParseMeta(strings.NewReader("no colon here\n")); err == nil {
		t.Errorf("got nil error for a line without a colon, want one")
	}
}

func TestSplitName(t *testing.T) {
	tests := []struct {
		in, base, alg, lib string
	}{
		{"Verify/alg=RS256/lib=jwx-v2-2", "Verify", "RS256", "jwx-v2"},
		{"Verify/alg=HS256/lib=golang-jwt-v5", "Verify", "HS256", "golang-jwt-v5"},
		{"Verify/alg=ES256/lib=x-16", "Verify", "ES256", "x"},
		{"Other", "Other", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			base, keys := SplitName(tt.in)
			if base != tt.base || keys["alg"] != tt.alg || keys["lib"] != tt.lib {
				t.Errorf("got %q %q %q, want %q %q %q", base, keys["alg"], keys["lib"], tt.base, tt.alg, tt.lib)
			}
		})
	}
}

func TestMedian(t *testing.T) {
	tests := []struct {
		in   []float64
		want float64
	}{
		{nil, 0}, {[]float64{3}, 3}, {[]float64{3, 1, 2}, 2}, {[]float64{4, 1, 3, 2}, 2.5},
	}
	for _, tt := range tests {
		if got := Median(tt.in); got != tt.want {
			t.Errorf("Median(%v): got %v, want %v", tt.in, got, tt.want)
		}
	}
}
