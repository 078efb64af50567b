package rest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"time"

	"github.com/tokengate/tokengate/client"
	"github.com/tokengate/tokengate/internal/httpx"
)

// result is what one attempt produced.
type result struct {
	start     time.Time
	status    int
	header    http.Header
	body      []byte
	err       error
	retriable bool // for err: a network failure worth retrying
	duration  time.Duration
}

// send makes one attempt, bounded by the per-attempt timeout, and reads
// the answer through its size cap (httpx.ReadBody): a success body over
// the cap is an error, never a truncated result; an error body is kept cut
// at maxErrorBody.
//
// vctx is the context of the attempt that a RequestHook returned (ctx when
// there is none): the request carries its values, and ctx's deadline and
// cancellation. extra holds the hook's headers, added where the request
// has none of that name.
func (c *Client) send(ctx, vctx context.Context, p *prepared, extra http.Header) (res result) {
	rctx := ctx
	if vctx != ctx {
		rctx = valuesOf{ctx, vctx}
	}
	actx, cancel := context.WithTimeout(rctx, c.s.timeout)
	defer cancel()
	start := time.Now()
	res.start = start
	defer func() { res.duration = time.Since(start) }()
	var body io.Reader
	if p.body != nil {
		body = bytes.NewReader(p.body)
	}
	req, err := http.NewRequestWithContext(actx, p.method, p.url, body)
	if err != nil {
		res.err = fmt.Errorf("auth0: %s %s: %w", p.method, p.redactedURL, unwrapURLError(err))
		return res
	}
	req.Header = p.header.Clone()
	addHeaders(req.Header, extra)
	hr, err := c.hc.Do(req)
	if err != nil {
		res.retriable, res.err = c.transportError(ctx, p, err)
		return res
	}
	defer hr.Body.Close()
	res.status, res.header = hr.StatusCode, hr.Header
	limit := c.s.maxResponse
	ok := hr.StatusCode >= 200 && hr.StatusCode < 300
	if !ok {
		limit = min(limit, maxErrorBody)
	} else if hr.ContentLength > limit {
		res.err = fmt.Errorf("auth0: %s %s: %w (Content-Length %d > %d)", p.method, p.path, client.ErrResponseTooLarge, hr.ContentLength, limit)
		return res
	}
	b, err := httpx.ReadBody(hr.Body, limit)
	switch {
	case errors.Is(err, httpx.ErrBodyTooLarge) && ok:
		res.err = fmt.Errorf("auth0: %s %s: %w (more than %d bytes)", p.method, p.path, client.ErrResponseTooLarge, limit)
		return res
	case errors.Is(err, httpx.ErrBodyTooLarge):
		// An error body is kept, cut at its cap.
	case err != nil:
		res.retriable, res.err = c.transportError(ctx, p, err)
		return res
	}
	res.body = b
	return res
}

// transportError wraps a failure to get or read an answer, without the
// request URL's secret query values; it is retriable unless the caller's
// context ended.
func (c *Client) transportError(ctx context.Context, p *prepared, err error) (retriable bool, wrapped error) {
	err = unwrapURLError(err)
	if ctx.Err() != nil {
		return false, fmt.Errorf("auth0: %s %s: %w", p.method, p.redactedURL, err)
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return true, fmt.Errorf("auth0: %s %s: attempt timed out after %v: %w", p.method, p.redactedURL, c.s.timeout, err)
	}
	return true, fmt.Errorf("auth0: %s %s: %w", p.method, p.redactedURL, err)
}

// unwrapURLError drops *url.Error, whose message repeats the full URL.
func unwrapURLError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

// decode stores a 2xx body into out.
func decode(body []byte, out any) error {
	switch o := out.(type) {
	case nil:
		return nil
	case *[]byte:
		*o = body
		return nil
	case *string:
		*o = string(body)
		return nil
	}
	if len(bytes.TrimSpace(body)) == 0 {
		return nil
	}
	return json.Unmarshal(body, out)
}
