package interop

import (
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// noTestsToRun is the line cmd/go looks for in a test binary's output to
// add " [no tests to run]" to the package's "ok" line: the one part of a
// passing package's output that `go test ./...` shows without -v (and
// keeps in its test cache).
const noTestsToRun = "testing: warning: no tests to run"

// skipAll reports, once for the package, why the interop tests do not run,
// and returns the exit code of a passing package.
//
// Without -v, `go test ./...` discards everything a passing test binary
// writes, stdout and stderr alike (cmd/go gives the binary one buffer for
// both), so a message on stderr alone would never be seen. The reason
// therefore goes to the test binary's stderr (shown by -v, by `go test` in
// the package directory and by go test -json), to the stderr of the go
// command that runs the binary when that can be found and is a terminal or
// a pipe (Linux: the parent's fd 2), and the summary line says
// "[no tests to run]", also when the result comes from the test cache.
func skipAll(reason string) int {
	msg := "interop: SKIPPED: " + reason
	fmt.Fprintln(os.Stderr, msg)
	if !testing.Verbose() {
		if w := goCommandStderr(); w != nil {
			fmt.Fprintln(w, msg)
			_ = w.Close()
		}
	}
	fmt.Println(noTestsToRun)
	return 0
}

// goCommandStderr opens the stderr of the go command running this test
// binary, or returns nil when the parent is not `go` (the binary run by
// hand, go test -exec, another OS).
func goCommandStderr() io.WriteCloser {
	parent := "/proc/" + strconv.Itoa(os.Getppid())
	exe, err := os.Readlink(parent + "/exe")
	if err != nil || filepath.Base(exe) != "go" {
		return nil
	}
	f, err := os.OpenFile(parent+"/fd/2", os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		return nil
	}
	// Only a terminal or a pipe: a regular file (go test ./... >log 2>&1)
	// has its own offset in the go command, which would write over the
	// line; the summary's "[no tests to run]" still shows there.
	if fi, err := f.Stat(); err != nil || fi.Mode().IsRegular() {
		_ = f.Close()
		return nil
	}
	return f
}

// TestSkipReasonShown runs this test binary again as a fresh clone would
// (node not on PATH, CI unset, no -v) and checks what `go test ./...` needs
// to show why nothing ran: the reason once on stderr, and the line that
// makes cmd/go print "[no tests to run]" on the summary line. It runs only
// where the provider could start, so that it is not skipped by TestMain.
func TestSkipReasonShown(t *testing.T) {
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	env := []string{"PATH=" + t.TempDir()}
	for _, kv := range os.Environ() {
		if k, _, _ := strings.Cut(kv, "="); k != "PATH" && k != "CI" {
			env = append(env, kv)
		}
	}
	cmd.Env = env
	var stdout, stderr strings.Builder
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("test binary without node: %v\nstdout:\n%s\nstderr:\n%s", err, &stdout, &stderr)
	}
	const reason = "interop: SKIPPED: node is not on PATH"
	if n := strings.Count(stderr.String(), reason); n != 1 {
		t.Errorf("got stderr %q, want one line with %q", &stderr, reason)
	}
	if !strings.Contains(stdout.String(), "\n"+noTestsToRun+"\n") && !strings.HasPrefix(stdout.String(), noTestsToRun+"\n") {
		t.Errorf("got stdout %q, want the line %q", &stdout, noTestsToRun)
	}
}
