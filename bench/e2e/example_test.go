package e2e_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"time"

	"github.com/tokengate/tokengate/bench/e2e"
)

// Run sends a bounded number of requests to a loopback server.
func ExampleRun() {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		fmt.Fprintln(w, `{"ok":true}`)
	}))
	defer srv.Close()
	res, err := e2e.Run(context.Background(), e2e.Load{URL: srv.URL, Requests: 100, Concurrency: 4})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(res.Requests, "answered,", res.Failures, "failed")
	// Output: 100 answered, 0 failed
}

// BenchLine prints a result as Go benchmark output, for benchstat and the
// report.
func ExampleResult_BenchLine() {
	r := e2e.Result{Requests: 30000, Elapsed: 3 * time.Second, P50: 400 * time.Microsecond, P99: 3 * time.Millisecond}
	fmt.Println(r.BenchLine("tokengate", "go"))
	// Output: BenchmarkE2E/server=tokengate/driver=go	30000	100000 ns/op	10000.0 req/s	400000 p50-ns	3000000 p99-ns	0 failures
}
