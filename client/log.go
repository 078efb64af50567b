package client

import (
	"context"
	"log/slog"
	"time"

	"github.com/tokengate/tokengate/internal/hook"
)

// The log lines of WithLogger. They carry the redacted URL (RedactURL) and
// never a header or a body; error strings of this package never hold a
// request secret (see Do).

func (c *Client) logAttempt(ctx context.Context, p *prepared, res result, attempt int, err error) {
	if c.o.logger == nil || !c.o.logger.Enabled(ctx, slog.LevelDebug) {
		return
	}
	attrs := c.logAttrs(p, 8)
	attrs = append(attrs, slog.Int("attempt", attempt), slog.Int("status", res.status), slog.Duration("duration", res.duration))
	if err != nil {
		attrs = append(attrs, slog.String("error", err.Error()))
	}
	c.o.logger.LogAttrs(ctx, slog.LevelDebug, "auth0: request", attrs...)
}

func (c *Client) logRetry(ctx context.Context, p *prepared, attempt int, reason string, wait time.Duration, res result) {
	if c.o.logger == nil || !c.o.logger.Enabled(ctx, slog.LevelInfo) {
		return
	}
	attrs := c.logAttrs(p, 8)
	attrs = append(attrs, slog.Int("attempt", attempt), slog.Int("status", res.status), slog.String("reason", reason),
		slog.Duration("wait", wait))
	if n := headerInt(res.header, "X-RateLimit-Remaining"); n >= 0 {
		attrs = append(attrs, slog.Int("rate_limit_remaining", n))
	}
	c.o.logger.LogAttrs(ctx, slog.LevelInfo, "auth0: retrying", attrs...)
}

func (c *Client) logGiveUp(ctx context.Context, p *prepared, attempts int, err error) {
	if c.o.logger == nil || !c.o.logger.Enabled(ctx, slog.LevelWarn) {
		return
	}
	attrs := c.logAttrs(p, 6)
	attrs = append(attrs, slog.Int("attempts", attempts), slog.String("error", err.Error()))
	c.o.logger.LogAttrs(ctx, slog.LevelWarn, "auth0: request failed, giving up", attrs...)
}

func (c *Client) logAttrs(p *prepared, n int) []slog.Attr {
	attrs := make([]slog.Attr, 0, n)
	if c.o.apiName != "" {
		attrs = append(attrs, slog.String("api", c.o.apiName))
	}
	return append(attrs, slog.String("method", p.method), slog.String("url", p.redactedURL))
}

// safeHandler runs the caller's slog.Handler so that its panic cannot take
// down a request: every logger call of the Client goes through it (New
// wraps the WithLogger logger once), and so do the messages hook.Recover
// writes about a panicking observer. A panicking handler loses its line.
type safeHandler struct{ h slog.Handler }

func (s safeHandler) Enabled(ctx context.Context, l slog.Level) (ok bool) {
	defer hook.Recover(nil, "client logger")
	return s.h.Enabled(ctx, l)
}

func (s safeHandler) Handle(ctx context.Context, r slog.Record) (err error) {
	defer hook.Recover(nil, "client logger")
	return s.h.Handle(ctx, r)
}

func (s safeHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	return safeHandler{s.h.WithAttrs(attrs)}
}

func (s safeHandler) WithGroup(name string) slog.Handler {
	return safeHandler{s.h.WithGroup(name)}
}
