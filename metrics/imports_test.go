package metrics_test

import (
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

const (
	modulePath = "github.com/tokengate/tokengate"
	promPrefix = "github.com/prometheus/"
)

// goFile is one Go file of the main module and its imports.
type goFile struct {
	dir     string // slash-separated, relative to the module root
	test    bool
	imports []string
}

// moduleFiles parses the imports of every Go file of the main module: all
// directories under the root except nested modules (bench), testdata and
// hidden or node_modules directories.
func moduleFiles(t *testing.T) []goFile {
	t.Helper()
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	if b, err := os.ReadFile(filepath.Join(root, "go.mod")); err != nil || !strings.Contains(string(b), "module "+modulePath+"\n") {
		t.Fatalf("%s is not the root of %s: %v", root, modulePath, err)
	}
	var files []goFile
	fset := token.NewFileSet()
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			name := d.Name()
			if path != root && (name == "testdata" || name == "node_modules" || strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_")) {
				return filepath.SkipDir
			}
			if path != root {
				if _, err := os.Stat(filepath.Join(path, "go.mod")); err == nil {
					return filepath.SkipDir // a nested module
				}
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, parser.ImportsOnly)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, filepath.Dir(path))
		gf := goFile{dir: filepath.ToSlash(rel), test: strings.HasSuffix(path, "_test.go")}
		for _, imp := range f.Imports {
			p, err := strconv.Unquote(imp.Path.Value)
			if err != nil {
				return err
			}
			gf.imports = append(gf.imports, p)
		}
		files = append(files, gf)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// No package of the module but metrics imports prometheus, not even in its
// tests; and no package below metrics in the design (the ones metrics
// plugs into, and authtest) depends on metrics or prometheus at all, even
// through other packages of the module.
func TestOnlyMetricsImportsPrometheus(t *testing.T) {
	files := moduleFiles(t)
	if len(files) < 50 {
		t.Fatalf("found %d Go files, want the whole module", len(files))
	}
	deps := map[string][]string{} // package dir -> module-internal imports (non-test files)
	seen := map[string]bool{}
	metricsImports := false // the check sees metrics' own imports
	for _, f := range files {
		seen[f.dir] = true
		if f.dir == "metrics" && slices.ContainsFunc(f.imports, func(s string) bool { return strings.HasPrefix(s, promPrefix) }) {
			metricsImports = true
		}
		for _, imp := range f.imports {
			if strings.HasPrefix(imp, promPrefix) && f.dir != "metrics" {
				t.Errorf("package %s imports %s: only package metrics may", f.dir, imp)
			}
			if !f.test && strings.HasPrefix(imp, modulePath+"/") {
				deps[f.dir] = append(deps[f.dir], strings.TrimPrefix(imp, modulePath+"/"))
			}
		}
	}
	if !metricsImports {
		t.Fatal("found no prometheus import in package metrics: the import scan is broken")
	}
	for _, lower := range []string{"verifier", "jwks", "middleware", "orgs", "client", "client/authentication", "client/management", "authtest"} {
		if !seen[lower] {
			t.Errorf("package %s not found; update this test", lower)
			continue
		}
		// Walk the module-internal imports from lower.
		stack, visited := []string{lower}, map[string]bool{}
		for len(stack) > 0 {
			p := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			if visited[p] {
				continue
			}
			visited[p] = true
			if p == "metrics" {
				t.Errorf("package %s depends on package metrics (metrics imports the others, never the reverse)", lower)
			}
			stack = append(stack, deps[p]...)
		}
	}
}
