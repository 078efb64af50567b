package middleware

import (
	"log/slog"
	"net/http"

	"github.com/tokengate/tokengate/internal/hook"
)

// report tells the Observer and the Logger about a request. cause is the
// error behind a refusal by Authenticate itself, or nil. Both are code of
// the application: a panic in either is stopped here, so that the request
// keeps its answer (and the connection its other requests).
func (a *authenticator) report(r *http.Request, ev Event, cause error) {
	if a.cfg.observer != nil {
		a.observe(ev)
	}
	if a.cfg.logger != nil {
		a.log(r, ev, cause)
	}
}

func (a *authenticator) observe(ev Event) {
	defer hook.Recover(a.cfg.logger, "middleware observer")
	a.cfg.observer.ObserveRequest(ev)
}

// log writes one line for a refused request (see WithLogger).
func (a *authenticator) log(r *http.Request, ev Event, cause error) {
	defer hook.Recover(nil, "") // a logger that panics cannot log it
	level, refused := refusalLevel(ev)
	ctx := r.Context()
	if !refused || !a.cfg.logger.Enabled(ctx, level) {
		return
	}
	attrs := make([]slog.Attr, 0, 6)
	attrs = append(attrs, slog.String("method", r.Method), slog.String("route", ev.Route),
		slog.String("outcome", ev.Outcome), slog.Int("status", ev.Status))
	if ev.Reason != "" {
		attrs = append(attrs, slog.String("reason", ev.Reason))
	}
	// Verify's messages and this package's extraction errors never hold the
	// token; a custom TokenExtractor's error might, so it is left out.
	if cause != nil && (ev.Reason != "" || a.cfg.extractor == nil) {
		attrs = append(attrs, slog.String("error", cause.Error()))
	}
	a.cfg.logger.LogAttrs(ctx, level, "middleware: request refused", attrs...)
}

// refusalLevel picks the level of a request's log line; refused is false
// for requests let through.
func refusalLevel(ev Event) (level slog.Level, refused bool) {
	switch {
	case ev.Status == 0, ev.Outcome == OutcomePreflight:
		return 0, false
	case ev.Status == http.StatusServiceUnavailable:
		return slog.LevelWarn, true // keys or an organization check unavailable: an outage
	}
	switch ev.Outcome {
	case OutcomeMissingToken, OutcomeInvalidRequest, OutcomeUnauthenticated, OutcomeCanceled:
		return slog.LevelDebug, true // no usable credentials: routine
	}
	return slog.LevelInfo, true // a token refused: invalid, missing scope, other organization
}
