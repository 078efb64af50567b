package e2e_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"

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
