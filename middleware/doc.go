// Package middleware protects net/http handlers with bearer tokens checked by
// a [verifier.Verifier]: [Authenticate] extracts and verifies the token and
// puts the verified claims on the request context; [RequireScopes],
// [RequirePermissions] and [RequireScopesOrPermissions] check them per route.
// Every middleware is a func(http.Handler) http.Handler, built once, that
// works with http.ServeMux (Go 1.22 patterns) and with chi's Use, With, Group
// and Route without adapters.
//
// # What is trusted
//
// Only the Verifier's configuration. The request is not: the token is taken
// from exactly one place (by default the Authorization header with the
// Bearer scheme; optionally a cookie; the access_token query parameter only
// with [AllowQueryToken]), and a request carrying more than one token, or two
// Authorization headers, is refused as ambiguous; so is a header token next
// to an access_token query parameter even when query tokens are off, since
// a handler or proxy reading the parameter itself would see another token
// than the one checked. For the same reason, once a token verified, an
// application/x-www-form-urlencoded body is looked at (its first 64 KiB,
// never the bodies of requests refused earlier) and a request with an
// access_token member there is refused too; the handler then reads the body
// exactly as it was sent. Form-body tokens are never accepted. An Authorization header of another scheme (Basic)
// carries no bearer token. A cookie token ([WithCookie]) is one a browser
// attaches to requests that other sites make it send, so on an unsafe
// method it is used only when the request shows it comes from the site
// itself (Sec-Fetch-Site: same-origin, a trusted Origin, or a custom
// header): cross-site request forgery is refused. Claims reach handlers only
// through [ClaimsFromContext], behind an unexported context key, and only
// after the whole token verified; nothing unverified is ever on the context.
//
// # What fails closed
//
// Every request without a token that verifies, unless [CredentialsOptional]
// is set, and even then a token that is present but invalid is refused.
// Route checks without claims on the context (Authenticate missing from the
// chain, or an anonymous request) answer 401. A key source that cannot
// provide keys answers 503 with Retry-After, never 401 and never a pass.
//
// # Responses
//
// The default answers follow RFC 6750 section 3, with a JSON body
// {"error":..., "error_description":...}, Content-Type application/json and
// Cache-Control no-store:
//
//   - no token: 401, WWW-Authenticate: Bearer realm="api" (no error
//     attribute), body error "unauthorized";
//   - malformed credentials (Bearer without a token, extra spaces, two
//     Authorization headers, a token in two places): 401 with
//     error="invalid_request" (SECURITY-CASES W1/W2: refused like any
//     unusable credential; RFC 6750 section 3.1 would allow 400, but a
//     single status for "no usable credentials" is what clients and
//     proxies expect from a bearer-protected API);
//   - a token that does not verify, for any reason: 401 with
//     error="invalid_token";
//   - a missing scope or permission: 403 with error="insufficient_scope"
//     and scope="..." listing what the route requires;
//   - a cookie token on an unsafe request not shown to come from the site
//     itself: 403, body error "access_denied", no WWW-Authenticate (the
//     token is fine; the request's origin is not);
//   - keys unavailable: 503 with Retry-After, body error
//     "temporarily_unavailable"; so is a request whose context deadline
//     (a server-side timeout such as chi's middleware.Timeout) ended while
//     the keys were fetched: the key source did not answer in time;
//   - a CORS preflight, with [PassCORSPreflight]: 204 and no body, or the
//     answer of the CORS handler given to it; never the protected handler;
//   - the client went away (request context canceled, not a deadline):
//     status 499 ([StatusClientClosedRequest]) and no body, so the server
//     never sends an implicit 200.
//
// The descriptions are constant per class: they never echo the token, never
// carry the verifier's messages, and an unknown kid looks exactly like a bad
// signature. The verifier's error stays available to an [ErrorHandler] and,
// as a bounded label, to an [Observer]. [WithErrorHandler] replaces every
// response of this package and of package orgs, which writes its refusals
// through [WriteError] so that the request's Authenticate configuration
// (realm, error handler, observer) applies to them too.
//
// # Observing requests
//
// [WithObserver] is told each request's outcome once: how Authenticate let
// it through, or the refusal written by Authenticate or by a route check
// after it (RequireScopes, orgs.Require). The [Event] holds bounded labels
// only, ready for log/slog and for metrics (package metrics implements the
// Observer). [WithLogger] logs each refused request once with those labels,
// at Debug, Info or Warn by kind, never with the token or the Authorization
// header.
//
// # Claims are shared and read-only
//
// The *verifier.Claims on the context is the Verifier's own value, shared
// through its verified-token cache with every request that presents the same
// token. Handlers must not modify it; copy what you need to change.
//
// # Route patterns
//
// [RoutePattern] returns the matched pattern of chi or of http.ServeMux (never
// the raw path), for bounded metric labels. The chi-specific code of this
// package is in chi.go.
package middleware
