// Package e2e is the end-to-end half of the benchmark (phase 2): the same
// small JSON handler served on loopback bare, behind go-jwt-middleware v3 and
// v2, and (once the middleware package is on main) behind tokengate's
// middleware.Authenticate, driven by the load driver in load.go with a fixed
// set of valid tokens that repeat, as real clients' tokens do.
//
// BenchmarkHTTP/server=NAME reports ns/op (the inverse of the throughput of
// the whole client+server loop), req/s and p99-ns; DESIGN.md's target is
// tokengate's req/s ≥ 0.85 × the bare server's. The servers are checked first
// (TestServers): the protected ones answer 200 to a good token and 401 to an
// expired token, a token for another audience and no token.
//
// The driver only ever sends requests to loopback addresses and stops after
// a bounded number of requests and a bounded time.
package e2e
