package rest

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/tokengate/tokengate/client"
	"github.com/tokengate/tokengate/internal/hook"
)

// The hooks of client.Config: Observer, Logger and Debug, called
// synchronously on the caller's goroutine. A hook that panics is stopped
// and logged (hook.Recover): it cannot take down the request, nor the
// process when the request runs under singleflight. Log lines carry the
// redacted URL and never a header or a body; error strings of this package
// never hold a request secret (see classify).

// report tells the hooks about one attempt; err is nil for a 2xx answer.
// actx is the attempt's context (startAttempt), which the Observer gets.
func (c *Client) report(ctx, actx context.Context, p *prepared, res result, attempt int, err error) {
	c.observe(actx, p, res, attempt, err)
	c.logAttempt(ctx, p, res, attempt, err)
	c.debug(p, res, attempt, err)
}

// waited is the wait before an attempt, and why.
type waited struct {
	reason string
	wait   time.Duration
}

// startAttempt runs the RequestHook before an attempt: it returns the
// attempt's context (ctx without a hook, or when the hook panicked or gave
// none) and the headers the hook added (nil without).
func (c *Client) startAttempt(ctx context.Context, p *prepared, attempt int, before waited) (context.Context, http.Header) {
	if c.s.requestHook == nil {
		return ctx, nil
	}
	out := &client.OutgoingRequest{
		API: c.api, Method: p.method, Route: p.route, Host: c.base.Host, Attempt: attempt,
		RetryReason: before.reason, Wait: before.wait, Header: http.Header{},
	}
	actx, err := hook.Call(func() (context.Context, error) { return c.s.requestHook.StartRequest(ctx, out), nil })
	if err != nil {
		if c.s.logger != nil {
			c.s.logger.LogAttrs(ctx, slog.LevelError, "tokengate: a hook panicked; the panic was stopped",
				slog.String("hook", "client request hook"), slog.String("panic", err.Error()))
		}
		return ctx, nil
	}
	if actx == nil {
		actx = ctx
	}
	return actx, out.Header
}

// addHeaders copies the hook's headers into h where h has none of that
// name: a hook can add trace context, never replace the request's
// credentials, content type or telemetry. Invalid names and values are
// dropped (the transport would refuse the whole request).
func addHeaders(h, extra http.Header) {
	for k, vs := range extra {
		ck := http.CanonicalHeaderKey(k)
		if _, taken := h[ck]; taken || !isHeaderToken(ck) || len(vs) == 0 {
			continue
		}
		ok := true
		for _, v := range vs {
			ok = ok && validHeaderValue(v)
		}
		if ok {
			h[ck] = append([]string(nil), vs...)
		}
	}
}

// isHeaderToken reports whether name is an RFC 9110 token.
func isHeaderToken(name string) bool {
	if name == "" {
		return false
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		if c <= ' ' || c >= 0x7f || strings.IndexByte(`"(),/:;<=>?@[\]{}`, c) >= 0 {
			return false
		}
	}
	return true
}

// valuesOf is the context of an attempt sent with a RequestHook: the
// values of the hook's context (its span), the deadline and cancellation
// of the caller's, so that a hook cannot detach the request from them.
type valuesOf struct {
	context.Context // the caller's
	values          context.Context
}

func (v valuesOf) Value(key any) any { return v.values.Value(key) }

// reportRetry tells the observer and the logger about a wait before a
// retry.
func (c *Client) reportRetry(ctx context.Context, p *prepared, res result, attempt int, reason string, wait time.Duration) {
	remaining := headerInt(res.header, "X-RateLimit-Remaining")
	if c.s.observer != nil {
		func() {
			defer hook.Recover(c.s.logger, "client observer")
			c.s.observer.ObserveRetry(ctx, client.RetryEvent{
				API: c.api, Method: p.method, Route: p.route, Attempt: attempt, Reason: reason, Wait: wait,
				RateLimitRemaining: remaining,
			})
		}()
	}
	if c.s.logger == nil || !c.s.logger.Enabled(ctx, slog.LevelInfo) {
		return
	}
	attrs := c.logAttrs(p, 8)
	attrs = append(attrs, slog.Int("attempt", attempt), slog.Int("status", res.status), slog.String("reason", reason),
		slog.Duration("wait", wait))
	if remaining >= 0 {
		attrs = append(attrs, slog.Int("rate_limit_remaining", remaining))
	}
	c.s.logger.LogAttrs(ctx, slog.LevelInfo, "auth0: retrying", attrs...)
}

// giveUp logs a request that failed while it was still worth retrying
// (attempts used up, or the caller's deadline or cancellation).
func (c *Client) giveUp(ctx context.Context, p *prepared, attempts int, err error) {
	if c.s.logger == nil || !c.s.logger.Enabled(ctx, slog.LevelWarn) {
		return
	}
	attrs := c.logAttrs(p, 6)
	attrs = append(attrs, slog.Int("attempts", attempts), slog.String("error", err.Error()))
	c.s.logger.LogAttrs(ctx, slog.LevelWarn, "auth0: request failed, giving up", attrs...)
}

func (c *Client) observe(ctx context.Context, p *prepared, res result, attempt int, err error) {
	if c.s.observer == nil {
		return
	}
	defer hook.Recover(c.s.logger, "client observer")
	c.s.observer.ObserveRequest(ctx, client.RequestEvent{
		API: c.api, Method: p.method, Route: p.route, Host: c.base.Host, StatusCode: res.status,
		Start: res.start, Duration: res.duration, Attempt: attempt, Err: err,
		RateLimitRemaining: headerInt(res.header, "X-RateLimit-Remaining"),
	})
}

func (c *Client) logAttempt(ctx context.Context, p *prepared, res result, attempt int, err error) {
	if c.s.logger == nil || !c.s.logger.Enabled(ctx, slog.LevelDebug) {
		return
	}
	attrs := c.logAttrs(p, 8)
	attrs = append(attrs, slog.Int("attempt", attempt), slog.Int("status", res.status), slog.Duration("duration", res.duration))
	if err != nil {
		attrs = append(attrs, slog.String("error", err.Error()))
	}
	c.s.logger.LogAttrs(ctx, slog.LevelDebug, "auth0: request", attrs...)
}

func (c *Client) logAttrs(p *prepared, n int) []slog.Attr {
	attrs := make([]slog.Attr, 0, n)
	if c.api != "" {
		attrs = append(attrs, slog.String("api", c.api))
	}
	return append(attrs, slog.String("method", p.method), slog.String("url", p.redactedURL))
}

// debug gives the debug hook a redacted account of the attempt: credential
// headers and secret members replaced, the request's secrets scrubbed from
// the answer, opaque bodies and the bodies of secret endpoints not shown.
func (c *Client) debug(p *prepared, res result, attempt int, err error) {
	if c.s.debug == nil {
		return
	}
	defer hook.Recover(c.s.logger, "client debug hook")
	sc := p.secrets()
	ev := client.DebugEvent{
		API:           c.api,
		Method:        p.method,
		URL:           p.redactedURL,
		Attempt:       attempt,
		StatusCode:    res.status,
		Duration:      res.duration,
		RequestHeader: redactHeader(p.header),
		RequestBody:   redactBody(p.contentType, p.body, sc),
		Err:           err,
	}
	switch {
	case p.opaqueBody:
		ev.RequestBody = fmt.Sprintf("[%d bytes not shown]", len(p.body))
	case p.secretBody && len(p.body) > 0:
		ev.RequestBody = client.Redacted
	}
	if res.header != nil {
		ev.ResponseHeader = redactHeader(res.header)
		ev.ResponseBody = redactBody(res.header.Get("Content-Type"), res.body, sc)
		if p.secretBody && len(res.body) > 0 {
			ev.ResponseBody = client.Redacted
		}
	}
	c.s.debug(ev)
}

// safeHandler runs the caller's slog.Handler so that its panic cannot take
// down a request: every logger call of the Client goes through it (resolve
// wraps Config.Logger once), and so do the messages hook.Recover writes
// about a panicking observer. A panicking handler loses its line.
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
