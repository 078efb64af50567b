package otelauth_test

import (
	"context"
	"fmt"

	"go.opentelemetry.io/otel/propagation"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"

	"github.com/tokengate/tokengate/authtest"
	"github.com/tokengate/tokengate/otelauth"
	"github.com/tokengate/tokengate/verifier"
)

// Tracing next to metrics: each package's JoinObservers takes both (here
// the verifier's, with no metrics). Every verification, cache hits
// included, is a span under the caller's.
func Example() {
	exp := tracetest.NewInMemoryExporter()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSyncer(exp))
	defer tp.Shutdown(context.Background())
	tr := otelauth.New(otelauth.Config{TracerProvider: tp, Propagator: propagation.TraceContext{}})

	tenant, err := authtest.NewTenant(authtest.Config{})
	if err != nil {
		panic(err)
	}
	defer tenant.Close()
	v, err := verifier.New(verifier.Config{
		Issuer: tenant.Issuer(), Audience: []string{"https://api.example.com"}, Keys: tenant.KeySet(),
		Observer: verifier.JoinObservers(nil /* m.VerifierObserver() */, tr.VerifierObserver()),
	})
	if err != nil {
		panic(err)
	}
	ctx, request := tp.Tracer("app").Start(context.Background(), "GET /items")
	tok := tenant.AccessToken("auth0|alice", "https://api.example.com")
	for _, t := range []string{tok, tok, "not.a.token"} {
		_, _ = v.Verify(ctx, t)
	}
	request.End()
	for _, s := range exp.GetSpans() {
		if s.Name != "tokengate.verify" {
			continue
		}
		var reason, hit string
		for _, a := range s.Attributes {
			switch a.Key {
			case "tokengate.reason":
				reason = a.Value.AsString()
			case "tokengate.cache_hit":
				hit = a.Value.String()
			}
		}
		fmt.Printf("%s under the request: %v, reason %s, cache hit %s\n", s.Name, s.Parent.SpanID() == request.SpanContext().SpanID(), reason, hit)
	}
	// Output:
	// tokengate.verify under the request: true, reason ok, cache hit false
	// tokengate.verify under the request: true, reason ok, cache hit true
	// tokengate.verify under the request: true, reason malformed, cache hit false
}
