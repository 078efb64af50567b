package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tokengate/tokengate/bench/e2e"
)

// start runs Serve for server in the background and returns its URL and
// the tokens file; the server stops when the test ends. A non-empty profile
// is passed as ServeConfig.CPUProfile.
func start(t *testing.T, server, profile string) (url, tokens string) {
	t.Helper()
	tokens = filepath.Join(t.TempDir(), "tokens.txt")
	ctx, cancel := context.WithCancel(context.Background())
	urls := make(chan string, 1)
	done := make(chan error, 1)
	go func() {
		done <- Serve(ctx, ServeConfig{Server: server, Addr: "127.0.0.1:0", TokensFile: tokens, Tokens: 8, Lifetime: time.Minute, CPUProfile: profile},
			func(u string) error { urls <- u; return nil })
	}()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Serve: got %v, want nil after cancel", err)
		}
	})
	select {
	case url = <-urls:
	case err := <-done:
		done <- nil // for the cleanup
		t.Fatalf("Serve: %v", err)
	case <-time.After(30 * time.Second):
		t.Fatal("Serve: no URL after 30 s")
	}
	return url, tokens
}

// TestServeAndLoad: a server starts, checks itself, writes its tokens,
// answers the Go driver's load without a failure, and writes its CPU
// profile when it stops.
func TestServeAndLoad(t *testing.T) {
	for _, server := range []string{e2e.NameBare, e2e.NameTokengateChain} {
		t.Run("server="+server, func(t *testing.T) {
			profile := filepath.Join(t.TempDir(), "cpu.pprof")
			t.Cleanup(func() { // runs after the server stopped (cleanups run last in, first out)
				if fi, err := os.Stat(profile); err != nil || fi.Size() == 0 {
					t.Errorf("CPU profile: got %v (err %v), want a non-empty file", fi, err)
				}
			})
			url, tokens := start(t, server, profile)
			if !strings.HasPrefix(url, "http://127.0.0.1:") || !strings.HasSuffix(url, "/items") {
				t.Errorf("url: got %q, want http://127.0.0.1:PORT/orgs/ORG/items", url)
			}
			fi, err := os.Stat(tokens)
			if err != nil {
				t.Fatal(err)
			}
			if perm := fi.Mode().Perm(); perm != 0o600 {
				t.Errorf("tokens file mode: got %o, want 600", perm)
			}
			var out bytes.Buffer
			err = run(context.Background(), []string{"load", "-url", url, "-tokens", tokens, "-server", server,
				"-c", "4", "-d", "0", "-n", "200", "-warmup", "100ms"}, &out)
			if err != nil {
				t.Fatalf("load: %v", err)
			}
			want := "BenchmarkE2E/server=" + server + "/driver=go\t200\t"
			if !strings.HasPrefix(out.String(), want) || !strings.HasSuffix(out.String(), "\t0 failures\n") {
				t.Errorf("got %q, want a line starting %q and ending with 0 failures", out.String(), want)
			}
		})
	}
}

// TestLoadFailsOnRefusals: a load whose requests are refused prints its
// line and exits non-zero.
func TestLoadFailsOnRefusals(t *testing.T) {
	url, _ := start(t, e2e.NameTokengate, "")
	var out bytes.Buffer
	err := run(context.Background(), []string{"load", "-url", url, "-server", "x", "-c", "2", "-d", "0", "-n", "10", "-warmup", "0"}, &out)
	if err == nil || !strings.Contains(err.Error(), "10 of 10 requests failed") {
		t.Errorf("got error %v, want 10 of 10 requests failed", err)
	}
	if !strings.Contains(out.String(), "\t10 failures") {
		t.Errorf("got %q, want a line with 10 failures", out.String())
	}
}

func TestRunErrors(t *testing.T) {
	dir := t.TempDir()
	empty := filepath.Join(dir, "empty")
	if err := os.WriteFile(empty, []byte("\n\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"no command", nil, "usage"},
		{"unknown command", []string{"frobnicate"}, "unknown command"},
		{"unknown server", []string{"serve", "-server", "nginx", "-tokens", filepath.Join(dir, "t")}, "unknown server"},
		{"no tokens file", []string{"serve", "-server", "bare"}, "-tokens FILE is required"},
		{"public address", []string{"serve", "-server", "bare", "-tokens", filepath.Join(dir, "t"), "-addr", "0.0.0.0:0"}, "loopback"},
		{"load elsewhere", []string{"load", "-url", "http://192.0.2.1/", "-n", "1", "-warmup", "0"}, "loopback"},
		{"empty tokens file", []string{"load", "-url", "http://127.0.0.1:1/", "-tokens", empty}, "no tokens"},
		{"bad flag", []string{"load", "-bogus"}, "flag provided but not defined"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := run(context.Background(), tt.args, &bytes.Buffer{})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("got %v, want an error containing %q", err, tt.want)
			}
		})
	}
}

func TestReadTokens(t *testing.T) {
	p := filepath.Join(t.TempDir(), "tokens")
	if err := os.WriteFile(p, []byte("a.b.c\n\n  d.e.f  \r\ng.h.i"), 0o600); err != nil {
		t.Fatal(err)
	}
	got, err := readTokens(p)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"a.b.c", "d.e.f", "g.h.i"}; strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("got %q, want %q", got, want)
	}
}
