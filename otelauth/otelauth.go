package otelauth

import (
	"context"
	"time"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/trace"

	"github.com/tokengate/tokengate/client"
)

// ScopeName is the instrumentation scope of the spans: the name the
// Tracer is taken under from the TracerProvider.
const ScopeName = "github.com/tokengate/tokengate/otelauth"

// Config configures New. The zero value uses OpenTelemetry's global
// TracerProvider and propagator, as OpenTelemetry's own instrumentation
// libraries do.
type Config struct {
	// TracerProvider makes the spans. Default otel.GetTracerProvider().
	TracerProvider trace.TracerProvider
	// Propagator writes the trace context into the outgoing requests of the
	// Auth0 API clients (W3C traceparent with propagation.TraceContext).
	// Default otel.GetTextMapPropagator(); OpenTelemetry's global default
	// propagates nothing until the program sets one.
	Propagator propagation.TextMapPropagator
}

// Tracer hands out the hook implementations of tokengate's packages that
// turn their events into spans and span events. It is safe for concurrent
// use; make one per program and share it.
type Tracer struct {
	tracer trace.Tracer
	prop   propagation.TextMapPropagator
}

// New returns a Tracer for cfg.
func New(cfg Config) *Tracer {
	tp := cfg.TracerProvider
	if tp == nil {
		tp = otel.GetTracerProvider()
	}
	prop := cfg.Propagator
	if prop == nil {
		prop = otel.GetTextMapPropagator()
	}
	return &Tracer{
		tracer: tp.Tracer(ScopeName, trace.WithInstrumentationVersion(client.Version)),
		prop:   prop,
	}
}

// span records a finished operation after the fact: a child of the span in
// ctx, from start to start+d (now when start is zero: an event that was
// not timed).
func (t *Tracer) span(ctx context.Context, name string, kind trace.SpanKind, start time.Time, d time.Duration, attrs ...attribute.KeyValue) trace.Span {
	if ctx == nil {
		ctx = context.Background()
	}
	if start.IsZero() {
		start, d = time.Now(), 0
	}
	_, s := t.tracer.Start(ctx, name, trace.WithSpanKind(kind), trace.WithTimestamp(start), trace.WithAttributes(attrs...))
	return endAt{s, start.Add(d)}
}

// endAt is a span whose End, without options, ends it at a given time.
type endAt struct {
	trace.Span
	at time.Time
}

func (s endAt) End(opts ...trace.SpanEndOption) {
	s.Span.End(append([]trace.SpanEndOption{trace.WithTimestamp(s.at)}, opts...)...)
}

// recording returns the span of ctx when it records, else nil.
func recording(ctx context.Context) trace.Span {
	if ctx == nil {
		return nil
	}
	if s := trace.SpanFromContext(ctx); s.IsRecording() {
		return s
	}
	return nil
}

// result is "ok" or "error", as package metrics labels outcomes.
func result(err error) string {
	if err == nil {
		return "ok"
	}
	return "error"
}
