package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/tokengate/tokengate/bench/e2e"
)

// maxTokensFile bounds what load reads from -tokens.
const maxTokensFile = 4 << 20

func load(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("load", flag.ContinueOnError)
	var (
		url, tokensFile, server string
		l                       e2e.Load
		warmup                  time.Duration
	)
	fs.StringVar(&url, "url", "", "loopback URL to load (as e2e serve prints it)")
	fs.StringVar(&tokensFile, "tokens", "", "file of bearer tokens, one a line, sent round-robin")
	fs.StringVar(&server, "server", "unknown", "server= label of the result line")
	fs.IntVar(&l.Concurrency, "c", 0, "workers, one keep-alive connection each (default 8 × GOMAXPROCS)")
	fs.DurationVar(&l.Duration, "d", 10*time.Second, "duration of the measured run (0: -n bounds it)")
	fs.IntVar(&l.Requests, "n", 0, "maximum number of requests (0: -d bounds the run)")
	fs.DurationVar(&warmup, "warmup", 2*time.Second, "unmeasured run before the measured one")
	if err := fs.Parse(args); err != nil {
		return err
	}
	l.URL = url
	if tokensFile != "" {
		toks, err := readTokens(tokensFile)
		if err != nil {
			return err
		}
		l.Tokens = toks
	}
	res, err := Load(ctx, l, warmup)
	if err != nil {
		return err
	}
	if _, err := fmt.Fprintln(stdout, res.BenchLine(server, "go")); err != nil {
		return err
	}
	if res.Failures > 0 {
		return fmt.Errorf("%d of %d requests failed", res.Failures, res.Failures+res.Requests)
	}
	return nil
}

// Load warms the server up for warmup (every token sent at least once, the
// connections open), then runs l and returns its result.
func Load(ctx context.Context, l e2e.Load, warmup time.Duration) (e2e.Result, error) {
	if warmup > 0 {
		w := l
		w.Duration, w.Requests, w.Timeout = warmup, 0, 0
		res, err := e2e.Run(ctx, w)
		if err != nil {
			return e2e.Result{}, fmt.Errorf("warm-up: %w", err)
		}
		if res.Failures > 0 {
			return res, fmt.Errorf("warm-up: %d of %d requests failed", res.Failures, res.Failures+res.Requests)
		}
	}
	return e2e.Run(ctx, l)
}

func readTokens(path string) ([]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var toks []string
	sc := bufio.NewScanner(io.LimitReader(f, maxTokensFile))
	sc.Buffer(make([]byte, 0, 64<<10), maxTokensFile)
	for sc.Scan() {
		if t := strings.TrimSpace(sc.Text()); t != "" {
			toks = append(toks, t)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if len(toks) == 0 {
		return nil, errors.New(path + ": no tokens")
	}
	return toks, nil
}
