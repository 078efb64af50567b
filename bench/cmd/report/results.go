package main

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"golang.org/x/perf/benchfmt"
)

// Summary is the median of every run of one benchmark.
type Summary struct {
	NsOp     float64
	BytesOp  float64
	AllocsOp float64
	Runs     int
}

// Results maps alg, then lib, to the summary of Verify/alg=A/lib=L.
type Results map[string]map[string]*Summary

// Get returns the summary of alg and lib, or nil.
func (r Results) Get(alg, lib string) *Summary { return r[alg][lib] }

type samples struct{ ns, bytes, allocs []float64 }

// ParseResults reads raw benchmark output and takes the median of each
// metric per (alg, lib). Lines that are not Verify results are ignored; a
// Verify result without an alg= or lib= key is an error, so that a renamed
// benchmark cannot silently drop out of the report.
func ParseResults(r io.Reader, name string) (Results, error) {
	br := benchfmt.NewReader(r, name)
	all := map[[2]string]*samples{}
	var errs []error
	for br.Scan() {
		switch rec := br.Result().(type) {
		case *benchfmt.SyntaxError:
			errs = append(errs, rec)
		case *benchfmt.Result:
			base, keys := SplitName(rec.Name.String())
			if base != "Verify" {
				continue
			}
			alg, lib := keys["alg"], keys["lib"]
			if alg == "" || lib == "" {
				errs = append(errs, fmt.Errorf("%s: benchmark %q has no alg= or lib= part", name, rec.Name))
				continue
			}
			k := [2]string{alg, lib}
			s := all[k]
			if s == nil {
				s = &samples{}
				all[k] = s
			}
			for _, v := range rec.Values {
				switch v.Unit {
				case "sec/op":
					s.ns = append(s.ns, v.Value*1e9)
				case "ns/op":
					s.ns = append(s.ns, v.Value)
				case "B/op":
					s.bytes = append(s.bytes, v.Value)
				case "allocs/op":
					s.allocs = append(s.allocs, v.Value)
				}
			}
		}
	}
	if err := br.Err(); err != nil {
		errs = append(errs, err)
	}
	res := Results{}
	for k, s := range all {
		if len(s.ns) == 0 {
			errs = append(errs, fmt.Errorf("%s: Verify/alg=%s/lib=%s has no ns/op", name, k[0], k[1]))
			continue
		}
		if res[k[0]] == nil {
			res[k[0]] = map[string]*Summary{}
		}
		res[k[0]][k[1]] = &Summary{NsOp: Median(s.ns), BytesOp: Median(s.bytes), AllocsOp: Median(s.allocs), Runs: len(s.ns)}
	}
	return res, errors.Join(errs...)
}

// SplitName splits a benchmark name such as "Verify/alg=RS256/lib=jwx-v2-8"
// into its base ("Verify") and its key=value parts; the GOMAXPROCS suffix
// is dropped. Parts without "=" are ignored.
func SplitName(name string) (string, map[string]string) {
	base, parts := benchfmt.Name(name).Parts()
	keys := map[string]string{}
	for _, p := range parts {
		if len(p) == 0 || p[0] != '/' {
			continue // "-N": GOMAXPROCS
		}
		if k, v, ok := bytes.Cut(p[1:], []byte("=")); ok {
			keys[string(k)] = string(v)
		}
	}
	return string(base), keys
}

// Median returns the median of xs (0 for none), without changing xs.
func Median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

// Meta is the machine description run.sh writes: "key: value" lines, in
// order. Blank lines and lines starting with # are skipped.
type Meta struct {
	Keys   []string
	Values map[string]string
}

// Get returns the value of key, or "unknown".
func (m Meta) Get(key string) string {
	if v, ok := m.Values[key]; ok && v != "" {
		return v
	}
	return "unknown"
}

// ParseMeta reads "key: value" lines.
func ParseMeta(r io.Reader) (Meta, error) {
	m := Meta{Values: map[string]string{}}
	sc := bufio.NewScanner(r)
	line := 0
	for sc.Scan() {
		line++
		t := strings.TrimSpace(sc.Text())
		if t == "" || t[0] == '#' {
			continue
		}
		k, v, ok := strings.Cut(t, ":")
		k = strings.TrimSpace(k)
		if !ok || k == "" {
			return m, fmt.Errorf("meta line %d: want key: value", line)
		}
		if _, dup := m.Values[k]; !dup {
			m.Keys = append(m.Keys, k)
		}
		m.Values[k] = strings.TrimSpace(v)
	}
	return m, sc.Err()
}

// Versions maps a module path to its version as `go list -m` prints it
// ("v5.3.1", or "v0.0.0-... => ../" for a replaced module).
type Versions map[string]string

// ParseVersions reads `go list -m` output: "path version [=> replacement]".
func ParseVersions(r io.Reader) (Versions, error) {
	v := Versions{}
	sc := bufio.NewScanner(r)
	line := 0
	for sc.Scan() {
		line++
		f := strings.Fields(sc.Text())
		switch {
		case len(f) == 0:
		case len(f) == 1:
			v[f[0]] = "(no version)"
		default:
			v[f[0]] = strings.Join(f[1:], " ")
		}
	}
	return v, sc.Err()
}
