package grpcauth

// The reports of the interceptors, in this one file: they use the event
// types of package middleware and orgs, so that package metrics' observers
// (MiddlewareObserver, OrgsObserver) and the log lines count and show gRPC
// calls as they do HTTP requests.
//
// Event.Route is the full method name ("" for a method the server does
// not know, reachable only with grpc.UnknownServiceHandler), and
// Event.Status the HTTP status middleware.Authenticate writes for the same
// refusal: 401 for codes.Unauthenticated, 403 for PermissionDenied, 503
// for Unavailable, 499 (middleware.StatusClientClosedRequest) for
// Canceled; 0 for a call that reached its handler.

import (
	"context"
	"log/slog"
	"time"

	"github.com/tokengate/tokengate/internal/hook"
	"github.com/tokengate/tokengate/internal/routecheck"
	"github.com/tokengate/tokengate/middleware"
	"github.com/tokengate/tokengate/orgs"
)

// report tells the Observer about a call, once: refused (rf) or let
// through (rf nil); and the Logger about a refusal.
func (c *call) report(ctx context.Context, rf *refused) {
	ic := c.ic
	if ic.observer == nil && ic.logger == nil {
		return
	}
	ev := middleware.Event{Outcome: middleware.OutcomeOK, Reason: "ok", Route: c.route}
	if rf != nil {
		ev = middleware.Event{Outcome: rf.outcome, Reason: rf.reason, Status: rf.status, Route: c.route}
	}
	ev.Method, ev.Start, ev.Duration = dpopMethod, c.start, time.Since(c.start)
	if ic.observer != nil {
		c.observe(ctx, ev)
	}
	if ic.logger != nil && rf != nil {
		c.log(ctx, ev, rf)
	}
}

func (c *call) observe(ctx context.Context, ev middleware.Event) {
	defer hook.Recover(c.ic.logger, "grpcauth observer")
	c.ic.observer.ObserveRequest(ctx, ev)
}

// observeOrg tells the OrgObserver about an organization check that
// began at start.
func (c *call) observeOrg(ctx context.Context, start time.Time, ev orgs.Event) {
	if c.ic.orgObserver == nil {
		return
	}
	ev.Method, ev.Start, ev.Duration = dpopMethod, start, time.Since(start)
	defer hook.Recover(c.ic.logger, "grpcauth org observer")
	c.ic.orgObserver.ObserveOrg(ctx, ev)
}

// log writes one line for a refused call at the level of the same HTTP
// refusal (routecheck.Level): the method (POST, as on the wire), the full
// method name as the route, outcome, status, the gRPC code, and the
// reason and cause when there are some. Causes are this package's
// extraction errors, Verify's and dpop's errors, the verifier's
// organization mismatch and the MembershipChecker's error: none holds the
// token or the proof.
func (c *call) log(ctx context.Context, ev middleware.Event, rf *refused) {
	attrs := make([]slog.Attr, 0, 4)
	attrs = append(attrs, slog.String("code", rf.code.String()))
	if rf.reason != "" {
		attrs = append(attrs, slog.String("reason", rf.reason))
	}
	if rf.orgCheck {
		attrs = append(attrs, slog.Bool("cache_hit", rf.hit))
	}
	if rf.cause != nil {
		attrs = append(attrs, slog.String("error", rf.cause.Error()))
	}
	routecheck.Log(ctx, c.ic.logger, "grpcauth: call refused", dpopMethod, ev.Route, ev.Outcome, ev.Status, attrs...)
}
