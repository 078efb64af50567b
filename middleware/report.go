package middleware

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"github.com/tokengate/tokengate/internal/hook"
	"github.com/tokengate/tokengate/internal/routecheck"
)

// report tells the Observer and the Logger about a request. cause is the
// error behind a refusal by Authenticate itself, or nil. Both are code of
// the application: a panic in either is stopped here, so that the request
// keeps its answer (and the connection its other requests).
func (a *authenticator) report(r *http.Request, ev Event, cause error) {
	if a.cfg.observer != nil {
		ev.Duration = time.Since(ev.Start)
		a.observe(r.Context(), ev)
	}
	if a.cfg.logger != nil {
		a.log(r, ev, cause)
	}
}

func (a *authenticator) observe(ctx context.Context, ev Event) {
	defer hook.Recover(a.cfg.logger, "middleware observer")
	a.cfg.observer.ObserveRequest(ctx, ev)
}

// log writes one line for a refused request (see WithLogger), at the level
// routecheck.Level gives its outcome and status, as package orgs does.
func (a *authenticator) log(r *http.Request, ev Event, cause error) {
	if ev.Status == 0 || ev.Outcome == OutcomePreflight {
		return // let through, or a preflight answered
	}
	var extra [2]slog.Attr
	n := 0
	if ev.Reason != "" {
		extra[n], n = slog.String("reason", ev.Reason), n+1
	}
	// Verify's messages and this package's extraction errors never hold the
	// token; a custom TokenExtractor's error might, so it is left out.
	if cause != nil && (ev.Reason != "" || a.cfg.extractor == nil) {
		extra[n], n = slog.String("error", cause.Error()), n+1
	}
	routecheck.Log(r.Context(), a.cfg.logger, "middleware: request refused", r.Method, ev.Route, ev.Outcome, ev.Status, extra[:n]...)
}
