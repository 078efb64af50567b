package main

import (
	"context"
	"os"
)

// e2e list prints the servers run.sh starts in turn, in report order.
func Example() {
	if err := run(context.Background(), []string{"list"}, os.Stdout); err != nil {
		panic(err)
	}
	// Output:
	// bare
	// tokengate
	// tokengate-chain
	// tokengate-nocache
	// go-jwt-middleware-v3
	// go-jwt-middleware-v2
}
