package seccat

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"unicode"
)

// idFamilies are the letter prefixes of the case ids in use when this test
// was written. A family that SECURITY.md defines later is added from it, so
// only a family used in the code before it is in the catalogue goes unseen.
var idFamilies = []string{
	"A", "B", "C", "CR", "D", "E", "F", "H", "HM", "J", "KC", "KD", "M", "N", "R", "S", "T", "VC", "W", "X", "Z",
}

// notCaseIDs are test functions whose names look as if they carried a case
// id but do not.
var notCaseIDs = map[string]string{
	"TestB64Char": "B64 is RFC 6750's b64token, not a case",
}

// skipDirs are directories not read: the nested module that compares us with
// other libraries, Node packages, and test data.
var skipDirs = map[string]bool{"bench": true, "node_modules": true, "testdata": true, "vendor": true}

// selfDir is this package: its tests hold case ids as test data.
const selfDir = "internal/seccat"

// testFunc is where a test function is declared.
type testFunc struct {
	dir  string // package directory relative to the module root
	file string // file relative to the module root
}

// codeID is a case id found in a test: in a test function name, or in a
// string that names a subtest or a table row.
type codeID struct {
	id    string
	dir   string
	where string // file:line
	how   string // what carries it
}

type module struct {
	funcs map[string][]testFunc // by function name
	ids   []codeID
}

// idMatcher recognises case ids of the known families.
type idMatcher struct {
	lit  *regexp.Regexp // a subtest or row name: the id, then "/" or the end
	name *regexp.Regexp // a word of a test function name: the id, then an upper-case letter or the end
}

func newIDMatcher(families []string) idMatcher {
	fam := slices.Clone(families)
	// Longest first, so that "KD1" is not read as "K" + "D1".
	sort.Slice(fam, func(i, j int) bool { return len(fam[i]) > len(fam[j]) })
	alt := strings.Join(fam, "|")
	return idMatcher{
		lit:  regexp.MustCompile(`^((?:` + alt + `)[0-9]{1,2})(?:/|$)`),
		name: regexp.MustCompile(`^((?:` + alt + `)[0-9]{1,2})(?:[A-Z]|$)`),
	}
}

// inName returns the case ids a test function name carries: a word of the
// name (split at "_" and before an upper-case letter that follows a
// lower-case one) that starts with an id, as in TestF7_ColdStart,
// TestX21RetryWait, TestMultiIssuer_C5, TestCacheFloodZ5.
func (m idMatcher) inName(fn string) []string {
	for _, p := range []string{"Test", "Fuzz", "Benchmark", "Example"} {
		if s, ok := strings.CutPrefix(fn, p); ok {
			fn = s
			break
		}
	}
	var ids []string
	for _, part := range strings.Split(fn, "_") {
		for _, w := range words(part) {
			if sm := m.name.FindStringSubmatch(w); sm != nil {
				ids = append(ids, sm[1])
			}
		}
	}
	return ids
}

// words splits s before each upper-case letter that follows a lower-case
// letter: "CacheFloodZ5" is "Cache", "Flood", "Z5"; "X21RetryWait" is
// "X21Retry", "Wait".
func words(s string) []string {
	var out []string
	start := 0
	prev := rune(0)
	for i, r := range s {
		if unicode.IsUpper(r) && unicode.IsLower(prev) {
			out = append(out, s[start:i])
			start = i
		}
		prev = r
	}
	return append(out, s[start:])
}

// scanFile adds the test functions of one *_test.go file and the case ids
// its test names, subtest names and table rows carry. A string is taken as
// a subtest or row name where such names are written: the first argument
// of a call (t.Run("W3/query", ...), claimCase("C1/array", ...)), the first
// element of a composite literal ({"S3/trailing-comma", ...}), the value of
// a field named id or name, or a map key; of a concatenation, its first
// operand ("B1/plus-" + name).
func (mod *module) scanFile(fset *token.FileSet, m idMatcher, dir, file string, src any) error {
	f, err := parser.ParseFile(fset, file, src, parser.SkipObjectResolution)
	if err != nil {
		return err
	}
	for _, d := range f.Decls {
		fd, ok := d.(*ast.FuncDecl)
		if !ok || fd.Recv != nil || !isTestName(fd.Name.Name) {
			continue
		}
		name := fd.Name.Name
		mod.funcs[name] = append(mod.funcs[name], testFunc{dir: dir, file: file})
		if _, skip := notCaseIDs[name]; skip {
			continue
		}
		for _, id := range m.inName(name) {
			mod.ids = append(mod.ids, codeID{id: id, dir: dir, where: pos(fset, fd.Name.Pos()), how: "test name " + name})
		}
	}
	add := func(e ast.Expr, how string) {
		for {
			b, ok := e.(*ast.BinaryExpr)
			if !ok || b.Op != token.ADD {
				break
			}
			e = b.X
		}
		bl, ok := e.(*ast.BasicLit)
		if !ok || bl.Kind != token.STRING {
			return
		}
		s, err := strconv.Unquote(bl.Value)
		if err != nil {
			return
		}
		if sm := m.lit.FindStringSubmatch(s); sm != nil {
			mod.ids = append(mod.ids, codeID{id: sm[1], dir: dir, where: pos(fset, bl.Pos()), how: how + " " + strconv.Quote(s)})
		}
	}
	ast.Inspect(f, func(n ast.Node) bool {
		switch x := n.(type) {
		case *ast.CallExpr:
			if len(x.Args) > 0 {
				add(x.Args[0], "name")
			}
		case *ast.CompositeLit:
			for i, e := range x.Elts {
				kv, ok := e.(*ast.KeyValueExpr)
				switch {
				case !ok && i == 0:
					add(e, "row")
				case ok:
					if k, isIdent := kv.Key.(*ast.Ident); isIdent && (k.Name == "id" || k.Name == "name") {
						add(kv.Value, "row")
					} else if !isIdent {
						add(kv.Key, "key")
					}
				}
			}
		}
		return true
	})
	return nil
}

func isTestName(s string) bool {
	for _, p := range []string{"Test", "Fuzz", "Benchmark", "Example"} {
		if rest, ok := strings.CutPrefix(s, p); ok {
			// As go test: TestMain is not a test; after the prefix, not a lower-case letter.
			if s == "TestMain" {
				return false
			}
			r := []rune(rest + " ")[0]
			return rest == "" || !unicode.IsLower(r)
		}
	}
	return false
}

func pos(fset *token.FileSet, p token.Pos) string {
	ps := fset.Position(p)
	return fmt.Sprintf("%s:%d", ps.Filename, ps.Line)
}

// scanModule reads every *_test.go file below root.
func scanModule(root string, m idMatcher) (*module, error) {
	mod := &module{funcs: map[string][]testFunc{}}
	fset := token.NewFileSet()
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			name := d.Name()
			if path != root && (skipDirs[name] || strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_")) {
				return filepath.SkipDir
			}
			if rel, err := filepath.Rel(root, path); err == nil && filepath.ToSlash(rel) == selfDir {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, "_test.go") {
			return nil
		}
		rel, err := filepath.Rel(root, path)
		if err != nil {
			return err
		}
		rel = filepath.ToSlash(rel)
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return mod.scanFile(fset, m, pathDir(rel), rel, src)
	})
	return mod, err
}

// pathDir is the directory of a slash-separated path, "." at the root.
func pathDir(p string) string {
	if i := strings.LastIndexByte(p, '/'); i >= 0 {
		return p[:i]
	}
	return "."
}
