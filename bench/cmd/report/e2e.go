package main

import (
	"cmp"
	"errors"
	"fmt"
	"io"
	"slices"

	"golang.org/x/perf/benchfmt"

	"github.com/tokengate/tokengate/bench/e2e"
)

// E2ESummary is one server under one driver, over the rounds of a run:
// medians, and the spread of the requests/s.
type E2ESummary struct {
	RPS            float64 // requests/s, median of the rounds
	P50, P99       float64 // latency in ns, medians of the rounds
	MinRPS, MaxRPS float64
	// CPU is the server process's CPU time per request in ns (user +
	// system, measured by run.sh around the timed run), median of the
	// rounds; 0 when not measured. It varies less than requests/s with
	// what else the machine runs.
	CPU      float64
	Failures float64 // summed over the rounds
	Rounds   int
}

// E2E maps a driver ("wrk", "go"), then a server, to its summary.
type E2E map[string]map[string]*E2ESummary

// Get returns the summary of server under driver, or nil.
func (e E2E) Get(driver, server string) *E2ESummary { return e[driver][server] }

// Driver returns the driver whose figures count: wrk when the run has them
// (a C client takes less of the shared cores than Go's net/http client),
// else the Go driver, else the first in name order; "" for none.
func (e E2E) Driver() string {
	for _, d := range []string{"wrk", "go"} {
		if len(e[d]) > 0 {
			return d
		}
	}
	return firstKey(e)
}

// Drivers returns the drivers of the run, the counting one first.
func (e E2E) Drivers() []string {
	main := e.Driver()
	ds := []string{}
	for d := range e {
		if d != main {
			ds = append(ds, d)
		}
	}
	slices.Sort(ds)
	if main == "" {
		return ds
	}
	return append([]string{main}, ds...)
}

// Ratio is server's requests/s over bare's under driver, 0 when either is
// missing.
func (e E2E) Ratio(driver, server string) float64 {
	s, b := e.Get(driver, server), e.Get(driver, e2e.NameBare)
	if s == nil || b == nil || b.RPS == 0 {
		return 0
	}
	return s.RPS / b.RPS
}

// CPURatio is server's CPU time per request over bare's under driver, 0
// when either is missing.
func (e E2E) CPURatio(driver, server string) float64 {
	s, b := e.Get(driver, server), e.Get(driver, e2e.NameBare)
	if s == nil || b == nil || b.CPU == 0 || s.CPU == 0 {
		return 0
	}
	return s.CPU / b.CPU
}

func firstKey[V any](m map[string]V) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	if len(keys) == 0 {
		return ""
	}
	return keys[0]
}

type e2eSamples struct{ rps, p50, p99, cpu, failures []float64 }

// ParseE2E reads the BenchmarkE2E lines that run.sh collects (from wrk.lua
// and `e2e load`, see e2e.Result.BenchLine); other lines are ignored. An E2E
// line without server= and driver=, or without req/s, is an error.
func ParseE2E(r io.Reader, name string) (E2E, error) {
	br := benchfmt.NewReader(r, name)
	all := map[[2]string]*e2eSamples{}
	var errs []error
	for br.Scan() {
		switch rec := br.Result().(type) {
		case *benchfmt.SyntaxError:
			errs = append(errs, rec)
		case *benchfmt.Result:
			base, keys := SplitName(rec.Name.String())
			if base != "E2E" {
				continue
			}
			driver, server := keys["driver"], keys["server"]
			if driver == "" || server == "" {
				errs = append(errs, fmt.Errorf("%s: benchmark %q has no server= or driver= part", name, rec.Name))
				continue
			}
			k := [2]string{driver, server}
			s := all[k]
			if s == nil {
				s = &e2eSamples{}
				all[k] = s
			}
			var rps, p50, p99, cpu, fails float64
			seen := false
			for _, v := range rec.Values {
				// benchfmt rescales units with "ns" in them to seconds: read
				// what the line said.
				unit, val := v.Unit, v.Value
				if v.OrigUnit != "" {
					unit, val = v.OrigUnit, v.OrigValue
				}
				switch unit {
				case "req/s":
					rps, seen = val, true
				case "p50-ns":
					p50 = val
				case "p99-ns":
					p99 = val
				case "server-cpu-ns/req":
					cpu = val
				case "failures":
					fails = val
				}
			}
			if !seen {
				errs = append(errs, fmt.Errorf("%s: %s has no req/s", name, rec.Name))
				continue
			}
			s.rps = append(s.rps, rps)
			s.p50 = append(s.p50, p50)
			s.p99 = append(s.p99, p99)
			if cpu > 0 {
				s.cpu = append(s.cpu, cpu)
			}
			s.failures = append(s.failures, fails)
		}
	}
	if err := br.Err(); err != nil {
		errs = append(errs, err)
	}
	e := E2E{}
	for k, s := range all {
		if len(s.rps) == 0 {
			continue
		}
		if e[k[0]] == nil {
			e[k[0]] = map[string]*E2ESummary{}
		}
		sum := &E2ESummary{
			RPS: Median(s.rps), P50: Median(s.p50), P99: Median(s.p99), CPU: Median(s.cpu),
			MinRPS: slices.Min(s.rps), MaxRPS: slices.Max(s.rps), Rounds: len(s.rps),
		}
		for _, f := range s.failures {
			sum.Failures += f
		}
		e[k[0]][k[1]] = sum
	}
	return e, errors.Join(errs...)
}

// e2eOrder sorts the servers of a run: e2e.Servers' order, then unknown
// names alphabetically.
func e2eOrder(servers map[string]*E2ESummary) []string {
	rank := map[string]int{}
	for i, s := range e2e.Servers() {
		rank[s.Name] = i
	}
	names := make([]string, 0, len(servers))
	for n := range servers {
		names = append(names, n)
	}
	slices.SortFunc(names, func(a, b string) int {
		ra, oka := rank[a]
		rb, okb := rank[b]
		switch {
		case oka && okb:
			return cmp.Compare(ra, rb)
		case oka:
			return -1
		case okb:
			return 1
		}
		return cmp.Compare(a, b)
	})
	return names
}
