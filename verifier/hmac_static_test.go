package verifier_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"testing"
)

// SECURITY.md HM1: MACs are compared in constant time. Timing tests are
// flaky, so this is a static check on the source of the HMAC code path: it
// must compare with hmac.Equal (or subtle.ConstantTimeCompare) and must not
// compare bytes any other way (bytes.Equal, string(a) == string(b), a loop
// of a[i] != b[i], ...). The unit half of HM1 (a 1-bit change in the last
// MAC byte is refused) is TestHMAC/HM1.

// hmacPath names the functions of the HMAC code path, by file.
var hmacPath = map[string][]string{
	"../internal/jose/sig.go": {"HMACKey.Verify", "HMACKey.Sign", "NewHMACKey"},
	"key.go":                  {"Key.verify", "Key.equal"},
}

// mustCompare names the functions that must call a constant-time compare.
var mustCompare = map[string]bool{"HMACKey.Verify": true, "Key.equal": true}

func TestHMACConstantTimeCompare(t *testing.T) {
	for file, funcs := range hmacPath {
		src, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		problems, err := checkHMACSource(string(src), funcs)
		if err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		for _, p := range problems {
			t.Errorf("%s: %s", file, p)
		}
	}
}

// The checker itself must be able to fail.
func TestHMACConstantTimeCompareChecker(t *testing.T) {
	const head = "package x\nimport (\"bytes\"; \"crypto/hmac\")\nvar _ = bytes.Equal\nvar _ = hmac.Equal\n"
	tests := []struct {
		name, body string
		ok         bool
	}{
		{"hmac.Equal", `func (k *HMACKey) Verify(in string, sig []byte) bool { sum := k.mac(in); return hmac.Equal(sum, sig) }`, true},
		{"subtle", `func (k *HMACKey) Verify(in string, sig []byte) bool { return subtle.ConstantTimeCompare(k.mac(in), sig) == 1 }`, true},
		{"bytes.Equal", `func (k *HMACKey) Verify(in string, sig []byte) bool { return bytes.Equal(k.mac(in), sig) }`, false},
		{"string-conversion", `func (k *HMACKey) Verify(in string, sig []byte) bool { sum := k.mac(in); return hmac.Equal(nil, nil) || string(sum) == string(sig) }`, false},
		{"byte-loop", `func (k *HMACKey) Verify(in string, sig []byte) bool { sum := k.mac(in); for i := range sum { if sum[i] != sig[i] { return false } }; return hmac.Equal(sum, sig) }`, false},
		{"no-compare", `func (k *HMACKey) Verify(in string, sig []byte) bool { return len(sig) == 32 }`, false},
		{"missing-function", `func (k *HMACKey) Check(in string, sig []byte) bool { return hmac.Equal(nil, sig) }`, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			problems, err := checkHMACSource(head+tc.body, []string{"HMACKey.Verify"})
			if err != nil {
				t.Fatal(err)
			}
			if tc.ok && len(problems) > 0 {
				t.Errorf("got problems %v, want none", problems)
			}
			if !tc.ok && len(problems) == 0 {
				t.Errorf("got no problem, want the compare reported")
			}
		})
	}
}

// checkHMACSource parses src and checks the named functions ("Recv.Name" or
// "Name").
func checkHMACSource(src string, funcs []string) ([]string, error) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "src.go", src, 0)
	if err != nil {
		return nil, err
	}
	decls := map[string]*ast.FuncDecl{}
	for _, d := range f.Decls {
		fd, ok := d.(*ast.FuncDecl)
		if !ok {
			continue
		}
		name := fd.Name.Name
		if fd.Recv != nil && len(fd.Recv.List) == 1 {
			typ := fd.Recv.List[0].Type
			if st, ok := typ.(*ast.StarExpr); ok {
				typ = st.X
			}
			if id, ok := typ.(*ast.Ident); ok {
				name = id.Name + "." + name
			}
		}
		decls[name] = fd
	}
	var problems []string
	for _, name := range funcs {
		fd := decls[name]
		if fd == nil {
			problems = append(problems, name+": not found (renamed? update hmacPath)")
			continue
		}
		constantTime := false
		ast.Inspect(fd.Body, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.CallExpr:
				switch callName(n.Fun) {
				case "hmac.Equal", "subtle.ConstantTimeCompare":
					constantTime = true
				case "bytes.Equal", "bytes.Compare", "bytes.EqualFold", "slices.Equal", "slices.Compare",
					"reflect.DeepEqual", "strings.Compare", "strings.EqualFold":
					problems = append(problems, fset.Position(n.Pos()).String()+": "+name+" compares with "+callName(n.Fun))
				}
			case *ast.BinaryExpr:
				if n.Op != token.EQL && n.Op != token.NEQ {
					return true
				}
				for _, x := range []ast.Expr{n.X, n.Y} {
					if isByteView(x) {
						problems = append(problems, fset.Position(n.Pos()).String()+": "+name+" compares bytes with "+n.Op.String())
					}
				}
			}
			return true
		})
		if mustCompare[name] && !constantTime {
			problems = append(problems, name+": no hmac.Equal or subtle.ConstantTimeCompare")
		}
	}
	return problems, nil
}

// isByteView reports whether x is a string(...) conversion or an index
// expression: the two ways Go code compares byte slices with == or !=.
func isByteView(x ast.Expr) bool {
	x = ast.Unparen(x)
	switch x := x.(type) {
	case *ast.IndexExpr:
		return true
	case *ast.CallExpr:
		id, ok := x.Fun.(*ast.Ident)
		return ok && id.Name == "string"
	}
	return false
}

func callName(fun ast.Expr) string {
	if sel, ok := fun.(*ast.SelectorExpr); ok {
		if id, ok := sel.X.(*ast.Ident); ok {
			return id.Name + "." + sel.Sel.Name
		}
	}
	if id, ok := fun.(*ast.Ident); ok {
		return id.Name
	}
	return ""
}
