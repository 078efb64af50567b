package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"runtime/pprof"
	"strings"
	"time"

	"github.com/tokengate/tokengate/bench/e2e"
)

func list(stdout io.Writer) error {
	for _, s := range e2e.Servers() {
		if _, err := fmt.Fprintln(stdout, s.Name); err != nil {
			return err
		}
	}
	return nil
}

// ServeConfig is what serve runs.
type ServeConfig struct {
	Server     string        // an e2e.Servers name
	Addr       string        // loopback host:port; port 0 picks a free one
	TokensFile string        // where the valid tokens are written
	Tokens     int           // how many
	Lifetime   time.Duration // the server stops after it in any case
	// CPUProfile, if set, is where a CPU profile of the serving time
	// (after the check) is written when the server stops.
	CPUProfile string
}

func serve(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	var c ServeConfig
	fs.StringVar(&c.Server, "server", "", "server to start (see e2e list)")
	fs.StringVar(&c.Addr, "addr", "127.0.0.1:0", "loopback address to listen on")
	fs.StringVar(&c.TokensFile, "tokens", "", "file to write the valid tokens to, one a line")
	fs.IntVar(&c.Tokens, "n", e2e.DefaultTokens, "number of distinct valid tokens")
	fs.DurationVar(&c.Lifetime, "lifetime", 30*time.Minute, "stop after this long in any case")
	fs.StringVar(&c.CPUProfile, "cpuprofile", "", "write a CPU profile of the serving time to this file")
	if err := fs.Parse(args); err != nil {
		return err
	}
	return Serve(ctx, c, func(url string) error {
		_, err := fmt.Fprintf(stdout, "url %s\n", url)
		return err
	})
}

// Serve starts c.Server, checks it, writes the tokens, calls ready with the
// URL to load, and serves until ctx is done or c.Lifetime has passed.
func Serve(ctx context.Context, c ServeConfig, ready func(url string) error) error {
	var srv *e2e.Server
	for _, s := range e2e.Servers() {
		if s.Name == c.Server {
			srv = &s
		}
	}
	switch {
	case srv == nil:
		return fmt.Errorf("unknown server %q (see e2e list)", c.Server)
	case c.TokensFile == "":
		return errors.New("-tokens FILE is required")
	case c.Tokens <= 0:
		return errors.New("-n must be positive")
	case c.Lifetime <= 0:
		return errors.New("-lifetime must be positive")
	}
	host, _, err := net.SplitHostPort(c.Addr)
	if err != nil {
		return err
	}
	if ip := net.ParseIP(host); ip == nil || !ip.IsLoopback() {
		return fmt.Errorf("-addr %q: the benchmark server listens on loopback addresses only", c.Addr)
	}
	setup, err := e2e.NewSetup(c.Tokens, time.Now())
	if err != nil {
		return err
	}
	h, err := srv.New(setup.Fixture)
	if err != nil {
		return fmt.Errorf("server %s: %w", srv.Name, err)
	}
	ln, err := net.Listen("tcp", c.Addr)
	if err != nil {
		return err
	}
	hs := &http.Server{Handler: h, ReadHeaderTimeout: 5 * time.Second, IdleTimeout: time.Minute}
	served := make(chan error, 1)
	go func() { served <- hs.Serve(ln) }()
	defer hs.Close()

	base := "http://" + ln.Addr().String()
	client := &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{Proxy: nil}}
	if err := e2e.Check(ctx, client, base, *srv, setup); err != nil {
		return err
	}
	if err := writeTokens(c.TokensFile, setup.Tokens); err != nil {
		return err
	}
	if c.CPUProfile != "" {
		f, err := os.Create(c.CPUProfile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	if err := ready(base + e2e.Path(setup.Org)); err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, c.Lifetime)
	defer cancel()
	select {
	case err := <-served:
		return err
	case <-ctx.Done():
	}
	sctx, scancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer scancel()
	return hs.Shutdown(sctx)
}

func writeTokens(path string, tokens []string) error {
	// 0600: the tokens are valid for a day against this run's key only, but
	// tokens are never left readable to others.
	return os.WriteFile(path, []byte(strings.Join(tokens, "\n")+"\n"), 0o600)
}
