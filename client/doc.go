// Package client holds what the Auth0 API clients of tokengate
// (client/authentication and client/management) share and their users
// see: the HTTP behaviour both take (Config), the errors they return
// (*Error, *RateLimitError) and the hooks they report to (Observer,
// DebugEvent). The REST core behind them is internal.
//
// Configuration rule of tokengate: long-lived objects built once take a
// Config struct whose zero value is the safe default, and their
// constructor validates it and returns an error. authentication.Config and
// management.Config hold one client.Config as their HTTP field.
//
// # What is trusted, what fails closed
//
// The tenant URL comes only from configuration: https, or plain http for a
// loopback host (BaseURL). Paths with dot segments are refused, redirects
// are never followed (a body carrying a client secret is never re-sent
// elsewhere), every attempt has a timeout, and every answer is read through
// a size cap: a success body over it is an error, never a truncated result.
//
// Answer headers are not trusted with arithmetic: Retry-After and
// X-RateLimit-Reset are clamped to [0, 24h] before use, every wait is
// capped by Config.MaxWait and ends with the caller's context. A 429 is
// always retried; a 5xx or a network error only for idempotent requests.
// A hook (Observer, Logger, Debug) that panics is stopped and logged; the
// request goes on. An Observer that is also a RequestHook is called before
// each attempt (a tracer writes the trace context there): it sees the
// method, the path template (Route, "/api/v2/users/{id}"), the host and
// the retry, never the request's headers, path values or body, and the
// headers it adds never replace one the request has.
//
// Secrets never appear in error strings, log lines or debug events. One
// table says what a secret is, for both APIs and both directions: names
// matched ignoring case and the separators '_', '-', '.' and space
// (client_secret, clientSecret and Client-Secret are one name: credentials,
// codes, OTPs, every kind of token, API keys, the credentials of email,
// Guardian and log-stream providers, and answers that embed one such as
// tickets, invitation URLs and an MFA barcode_uri), members secret under a
// given parent (a connection's options.configuration), and endpoints whose
// bodies are secret through and through (hook secrets, rules-configs
// values). Their values become Redacted in JSON and form bodies, queries,
// headers and text, and the request's secret values are removed wherever
// an answer echoes them, in every common escaping. Error.Body is the raw
// answer, kept for callers that need it: do not log it.
//
// # Rate budget
//
// Config.Budget (a RateBudget) spaces requests within the tenant's rate
// limit instead of learning it from 429s: each attempt waits for its turn
// (ctx-aware, never polling), or fails at once with a *BudgetError when its
// turn is further than the budget's MaxWait or its context's deadline; an
// answer that says the limit is spent (a 429, or X-RateLimit-Remaining 0)
// pauses the budget until X-RateLimit-Reset, believed up to MaxWait ahead.
// LocalBudget is the in-process budget (GCRA per tenant and endpoint
// class); a fleet shares one through a store (redisstore).
//
// Each request carries the Auth0-Client telemetry header (the standard
// base64 of {"name":"tokengate","version":Version,"env":{"go":...}}) and
// User-Agent "tokengate/<Version> (<go version>)"; Config.DisableTelemetry
// drops both.
package client
