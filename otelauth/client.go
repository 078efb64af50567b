package otelauth

import (
	"context"
	"errors"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/propagation"
	semconv "go.opentelemetry.io/otel/semconv/v1.43.0"
	"go.opentelemetry.io/otel/trace"

	"github.com/tokengate/tokengate/client"
)

const (
	keyAPI         = attribute.Key("tokengate.api")
	keyRetryReason = attribute.Key("tokengate.retry.reason")
	keyRetryWait   = attribute.Key("tokengate.retry.wait_seconds")
	keyRemaining   = attribute.Key("tokengate.rate_limit.remaining")
	eventRetry     = "tokengate.client.retry"
)

// attemptKey marks the context of an attempt whose span StartRequest
// started: ObserveRequest ends that span, and only that one.
type attemptKey struct{}

type clientObserver struct{ t *Tracer }

// ClientObserver returns the client.Observer for the Observer field of
// client.Config (the HTTP field of authentication.Config and
// management.Config). It is a client.RequestHook: every attempt of an
// Authentication or Management API call is an HTTP client span named
// "<METHOD> <url.template>" ("GET /api/v2/users/{id}"), a child of the
// caller's span, started before the request is sent, whose trace context
// the Propagator writes into the request's headers (W3C traceparent). Its
// attributes follow the HTTP client conventions (http.request.method,
// server.address, server.port, url.template, http.response.status_code,
// http.request.resend_count from the second attempt, error.type) plus
// tokengate.api, tokengate.rate_limit.remaining, and on a retried attempt
// tokengate.retry.reason and tokengate.retry.wait_seconds (the wait before
// it: a rate limit's Retry-After, or the backoff). A 4xx or 5xx answer or
// a transport error sets the status to Error. Each wait before a retry is
// also an event "tokengate.client.retry" on the caller's span. The span
// never holds the path with its values, a header, a body or the query.
func (t *Tracer) ClientObserver() client.Observer { return clientObserver{t} }

// StartRequest implements client.RequestHook.
func (o clientObserver) StartRequest(ctx context.Context, r *client.OutgoingRequest) context.Context {
	name, attrs := o.requestAttrs(r.API, r.Method, r.Route, r.Host)
	if r.Attempt > 1 {
		attrs = append(attrs, semconv.HTTPRequestResendCount(r.Attempt-1))
		if r.RetryReason != "" {
			attrs = append(attrs, keyRetryReason.String(r.RetryReason), keyRetryWait.Float64(r.Wait.Seconds()))
		}
	}
	ctx, s := o.t.tracer.Start(ctx, name, trace.WithSpanKind(trace.SpanKindClient), trace.WithAttributes(attrs...))
	o.t.prop.Inject(ctx, propagation.HeaderCarrier(r.Header))
	return context.WithValue(ctx, attemptKey{}, s)
}

func (o clientObserver) requestAttrs(api, m, tmpl, host string) (string, []attribute.KeyValue) {
	name, attrs := method(m)
	if tmpl != "" {
		name += " " + tmpl
		attrs = append(attrs, semconv.URLTemplate(tmpl))
	}
	attrs = append(attrs, server(host, true)...)
	return name, append(attrs, keyAPI.String(api))
}

// ObserveRequest implements client.Observer: it ends the attempt's span,
// or, when StartRequest did not run for it, records one after the fact.
func (o clientObserver) ObserveRequest(ctx context.Context, e client.RequestEvent) {
	s, started := ctx.Value(attemptKey{}).(trace.Span)
	if !started {
		name, attrs := o.requestAttrs(e.API, e.Method, e.Route, e.Host)
		if e.Attempt > 1 {
			attrs = append(attrs, semconv.HTTPRequestResendCount(e.Attempt-1))
		}
		s = o.t.span(ctx, name, trace.SpanKindClient, e.Start, e.Duration, attrs...)
	}
	if e.StatusCode != 0 {
		s.SetAttributes(semconv.HTTPResponseStatusCode(e.StatusCode))
	}
	if e.RateLimitRemaining >= 0 {
		s.SetAttributes(keyRemaining.Int(e.RateLimitRemaining))
	}
	if e.Err != nil || e.StatusCode >= 400 {
		reason := statusError(e.StatusCode)
		if reason == "" {
			reason = transportError(e.Err)
		}
		s.SetStatus(codes.Error, reason)
		s.SetAttributes(attrErrorType.String(reason))
	}
	if started {
		s.End(trace.WithTimestamp(e.Start.Add(e.Duration)))
		return
	}
	s.End()
}

// transportError is error.type for an attempt without an answer: the
// class of the error, never its message (which names the URL).
func transportError(err error) string {
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		return "timeout"
	case errors.Is(err, context.Canceled):
		return "canceled"
	case errors.Is(err, client.ErrResponseTooLarge):
		return "response_too_large"
	}
	return "_OTHER"
}

// ObserveRetry implements client.Observer: an event on the caller's span.
func (o clientObserver) ObserveRetry(ctx context.Context, e client.RetryEvent) {
	if s := recording(ctx); s != nil {
		s.AddEvent(eventRetry, trace.WithAttributes(keyAPI.String(e.API), semconv.URLTemplate(e.Route),
			keyRetryReason.String(e.Reason), keyRetryWait.Float64(e.Wait.Seconds())))
	}
}
