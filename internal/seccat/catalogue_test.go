package seccat

import (
	"go/token"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// modulePath is the module whose root holds SECURITY.md.
const modulePath = "github.com/tokengate/tokengate"

// catalogueFile is the catalogue, at the module root.
const catalogueFile = "SECURITY.md"

// moduleRoot walks up from the working directory to the go.mod of
// modulePath.
func moduleRoot(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if b, err := os.ReadFile(filepath.Join(dir, "go.mod")); err == nil {
			if modName(string(b)) == modulePath {
				return dir
			}
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatalf("no go.mod of module %s above the working directory", modulePath)
		}
		dir = parent
	}
}

func modName(gomod string) string {
	for _, l := range strings.Split(gomod, "\n") {
		if s, ok := strings.CutPrefix(strings.TrimSpace(l), "module "); ok {
			return strings.Trim(strings.TrimSpace(s), `"`)
		}
	}
	return ""
}

// TestCatalogue checks SECURITY.md against the tests of the repository.
func TestCatalogue(t *testing.T) {
	root := moduleRoot(t)
	text, err := os.ReadFile(filepath.Join(root, catalogueFile))
	if err != nil {
		t.Fatal(err)
	}
	c := parseCatalogue(string(text))
	if len(c.rows) == 0 || len(c.refs) == 0 || len(c.index) == 0 {
		t.Fatalf("%s: got %d case rows, %d test references, %d index rows; want some of each (has the table format changed?)",
			catalogueFile, len(c.rows), len(c.refs), len(c.index))
	}
	m := newIDMatcher(families(c))
	mod, err := scanModule(root, m)
	if err != nil {
		t.Fatal(err)
	}
	problems, notes := check(c, mod, m)
	// A stale hint sends a reader to a package or file that does not
	// hold the test: as much a defect of the catalogue as a missing test.
	for _, n := range notes {
		t.Error(n)
	}
	for _, p := range problems {
		t.Error(p)
	}
	t.Logf("%d cases, %d test references, %d test functions in the module, %d case ids in test names and rows",
		len(c.rows), len(c.refs), len(mod.funcs), len(mod.ids))
}

// TestCheck runs the checker on a small catalogue and package: each kind of
// drift must be found, and only that.
func TestCheck(t *testing.T) {
	const cat = "# Cases\n\n" +
		"| id | case | tested by |\n" +
		"|---|---|---|\n" +
		"| F7 | cold start | `pkg.TestF7_ColdStart` |\n" +
		"| KD3 | long kid | `pkg.TestKid/KD3` |\n" +
		"| W3 | query | not tested |\n" +
		"| X9 | age | `other.TestX9Age` |\n" +
		"| C1 | aud | `pkg.TestGone`, `pkg.TestKid/C1` |\n" +
		"| C2 | aud | nothing yet |\n" +
		"| T1 | exp | `pkg.TestUnindexed` |\n" +
		"\n## Index\n\n" +
		"| test | file |\n" +
		"|---|---|\n" +
		"| `pkg.TestF7_ColdStart` | `pkg/old_test.go` |\n" +
		"| `pkg.TestKid` | `pkg/kid_test.go` |\n" +
		"| `other.TestX9Age` | `other/age_test.go` |\n" +
		"| `pkg.TestGone` | `pkg/gone_test.go` |\n"
	const src = `package pkg

import "testing"

func TestF7_ColdStart(t *testing.T) {}

func TestX9Age(t *testing.T) {}

func TestUnindexed(t *testing.T) {}

func TestZ9Unknown(t *testing.T) {}

func TestB64Char(t *testing.T) {}

func TestES256Keys(t *testing.T) { t.Run("ES256", nil); t.Run("S256", nil); t.Run("X25519", nil) }

func TestKid(t *testing.T) {
	rows := []struct {
		id  string
		alg string
	}{
		{id: "KD3/1MiB", alg: "RS256"},
		{id: "KD9/new-row", alg: "HS256"},
	}
	_ = rows
	t.Run("W3/query", nil)
	t.Run("Q1/not-a-family", nil)
	claimCase("T1/string" + "-x")
}

func claimCase(string) {}

func notATest(t *testing.T) { t.Run("X77", nil) }
`
	c := parseCatalogue(cat)
	if got := len(c.rows); got != 7 {
		t.Fatalf("got %d case rows, want 7", got)
	}
	m := newIDMatcher(families(c))
	mod := &module{funcs: map[string][]testFunc{}}
	if err := mod.scanFile(token.NewFileSet(), m, "pkg", "pkg/kid_test.go", src); err != nil {
		t.Fatal(err)
	}
	problems, notes := check(c, mod, m)

	wantProblems := []string{
		"SECURITY.md:9: pkg.TestGone: no *_test.go file declares TestGone",
		"SECURITY.md:20: pkg.TestGone: no *_test.go file declares TestGone",
		"pkg.TestKid/C1: package pkg has no subtest or table row named C1",
		"case C2 names no test",
		"pkg.TestUnindexed is not in the test index",
		"test name TestZ9Unknown carries case id Z9",
		`row "KD9/new-row" carries case id KD9`,
		`name "X77" carries case id X77`,
	}
	wantNotes := []string{
		"SECURITY.md:8: TestX9Age is declared in pkg, not in other",
		"SECURITY.md:19: TestX9Age is declared in pkg, not in other",
		"pkg.TestF7_ColdStart is in pkg/kid_test.go, not in pkg/old_test.go",
		"other.TestX9Age is in pkg/kid_test.go, not in other/age_test.go",
	}
	expect(t, "problem", problems, wantProblems)
	expect(t, "note", notes, wantNotes)
}

// expect checks that every message wanted is found in got (by substring),
// and that got holds nothing else.
func expect(t *testing.T, kind string, got, want []string) {
	t.Helper()
	used := make([]bool, len(got))
	for _, w := range want {
		found := false
		for i, g := range got {
			if !used[i] && strings.Contains(g, w) {
				used[i], found = true, true
				break
			}
		}
		if !found {
			t.Errorf("no %s %q; got:\n%s", kind, w, strings.Join(got, "\n"))
		}
	}
	for i, g := range got {
		if !used[i] {
			t.Errorf("unexpected %s: %s", kind, g)
		}
	}
}

func TestIDsInNames(t *testing.T) {
	m := newIDMatcher(idFamilies)
	tests := []struct {
		name string
		want []string
	}{
		{"TestF7_ColdStart", []string{"F7"}},
		{"TestX21RetryWaitNeverNegative", []string{"X21"}},
		{"FuzzX22Redaction", []string{"X22"}},
		{"TestMultiIssuer_C5", []string{"C5"}},
		{"TestCacheFloodZ5", []string{"Z5"}},
		{"TestKD3_Long", []string{"KD3"}},
		{"TestJWKSStructure_3_12", nil},
		{"TestHMACConstantTimeCompare", nil},
		{"TestRSASignatures", nil},
		{"TestES256Keys", nil},
		{"TestX25519", nil},
		{"TestChecklist", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := m.inName(tt.name); !slices.Equal(got, tt.want) {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}
