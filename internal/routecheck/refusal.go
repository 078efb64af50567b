package routecheck

import (
	"context"
	"errors"
	"log/slog"
	"net/http"

	"github.com/tokengate/tokengate/internal/hook"
)

// statusClientClosedRequest is middleware.StatusClientClosedRequest.
const statusClientClosedRequest = 499

// ClientGone reports whether the request's context was canceled: the client
// went away and nobody reads the answer (499, no body). A context whose
// deadline passed is not: that is the server giving up on a check that did
// not answer in time (a server-side timeout), an outage answered 503 with
// Retry-After (X13).
func ClientGone(ctx context.Context) bool {
	return errors.Is(ctx.Err(), context.Canceled)
}

// Level is the level at which a refusal is logged, by its outcome and
// status: Warn for a 503 (keys or an organization check unavailable: an
// outage); Debug for a request without usable credentials (a 401 other
// than invalid_token: no token, malformed credentials, a route check
// without claims) and for a client that went away: routine; Info for a
// token refused (invalid, missing scope, another organization, a cookie on
// a cross-site request).
func Level(outcome string, status int) slog.Level {
	switch {
	case status == http.StatusServiceUnavailable:
		return slog.LevelWarn
	case status == statusClientClosedRequest,
		status == http.StatusUnauthorized && outcome != "invalid_token":
		return slog.LevelDebug
	}
	return slog.LevelInfo
}

// Log writes the one line of a refused request to l at Level: msg, then
// the method, route pattern, outcome and status, then attrs. Callers pass
// bounded labels and errors that hold no token. A logger that panics is
// stopped: it cannot log its own panic.
func Log(ctx context.Context, l *slog.Logger, msg, method, route, outcome string, status int, attrs ...slog.Attr) {
	defer hook.Recover(nil, "")
	level := Level(outcome, status)
	if !l.Enabled(ctx, level) {
		return
	}
	all := make([]slog.Attr, 0, 4+len(attrs))
	all = append(all, slog.String("method", method), slog.String("route", route),
		slog.String("outcome", outcome), slog.Int("status", status))
	l.LogAttrs(ctx, level, msg, append(all, attrs...)...)
}
