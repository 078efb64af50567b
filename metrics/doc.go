// Package metrics exposes tokengate's Prometheus metrics. It implements the
// hook interfaces of the other packages (verifier.Observer, jwks.Observer,
// middleware.Observer, orgs.Observer, client.Observer, dpop.Observer) with
// prometheus/client_golang (package otelauth, a nested module, implements
// the same hooks with OpenTelemetry; each package's JoinObservers gives
// both one field), and reads the Stats of the verifiers and JWKS
// caches it watches at scrape time. No other package of tokengate imports
// prometheus. Every series is named tokengate_*; each method that hands out
// a hook lists its series, and the package Example shows the wiring.
//
// Configuration follows tokengate's rule: New takes a Config whose zero
// value is the default, validates it and returns an error; Config.Now is
// the clock. Make one Metrics per Registerer, one the program owns.
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
// counted as 0, an unknown outcome or reason is "other". Handler serves
// what it can when a collector fails. The /metrics endpoint reveals route
// patterns and traffic: serve it on an internal port or behind access
// control.
package metrics
