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
// # Labels
//
// tokengate_http_requests_total{route,method,outcome,status} counts every
// request through middleware.Authenticate (and grpcauth's calls, through
// the same Observer), once:
//
//   - route: the path pattern of the route the request matches, the same
//     for chi and ServeMux ("/orgs/{org}/items"; a ServeMux pattern's
//     method is cut off into method). With chi it is right however
//     Authenticate is mounted: r.Use on the root router or inside r.Route
//     (middleware that chi runs before routing), r.With, r.Group. With
//     ServeMux, wrap each pattern's handler (mux.Handle("GET /items/{id}",
//     auth(h))); an Authenticate wrapped around the whole mux runs before
//     the mux matched a pattern and counts its refusals as "unmatched".
//     "unmatched" is also a path no route matches; a chi subrouter's
//     refusal of a path none of its routes match keeps its mount pattern
//     ("/api/*"). For gRPC, the full method name.
//   - method: GET, HEAD, POST, PUT, PATCH, DELETE, CONNECT, OPTIONS, TRACE,
//     or "_OTHER" for any other token a client sends.
//   - outcome: how the request ended for tokengate: "ok" and "anonymous"
//     (let through), or the refusal: middleware's Outcome constants
//     (missing_token, invalid_request, invalid_token, insufficient_scope,
//     claim_denied, cross_site, keys_unavailable, misconfigured, canceled,
//     the DPoP ones) and orgs' (org_missing, org_denied, not_member,
//     org_unavailable).
//   - status: the HTTP status tokengate answered with (401, 403, 499 for a
//     client that went away, 500 for a route check mounted without
//     Authenticate, 503), or "" when the request reached the handler,
//     which chose its own status (outcome ok or anonymous). It is never
//     the handler's status: count those with your router's metrics.
//
// tokengate_org_denials_total{route,method,reason} counts the refusals of
// orgs.Require and orgs.RequireMember (orgs.WithObserver(OrgsObserver())),
// with route and method as above and reason their outcome.
// tokengate_verifications_total{result,reason}: result "ok" or "error",
// reason verifier.Reason's label. The client series carry api
// ("authentication", "management" or the configured name), method (as
// above) and status (the answer's code, or "none" when no answer came).
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
