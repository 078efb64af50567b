package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "e2e:", err)
		os.Exit(1)
	}
}

const usage = "usage: e2e list | e2e serve -server NAME [flags] | e2e load -url URL [flags] (-h for the flags)"

func run(ctx context.Context, args []string, stdout io.Writer) error {
	if len(args) == 0 {
		return fmt.Errorf("%s", usage)
	}
	switch args[0] {
	case "list":
		return list(stdout)
	case "serve":
		return serve(ctx, args[1:], stdout)
	case "load":
		return load(ctx, args[1:], stdout)
	}
	return fmt.Errorf("unknown command %q; %s", args[0], usage)
}
