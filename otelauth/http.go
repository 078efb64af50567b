package otelauth

import (
	"context"
	"strings"

	"go.opentelemetry.io/otel/attribute"
	semconv "go.opentelemetry.io/otel/semconv/v1.43.0"
	"go.opentelemetry.io/otel/trace"

	"github.com/tokengate/tokengate/middleware"
	"github.com/tokengate/tokengate/orgs"
)

const (
	keyAuthOutcome = attribute.Key("tokengate.auth.outcome")
	keyAuthReason  = attribute.Key("tokengate.auth.reason")
	keyAuthStatus  = attribute.Key("tokengate.auth.status")
	keyOrgOutcome  = attribute.Key("tokengate.orgs.outcome")
	keyOrgCacheHit = attribute.Key("tokengate.orgs.cache_hit")
	eventRefused   = "tokengate.auth.refused"
	eventOrgRefuse = "tokengate.orgs.refused"
)

type middlewareObserver struct{ t *Tracer }

// MiddlewareObserver returns the middleware.Observer for
// middleware.WithObserver. It makes no span of its own: it annotates the
// request's span (the span in the request's context, from the server's
// instrumentation, otelhttp for example) with tokengate.auth.outcome,
// tokengate.auth.reason (verifier.Reason) and http.route (the route
// pattern, without a ServeMux pattern's method), and adds an event
// "tokengate.auth.refused" (outcome, reason, status) when Authenticate or a
// route check refused the request. The span's status is left to the
// server's instrumentation (4xx answers are not server errors).
func (t *Tracer) MiddlewareObserver() middleware.Observer { return middlewareObserver{t} }

func (middlewareObserver) ObserveRequest(ctx context.Context, e middleware.Event) {
	s := recording(ctx)
	if s == nil {
		return
	}
	attrs := []attribute.KeyValue{keyAuthOutcome.String(e.Outcome)}
	if e.Reason != "" {
		attrs = append(attrs, keyAuthReason.String(e.Reason))
	}
	if r := route(e.Route); r != "" {
		attrs = append(attrs, semconv.HTTPRoute(r))
	}
	s.SetAttributes(attrs...)
	if e.Status != 0 {
		s.AddEvent(eventRefused, trace.WithTimestamp(e.Start.Add(e.Duration)),
			trace.WithAttributes(append(attrs[:len(attrs):len(attrs)], keyAuthStatus.Int(e.Status))...))
	}
}

// route is a route pattern without the method a ServeMux pattern may
// start with ("GET /items/{id}" gives "/items/{id}"): http.route is the
// path template.
func route(pattern string) string {
	if i := strings.IndexByte(pattern, ' '); i >= 0 {
		return strings.TrimLeft(pattern[i:], " ")
	}
	return pattern
}

type orgsObserver struct{ t *Tracer }

// OrgsObserver returns the orgs.Observer for orgs.WithObserver. Like
// MiddlewareObserver it annotates the request's span:
// tokengate.orgs.outcome and tokengate.orgs.cache_hit, and an event
// "tokengate.orgs.refused" (outcome, status) on a refusal; never the
// organization.
func (t *Tracer) OrgsObserver() orgs.Observer { return orgsObserver{t} }

func (orgsObserver) ObserveOrg(ctx context.Context, e orgs.Event) {
	s := recording(ctx)
	if s == nil {
		return
	}
	attrs := []attribute.KeyValue{keyOrgOutcome.String(e.Outcome), keyOrgCacheHit.Bool(e.CacheHit)}
	s.SetAttributes(attrs...)
	if e.Status != 0 {
		s.AddEvent(eventOrgRefuse, trace.WithTimestamp(e.Start.Add(e.Duration)),
			trace.WithAttributes(append(attrs, keyAuthStatus.Int(e.Status))...))
	}
}
