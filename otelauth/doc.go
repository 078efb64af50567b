// Package otelauth turns tokengate's hook events into OpenTelemetry traces.
// It lives in a module of its own (github.com/tokengate/tokengate/otelauth)
// so that only its users download OpenTelemetry.
//
// A Tracer (New) hands out one hook implementation per package, as package
// metrics does: VerifierObserver, JWKSObserver, MiddlewareObserver,
// OrgsObserver, DPoPObserver and ClientObserver. Each package's
// JoinObservers gives metrics and tracing one field:
//
//	tr := otelauth.New(otelauth.Config{TracerProvider: tp, Propagator: propagation.TraceContext{}})
//	cfg.Observer = verifier.JoinObservers(m.VerifierObserver(), tr.VerifierObserver())
//
// What becomes a span: every verification ("tokengate.verify", cache hits
// included), every DPoP proof check, every JWKS fetch (an HTTP client span,
// a root span: fetches run in the background for all waiting lookups), and
// every attempt of an Authentication or Management API call (an HTTP client
// span "GET /api/v2/users/{id}" following the OpenTelemetry HTTP client
// conventions, with the trace context propagated in the request's headers).
// Middleware and orgs outcomes, kid misses and retry waits are attributes
// and events on the spans already in the context (the request's server
// span, the caller's span). Spans of tokengate's events are recorded after
// the fact with the event's start and duration, as children of the span in
// the context the event came with.
//
// # What is trusted
//
// Nothing of a span comes from a token: attribute values are bounded
// labels (results, reasons, outcomes, algorithms, status codes, route and
// API path templates) and configuration (a JWKS URL, an API host). Never a
// token, a kid, a claim value (subject, issuer, organization), an error
// message (which may quote them), a header, a body, a path with its values
// or a query: the tests walk every attribute of every span for them.
//
// # What fails closed
//
// A hook that panics is stopped by the package that calls it; the request
// keeps its answer. A method outside HTTP's known set is "_OTHER", so a
// client cannot choose span names.
package otelauth
