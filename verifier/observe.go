package verifier

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"github.com/tokengate/tokengate/internal/hook"
	"github.com/tokengate/tokengate/internal/jose"
)

// Observer receives one Event per Verify call.
type Observer interface {
	ObserveVerify(Event)
}

// Event describes one verification. It never holds token data.
type Event struct {
	// Err is nil on success; Reason(Err) gives a bounded label.
	Err error
	// CacheHit reports that the verified-token cache answered and a
	// per-call option refused the token. (Hits that return claims are not
	// events: Stats counts them.)
	CacheHit bool
	// Algorithm is the header alg when it was a supported one, else "".
	Algorithm string
	// Duration is the time Verify took when the cache did not answer; it
	// is 0 on a cache hit. A hit takes about 45 ns, and the two clock
	// reads timing it would cost more than the hit itself (time.Now plus
	// time.Since measured 90 ns on the project's machines), so hits are
	// reported but not timed.
	Duration time.Duration
}

// observe hands e to the Observer. A panic in it is stopped and logged at
// Error: a bug in a metrics hook must not take down the request, nor change
// the outcome of Verify.
func (v *Verifier) observe(e Event) {
	defer hook.Recover(v.log, "verifier observer")
	v.obs.ObserveVerify(e)
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
