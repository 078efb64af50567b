package orgs_test

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestOptionMisuseDoesNotCompile: an option given to a function it does not
// configure is a compile error, never a panic when the middleware is built
// (issue 28). Each misuse below is type-checked by the go command in a
// package that exists only in an overlay; the valid uses compile, so that a
// misuse refused for another reason (a typo here) fails the test too.
func TestOptionMisuseDoesNotCompile(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the go command")
	}
	goCmd, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command")
	}
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "go.mod")); err != nil {
		t.Fatalf("module root: %v", err)
	}
	const header = `package optioncheck

import (
	"context"
	"log/slog"
	"time"

	"github.com/tokengate/tokengate/middleware"
	"github.com/tokengate/tokengate/orgs"
	"github.com/tokengate/tokengate/verifier"
)

var (
	checker  orgs.MembershipChecker
	resolver orgs.OrgResolver
	lookup   func(context.Context, string) ([]string, error)
	v        *verifier.Verifier
	_        = slog.Default
	_        = time.Second
)
`
	// Options valid for each function, so that a misuse below can only be
	// refused for what it misuses.
	valid := []string{
		`orgs.Require(orgs.Static("org_a"), orgs.Allow("org_b"), orgs.WithLookup(lookup), orgs.WithResolver(resolver))`,
		`orgs.Require(orgs.Static("org_a"), orgs.WithCacheTTL(time.Minute, time.Second), orgs.WithCacheSize(10), orgs.WithTimeout(time.Second), orgs.WithLogger(slog.Default()), orgs.WithObserver(nil), orgs.WithNow(time.Now))`,
		`orgs.RequireMember(checker, orgs.WithCacheTTL(time.Minute, time.Second), orgs.WithCacheSize(10), orgs.WithTimeout(time.Second), orgs.WithLogger(slog.Default()), orgs.WithObserver(nil), orgs.WithNow(time.Now))`,
		`orgs.Require(orgs.Static("org_a"), []orgs.Option{orgs.Allow("org_b"), orgs.WithTimeout(time.Second)}...)`,
		`orgs.RequireMember(checker, []orgs.MemberOption{orgs.WithTimeout(time.Second)}...)`,
		`middleware.Authenticate(v, middleware.WithRealm("api"), middleware.WithCookie("c", middleware.TrustedOrigins("https://app.example.com")))`,
	}
	misuses := []struct{ name, code string }{
		{"Allow on RequireMember", `orgs.RequireMember(checker, orgs.Allow("org_a"))`},
		{"WithLookup on RequireMember", `orgs.RequireMember(checker, orgs.WithLookup(lookup))`},
		{"WithResolver on RequireMember", `orgs.RequireMember(checker, orgs.WithResolver(resolver))`},
		{"Require options on RequireMember", `orgs.RequireMember(checker, []orgs.Option{orgs.WithTimeout(time.Second)}...)`},
		{"middleware option on Require", `orgs.Require(orgs.Static("org_a"), middleware.WithRealm("api"))`},
		{"orgs option on Authenticate", `middleware.Authenticate(v, orgs.WithTimeout(time.Second))`},
		{"CookieOption on Authenticate", `middleware.Authenticate(v, middleware.TrustedOrigins("https://app.example.com"))`},
		{"Option on WithCookie", `middleware.WithCookie("c", middleware.WithRealm("api"))`},
	}
	build := func(t *testing.T, calls []string) (lines []int, out string, err error) {
		t.Helper()
		var src strings.Builder
		src.WriteString(header)
		n := strings.Count(header, "\n")
		for i, c := range calls {
			fmt.Fprintf(&src, "\nfunc use%d() { _ = %s }\n", i, c)
			n += 2
			lines = append(lines, n)
		}
		dir := t.TempDir()
		file := filepath.Join(dir, "optioncheck.go")
		if err := os.WriteFile(file, []byte(src.String()), 0o600); err != nil {
			t.Fatal(err)
		}
		overlay, _ := json.Marshal(map[string]map[string]string{
			"Replace": {filepath.Join(root, "orgs", "internal", "optioncheck", "optioncheck.go"): file},
		})
		overlayFile := filepath.Join(dir, "overlay.json")
		if err := os.WriteFile(overlayFile, overlay, 0o600); err != nil {
			t.Fatal(err)
		}
		cmd := exec.Command(goCmd, "build", "-overlay", overlayFile, "./orgs/internal/optioncheck")
		cmd.Dir = root
		b, err := cmd.CombinedOutput()
		return lines, string(b), err
	}

	t.Run("valid uses", func(t *testing.T) {
		if _, out, err := build(t, valid); err != nil {
			t.Fatalf("got %v:\n%s\nwant the valid uses to compile", err, out)
		}
	})
	calls := make([]string, len(misuses))
	for i, m := range misuses {
		calls[i] = m.code
	}
	lines, out, err := build(t, calls)
	if err == nil {
		t.Fatalf("every misuse compiled, want a compile error for each")
	}
	for i, m := range misuses {
		t.Run(m.name, func(t *testing.T) {
			re := regexp.MustCompile(fmt.Sprintf(`optioncheck\.go:%d:\d+: cannot use`, lines[i]))
			if !re.MatchString(out) {
				t.Errorf("%s compiled, want a compile error (go build said:\n%s)", m.code, out)
			}
		})
	}
}
