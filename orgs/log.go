package orgs

import (
	"log/slog"
	"net/http"

	"github.com/tokengate/tokengate/internal/hook"
	"github.com/tokengate/tokengate/middleware"
)

// log writes one line for a refusal (see WithLogger).
func (c *config) log(r *http.Request, e *middleware.Error, hit bool) {
	defer hook.Recover(nil, "") // a logger that panics cannot log it
	level := slog.LevelInfo
	switch {
	case e.Status == http.StatusServiceUnavailable:
		level = slog.LevelWarn // the lookup or the membership check failed
	case e.Outcome == OutcomeUnauthenticated || e.Outcome == OutcomeCanceled:
		level = slog.LevelDebug
	}
	ctx := r.Context()
	if !c.logger.Enabled(ctx, level) {
		return
	}
	attrs := make([]slog.Attr, 0, 6)
	attrs = append(attrs, slog.String("method", r.Method), slog.String("route", middleware.RoutePattern(r)),
		slog.String("outcome", e.Outcome), slog.Int("status", e.Status), slog.Bool("cache_hit", hit))
	// The causes are the verifier's organization mismatch (organizations
	// quoted and cut), or the error of WithLookup or of the
	// MembershipChecker; none holds the token.
	if e.Err != nil {
		attrs = append(attrs, slog.String("error", e.Err.Error()))
	}
	c.logger.LogAttrs(ctx, level, "orgs: request refused", attrs...)
}
