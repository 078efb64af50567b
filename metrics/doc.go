// Package metrics exposes tokengate's Prometheus metrics. It implements the
// hook interfaces of the other packages (verifier.Observer, jwks.Observer,
// middleware.Observer, orgs.Observer, client.Observer) with
// prometheus/client_golang, and reads the verified-token cache and JWKS
// cache state at scrape time. No other package of tokengate imports
// prometheus.
//
// # Wiring
//
// One line per component, on a Registerer the program owns (never the
// global default registry):
//
//	reg := metrics.NewRegistry() // or any prometheus.Registerer
//	m, err := metrics.New(reg, metrics.Config{})
//
//	cache, err := jwks.New(jwks.Config{URL: jwksURL, Observer: m.JWKSObserver("tenant")})
//	err = m.WatchJWKS("tenant", cache)
//	v, err := verifier.New(verifier.Config{..., Keys: cache, Observer: m.VerifierObserver()})
//	m.WatchVerifier(v)
//	auth := middleware.Authenticate(v, middleware.WithObserver(m.MiddlewareObserver()))
//	org := orgs.Require(orgs.FromPath("org"), orgs.WithObserver(m.OrgsObserver()))
//	mgmt, err := management.New(domain, management.WithClientOptions(client.WithObserver(m.ClientObserver())))
//
//	mux.Handle("GET /metrics", metrics.Handler(reg))
//
// # Series
//
// Every name starts with tokengate_; counters end in _total, durations are
// histograms in seconds.
//
//   - tokengate_verifications_total{result, reason}: result "ok" or "error",
//     reason verifier.Reason of the error ("ok", "expired",
//     "bad_signature", "unknown_kid", "bad_audience", ...; all present from
//     the start).
//   - tokengate_verification_duration_seconds: verifications the cache did
//     not answer (hits are counted, not timed: timing a 45 ns hit would
//     cost more than the hit).
//   - tokengate_verifier_cache_hits_total, tokengate_verifier_cache_misses_total,
//     tokengate_verifier_cache_entries (WatchVerifier).
//   - tokengate_jwks_fetches_total{jwks, outcome},
//     tokengate_jwks_fetch_duration_seconds{jwks},
//     tokengate_jwks_kid_misses_total{jwks, result="refetched|suppressed"},
//     and from WatchJWKS: tokengate_jwks_keys{jwks},
//     tokengate_jwks_refresh_age_seconds{jwks} (+Inf before the first
//     success), tokengate_jwks_consecutive_failures{jwks}.
//   - tokengate_http_requests_total{route, outcome, status}: route is the
//     chi or ServeMux pattern ("unmatched" before routing), status what the
//     auth layer wrote or "passed".
//   - tokengate_org_denials_total{route, reason}.
//   - tokengate_client_requests_total{api, method, status},
//     tokengate_client_request_duration_seconds{api},
//     tokengate_client_retries_total{api, reason},
//     tokengate_client_rate_limit_waits_total{api},
//     tokengate_client_rate_limit_wait_seconds_total{api},
//     tokengate_client_rate_limit_remaining{api}.
//
// # Logging
//
// The same events can go to log/slog, without this package: each package
// has a logger option, nil (no logging) by default, and none logs a token,
// a secret, an Authorization header or key material.
//
//   - verifier.Config.Logger: refused tokens at Debug (reason, claim, alg,
//     kid quoted and cut, error message); successes are not logged.
//   - jwks.Config.Logger: fetches at Debug, failed fetches at Warn, keys
//     the policy drops at Warn (security events), keys withdrawn after
//     MaxStale at Error.
//   - middleware.WithLogger: refused requests once each (method, route
//     pattern, outcome, reason, status) at Debug (no usable credentials),
//     Info (token refused, scope, organization) or Warn (503).
//   - orgs.WithLogger: organization refusals at Info, failed lookups at Warn.
//   - client.WithLogger (also for management and authentication through
//     their client options): attempts at Debug with the redacted URL,
//     retry waits at Info, giving up at Warn.
//
// # What is trusted
//
// Label values are bounded: outcomes and reasons are fixed sets, routes are
// patterns from the program's route table, jwks and api are names from the
// program's configuration, status codes are numbers. Nothing a request or a
// token carries (a path with ids, a kid, an issuer, an organization, a user)
// ever becomes a label, so a client cannot grow the number of series.
// Names given by the program are made valid UTF-8 and cut to 128 bytes.
//
// # What fails closed
//
// New refuses a nil Registerer instead of falling back to the global
// default, and unregisters what it registered when a registration fails.
// The hooks never block, never fail a request and never panic, whatever
// value an event carries: a negative or saturated duration or wait is
// counted as 0 (prometheus panics when a counter is given a negative
// increment), an unknown outcome or reason is "other". Metrics are a side
// channel. Handler serves what it can when a collector fails. The
// /metrics endpoint reveals route patterns and traffic: serve it on an
// internal port or behind access control.
//
// # Cost
//
// A cache hit that returns claims is not an event: the verifier counts it
// (one atomic add, no call, nothing allocated; BenchmarkCachedVerify
// measures it within noise of no observer), and WatchVerifier reads the
// count at scrape time. The other
// hooks resolve their series once per label combination and then only
// increment.
package metrics
