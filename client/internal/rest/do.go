package rest

import (
	"context"
	"fmt"
	"net/http"
	"net/url"

	"github.com/tokengate/tokengate/internal/httpx"
)

// Request is one API call for Client.Do.
type Request struct {
	Method string // default GET
	// Path is appended to the base URL; it must start with "/" and its
	// variable segments must be escaped (url.PathEscape). Dot segments are
	// refused.
	Path string
	// Route is the path template the hooks see in place of Path
	// ("/api/v2/users/{id}"): a bounded label without the path's values.
	// Default Path, for paths that have no values.
	Route string
	Query url.Values
	// JSON is marshalled as the body (Content-Type application/json), or
	Form url.Values // is sent as application/x-www-form-urlencoded, or
	JSON any
	// Body is sent as it is, with the Content-Type set in Header (a
	// multipart upload, for example). Debug events do not show it: it is
	// not parsed for secrets.
	Body []byte
	// Header holds extra headers (Authorization, auth0-forwarded-for,
	// Auth0-Custom-Domain, ...); they replace the Client's defaults.
	Header http.Header
	// Idempotent overrides the method's idempotency (GET, HEAD, PUT, DELETE
	// and OPTIONS are idempotent); only idempotent requests are retried
	// after a 5xx answer or a network error.
	Idempotent *bool
	// Class is the endpoint class of the request's rate budget
	// (client.BudgetKey.Class): the Management API's resource, "" for
	// none.
	Class string
	// Rebuild, when set, is called before each retry and the request it
	// returns is sent instead (same method and path). It serves bodies that
	// must change per attempt, such as a single-use client assertion.
	Rebuild func() (*Request, error)
}

// Response is the status and header of the last answer received.
type Response struct {
	StatusCode int
	Header     http.Header
}

// Do sends r and decodes a 2xx body into out: JSON into a pointer, the raw
// bytes into a *[]byte, the text into a *string; nil discards it. An empty
// 2xx body leaves out unchanged.
//
// One request is: build it once (prepare), then per attempt send it and
// read the answer through the size cap (send), classify a non-2xx answer
// (classify: the error, and why it may be retried), report the attempt to
// the hooks (report), and wait before the next one (nextWait, sleep). What
// is retried and how long each wait is: see client.Config and retry.go.
//
// Errors: *client.Error for a non-2xx answer, *client.RateLimitError for a
// 429, otherwise a wrapped transport, context or decoding error. The
// returned *Response is non-nil whenever an answer was received. No error
// string contains a secret of the request.
func (c *Client) Do(ctx context.Context, r *Request, out any) (*Response, error) {
	if ctx == nil {
		return nil, errNilContext
	}
	p, err := c.prepare(r)
	if err != nil {
		return nil, err
	}
	var resp *Response
	var before waited // the wait before this attempt, for the RequestHook
	for attempt := 1; ; attempt++ {
		if attempt > 1 && r.Rebuild != nil {
			if p, err = c.rebuild(r, p); err != nil {
				return resp, err
			}
		}
		if c.s.budget != nil {
			if err := c.waitBudget(ctx, p, c.budgetKey(r)); err != nil {
				return resp, err
			}
		}
		actx, extra := c.startAttempt(ctx, p, attempt, before)
		res := c.send(ctx, actx, p, extra)
		if c.s.budget != nil {
			c.learnBudget(ctx, c.budgetKey(r), res)
		}
		if res.status != 0 {
			resp = &Response{StatusCode: res.status, Header: res.header}
		}
		reason, err := c.classify(p, res)
		c.report(ctx, actx, p, res, attempt, err)
		if err == nil {
			if err := decode(res.body, out); err != nil {
				return resp, fmt.Errorf("auth0: %s %s: decoding the response: %w", p.method, p.path, err)
			}
			return resp, nil
		}
		if reason == "" {
			return resp, err // not worth retrying
		}
		wait, ok := c.nextWait(ctx, reason, res.header, attempt)
		if !ok {
			c.giveUp(ctx, p, attempt, err)
			return resp, err
		}
		c.reportRetry(ctx, p, res, attempt, reason, wait)
		before = waited{reason, wait}
		if serr := httpx.Sleep(ctx, wait); serr != nil {
			err = fmt.Errorf("auth0: %s %s: %w while waiting to retry; last attempt: %w", p.method, p.path, serr, err)
			c.giveUp(ctx, p, attempt, err)
			return resp, err
		}
	}
}
