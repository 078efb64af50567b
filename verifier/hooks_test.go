package verifier_test

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"

	"github.com/tokengate/tokengate/verifier"
)

// ctxKey marks the context a test passes to Verify.
type ctxKey struct{}

// ctxRecorder keeps the events and the mark of the context they came with.
type ctxRecorder struct {
	mu     sync.Mutex
	events []verifier.Event
	marks  []any
	hits   bool // WantsCacheHits
	panics bool
}

func (r *ctxRecorder) ObserveVerify(ctx context.Context, e verifier.Event) {
	r.mu.Lock()
	r.events = append(r.events, e)
	r.marks = append(r.marks, ctx.Value(ctxKey{}))
	r.mu.Unlock()
	if r.panics {
		panic("observer bug")
	}
}

func (r *ctxRecorder) WantsCacheHits() bool { return r.hits }

func (r *ctxRecorder) len() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.events)
}

// TestObserverContext: every event comes with the context Verify was given
// (a tracer's parent span), and a start time on a miss; a cache hit that a
// per-call option refused is an event without a clock read.
func TestObserverContext(t *testing.T) {
	rec := &ctxRecorder{}
	v := newVerifier(t, verifier.Config{Observer: rec})
	tok := rs(claims(nil))(t)
	ctx := context.WithValue(context.Background(), ctxKey{}, "request-1")
	if _, err := v.Verify(ctx, tok); err != nil {
		t.Fatal(err)
	}
	if _, err := v.Verify(ctx, tok, verifier.WithNonce("n")); err == nil {
		t.Fatal("got nil error, want the nonce refused")
	}
	if rec.len() != 2 {
		t.Fatalf("got %d events, want 2 (a miss, a refused hit)", rec.len())
	}
	for i, m := range rec.marks {
		if m != "request-1" {
			t.Errorf("event %d: got context mark %v, want request-1", i, m)
		}
	}
	if e := rec.events[0]; e.CacheHit || e.Start.IsZero() || e.Duration < 0 {
		t.Errorf("miss: got %+v, want a start and no cache hit", e)
	}
	if e := rec.events[1]; !e.CacheHit || !e.Start.IsZero() || e.Duration != 0 || e.Err != verifier.ErrNonce {
		t.Errorf("refused hit: got %+v, want an untimed hit with ErrNonce", e)
	}
}

// TestHitObserver: an Observer that wants cache hits gets each one, timed,
// and Stats still counts them; one that says no gets none.
func TestHitObserver(t *testing.T) {
	for _, want := range []bool{true, false} {
		t.Run(fmt.Sprintf("wants=%v", want), func(t *testing.T) {
			rec := &ctxRecorder{hits: want}
			v := newVerifier(t, verifier.Config{Observer: rec})
			tok := rs(claims(nil))(t)
			for range 3 {
				if _, err := v.Verify(context.Background(), tok); err != nil {
					t.Fatal(err)
				}
			}
			if got := v.Stats().CacheHits; got != 2 {
				t.Errorf("got %d counted hits, want 2", got)
			}
			wantEvents := 1
			if want {
				wantEvents = 3
			}
			if rec.len() != wantEvents {
				t.Fatalf("got %d events, want %d", rec.len(), wantEvents)
			}
			for _, e := range rec.events[1:] {
				if !e.CacheHit || e.Err != nil || e.Start.IsZero() || e.Algorithm != "RS256" {
					t.Errorf("got %+v, want a timed hit that returned claims", e)
				}
			}
		})
	}
}

// TestJoinObservers: a joined observer hands each event to every member,
// the hits that return claims only to the members that want them; one
// member's panic neither keeps the others from the event nor escapes
// Verify, and is logged.
func TestJoinObservers(t *testing.T) {
	if verifier.JoinObservers() != nil || verifier.JoinObservers(nil, nil) != nil {
		t.Error("JoinObservers of no observer: got non-nil, want nil")
	}
	only := &ctxRecorder{}
	if got := verifier.JoinObservers(nil, only); got != only {
		t.Errorf("JoinObservers of one observer: got %T, want the observer itself", got)
	}
	metrics := &ctxRecorder{panics: true}
	tracer := &ctxRecorder{hits: true}
	var logs bytes.Buffer
	v := newVerifier(t, verifier.Config{
		Observer: verifier.JoinObservers(metrics, tracer),
		Logger:   slog.New(slog.NewTextHandler(&logs, nil)),
	})
	tok := rs(claims(nil))(t)
	for range 2 {
		if _, err := v.Verify(context.Background(), tok); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := v.Verify(context.Background(), tok, verifier.WithNonce("n")); err == nil {
		t.Fatal("got nil error, want the nonce refused")
	}
	if metrics.len() != 2 {
		t.Errorf("metrics: got %d events, want 2 (the miss and the refused hit; not the hit)", metrics.len())
	}
	if tracer.len() != 3 {
		t.Errorf("tracer: got %d events, want 3 (every call)", tracer.len())
	}
	if !strings.Contains(logs.String(), "observer bug") {
		t.Errorf("log: got %q, want the panic logged", logs.String())
	}
}

// TestHK1EventHoldsNoTokenData: whatever the refusal, the event carries no
// part of the token, its kid or its claim values: Err is the class
// sentinel, not Verify's message (which quotes the kid and claims).
func TestHK1EventHoldsNoTokenData(t *testing.T) {
	const kid, iss, org = "kid-SECRET-7f3a", "https://evil-SECRET.example/", "org_SECRET9"
	rec := &ctxRecorder{}
	v := newVerifier(t, verifier.Config{Observer: rec})
	toks := map[string]string{
		"unknown kid": rsHeader(hdr("RS256", kid), claims(nil))(t),
		"bad issuer":  rs(claims(map[string]any{"iss": iss}))(t),
		"org":         rs(claims(map[string]any{"org_id": org}))(t),
	}
	for name, tok := range toks {
		t.Run(name, func(t *testing.T) {
			opts := []verifier.Option{verifier.WithOrganization("org_other")}
			_, err := v.Verify(context.Background(), tok, opts...)
			if err == nil {
				t.Fatal("got nil error, want a refusal")
			}
			e := rec.events[len(rec.events)-1]
			text := fmt.Sprintf("%+v %v", e, e.Err)
			for _, secret := range []string{kid, iss, org, tok, tok[:20], tok[len(tok)-20:]} {
				if strings.Contains(text, secret) {
					t.Errorf("event %q holds %q", text, secret)
				}
			}
		})
	}
}
