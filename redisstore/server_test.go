package redisstore

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net"
	"os"
	"os/exec"
	"strconv"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// The tests run against a real redis-server, never an in-memory fake:
// REDIS_ADDR when it is set (.ci/run starts one), else a private instance
// that the tests start on a free loopback port and stop by pid. Without a
// redis-server binary they skip on a developer machine, and fail in CI.

// server is a redis-server process this test binary started.
type server struct {
	port int
	dir  string
	cmd  *exec.Cmd
}

func (s *server) addr() string { return "127.0.0.1:" + strconv.Itoa(s.port) }

// needBinary returns the path of redis-server, skipping the test when
// there is none (failing it when CI is set).
func needBinary(t testing.TB) string {
	t.Helper()
	bin, err := exec.LookPath("redis-server")
	if err == nil {
		return bin
	}
	if os.Getenv("CI") != "" {
		t.Fatalf("redis-server not found and CI is set: the Redis tests must run in CI (.ci/run installs redis-server): %v", err)
	}
	t.Skip("redis-server not found: install it (apt-get install redis-server) or set REDIS_ADDR to run the Redis tests")
	return ""
}

// freePort asks the kernel for a free loopback port.
func freePort(t testing.TB) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// startServer starts a private redis-server on loopback (no persistence)
// and waits until it answers; port 0 picks a free one.
func startServer(t testing.TB, port int) *server {
	t.Helper()
	bin := needBinary(t)
	if port == 0 {
		port = freePort(t)
	}
	s := &server{port: port, dir: t.TempDir()}
	if err := s.start(bin); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.stop)
	return s
}

func (s *server) start(bin string) error {
	s.cmd = exec.Command(bin, "--port", strconv.Itoa(s.port), "--bind", "127.0.0.1",
		"--save", "", "--appendonly", "no", "--dir", s.dir, "--maxmemory-policy", "noeviction")
	if err := s.cmd.Start(); err != nil {
		return fmt.Errorf("starting redis-server: %w", err)
	}
	rdb := redis.NewClient(&redis.Options{Addr: s.addr()})
	defer rdb.Close()
	for deadline := time.Now().Add(10 * time.Second); ; {
		ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
		err := rdb.Ping(ctx).Err()
		cancel()
		if err == nil {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("redis-server on port %d did not answer: %w", s.port, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// stop kills the process by its pid and waits for it.
func (s *server) stop() {
	if s.cmd == nil || s.cmd.Process == nil {
		return
	}
	s.cmd.Process.Signal(syscall.SIGCONT) // in case a test left it stopped
	s.cmd.Process.Kill()
	s.cmd.Wait()
	s.cmd = nil
}

// restart starts the server again on the same port, empty.
func (s *server) restart(t testing.TB) {
	t.Helper()
	s.stop()
	if err := s.start(needBinary(t)); err != nil {
		t.Fatal(err)
	}
}

// freeze and thaw stop and continue the process (SIGSTOP, SIGCONT): a
// Redis that accepts connections and never answers.
func (s *server) freeze() { s.cmd.Process.Signal(syscall.SIGSTOP) }
func (s *server) thaw()   { s.cmd.Process.Signal(syscall.SIGCONT) }

// The shared server of the package's tests: REDIS_ADDR, else one started
// on first use and stopped by TestMain.
var (
	sharedOnce   sync.Once
	sharedServer *server
	sharedAddrV  string
	sharedErr    error
)

// quiet drops go-redis's own log lines (dial failures while a test has
// killed Redis); the stores log what matters through their Logger.
type quiet struct{}

func (quiet) Printf(context.Context, string, ...any) {}

func TestMain(m *testing.M) {
	redis.SetLogger(quiet{})
	code := m.Run()
	if sharedServer != nil {
		sharedServer.stop()
		os.RemoveAll(sharedServer.dir)
	}
	os.Exit(code)
}

// sharedAddr returns the address of the Redis shared by the tests.
func sharedAddr(t testing.TB) string {
	t.Helper()
	if a := os.Getenv("REDIS_ADDR"); a != "" {
		return a
	}
	bin := needBinary(t)
	sharedOnce.Do(func() {
		dir, err := os.MkdirTemp("", "redisstore-test")
		if err != nil {
			sharedErr = err
			return
		}
		s := &server{port: freePort(t), dir: dir}
		if sharedErr = s.start(bin); sharedErr != nil {
			return
		}
		sharedServer, sharedAddrV = s, s.addr()
	})
	if sharedErr != nil {
		t.Fatal(sharedErr)
	}
	return sharedAddrV
}

// newClient connects to addr as the stores require (context timeouts on,
// no retries of go-redis's own: the stores decide what a failure means).
func newClient(t testing.TB, addr string) *redis.Client {
	t.Helper()
	rdb := redis.NewClient(&redis.Options{Addr: addr, ContextTimeoutEnabled: true, MaxRetries: -1, DialerRetries: 1})
	t.Cleanup(func() { rdb.Close() })
	return rdb
}

// newStore returns a Store on addr under a prefix of its own, so that tests
// sharing a Redis do not see each other's keys.
// testTimeout is the Config.Timeout of the tests that do not test timeouts.
const testTimeout = 2 * time.Second

func newStore(t testing.TB, addr string, cfg Config) *Store {
	t.Helper()
	if cfg.Client == nil {
		cfg.Client = newClient(t, addr)
	}
	if cfg.Prefix == "" {
		cfg.Prefix = "test:" + randomHex(t) + ":"
	}
	if cfg.Timeout == 0 {
		// The tests share a loaded machine with other packages' tests
		// under -race: a round trip past the 100 ms default would turn a
		// functional test into an outage test. The tests of timeouts set
		// their own.
		cfg.Timeout = testTimeout
	}
	s, err := New(cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return s
}

func randomHex(t testing.TB) string {
	var b [8]byte
	if _, err := rand.Read(b[:]); err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(b[:])
}
