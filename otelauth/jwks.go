package otelauth

import (
	"context"
	"net/url"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	semconv "go.opentelemetry.io/otel/semconv/v1.43.0"
	"go.opentelemetry.io/otel/trace"

	"github.com/tokengate/tokengate/jwks"
)

const (
	keyJWKSOutcome = attribute.Key("tokengate.jwks.outcome")
	keyJWKSKeys    = attribute.Key("tokengate.jwks.keys")
	keyRefetched   = attribute.Key("tokengate.jwks.refetched")
	eventKidMiss   = "tokengate.jwks.kid_miss"
)

type jwksObserver struct{ t *Tracer }

// JWKSObserver returns the jwks.Observer for jwks.Config.Observer (and
// jwks.IssuersConfig.Cache.Observer). Every fetch is an HTTP client span
// "GET" with the conventions' attributes (url.full is the configured JWKS
// URL), http.response.body.size, tokengate.jwks.outcome and
// tokengate.jwks.keys; a failed fetch has status Error and error.type
// (the status code, or the outcome). Fetches run in the background for
// every waiting lookup, so they are root spans. A lookup of an unknown kid
// is an event "tokengate.jwks.kid_miss" (tokengate.jwks.refetched) on the
// span of the lookup's context: never the kid.
func (t *Tracer) JWKSObserver() jwks.Observer { return jwksObserver{t} }

func (o jwksObserver) ObserveFetch(ctx context.Context, e jwks.FetchEvent) {
	name, attrs := method("GET")
	attrs = append(attrs, semconv.URLFull(e.URL), keyJWKSOutcome.String(e.Outcome), keyJWKSKeys.Int(e.Keys))
	if u, err := url.Parse(e.URL); err == nil {
		attrs = append(attrs, server(u.Host, u.Scheme == "https")...)
	}
	if e.StatusCode != 0 {
		attrs = append(attrs, semconv.HTTPResponseStatusCode(e.StatusCode))
	}
	if e.Bytes > 0 {
		attrs = append(attrs, semconv.HTTPResponseBodySize(e.Bytes))
	}
	s := o.t.span(ctx, name, trace.SpanKindClient, e.Start, e.Duration, attrs...)
	if e.Outcome != jwks.OutcomeOK && e.Outcome != jwks.OutcomeNotModified {
		reason := statusError(e.StatusCode)
		if reason == "" {
			reason = e.Outcome
		}
		s.SetStatus(codes.Error, reason)
		s.SetAttributes(attrErrorType.String(reason))
	}
	s.End()
}

func (o jwksObserver) ObserveKidMiss(ctx context.Context, e jwks.KidMissEvent) {
	if s := recording(ctx); s != nil {
		s.AddEvent(eventKidMiss, trace.WithAttributes(keyRefetched.Bool(e.Refetched)))
	}
}
