package verifier_test

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/tokengate/tokengate/verifier"
)

// panickingObserver panics on every event, as a metrics hook with a bug
// would.
type panickingObserver struct{ calls atomic.Int64 }

func (o *panickingObserver) ObserveVerify(context.Context, verifier.Event) {
	o.calls.Add(1)
	panic("observer bug")
}

// TestX21ObserverPanicContained (issue 21, X21: every observer runs so that
// its panic cannot take down a request): an Observer that panics changes no
// outcome of Verify, on a cache miss or hit, accepted or refused, and the
// panic is logged at Error.
func TestX21ObserverPanicContained(t *testing.T) {
	loadKeys()
	var logs bytes.Buffer
	obs := &panickingObserver{}
	v := newVerifier(t, verifier.Config{Observer: obs, Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	good := rs(claims(nil))(t)
	bad := rs(claims(map[string]any{"aud": "other"}))(t)
	steps := []struct {
		name     string
		tok      string
		opts     []verifier.Option
		ok       bool
		observed bool // a hit that returns claims is counted, not observed
	}{
		{"miss accepted", good, nil, true, true},
		{"hit accepted", good, nil, true, false},
		{"hit refused by an option", good, []verifier.Option{verifier.WithNonce("n")}, false, true},
		{"miss refused", bad, nil, false, true},
	}
	observed := 0
	for _, st := range steps {
		if st.observed {
			observed++
		}
		t.Run(st.name, func(t *testing.T) {
			defer func() {
				if p := recover(); p != nil {
					t.Fatalf("Verify panicked: %v", p)
				}
			}()
			c, err := v.Verify(context.Background(), st.tok, st.opts...)
			if st.ok && (err != nil || c == nil) {
				t.Fatalf("got %v, want the token accepted", err)
			}
			if !st.ok && (err == nil || c != nil) {
				t.Fatalf("got claims %v and error %v, want refused", c != nil, err)
			}
		})
	}
	if got := obs.calls.Load(); got != int64(observed) {
		t.Errorf("observer called %d times, want %d", got, observed)
	}
	if !strings.Contains(logs.String(), "observer bug") || !strings.Contains(logs.String(), "level=ERROR") {
		t.Errorf("log: got %q, want the panic logged at Error", logs.String())
	}
}

// panickingHandler is a slog.Handler that panics when it handles a record.
type panickingHandler struct{ slog.Handler }

func (panickingHandler) Enabled(context.Context, slog.Level) bool  { return true }
func (panickingHandler) Handle(context.Context, slog.Record) error { panic("handler bug") }

// TestX21LoggerPanicContained: the Logger's handler is the caller's code
// too; its panic does not escape Verify either.
func TestX21LoggerPanicContained(t *testing.T) {
	loadKeys()
	v := newVerifier(t, verifier.Config{Logger: slog.New(panickingHandler{})})
	defer func() {
		if p := recover(); p != nil {
			t.Fatalf("Verify panicked: %v", p)
		}
	}()
	if _, err := v.Verify(context.Background(), rs(claims(map[string]any{"aud": "other"}))(t)); err == nil {
		t.Fatal("got nil error, want the token refused")
	}
}
