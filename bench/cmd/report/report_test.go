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
		// The custom-claims rows. golang-jwt-v5-custom is faster than
		// tokengate on RS256: it is not a peer of the plain rows, so the
		// "faster than every peer" target must ignore it.
		bench.NameTokengateCustom:       {32500, 3200, 64500},
		bench.NameTokengateCustomCached: {110, 110, 110},
		"golang-jwt-v5-custom":          {31000, 14000, 81000},
	}
	allocs := map[string]float64{bench.NamePrimitive: 9, bench.NameTokengate: 10, bench.NameTokengateCached: 0, bench.NameGolangJWT: 78, "jwx-v3": 220,
		bench.NameTokengateCustom: 13, bench.NameTokengateCustomCached: 0, "golang-jwt-v5-custom": 95}
	return rows, allocs
}

// dpopRun is go test -bench output of the DPoP rows (alg=DPoP), in the
// format of rawRun.
func dpopRun(runs int, rows map[string]float64) string {
	var b strings.Builder
	for i := 0; i < runs; i++ {
		for lib, ns := range rows {
			d := float64(i%3 - 1)
			fmt.Fprintf(&b, "BenchmarkVerify/alg=%s/lib=%s-2 \t 1000\t %.1f ns/op\t 1200 B/op\t 13 allocs/op\n", bench.DPoP, lib, ns+d)
		}
	}
	return b.String()
}

// dpopMet is a DPoP run that meets the DPoP targets with allMet's RS256
// tokengate at 32 µs: uncached 32+60 µs × 1.05, cached floor + 1.5 µs.
func dpopMet() map[string]float64 {
	return map[string]float64{
		bench.NamePrimitive:       60000,
		bench.NameTokengate:       96600,
		bench.NameTokengateCached: 61500,
		NameGoJWTMWv3:             150000,
	}
}

// jweRun is go test -bench output of the JWE rows (alg=JWE), in the
// format of rawRun, with the given allocs per lib.
func jweRun(runs int, rows, allocs map[string]float64) string {
	var b strings.Builder
	for i := 0; i < runs; i++ {
		for lib, ns := range rows {
			d := float64(i%3 - 1)
			fmt.Fprintf(&b, "BenchmarkVerify/alg=%s/lib=%s-2 \t 1000\t %.1f ns/op\t 4552 B/op\t %g allocs/op\n", bench.JWE, lib, ns+d, allocs[lib])
		}
	}
	return b.String()
}

// jweMet is a JWE run that meets the JWE targets: uncached 1.05 × the
// primitives, the cache hit 130 ns with no allocation.
func jweMet() (map[string]float64, map[string]float64) {
	return map[string]float64{
			bench.NamePrimitive:       1000000,
			bench.NameTokengate:       1050000,
			bench.NameTokengateCached: 130,
			"go-jose-v4":              1070000,
			"jwx-v3":                  1080000,
		}, map[string]float64{
			bench.NamePrimitive: 19, bench.NameTokengate: 26, bench.NameTokengateCached: 0, "go-jose-v4": 312, "jwx-v3": 479,
		}
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

func TestEvaluate(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(rows map[string][3]float64, allocs map[string]float64)
		dpop   func(map[string]float64)            // changes dpopMet; nil: as it is
		jwe    func(ns, allocs map[string]float64) // changes jweMet; nil: as it is
		want   map[string]Status                   // Goal substring -> status; others must be met or not measured as in allMet
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
			name: "custom RS256 above 1.12 × the floor",
			mutate: func(rows map[string][3]float64, _ map[string]float64) {
				r := rows[bench.NameTokengateCustom]
				r[0] = 34000
				rows[bench.NameTokengateCustom] = r
			},
			want: map[string]Status{"RS256 verify incl. 4 custom claims (typed), uncached": NotMet},
		},
		{
			name: "custom HS256 above 4 × the floor",
			mutate: func(rows map[string][3]float64, _ map[string]float64) {
				r := rows[bench.NameTokengateCustom]
				r[1] = 4100
				rows[bench.NameTokengateCustom] = r
			},
			want: map[string]Status{"HS256 verify incl. 4 custom claims (typed), uncached": NotMet},
		},
		{
			name: "custom HS256 more than 1.5 µs over the typed-only path",
			mutate: func(rows map[string][3]float64, _ map[string]float64) {
				r := rows[bench.NameTokengate]
				r[1] = 1600 // custom stays at 3.2 × the floor, 1.6 µs over this
				rows[bench.NameTokengate] = r
			},
			want: map[string]Status{"HS256 verify incl. 4 custom claims (typed), uncached": NotMet},
		},
		{
			name:   "custom cache hit allocates",
			mutate: func(_ map[string][3]float64, allocs map[string]float64) { allocs[bench.NameTokengateCustomCached] = 1 },
			want:   map[string]Status{"repeat token with 4 custom claims (typed, cache hit)": NotMet},
		},
		{
			name:   "custom rows missing",
			mutate: func(rows map[string][3]float64, _ map[string]float64) { delete(rows, bench.NameTokengateCustom) },
			want: map[string]Status{
				"RS256 verify incl. 4 custom claims (typed), uncached": NotMeasured,
				"HS256 verify incl. 4 custom claims (typed), uncached": NotMeasured,
			},
		},
		{
			name:   "DPoP uncached over 1.10 × (bearer + floor)",
			mutate: func(map[string][3]float64, map[string]float64) {},
			dpop:   func(d map[string]float64) { d[bench.NameTokengate] = 102000 },
			want:   map[string]Status{"DPoP request (RS256 token + ES256 proof), uncached": NotMet},
		},
		{
			name:   "DPoP cache hit over floor + 2 µs",
			mutate: func(map[string][3]float64, map[string]float64) {},
			dpop:   func(d map[string]float64) { d[bench.NameTokengateCached] = 62100 },
			want:   map[string]Status{"DPoP request, the access token a verified-token cache hit": NotMet},
		},
		{
			name:   "DPoP slower than go-jwt-middleware v3",
			mutate: func(map[string][3]float64, map[string]float64) {},
			dpop:   func(d map[string]float64) { d[NameGoJWTMWv3] = 90000 },
			want:   map[string]Status{"DPoP request against go-jwt-middleware v3": NotMet},
		},
		{
			name:   "DPoP rows missing",
			mutate: func(map[string][3]float64, map[string]float64) {},
			dpop:   func(d map[string]float64) { clear(d) },
			want: map[string]Status{
				"DPoP request (RS256 token + ES256 proof), uncached":        NotMeasured,
				"DPoP request, the access token a verified-token cache hit": NotMeasured,
				"DPoP request against go-jwt-middleware v3":                 NotMeasured,
			},
		},
		{
			name:   "JWE uncached over 1.10 × the primitives",
			mutate: func(map[string][3]float64, map[string]float64) {},
			jwe:    func(ns, _ map[string]float64) { ns[bench.NameTokengate] = 1110000 },
			want:   map[string]Status{"JWE decrypt+verify (RSA-OAEP-256, A256GCM, inner RS256), uncached": NotMet},
		},
		{
			name:   "JWE cache hit allocates",
			mutate: func(map[string][3]float64, map[string]float64) {},
			jwe:    func(_, allocs map[string]float64) { allocs[bench.NameTokengateCached] = 1 },
			want:   map[string]Status{"repeat encrypted token (verified-token cache hit)": NotMet},
		},
		{
			name:   "JWE cache hit over 0.5 µs",
			mutate: func(map[string][3]float64, map[string]float64) {},
			jwe:    func(ns, _ map[string]float64) { ns[bench.NameTokengateCached] = 510 },
			want:   map[string]Status{"repeat encrypted token (verified-token cache hit)": NotMet},
		},
		{
			name:   "JWE floor missing",
			mutate: func(map[string][3]float64, map[string]float64) {},
			jwe:    func(ns, _ map[string]float64) { delete(ns, bench.NamePrimitive) },
			want:   map[string]Status{"JWE decrypt+verify (RSA-OAEP-256, A256GCM, inner RS256), uncached": NotMeasured},
		},
		{
			name:   "JWE rows missing",
			mutate: func(map[string][3]float64, map[string]float64) {},
			jwe:    func(ns, _ map[string]float64) { clear(ns) },
			want: map[string]Status{
				"JWE decrypt+verify (RSA-OAEP-256, A256GCM, inner RS256), uncached": NotMeasured,
				"repeat encrypted token (verified-token cache hit)":                 NotMeasured,
			},
		},
		{
			name:   "floor missing",
			mutate: func(rows map[string][3]float64, _ map[string]float64) { delete(rows, bench.NamePrimitive) },
			want: map[string]Status{
				"RS256 verify incl. claims, uncached":                  NotMeasured,
				"HS256 verify incl. claims, uncached":                  NotMeasured,
				"ES256 verify incl. claims, uncached":                  NotMeasured,
				"RS256 verify incl. 4 custom claims (typed), uncached": NotMeasured,
				"HS256 verify incl. 4 custom claims (typed), uncached": NotMeasured,
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rows, allocs := allMet()
			tt.mutate(rows, allocs)
			dp := dpopMet()
			if tt.dpop != nil {
				tt.dpop(dp)
			}
			jn, ja := jweMet()
			if tt.jwe != nil {
				tt.jwe(jn, ja)
			}
			ts := Evaluate(parse(t, rawRun(3, rows, allocs)+dpopRun(3, dp)+jweRun(3, jn, ja)), nil)
			if len(ts) != 17 {
				t.Fatalf("got %d targets, want 17", len(ts))
			}
			for _, target := range ts {
				want, ok := tt.want[target.Measure]
				switch {
				case ok:
				case strings.HasPrefix(target.Measure, "middleware on a loopback"):
					want = NotMeasured // no e2e results given
				case strings.HasPrefix(target.Measure, "unknown-kid storm"):
					want = Elsewhere
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
	jn, ja := jweMet()
	delete(jn, "jwx-v3")
	in := Input{Results: parse(t, rawRun(3, rows, allocs)+dpopRun(3, dpopMet())+jweRun(3, jn, ja)), Meta: meta, Versions: vers, Benchstat: "benchstat table"}
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
		"### HS256, with the four custom claims decoded",
		"| **tokengate-custom** | 3,200 | 13 | 100 | 3.20 | 1.00 | +700 ns | 3 |",
		"| golang-jwt-v5-custom | 31,000 | 95 | 100 | 1.03 | 0.95 | -14.0 µs | 3 |",
		"| **tokengate-custom-cached** | 110 | 0 | 100 | 0.11 | 0.034 | +10 ns | 3 |",
		"| go-oidc-v3-custom | n/a: StaticKeySet takes public keys only (no HMAC) |",
		"| jwx-v3-custom | missing from this run |",
		"| HS256 verify incl. 4 custom claims (typed), uncached | ≤ 4 × bare primitive and ≤ 1.50 µs over the typed-only path | 3.20 × (3.20 µs vs 1.00 µs); +700 ns over tokengate (2.50 µs), 13 allocs | met |",
		"| golang-jwt-v5 | github.com/golang-jwt/jwt/v5 | v5.3.1 |",
		"benchstat table",
		"## DPoP (RFC 9449)",
		"| **tokengate-cached** | 61,500 | 13 | 1200 | 1.03 | 0.64 | 3 |",
		"| DPoP request, the access token a verified-token cache hit | ≤ bare ecdsa.Verify of the proof + 2 µs | 61.5 µs = floor 60.0 µs +1.50 µs | met |",
		"| DPoP request (RS256 token + ES256 proof), uncached | ≤ 1.10 × (RS256 bearer verify + bare ecdsa.Verify of the proof) | 1.05 × (96.6 µs vs 32.0 µs + 60.0 µs) | met |",
		"## Encrypted access tokens (JWE)",
		"| JWE decrypt+verify (RSA-OAEP-256, A256GCM, inner RS256), uncached | ≤ 1.10 × the bare primitives (rsa.DecryptOAEP + AES-GCM open + rsa.VerifyPKCS1v15) | 1.05 × (1.05 ms vs 1.00 ms), 26 allocs (primitives alone 19) | met |",
		"| repeat encrypted token (verified-token cache hit) | ≤ 0.5 µs, 0 allocations | 130 ns, 0 allocs | met |",
		"| **tokengate** | 1,050,000 | 26 | 4552 | 1.05 | 1.00 | 3 |",
		"| go-jose-v4 | 1,070,000 | 312 | 4552 | 1.07 | 1.02 | 3 |",
		"| jwx-v3 | missing from this run | | | | | |",
		"| go-jose-v4 | github.com/go-jose/go-jose/v4 | jose.ParseEncryptedCompact(",
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

// e2eRun builds the e2e.txt lines of a run: rounds rounds, each server at
// the given req/s (±1 %), in the format of e2e.Result.BenchLine plus the
// server CPU per request that run.sh appends (0.6 s of CPU per second).
func e2eRun(rounds int, driver string, rps map[string]float64) string {
	var b strings.Builder
	for i := 0; i < rounds; i++ {
		for server, r := range rps {
			x := r * (1 + 0.01*[]float64{0, -1, 1}[i%3]) // the first round, and the median of 3, is r
			fmt.Fprintf(&b, "BenchmarkE2E/server=%s/driver=%s\t%d\t%.0f ns/op\t%.1f req/s\t%d p50-ns\t%d p99-ns\t0 failures\t%.0f server-cpu-ns/req\n",
				server, driver, int(x*10), 1e9/x, x, 300000+i, 2000000+i, 6e8/x)
		}
	}
	return b.String()
}

func parseE2E(t *testing.T, s string) E2E {
	t.Helper()
	e, err := ParseE2E(strings.NewReader(s), "e2e.txt")
	if err != nil {
		t.Fatalf("ParseE2E: %v", err)
	}
	return e
}

func TestParseE2E(t *testing.T) {
	raw := e2eRun(3, "wrk", map[string]float64{"bare": 30000, "go-jwt-middleware-v2": 12000}) +
		"BenchmarkHTTP/server=bare-2 \t 1\t 5.0 ns/op\n" + // the in-process benchmark: ignored
		e2eRun(1, "go", map[string]float64{"bare": 20000})
	e := parseE2E(t, raw)
	tests := []struct {
		driver, server string
		rps            float64
		rounds         int
	}{
		{"wrk", "bare", 30000, 3},
		{"wrk", "go-jwt-middleware-v2", 12000, 3}, // not cut at "-2" as a GOMAXPROCS suffix
		{"go", "bare", 20000, 1},
	}
	for _, tt := range tests {
		t.Run(tt.driver+"/"+tt.server, func(t *testing.T) {
			s := e.Get(tt.driver, tt.server)
			if s == nil {
				t.Fatalf("got no summary, want one")
			}
			if d := s.RPS - tt.rps; d > 1e-6 || d < -1e-6 {
				t.Errorf("req/s: got %v, want %v", s.RPS, tt.rps)
			}
			if s.Rounds != tt.rounds {
				t.Errorf("rounds: got %d, want %d", s.Rounds, tt.rounds)
			}
			if s.P50 < 300000 || s.P50 > 300002 || s.P99 < 2000000 || s.P99 > 2000002 {
				t.Errorf("latency: got p50 %v, p99 %v ns, want about 300000 and 2000000", s.P50, s.P99)
			}
			if want := 6e8 / tt.rps; s.CPU < want-1 || s.CPU > want+1 {
				t.Errorf("server CPU: got %v ns/req, want %v", s.CPU, want)
			}
			if tt.rounds == 3 && (s.MinRPS >= s.RPS || s.MaxRPS <= s.RPS) {
				t.Errorf("spread: got %v..%v around %v, want min < median < max", s.MinRPS, s.MaxRPS, s.RPS)
			}
		})
	}
	if got := e.Driver(); got != "wrk" {
		t.Errorf("Driver: got %q, want wrk", got)
	}
	if got := strings.Join(e.Drivers(), ","); got != "wrk,go" {
		t.Errorf("Drivers: got %q, want wrk,go", got)
	}
}

func TestParseE2EErrors(t *testing.T) {
	tests := []struct{ name, raw string }{
		{"no driver", "BenchmarkE2E/server=bare\t10\t5 ns/op\t5 req/s\n"},
		{"no server", "BenchmarkE2E/driver=wrk\t10\t5 ns/op\t5 req/s\n"},
		{"no req/s", "BenchmarkE2E/server=bare/driver=wrk\t10\t5 ns/op\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := ParseE2E(strings.NewReader(tt.raw), "e2e.txt"); err == nil {
				t.Errorf("got nil error, want one")
			}
		})
	}
}

func TestEvaluateE2E(t *testing.T) {
	full := map[string]float64{"bare": 30000, "tokengate": 28500, "tokengate-chain": 27000, "go-jwt-middleware-v3": 9000, "go-jwt-middleware-v2": 10000}
	tests := []struct {
		name    string
		raw     string
		want    Status
		measure []string
	}{
		{"met with wrk", e2eRun(3, "wrk", full), Met, []string{"0.95 × (28,500 vs 30,000 req/s, wrk, median of 3 rounds), server CPU per request 1.05 × bare's", "full chain 0.90 ×", "go-jwt-middleware v3 0.30 ×", "v2 0.33 ×"}},
		{"wrk counts, not the Go driver", e2eRun(3, "wrk", map[string]float64{"bare": 30000, "tokengate": 24000}) + e2eRun(3, "go", full), NotMet, []string{"0.80 ×", "wrk"}},
		{"Go driver when there is no wrk", e2eRun(2, "go", map[string]float64{"bare": 20000, "tokengate": 17000}), Met, []string{"0.85 ×", "Go driver", "median of 2 rounds"}},
		{"bare missing", e2eRun(3, "wrk", map[string]float64{"tokengate": 24000}), NotMeasured, []string{"missing"}},
		{"no e2e part", "", NotMeasured, []string{"missing"}},
		{"without CPU figures", "BenchmarkE2E/server=bare/driver=wrk\t1\t1 ns/op\t100 req/s\nBenchmarkE2E/server=tokengate/driver=wrk\t1\t1 ns/op\t90 req/s\n",
			Met, []string{"0.90 × (90 vs 100 req/s, wrk, 1 round)"}},
		{"failures", strings.ReplaceAll(e2eRun(1, "wrk", full), "\t0 failures", "\t3 failures"), NotMeasured, []string{"requests failed"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := evaluateE2E(parseE2E(t, tt.raw))
			if got.Status != tt.want {
				t.Errorf("status: got %s (%s), want %s", got.Status, got.Measured, tt.want)
			}
			for _, m := range tt.measure {
				if !strings.Contains(got.Measured, m) {
					t.Errorf("measured: got %q, want it to contain %q", got.Measured, m)
				}
			}
		})
	}
}

func TestRenderE2E(t *testing.T) {
	rows, allocs := allMet()
	meta, err := ParseMeta(strings.NewReader("cores: 2\ne2e-wrk: wrk debian/4.1.0\ne2e-wrk-command: wrk -t2 -c16 -d10s\ne2e-rounds: 3\n"))
	if err != nil {
		t.Fatal(err)
	}
	raw := e2eRun(3, "wrk", map[string]float64{"bare": 30000, "tokengate": 28500, "go-jwt-middleware-v2": 10000}) +
		e2eRun(3, "go", map[string]float64{"bare": 20000, "tokengate": 19000})
	in := Input{Results: parse(t, rawRun(3, rows, allocs)), Meta: meta, E2E: parseE2E(t, raw), E2EBenchstat: "e2e benchstat table"}
	var out bytes.Buffer
	if err := Render(&out, in); err != nil {
		t.Fatal(err)
	}
	md := out.String()
	for _, want := range []string{
		"## End-to-end HTTP (bench/e2e)",
		"**The figures below are wrk's** (wrk debian/4.1.0: `wrk -t2 -c16 -d10s`). Rounds: 3.",
		"the measure is each server's ratio to bare",
		"| bare | the handler alone, on the same ServeMux route | 30,000 | 1.00 | 20.0 µs | 1.00 | 300.0 µs | 2.00 ms | 3 | 29,700–30,300 | 0 |",
		"| **tokengate** | middleware.Authenticate(v);",
		"| 28,500 | 0.95 | 21.1 µs | 1.05 |",
		"| go-jwt-middleware-v2 | CheckJWT",
		"| tokengate-chain | ", // missing from this run
		"For comparison, the other driver of this run:\n\n### Go driver",
		"| 19,000 | 0.95 |",
		"| middleware on a loopback HTTP server, repeat tokens | ≥ 0.85 × requests/s of the bare server | 0.95 × (28,500 vs 30,000 req/s, wrk, median of 3 rounds), server CPU per request 1.05 × bare's; v2 0.33 × | met |",
		"e2e benchstat table",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("report lacks %q", want)
		}
	}
	if t.Failed() {
		t.Logf("report:\n%s", md)
	}
}

func TestRenderWithoutE2E(t *testing.T) {
	rows, allocs := allMet()
	var out bytes.Buffer
	if err := Render(&out, Input{Results: parse(t, rawRun(1, rows, allocs))}); err != nil {
		t.Fatal(err)
	}
	if want := "Not part of this run"; !strings.Contains(out.String(), want) {
		t.Errorf("report lacks %q", want)
	}
}
