package otelauth

import (
	"context"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/trace"

	"github.com/tokengate/tokengate/dpop"
	"github.com/tokengate/tokengate/verifier"
)

// Attribute keys of tokengate's own spans and events. Their values are
// bounded labels: results, reasons (verifier.Reason, dpop.Reason),
// outcomes, algorithms, never a token, a kid, a claim value or a secret.
const (
	keyResult    = attribute.Key("tokengate.result")
	keyReason    = attribute.Key("tokengate.reason")
	keyCacheHit  = attribute.Key("tokengate.cache_hit")
	keyAlgorithm = attribute.Key("tokengate.algorithm")
)

// Span names.
const (
	spanVerify = "tokengate.verify"
	spanProof  = "tokengate.dpop.proof"
)

type verifyObserver struct{ t *Tracer }

// VerifierObserver returns the verifier.Observer for
// verifier.Config.Observer (with verifier.JoinObservers to keep package
// metrics' too). Every Verify call is a span "tokengate.verify" (kind
// internal), a child of the span in Verify's context, with
// tokengate.result ("ok" or "error"), tokengate.reason (verifier.Reason),
// tokengate.cache_hit and tokengate.algorithm; a refusal sets the span's
// status to Error with the reason, and error.type to the reason. It is a
// verifier.HitObserver that wants cache hits: each hit is a span, which
// costs two clock reads and the span; the hit itself takes about 45 ns.
func (t *Tracer) VerifierObserver() verifier.Observer { return verifyObserver{t} }

func (o verifyObserver) WantsCacheHits() bool { return true }

func (o verifyObserver) ObserveVerify(ctx context.Context, e verifier.Event) {
	reason := verifier.Reason(e.Err)
	attrs := []attribute.KeyValue{keyResult.String(result(e.Err)), keyReason.String(reason), keyCacheHit.Bool(e.CacheHit)}
	if e.Algorithm != "" {
		attrs = append(attrs, keyAlgorithm.String(e.Algorithm))
	}
	s := o.t.span(ctx, spanVerify, trace.SpanKindInternal, e.Start, e.Duration, attrs...)
	if e.Err != nil {
		fail(s, reason)
	}
	s.End()
}

// fail marks s as failed for a bounded reason: the status description
// and error.type hold the label, never an error message (messages may
// quote token data).
func fail(s trace.Span, reason string) {
	s.SetStatus(codes.Error, reason)
	s.SetAttributes(attrErrorType.String(reason))
}

type dpopObserver struct{ t *Tracer }

// DPoPObserver returns the dpop.Observer for dpop.Config.Observer: every
// proof check is a span "tokengate.dpop.proof" (internal), with
// tokengate.result, tokengate.reason (dpop.Reason) and
// tokengate.algorithm, failed as VerifierObserver's are.
func (t *Tracer) DPoPObserver() dpop.Observer { return dpopObserver{t} }

func (o dpopObserver) ObserveProof(ctx context.Context, e dpop.Event) {
	reason := dpop.Reason(e.Err)
	attrs := []attribute.KeyValue{keyResult.String(result(e.Err)), keyReason.String(reason)}
	if e.Algorithm != "" {
		attrs = append(attrs, keyAlgorithm.String(e.Algorithm))
	}
	s := o.t.span(ctx, spanProof, trace.SpanKindInternal, e.Start, e.Duration, attrs...)
	if e.Err != nil {
		fail(s, reason)
	}
	s.End()
}
