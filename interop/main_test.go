package interop

import (
	"bufio"
	"bytes"
	"crypto/rand"
	"encoding/base64"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"
)

// Set once by TestMain before any test runs; read-only afterwards.
var (
	// issuer is the provider's issuer, "http://127.0.0.1:PORT".
	issuer string
	// hsSecret keys the provider's HS256 resource (INTEROP_HS256_SECRET).
	hsSecret []byte
)

const startTimeout = 30 * time.Second

func TestMain(m *testing.M) {
	os.Exit(run(m))
}

func run(m *testing.M) int {
	flag.Parse()
	if f := flag.Lookup("test.list"); f != nil && f.Value.String() != "" {
		return m.Run() // go test -list (as .ci/run does for fuzz targets) needs no provider
	}
	node, err := exec.LookPath("node")
	if err != nil {
		if _, ci := os.LookupEnv("CI"); ci {
			fmt.Fprintln(os.Stderr, "interop: node is not on PATH and CI is set: the interop tests must run in CI (install Node.js 20+, then npm ci --prefix interop)")
			return 1
		}
		return skipAll("node is not on PATH (install Node.js 20+, then: npm ci --prefix interop)")
	}
	if _, err := os.Stat("node_modules/oidc-provider/package.json"); err != nil {
		if _, ci := os.LookupEnv("CI"); ci {
			fmt.Fprintln(os.Stderr, "interop: oidc-provider is not installed and CI is set: run `npm ci --prefix interop` first")
			return 1
		}
		// The README's test command must pass on a fresh clone; the
		// provider is an npm package that CI (.ci/run) installs.
		return skipAll("oidc-provider is not installed (run: npm ci --prefix interop)")
	}
	hsSecret = make([]byte, 32)
	if _, err := rand.Read(hsSecret); err != nil {
		fmt.Fprintln(os.Stderr, "interop:", err)
		return 1
	}
	p, err := startProvider(node)
	if err != nil {
		fmt.Fprintln(os.Stderr, "interop: starting the provider:", err)
		return 1
	}
	defer p.stop()
	issuer = p.issuer
	fmt.Println("interop: oidc-provider at", issuer)
	return m.Run()
}

type provider struct {
	cmd    *exec.Cmd
	stdin  io.Closer
	issuer string
	done   chan struct{}
	logs   *tailBuffer
}

// startProvider runs provider.mjs and waits for its ISSUER line.
func startProvider(node string) (*provider, error) {
	cmd := exec.Command(node, "provider.mjs")
	cmd.Env = append(os.Environ(), "INTEROP_HS256_SECRET="+base64.RawURLEncoding.EncodeToString(hsSecret))
	// The provider exits when its stdin closes: if this test binary dies,
	// the pipe closes and node goes with it.
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	logs := &tailBuffer{max: 16 << 10}
	cmd.Stderr = logs
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	p := &provider{cmd: cmd, stdin: stdin, done: make(chan struct{}), logs: logs}
	go func() {
		_ = cmd.Wait()
		close(p.done)
	}()

	found := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if iss, ok := strings.CutPrefix(sc.Text(), "ISSUER "); ok {
				found <- iss
			}
		}
		// Keep draining so the provider never blocks on a full pipe.
		_, _ = io.Copy(io.Discard, stdout)
	}()
	select {
	case iss := <-found:
		if !strings.HasPrefix(iss, "http://127.0.0.1:") {
			p.stop()
			return nil, fmt.Errorf("unexpected issuer %q", iss)
		}
		p.issuer = iss
		return p, nil
	case <-p.done:
		return nil, fmt.Errorf("provider exited before it was ready (%v); its stderr:\n%s", cmd.ProcessState, logs)
	case <-time.After(startTimeout):
		p.stop()
		return nil, fmt.Errorf("no ISSUER line within %v; provider stderr:\n%s", startTimeout, logs)
	}
}

// stop closes the provider's stdin (it exits on EOF) and kills it if it has
// not gone within a few seconds.
func (p *provider) stop() {
	_ = p.stdin.Close()
	select {
	case <-p.done:
	case <-time.After(5 * time.Second):
		_ = p.cmd.Process.Kill()
		<-p.done
	}
}

// tailBuffer keeps the last max bytes written to it (the provider's stderr,
// shown when it fails to start).
type tailBuffer struct {
	mu  sync.Mutex
	max int
	buf bytes.Buffer
}

func (b *tailBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.buf.Write(p)
	if over := b.buf.Len() - b.max; over > 0 {
		b.buf.Next(over)
	}
	return len(p), nil
}

func (b *tailBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
