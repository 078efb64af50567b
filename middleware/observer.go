package middleware

import (
	"context"
	"time"

	"github.com/tokengate/tokengate/internal/hook"
)

// Observer is told the outcome of each request that went through
// Authenticate, once, when the request is done with this package (for a
// request that reached the handler: after the handler returned). ctx is the
// request's context (the handler's, with the claims, for a request let
// through), where a tracer finds the request's span. It must be fast, must
// not retain the Event, and is not called when the handler panics. A panic
// in it is stopped and logged (WithLogger); the request keeps its answer.
type Observer interface {
	ObserveRequest(ctx context.Context, e Event)
}

// ObserverFunc adapts a function to Observer.
type ObserverFunc func(ctx context.Context, e Event)

// ObserveRequest calls f(ctx, e).
func (f ObserverFunc) ObserveRequest(ctx context.Context, e Event) { f(ctx, e) }

// JoinObservers returns an Observer that hands every event to each of obs
// in order (nil ones skipped), each call guarded so that one observer's
// panic does not keep the others from their event: metrics and tracing at
// once. It returns nil when obs holds no observer, and the observer itself
// when it holds one.
func JoinObservers(obs ...Observer) Observer {
	return hook.Join(obs, func(all []Observer) Observer { return joined(all) })
}

type joined []Observer

func (j joined) ObserveRequest(ctx context.Context, e Event) {
	hook.Each(j, func(o Observer) { o.ObserveRequest(ctx, e) })
}

// Event describes one request. Every field is a bounded label or a number:
// it never holds token data, so it can be logged and used as metric labels.
type Event struct {
	// Outcome is one of the Outcome constants of this package or of package
	// orgs: the last refusal of Authenticate or of a route check after it
	// (RequireScopes, orgs.Require, orgs.RequireMember), or how Authenticate
	// let the request through. An answer the handler wrote, also with
	// WriteError, is not a refusal: the request was let through.
	Outcome string
	// Reason is verifier.Reason of the Verify error ("ok" when the token
	// verified and the request was let through; "timeout" when the
	// request's deadline ended while the keys were fetched), or "" when no
	// token was verified (none, malformed, preflight) and when a route
	// check after Authenticate refused the request (RequireScopes,
	// orgs.Require, ...: the token verified; Outcome says why it was
	// refused). A refusal is never reported with Reason "ok".
	Reason string
	// Status is the status this package or package orgs wrote, or 0 when
	// the request reached the next handler, which chose its own.
	Status int
	// Route is RoutePattern of the request: the chi or ServeMux pattern of
	// the route it matches, also for a refusal by an Authenticate that chi
	// runs before routing (Use); "" when no route is known (no route
	// matches; an Authenticate wrapped around a whole ServeMux). A ServeMux
	// pattern names the method when it was registered with one ("GET
	// /items/{id}"); chi's never does (package metrics puts the method in a
	// label of its own and the path pattern in route, for both).
	Route string
	// Method is the request's method as the client sent it: any token
	// (RFC 9110), so not a bounded label by itself; map the unknown ones
	// to one label ("_OTHER", as OpenTelemetry does) before using it as one.
	Method string
	// Start is when the request reached this Authenticate; Duration is the
	// time from then until the request was done with this package (for a
	// request let through: until the handler returned).
	Start    time.Time
	Duration time.Duration
}

// Outcomes of this package. Package orgs adds its own.
const (
	OutcomeOK                = "ok"                 // token verified, request let through
	OutcomeAnonymous         = "anonymous"          // no token, CredentialsOptional
	OutcomePreflight         = "preflight"          // CORS preflight answered (PassCORSPreflight); Status 204, or 0 when its CORS handler answered
	OutcomeMissingToken      = "missing_token"      // 401
	OutcomeInvalidRequest    = "invalid_request"    // 401 error="invalid_request"
	OutcomeInvalidToken      = "invalid_token"      // 401
	OutcomeKeysUnavailable   = "keys_unavailable"   // 503
	OutcomeCanceled          = "canceled"           // StatusClientClosedRequest: the request context was canceled
	OutcomeUnauthenticated   = "unauthenticated"    // 401 from a route check on an anonymous request (CredentialsOptional)
	OutcomeMisconfigured     = "misconfigured"      // 500 from a route check mounted without Authenticate before it (logged once per check)
	OutcomeInsufficientScope = "insufficient_scope" // 403
	OutcomeCrossSite         = "cross_site"         // 403: a cookie token on an unsafe request not shown to come from the site (WithCookie)
)
