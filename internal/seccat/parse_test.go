package seccat

import (
	"bufio"
	"regexp"
	"strings"
)

// ref is one test reference of the catalogue: `dir.Name/sub`.
type ref struct {
	line int
	dir  string // package directory relative to the module root, a hint
	name string // test function name
	sub  string // subtest path after the name, without the leading "/"; may be empty
}

func (r ref) String() string {
	s := r.dir + "." + r.name
	if r.sub != "" {
		s += "/" + r.sub
	}
	return s
}

// caseRow is a row of a case table: its id and the cell saying where it is
// tested.
type caseRow struct {
	line   int
	id     string
	tested string
}

// indexRow is a row of the test index: a test and the file it is in.
type indexRow struct {
	line int
	test string // dir.Name
	file string // path relative to the module root
}

type catalogue struct {
	ids   map[string]bool // case ids defined
	rows  []caseRow
	refs  []ref
	index []indexRow
}

var (
	refRE     = regexp.MustCompile("`((?:[a-z0-9_-]+/)*[a-z0-9_-]+)\\.((?:Test|Fuzz|Benchmark|Example)[A-Za-z0-9_]*)(?:/([^`\\s]+))?`")
	caseIDRE  = regexp.MustCompile(`^([A-Z]{1,3})[0-9]{1,2}$`)
	fileRE    = regexp.MustCompile("^`([^`]+_test\\.go)`$")
	onlyRefRE = regexp.MustCompile("^`[^`]+`$")
)

// parseCatalogue reads the case tables, the test references and the test
// index of SECURITY.md. A case table is a table whose last column is
// "tested by" and whose first cell is a case id; the test index is a table
// whose header is "| test | file |".
func parseCatalogue(text string) catalogue {
	c := catalogue{ids: map[string]bool{}}
	var header []string // cells of the current table's header row
	sc := bufio.NewScanner(strings.NewReader(text))
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		for _, m := range refRE.FindAllStringSubmatch(line, -1) {
			c.refs = append(c.refs, ref{line: n, dir: m[1], name: m[2], sub: m[3]})
		}
		if !strings.HasPrefix(line, "|") {
			header = nil
			continue
		}
		cells := splitRow(line)
		if header == nil {
			header = cells
			continue
		}
		if isSeparator(cells) {
			continue
		}
		switch {
		case strings.EqualFold(header[len(header)-1], "tested by") && caseIDRE.MatchString(cells[0]):
			c.ids[cells[0]] = true
			c.rows = append(c.rows, caseRow{line: n, id: cells[0], tested: cells[len(cells)-1]})
		case len(header) == 2 && header[0] == "test" && header[1] == "file" && len(cells) == 2:
			if fm := fileRE.FindStringSubmatch(cells[1]); fm != nil && onlyRefRE.MatchString(cells[0]) {
				c.index = append(c.index, indexRow{line: n, test: strings.Trim(cells[0], "`"), file: fm[1]})
			}
		}
	}
	return c
}

// splitRow returns the trimmed cells of a Markdown table row.
func splitRow(line string) []string {
	line = strings.TrimSpace(line)
	line = strings.TrimPrefix(line, "|")
	line = strings.TrimSuffix(line, "|")
	cells := strings.Split(line, "|")
	for i := range cells {
		cells[i] = strings.TrimSpace(cells[i])
	}
	return cells
}

func isSeparator(cells []string) bool {
	for _, c := range cells {
		if strings.Trim(c, "-: ") != "" {
			return false
		}
	}
	return true
}
