package grpcauth

import (
	"context"
	"sync/atomic"

	"google.golang.org/grpc"
)

// wrappedStream is the stream the handler of an authenticated call gets:
// its context carries the claims, and with an Organization rule that reads
// the request message, the first message received is checked before the
// handler sees it.
type wrappedStream struct {
	grpc.ServerStream
	ctx context.Context
	c   *call
	// pending: the message's organization has not been checked yet. Set
	// before the handler runs, cleared by the RecvMsg that checked it.
	pending atomic.Bool
	// refusal is set by a RecvMsg whose check refused the call; SendMsg
	// (which may run on another goroutine) and the interceptor read it.
	refusal atomic.Pointer[refused]
}

func (w *wrappedStream) Context() context.Context { return w.ctx }

// RecvMsg receives the next message; the first one of a pending check is
// checked, and a refused call receives nothing more.
func (w *wrappedStream) RecvMsg(m any) error {
	if rf := w.refusal.Load(); rf != nil {
		return rf.err()
	}
	if err := w.ServerStream.RecvMsg(m); err != nil {
		return err
	}
	if !w.pending.Load() {
		return nil
	}
	org, ok := orgFromMessage(w.c.rule.org, m)
	if rf := w.c.checkOrganization(w.ctx, org, ok); rf != nil {
		w.c.sendMetadata(rf)
		w.refusal.Store(rf)
		return rf.err()
	}
	w.pending.Store(false)
	return nil
}

// SendMsg sends m unless the call was refused or its organization is not
// checked yet.
func (w *wrappedStream) SendMsg(m any) error {
	if rf := w.refusal.Load(); rf != nil {
		return rf.err()
	}
	if w.pending.Load() {
		return w.c.ic.answers.notChecked.err()
	}
	return w.ServerStream.SendMsg(m)
}
