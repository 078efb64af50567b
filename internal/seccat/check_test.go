package seccat

import (
	"fmt"
	"slices"
	"strings"
	"unicode"
)

// check compares the catalogue with the module: problems are failures,
// notes are hints gone stale (a test found in another package or file).
func check(c catalogue, mod *module, m idMatcher) (problems, notes []string) {
	// The ids each package's tests name subtests and rows after.
	idsByDir := map[string]map[string]bool{}
	for _, ci := range mod.ids {
		if idsByDir[ci.dir] == nil {
			idsByDir[ci.dir] = map[string]bool{}
		}
		idsByDir[ci.dir][ci.id] = true
	}
	indexed := map[string]bool{}
	for _, ir := range c.index {
		indexed[ir.test] = true
	}

	for _, r := range c.refs {
		locs := mod.funcs[r.name]
		if len(locs) == 0 {
			problems = append(problems, fmt.Sprintf("%s:%d: %s: no *_test.go file declares %s (renamed or removed? update %[1]s)", catalogueFile, r.line, r, r.name))
			continue
		}
		dirs := dirsOf(locs)
		if !slices.Contains(dirs, r.dir) {
			notes = append(notes, fmt.Sprintf("%s:%d: %s is declared in %s, not in %s: update the reference", catalogueFile, r.line, r.name, strings.Join(dirs, ", "), r.dir))
		} else {
			dirs = []string{r.dir}
		}
		if first, _, _ := strings.Cut(r.sub, "/"); first != "" && m.lit.MatchString(first) {
			found := false
			for _, d := range dirs {
				found = found || idsByDir[d][first]
			}
			if !found {
				problems = append(problems, fmt.Sprintf("%s:%d: %s: package %s has no subtest or table row named %s", catalogueFile, r.line, r, strings.Join(dirs, ", "), first))
			}
		}
		if !indexed[r.dir+"."+r.name] {
			problems = append(problems, fmt.Sprintf("%s:%d: %s.%s is not in the test index: add the row | `%[3]s.%[4]s` | `file_test.go` |", catalogueFile, r.line, r.dir, r.name))
		}
	}

	for _, ir := range c.index {
		dir, name, _ := strings.Cut(ir.test, ".")
		locs := mod.funcs[name]
		if len(locs) == 0 {
			continue // reported as a reference above
		}
		found := false
		for _, l := range locs {
			found = found || l.file == ir.file
		}
		if !found {
			var files []string
			for _, l := range locs {
				files = append(files, l.file)
			}
			notes = append(notes, fmt.Sprintf("%s:%d: %s is in %s, not in %s: update the index", catalogueFile, ir.line, ir.test, strings.Join(files, ", "), ir.file))
		}
		if pathDir(ir.file) != dir {
			problems = append(problems, fmt.Sprintf("%s:%d: index row %s names a file of another package, %s", catalogueFile, ir.line, ir.test, ir.file))
		}
	}

	for _, row := range c.rows {
		low := strings.ToLower(row.tested)
		if !refRE.MatchString(row.tested) && !strings.Contains(low, "not tested") && !strings.Contains(low, "out of scope") {
			problems = append(problems, fmt.Sprintf("%s:%d: case %s names no test: give `pkg.TestName` or say \"not tested\" or \"out of scope\"", catalogueFile, row.line, row.id))
		}
	}

	seen := map[string]bool{}
	for _, ci := range mod.ids {
		if c.ids[ci.id] || seen[ci.id+ci.where] {
			continue
		}
		seen[ci.id+ci.where] = true
		problems = append(problems, fmt.Sprintf("%s: %s carries case id %s, which %s does not define: add the case to %[4]s or correct the id", ci.where, ci.how, ci.id, catalogueFile))
	}
	return problems, notes
}

func dirsOf(locs []testFunc) []string {
	var dirs []string
	for _, l := range locs {
		if !slices.Contains(dirs, l.dir) {
			dirs = append(dirs, l.dir)
		}
	}
	return dirs
}

// families returns idFamilies and the families of the catalogue's ids.
func families(c catalogue) []string {
	fam := slices.Clone(idFamilies)
	for id := range c.ids {
		p := strings.TrimRightFunc(id, unicode.IsDigit)
		if !slices.Contains(fam, p) {
			fam = append(fam, p)
		}
	}
	return fam
}
