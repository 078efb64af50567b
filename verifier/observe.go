package verifier

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"github.com/tokengate/tokengate/internal/hook"
	"github.com/tokengate/tokengate/internal/jose"
)

// Observer receives one Event per Verify call, after the call: package
// metrics counts them, package otelauth (a nested module) turns them into
// spans. ctx is the context Verify was given, so a tracer finds the
// request's span in it. ObserveVerify must be fast and must not retain the
// Event. A panic in it is stopped and logged to Config.Logger at Error; it
// does not change the outcome of Verify.
//
// The cache hits that return claims are not events unless the Observer is
// also a HitObserver that wants them: the Verifier counts them (Stats) in
// one atomic add, and a hit then reads no clock.
type Observer interface {
	ObserveVerify(ctx context.Context, e Event)
}

// HitObserver is an Observer that may also want the cache hits that return
// claims (a tracer: one span per verification). When WantsCacheHits,
// checked once by New, is true, every hit is an Event, timed: two clock
// reads and a call per hit, which is several times the cost of the hit
// itself (about 45 ns without). Metrics do not need it (Stats counts hits).
type HitObserver interface {
	Observer
	WantsCacheHits() bool
}

// Event describes one verification. It never holds token data: not the
// token, the kid, nor any claim value.
type Event struct {
	// Err is nil on success, else the sentinel of the failure class
	// (ErrExpired, ErrKeysUnavailable, context.Canceled, ...; Reason(Err)
	// gives its label), never the *ValidationError Verify returned, whose
	// message may quote the kid or a claim value. An error of no class is
	// ErrOther.
	Err error
	// CacheHit reports that the verified-token cache answered: a per-call
	// option refused the token, or (for a HitObserver only) it returned
	// its claims.
	CacheHit bool
	// Algorithm is the header alg when it was a supported one, else "".
	Algorithm string
	// Start is when Verify began. It is zero on a cache hit unless the
	// Observer is a HitObserver that wants hits: a hit takes about 45 ns,
	// and the two clock reads timing it would cost more than the hit
	// itself (time.Now plus time.Since measured 90 ns on the project's
	// machines), so hits are reported but not timed.
	Start time.Time
	// Duration is the time Verify took; 0 when Start is zero.
	Duration time.Duration
	// Decrypted reports that the token was encrypted and its key
	// management ran (the private-key operation of Config.Decryption),
	// whatever the outcome; DecryptDuration is the time that and the
	// content's decryption took. A cache hit decrypts nothing.
	Decrypted       bool
	DecryptDuration time.Duration
}

// JoinObservers returns an Observer that hands every event to each of obs
// in order (nil ones are skipped), each call guarded so that one
// observer's panic does not keep the others from their event: metrics and
// tracing at once. A cache hit that returned claims goes only to the
// members that are HitObservers wanting hits. It returns nil when obs
// holds no observer, and the observer itself when it holds one.
func JoinObservers(obs ...Observer) Observer {
	return hook.Join(obs, func(all []Observer) Observer {
		j := &joined{all: all}
		for _, o := range all {
			if h, ok := o.(HitObserver); ok && h.WantsCacheHits() {
				j.hits = append(j.hits, o)
			}
		}
		return j
	})
}

type joined struct{ all, hits []Observer }

func (j *joined) ObserveVerify(ctx context.Context, e Event) {
	to := j.all
	if e.CacheHit && e.Err == nil {
		to = j.hits
	}
	hook.Each(to, func(o Observer) { o.ObserveVerify(ctx, e) })
}

func (j *joined) WantsCacheHits() bool { return len(j.hits) > 0 }

// ErrOther is Event.Err for an error of none of the classes Reason names
// (the label "other").
var ErrOther = errors.New("verifier: other error")

// sentinel returns the class of err as Reason sees it: its sentinel, so
// that an observer never gets a message that quotes token data.
func sentinel(err error) error {
	if err == nil {
		return nil
	}
	if ve, ok := err.(*ValidationError); ok {
		for _, r := range reasons {
			if ve.Err == r.err {
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

// wantsHits reports whether o asks for the cache hits that return claims.
func wantsHits(o Observer) bool {
	h, ok := o.(HitObserver)
	return ok && h.WantsCacheHits()
}

// observe hands e to the Observer. A panic in it is stopped and logged at
// Error: a bug in a metrics hook must not take down the request, nor change
// the outcome of Verify.
func (v *Verifier) observe(ctx context.Context, e Event) {
	defer hook.Recover(v.log, "verifier observer")
	e.Err = sentinel(e.Err)
	v.obs.ObserveVerify(ctx, e)
}

// logFailure logs a refused token at Debug: the reason, the claim at fault,
// the error message (which never holds the token), the algorithm and the kid
// quoted and cut. Refusals are routine (expired tokens), hence Debug;
// successes are not logged.
func (v *Verifier) logFailure(ctx context.Context, err error, alg jose.Alg, kid []byte, hit bool) {
	// The handler is the caller's code too; its panic is dropped (logging
	// it would go to the same handler).
	defer hook.Recover(nil, "verifier logger")
	if !v.log.Enabled(ctx, slog.LevelDebug) {
		return
	}
	attrs := make([]slog.Attr, 0, 6)
	attrs = append(attrs, slog.String("reason", Reason(err)))
	var ve *ValidationError
	if errors.As(err, &ve) && ve.Claim != "" {
		attrs = append(attrs, slog.String("claim", ve.Claim))
	}
	if a := alg.String(); a != "" {
		attrs = append(attrs, slog.String("alg", a))
	}
	if kid != nil {
		attrs = append(attrs, slog.String("kid", quoteID(kid)))
	}
	attrs = append(attrs, slog.Bool("cache_hit", hit), slog.String("error", err.Error()))
	v.log.LogAttrs(ctx, slog.LevelDebug, "verifier: token refused", attrs...)
}
