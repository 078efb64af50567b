package client

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"slices"
	"strings"
	"testing"
)

// TestPublicAPI: package client exports only what users of the API clients
// see (issue 28): the shared Config, the errors, the hooks and their
// events, the sentinels, BaseURL, the version and the rate budget. The REST core
// (client/internal/rest) and the redaction helpers are not part of it.
func TestPublicAPI(t *testing.T) {
	want := []string{
		"BaseURL", "Config", "DebugEvent", "Error", "Error.Error", "ErrInvalidBaseURL",
		"ErrResponseTooLarge", "JoinObservers", "NoRetries", "Observer", "OutgoingRequest", "RateLimitError",
		"RateLimitError.Error", "RateLimitError.Unwrap", "ReasonNetwork",
		"ReasonRateLimited", "ReasonServerError", "Redacted", "RequestEvent", "RequestHook",
		"RetryEvent", "UnknownErrorCode", "Version",
		// The rate budget (issue 27): the interface, its key and error, the
		// in-process budget and the configuration shared budgets take.
		"RateBudget", "BudgetKey", "BudgetKey.String", "BudgetError", "BudgetError.Error",
		"BudgetError.Unwrap", "BudgetConfig", "BudgetConfig.Resolve", "Limits", "Limits.Local",
		"LocalBudget", "LocalBudget.Wait", "LocalBudget.Pause", "NewLocalBudget",
	}
	fset := token.NewFileSet()
	entries, err := os.ReadDir(".")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), ".go") || strings.HasSuffix(e.Name(), "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, e.Name(), nil, parser.SkipObjectResolution)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range f.Decls {
			switch d := d.(type) {
			case *ast.FuncDecl:
				if !d.Name.IsExported() {
					continue
				}
				name := d.Name.Name
				if d.Recv != nil {
					typ := d.Recv.List[0].Type
					if s, ok := typ.(*ast.StarExpr); ok {
						typ = s.X
					}
					recv := typ.(*ast.Ident).Name
					if !ast.IsExported(recv) {
						continue
					}
					name = recv + "." + name
				}
				got = append(got, name)
			case *ast.GenDecl:
				for _, s := range d.Specs {
					switch s := s.(type) {
					case *ast.TypeSpec:
						if s.Name.IsExported() {
							got = append(got, s.Name.Name)
						}
					case *ast.ValueSpec:
						for _, n := range s.Names {
							if n.IsExported() {
								got = append(got, n.Name)
							}
						}
					}
				}
			}
		}
	}
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("exported identifiers:\n got %q\nwant %q", got, want)
	}
}
