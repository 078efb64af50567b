package management

import (
	"bufio"
	"bytes"
	"flag"
	"fmt"
	"maps"
	"os"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// pendingClasses are the reference classes whose methods are not written
// yet (the configuration-style resources). Their rows of
// testdata/coverage.tsv say PENDING. Remove a class from this list when its
// rows are done: TestCoverage fails while a listed class has no PENDING row
// left, and for any PENDING row of a class not listed, so an empty list
// means all 205 methods are covered.
var pendingClasses = []string{}

var update = flag.Bool("update", false, "rewrite COVERAGE.md from testdata/coverage.tsv")

// refRow is a method row of the reference tables.
type refRow struct {
	class, method, verb, path, query, body string
}

func (r refRow) key() string { return r.class + "." + r.method }

// readReference parses testdata/reference-management.md (section 3 of the
// project's Python SDK reference, copied as is).
func readReference(t *testing.T) []refRow {
	t.Helper()
	f, err := os.Open("testdata/reference-management.md")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	heading := regexp.MustCompile(`^#### (\w+) \(.*\) — (\d+) methods$`)
	var rows []refRow
	var class string
	declared := map[string]int{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if m := heading.FindStringSubmatch(line); m != nil {
			class = m[1]
			var n int
			fmt.Sscan(m[2], &n)
			declared[class] = n
			continue
		}
		if !strings.HasPrefix(line, "| ") || strings.HasPrefix(line, "| method ") {
			continue
		}
		cells := strings.Split(strings.Trim(line, "|"), "|")
		if len(cells) != 6 {
			t.Fatalf("reference row with %d cells: %s", len(cells), line)
		}
		for i := range cells {
			cells[i] = strings.TrimSpace(cells[i])
		}
		rows = append(rows, refRow{class, cells[0], cells[1], cells[2], cells[3], cells[4]})
	}
	for class, n := range declared {
		got := 0
		for _, r := range rows {
			if r.class == class {
				got++
			}
		}
		if got != n {
			t.Errorf("reference %s: %d rows, heading says %d", class, got, n)
		}
	}
	return rows
}

// covRow is a row of testdata/coverage.tsv: one Management API endpoint,
// where it is documented, what it sends by default, and the Go method that
// calls it. The table drives TestCoverage, TestRoutes, TestReplay (the
// replay route of every method), TestX22RedactionEveryMethod and
// COVERAGE.md.
type covRow struct {
	// source: python-4.13.0 (a method of the reference,
	// testdata/reference-management.md), go-auth0-1.32.0 (a method of
	// go-auth0's management package at v1.32.0), or recordings:<id> (an
	// endpoint that neither has, seen in the recording of that id).
	source string
	// class and method name the endpoint in its source: the Python class
	// and method, the go-auth0 manager and method, or for recordings the
	// resource and the Go method.
	class, method string
	verb, path    string
	// query and body are written as in the reference: name=default is
	// sent by default, a bare name only when given; the body is none,
	// body(dict), {member,...} or a multipart field list.
	query, body string
	goMethod    string // Field.Method of Management, or PENDING
}

func (c covRow) key() string { return c.class + "." + c.method }

// Sources of coverage.tsv rows.
const (
	sourcePython     = "python-4.13.0"
	sourceGoAuth0    = "go-auth0-1.32.0"
	sourceRecordings = "recordings"
)

func readCoverage(t *testing.T) []covRow {
	t.Helper()
	b, err := os.ReadFile("testdata/coverage.tsv")
	if err != nil {
		t.Fatal(err)
	}
	var rows []covRow
	for i, line := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		if i == 0 {
			continue // header
		}
		c := strings.Split(line, "\t")
		if len(c) != 8 {
			t.Fatalf("coverage.tsv line %d: %d columns, want 8", i+1, len(c))
		}
		rows = append(rows, covRow{c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]})
	}
	return rows
}

// goMethodExists reports whether "Field.Method" names a resource field of
// Management whose type has that method.
func goMethodExists(name string) bool {
	field, method, ok := strings.Cut(name, ".")
	if !ok {
		return false
	}
	f, ok := reflect.TypeFor[Management]().FieldByName(field)
	if !ok || !f.IsExported() {
		return false
	}
	_, ok = f.Type.MethodByName(method)
	return ok
}

// TestCoverage checks testdata/coverage.tsv: every method of the reference
// has its row, with the reference's verb, path, query and body; every row
// has a known source, a unique name and endpoint, and a Go method that
// exists (or PENDING, for a class of pendingClasses), each Go method named
// once.
func TestCoverage(t *testing.T) {
	ref := readReference(t)
	cov := readCoverage(t)
	if len(ref) != 205 {
		t.Errorf("reference rows: got %d, want 205", len(ref))
	}
	refByKey := map[string]refRow{}
	for _, r := range ref {
		refByKey[r.key()] = r
	}
	seen, endpoints := map[string]bool{}, map[string]string{}
	done, pending := 0, map[string]int{}
	goNames := map[string]string{}
	for _, c := range cov {
		k := c.key()
		if seen[k] {
			t.Errorf("coverage.tsv lists %s twice", k)
		}
		seen[k] = true
		ep := c.verb + " " + holePattern.ReplaceAllString(c.path, "*")
		if other, dup := endpoints[ep]; dup {
			t.Errorf("%s and %s are both %s", other, k, ep)
		}
		endpoints[ep] = k
		switch c.source {
		case sourcePython:
			r, ok := refByKey[k]
			if !ok {
				t.Errorf("coverage.tsv row %s is not in the reference", k)
				break
			}
			delete(refByKey, k)
			if c.verb != r.verb || c.path != r.path || c.query != r.query || c.body != r.body {
				t.Errorf("%s: coverage.tsv says %s %s %q %q, reference %s %s %q %q", k, c.verb, c.path, c.query, c.body, r.verb, r.path, r.query, r.body)
			}
		case sourceGoAuth0:
		default:
			if strings.HasPrefix(c.source, sourceRecordings+":") {
				break // recordings:<the id of a recording of it>
			}
			t.Errorf("%s: unknown source %q", k, c.source)
		}
		if c.goMethod == "PENDING" {
			if !slices.Contains(pendingClasses, c.class) {
				t.Errorf("%s is PENDING but %s is not in pendingClasses", k, c.class)
			}
			pending[c.class]++
			continue
		}
		if !goMethodExists(c.goMethod) {
			t.Errorf("%s: Go method %s does not exist", k, c.goMethod)
			continue
		}
		if other, dup := goNames[c.goMethod]; dup {
			t.Errorf("%s and %s both map to %s", other, k, c.goMethod)
		}
		goNames[c.goMethod] = k
		done++
	}
	for k, r := range refByKey {
		t.Errorf("%s (%s %s): no row in coverage.tsv", k, r.verb, r.path)
	}
	for _, class := range pendingClasses {
		if pending[class] == 0 {
			t.Errorf("pendingClasses lists %s, which has no PENDING row: remove it", class)
		}
	}
	n := 0
	for _, v := range pending {
		n += v
	}
	t.Logf("coverage: %d of %d methods implemented (%d of the reference), %d pending in %d classes", done, len(cov), len(ref), n, len(pending))
}

// holePattern matches the {param} segments of a path.
var holePattern = regexp.MustCompile(`\{[^}/]*\}`)

// TestCoverageDoc keeps COVERAGE.md, the table users read, in step with
// testdata/coverage.tsv, testdata/not-covered.tsv and the recordings of
// testdata (go test ./client/management -run TestCoverageDoc -update
// rewrites it).
func TestCoverageDoc(t *testing.T) {
	var b bytes.Buffer
	cov := readCoverage(t)
	done, bySource := 0, map[string]int{}
	for _, c := range cov {
		if c.goMethod != "PENDING" {
			done++
			src, _, _ := strings.Cut(c.source, ":")
			bySource[src]++
		}
	}
	fmt.Fprintf(&b, "# Management API coverage\n\n")
	fmt.Fprintf(&b, "Generated from testdata/coverage.tsv by `go test ./client/management -run TestCoverageDoc -update`.\n")
	fmt.Fprintf(&b, "Each row is one endpoint with its source: `python-4.13.0` (a method of the Auth0 Python SDK 4.13.0,\n")
	fmt.Fprintf(&b, "the reference: TestCoverage checks the row against testdata/reference-management.md), `go-auth0-1.32.0`\n")
	fmt.Fprintf(&b, "(a method of go-auth0's management package at v1.32.0, named as there), or `recordings:<id>` (an\n")
	fmt.Fprintf(&b, "endpoint neither has, seen in that recording of testdata). TestRoutes checks that each method sends\n")
	fmt.Fprintf(&b, "the verb, path and default query of its row; TestReplay replays every recording of testdata through\n")
	fmt.Fprintf(&b, "the method of its endpoint, with the replay route derived from the row.\n\n")
	fmt.Fprintf(&b, "**%d methods implemented** (%d of the Python SDK 4.13.0 reference, %d more of go-auth0 v1.32.0, %d seen only in the recordings)", done, bySource[sourcePython], bySource[sourceGoAuth0], bySource[sourceRecordings])
	if n := len(cov) - done; n > 0 {
		fmt.Fprintf(&b, "; %d pending", n)
	}
	fmt.Fprintf(&b, ".\n\n")
	writeResourceCounts(t, &b, cov)
	fmt.Fprintf(&b, "## Methods\n\n| source | class.method | verb | path | Go |\n|---|---|---|---|---|\n")
	for _, c := range cov {
		g := "pending"
		if c.goMethod != "PENDING" {
			g = "`m." + c.goMethod + "`"
		}
		fmt.Fprintf(&b, "| %s | %s | %s | `%s` | %s |\n", c.source, c.key(), c.verb, c.path, g)
	}
	writeNotCovered(t, &b)
	if *update {
		if err := os.WriteFile("COVERAGE.md", b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile("COVERAGE.md")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, b.Bytes()) {
		t.Error("COVERAGE.md is out of date: go test ./client/management -run TestCoverageDoc -update")
	}
}

// writeResourceCounts writes the methods and recordings of each resource
// (field of Management), before issue 30 and now. Before: the methods of
// the reference, and the recordings of the two files testdata then held
// whose endpoint is a method of the reference (the 110 lines of
// recordings-newer.jsonl were not copied yet).
func writeResourceCounts(t *testing.T, b *bytes.Buffer, cov []covRow) {
	t.Helper()
	type counts struct{ before, now, recs, replayedBefore, replayed int }
	per := map[string]*counts{}
	get := func(res string) *counts {
		if per[res] == nil {
			per[res] = &counts{}
		}
		return per[res]
	}
	for _, c := range cov {
		res, _, _ := strings.Cut(c.goMethod, ".")
		if c.goMethod == "PENDING" {
			res = c.class + " (pending)"
		}
		if c.source == sourcePython {
			get(res).before++
		}
		if c.goMethod != "PENDING" {
			get(res).now++
		}
	}
	routes := replayRoutes(t)
	for _, name := range defaultRecordings {
		for _, rec := range readRecordings(t, name) {
			res := "(no method)"
			rt, _, err := routeFor(routes, rec.Method, rec.Path)
			if err == nil {
				res, _, _ = strings.Cut(rt.row.goMethod, ".")
			}
			c := get(res)
			c.recs++
			if err == nil {
				c.replayed++
				if rt.row.source == sourcePython && name != "testdata/recordings-newer.jsonl" {
					c.replayedBefore++
				}
			}
		}
	}
	fmt.Fprintf(b, "## Per resource\n\n")
	fmt.Fprintf(b, "Before: the methods of the reference, and the recordings of testdata that a method of the reference\n")
	fmt.Fprintf(b, "replayed (the 110 lines of recordings-newer.jsonl were not in testdata yet). Now: every method, and\n")
	fmt.Fprintf(b, "the recordings TestReplay replays through one.\n\n")
	fmt.Fprintf(b, "| resource | methods before | methods now | recordings | replayed before | replayed now |\n|---|---|---|---|---|---|\n")
	var total counts
	for _, res := range slices.Sorted(maps.Keys(per)) {
		c := per[res]
		fmt.Fprintf(b, "| %s | %d | %d | %d | %d | %d |\n", res, c.before, c.now, c.recs, c.replayedBefore, c.replayed)
		total.before += c.before
		total.now += c.now
		total.recs += c.recs
		total.replayedBefore += c.replayedBefore
		total.replayed += c.replayed
	}
	fmt.Fprintf(b, "| **total** | %d | %d | %d | %d | %d |\n\n", total.before, total.now, total.recs, total.replayedBefore, total.replayed)
	writeNewlyTyped(t, b, routes)
}

// writeNewlyTyped lists the endpoints of the recordings no method of the
// reference calls (unmodeled before issue 30), with their source and Go
// method.
func writeNewlyTyped(t *testing.T, b *bytes.Buffer, routes []*replayRoute) {
	t.Helper()
	recs := map[*replayRoute]int{}
	total := 0
	for _, name := range defaultRecordings {
		for _, rec := range readRecordings(t, name) {
			if rt, _, err := routeFor(routes, rec.Method, rec.Path); err == nil && rt.row.source != sourcePython {
				recs[rt]++
				total++
			}
		}
	}
	fmt.Fprintf(b, "### Endpoints of the recordings outside the reference\n\n")
	fmt.Fprintf(b, "The %d endpoints of the %d recordings that no method of the reference calls (unmodeled before issue 30),\n", len(recs), total)
	fmt.Fprintf(b, "each typed, with the source its row is taken from.\n\n")
	fmt.Fprintf(b, "| verb | path | source | Go | recordings |\n|---|---|---|---|---|\n")
	for _, rt := range routes {
		if n := recs[rt]; n > 0 {
			fmt.Fprintf(b, "| %s | `%s` | %s | `m.%s` | %d |\n", rt.row.verb, rt.row.path, rt.row.source, rt.row.goMethod, n)
		}
	}
	fmt.Fprintf(b, "\n")
}

// writeNotCovered writes testdata/not-covered.tsv: endpoints newer than
// go-auth0 v1.32.0 that no method calls, with where they are documented.
func writeNotCovered(t *testing.T, b *bytes.Buffer) {
	t.Helper()
	data, err := os.ReadFile("testdata/not-covered.tsv")
	if err != nil {
		t.Fatal(err)
	}
	fmt.Fprintf(b, "\n## Not covered\n\n")
	fmt.Fprintf(b, "Endpoints newer than go-auth0 v1.32.0 and absent from the recordings, as the Auth0 Python SDK 5.8.0\n")
	fmt.Fprintf(b, "(generated from the API's definition) lists them: no method calls them yet (testdata/not-covered.tsv;\n")
	fmt.Fprintf(b, "TestNotCovered fails when one of them gets a row in coverage.tsv and stays listed here).\n\n")
	fmt.Fprintf(b, "| resource | verb | path | documented at |\n|---|---|---|---|\n")
	for i, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		if i == 0 {
			continue
		}
		c := strings.Split(line, "\t")
		if len(c) != 4 {
			t.Fatalf("not-covered.tsv line %d: %d columns, want 4", i+1, len(c))
		}
		fmt.Fprintf(b, "| %s | %s | `%s` | %s |\n", c[0], c[1], c[2], c[3])
	}
}

// TestNotCovered: no endpoint of testdata/not-covered.tsv is a row of
// coverage.tsv (a method added for one must take it off the list).
func TestNotCovered(t *testing.T) {
	data, err := os.ReadFile("testdata/not-covered.tsv")
	if err != nil {
		t.Fatal(err)
	}
	covered := map[string]string{}
	for _, c := range readCoverage(t) {
		covered[c.verb+" "+holePattern.ReplaceAllString(c.path, "*")] = c.goMethod
	}
	n := 0
	for i, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		if i == 0 {
			continue
		}
		c := strings.Split(line, "\t")
		if len(c) != 4 {
			t.Fatalf("not-covered.tsv line %d: %d columns, want 4", i+1, len(c))
		}
		n++
		if m, ok := covered[c[1]+" "+holePattern.ReplaceAllString(c[2], "*")]; ok {
			t.Errorf("%s %s is listed as not covered but %s calls it", c[1], c[2], m)
		}
	}
	t.Logf("%d endpoints not covered", n)
}
