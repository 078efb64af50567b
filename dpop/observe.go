package dpop

import (
	"context"
	"errors"
	"time"

	"github.com/tokengate/tokengate/internal/hook"
)

// Observer receives one Event per Verify or VerifyRequest call, after it,
// with the call's context (where a tracer finds the request's span).
// Package metrics implements it. It must be fast and must not retain the
// Event; a panic in it is stopped.
type Observer interface {
	ObserveProof(ctx context.Context, e Event)
}

// Event describes one proof check. It never holds proof or token data.
type Event struct {
	// Err is nil when the proof passed, else the sentinel of the failure
	// class (ErrReplay, ErrHTU, ...; Reason(Err) gives its label), never
	// the error Verify returned, whose message may quote the proof's
	// claims. An error of no class is ErrOther.
	Err error
	// Algorithm is the proof's alg when it was a supported one, else "".
	Algorithm string
	// Start is when the check began and Duration how long it took.
	Start    time.Time
	Duration time.Duration
}

// ErrOther is Event.Err for an error of none of the classes Reason names.
var ErrOther = errors.New("dpop: other error")

// JoinObservers returns an Observer that hands every event to each of obs
// in order (nil ones skipped), each call guarded so that one observer's
// panic does not keep the others from their event. It returns nil when obs
// holds no observer, and the observer itself when it holds one.
func JoinObservers(obs ...Observer) Observer {
	return hook.Join(obs, func(all []Observer) Observer { return joined(all) })
}

type joined []Observer

func (j joined) ObserveProof(ctx context.Context, e Event) {
	hook.Each(j, func(o Observer) { o.ObserveProof(ctx, e) })
}

// observe hands e to the Observer; a panic in it is stopped, so that a bug
// in a metrics hook cannot change the outcome or take the request down.
func (v *Verifier) observe(ctx context.Context, e Event, start time.Time) {
	defer hook.Recover(nil, "dpop observer")
	e.Err = sentinel(e.Err)
	e.Start, e.Duration = start, time.Since(start)
	v.obs.ObserveProof(ctx, e)
}

// sentinel returns the class of err as Reason sees it.
func sentinel(err error) error {
	if err == nil {
		return nil
	}
	if e, ok := err.(*Error); ok {
		for _, r := range reasons {
			if e.Err == r.err {
				return r.err
			}
		}
	}
	for _, r := range reasons {
		if errors.Is(err, r.err) {
			return r.err
		}
	}
	return ErrOther
}

// start is the time a check began, read only for an Observer.
func (v *Verifier) start() time.Time {
	if v.obs == nil {
		return time.Time{}
	}
	return time.Now()
}
