package dpop_test

import (
	"context"
	"testing"

	"github.com/tokengate/tokengate/dpop"
)

// TestJoinObserversDPoP: a joined observer gives every member the event,
// even after one panicked (the panic is raised again once all ran, for the
// verifier's guard).
func TestJoinObserversDPoP(t *testing.T) {
	if dpop.JoinObservers(nil) != nil {
		t.Error("JoinObservers(nil): got an observer, want nil")
	}
	var n int
	rec := observerFunc(func(e dpop.Event) { n++ })
	boom := observerFunc(func(dpop.Event) { panic("observer bug") })
	if got := dpop.JoinObservers(nil, rec); got == nil {
		t.Fatal("JoinObservers of one: got nil")
	}
	func() {
		defer func() { _ = recover() }()
		dpop.JoinObservers(boom, rec).ObserveProof(context.Background(), dpop.Event{Err: dpop.ErrReplay})
	}()
	if n != 1 {
		t.Errorf("got %d events after a panicking member, want 1", n)
	}
}
