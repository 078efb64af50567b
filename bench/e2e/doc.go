// Package e2e is the end-to-end half of the benchmark: the same small JSON
// handler on the same http.ServeMux route (Route), served on loopback bare,
// behind tokengate's middleware (Authenticate alone with the verified-token
// cache on; the full chain Authenticate + RequireScopes + orgs.Require; and
// Authenticate with the cache off), and behind go-jwt-middleware v3 and v2
// (Servers). A load driver (Run) sends a fixed set of distinct valid tokens
// round-robin on keep-alive connections, as real clients repeat their
// tokens, and reports requests/s and p50/p99 latency.
//
// DESIGN.md's target is tokengate's requests/s ≥ 0.85 × the bare server's.
// Client and server share the machine's cores, so the ratio to bare, not the
// absolute requests/s, is the measure.
//
// bench/run.sh runs each server in its own process (bench/cmd/e2e) and loads
// it with wrk (wrk.lua rotates the tokens) or, without wrk, with Run in
// another process; BenchmarkHTTP is the in-process quick look that CI runs
// once. Every server is checked first (Check): 200 for good tokens, 401 for
// an expired token, a token for another audience and no token, 403 on the
// chain for another organization's path. A server that fails is not timed.
//
// # What is trusted
//
// Nothing here is library code: it is a measuring instrument. The driver
// only ever sends requests to loopback addresses, and stops after a bounded
// number of requests or a bounded time.
package e2e
