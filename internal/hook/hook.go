// Package hook runs code that tokengate does not own (observers, loggers,
// membership checkers, lookups) so that its panic cannot take down a request
// or the process.
//
// Two forms: Recover, deferred directly around an observer call whose
// result nobody needs, and Call, which turns a panic into an error for code
// whose result is needed (and for functions run by singleflight, whose
// DoChan re-raises a panic on a goroutine nobody can recover).
package hook

import (
	"errors"
	"fmt"
	"log/slog"
)

// ErrPanic is wrapped by the error Call returns when its function panicked.
var ErrPanic = errors.New("tokengate: hook panicked")

// maxPanicText bounds how much of a panic value is logged or put in an
// error.
const maxPanicText = 200

// Recover stops a panic in the deferring function and logs it at error
// level under name. It must be deferred directly:
//
//	defer hook.Recover(logger, "verifier observer")
//	obs.ObserveVerify(ev)
//
// A nil logger discards the message, and a logger that panics itself is
// stopped too (the panic is then not reported anywhere).
func Recover(l *slog.Logger, name string) {
	if p := recover(); p != nil && l != nil {
		report(l, name, p)
	}
}

func report(l *slog.Logger, name string, p any) {
	defer func() { _ = recover() }()
	l.Error("tokengate: a hook panicked; the panic was stopped", "hook", name, "panic", text(p))
}

// Call runs f and returns its results; a panic in f becomes an error that
// wraps ErrPanic (its text bounded), and v is then the zero value.
func Call[T any](f func() (T, error)) (v T, err error) {
	defer func() {
		if p := recover(); p != nil {
			var zero T
			v, err = zero, fmt.Errorf("%w: %s", ErrPanic, text(p))
		}
	}()
	return f()
}

func text(p any) string {
	s := fmt.Sprint(p)
	if len(s) > maxPanicText {
		s = s[:maxPanicText] + "…"
	}
	return s
}

// Join is the body of the packages' JoinObservers: it keeps the non-nil
// members of obs, in order, and returns the zero T (nil) for none, the
// member itself for one, and many(members) for more.
func Join[T comparable](obs []T, many func([]T) T) T {
	var zero T
	var kept []T
	for _, o := range obs {
		if o != zero {
			kept = append(kept, o)
		}
	}
	switch len(kept) {
	case 0:
		return zero
	case 1:
		return kept[0]
	}
	return many(kept)
}

// Each calls f with every element of hooks, in order, each call guarded: a
// panic in one does not keep the ones after it from running. The first
// panic is raised again once all have run, so that the Recover around the
// whole call (the caller's) logs it. It is the loop of the fan-out
// observers (verifier.JoinObservers and its siblings).
func Each[T any](hooks []T, f func(T)) {
	var first any
	for _, h := range hooks {
		func() {
			defer func() {
				if p := recover(); p != nil && first == nil {
					first = p
				}
			}()
			f(h)
		}()
	}
	if first != nil {
		panic(first)
	}
}
