// Command e2e serves and loads the end-to-end HTTP benchmark as separate
// processes, the way bench/run.sh runs it (with wrk, or with the Go driver
// when wrk is not installed):
//
//	e2e list                                   # the server names, one a line
//	e2e serve -server tokengate -tokens FILE   # prints "url http://127.0.0.1:PORT/orgs/ORG/items", serves until SIGTERM
//	e2e load -url URL -tokens FILE -server tokengate -d 10s   # prints one BenchmarkE2E line
//
// serve generates fresh keys, writes the distinct valid tokens to FILE (one
// a line, mode 0600), starts the named server on a loopback address and
// checks it (e2e.Check: 200, 401, 403 where expected) before it prints its
// URL; a server that fails the check is never timed. It stops on SIGINT or
// SIGTERM, or after -lifetime in any case. With -cpuprofile FILE it writes a
// CPU profile of its serving time when it stops (to see where a server's
// time goes: go tool pprof -top FILE).
//
// load warms the server up (every token verified once, connections open),
// then runs the Go driver (e2e.Run) and prints the result as Go benchmark
// output; it exits non-zero when a request failed.
//
// Both only ever bind to or send to loopback addresses.
package main
