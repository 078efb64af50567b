package client

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/tokengate/tokengate/internal/hook"
	"github.com/tokengate/tokengate/internal/httpx"
)

// Client sends requests to one Auth0 API (one base URL). It is safe for
// concurrent use.
type Client struct {
	base      *url.URL
	baseStr   string
	hc        *http.Client
	o         options
	telemetry string
	userAgent string
}

// New returns a Client for the API at baseURL (see BaseURL for what is
// accepted; use BaseURL to turn a tenant domain into one).
func New(baseURL string, opts ...Option) (*Client, error) {
	base, err := parseBase(baseURL)
	if err != nil {
		return nil, err
	}
	o := defaultOptions()
	for _, opt := range opts {
		if opt != nil {
			opt(&o)
		}
	}
	if o.err != nil {
		return nil, o.err
	}
	if o.logger != nil {
		o.logger = slog.New(safeHandler{o.logger.Handler()})
	}
	transport := o.transport
	if transport == nil {
		// Our own pool, never http.DefaultClient; the per-attempt timeout
		// comes from the request context.
		transport = http.DefaultTransport
		if t, ok := transport.(*http.Transport); ok {
			transport = t.Clone()
		}
	}
	c := &Client{
		base:    base,
		baseStr: base.String(),
		hc: &http.Client{
			Transport: transport,
			// A redirect could carry a form body with a client secret to
			// another URL; Auth0 APIs do not redirect API calls.
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		},
		o: o,
	}
	if !o.noTelemetry {
		c.telemetry = telemetry()
		c.userAgent = userAgent()
	}
	if o.userAgent != "" {
		c.userAgent = o.userAgent
	}
	return c, nil
}

// BaseURL returns the base URL the Client sends to, without a trailing
// slash.
func (c *Client) BaseURL() string { return c.baseStr }

// Request is one API call for Client.Do.
type Request struct {
	Method string // default GET
	// Path is appended to the base URL; it must start with "/" and its
	// variable segments must be escaped (url.PathEscape). Dot segments are
	// refused.
	Path  string
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
// Retries (at most WithRetries times, default 3):
//   - 429 is always retried (the request was not processed): after
//     Retry-After (seconds or HTTP date), else until X-RateLimit-Reset (unix
//     seconds, plus up to 10% jitter), else after an exponential backoff
//     with jitter;
//   - 5xx answers (except 501) and network errors, including a timed-out
//     attempt, are retried only for idempotent requests, after Retry-After
//     or the backoff;
//   - header waits are clamped to [0, 24h] before any arithmetic, and every
//     wait is capped (WithBackoff) and ends when ctx ends; a wait that
//     would pass ctx's deadline is not started.
//
// Errors: *Error for a non-2xx answer, *RateLimitError for a 429,
// otherwise a wrapped transport, context or decoding error. The returned
// *Response is non-nil whenever an answer was received. No error string
// contains a secret of the request.
func (c *Client) Do(ctx context.Context, r *Request, out any) (*Response, error) {
	if ctx == nil {
		return nil, errNilContext
	}
	p, err := c.prepare(r)
	if err != nil {
		return nil, err
	}
	idempotent := p.idempotent
	var resp *Response
	for attempt := 1; ; attempt++ {
		if attempt > 1 && r.Rebuild != nil {
			nr, err := r.Rebuild()
			if err != nil {
				return resp, fmt.Errorf("auth0: rebuilding the request to retry: %w", err)
			}
			if p, err = c.prepare(nr); err != nil {
				return resp, err
			}
			p.idempotent = idempotent
		}
		res := c.send(ctx, p)
		if res.status != 0 {
			resp = &Response{StatusCode: res.status, Header: res.header}
		}
		if res.err == nil && res.status >= 200 && res.status < 300 {
			c.observe(p, res, attempt, nil)
			c.logAttempt(ctx, p, res, attempt, nil)
			c.debug(p, res, attempt, nil)
			if err := decode(res.body, out); err != nil {
				return resp, fmt.Errorf("auth0: %s %s: decoding the response: %w", p.method, p.path, err)
			}
			return resp, nil
		}
		reason, final := c.judge(p, res)
		c.observe(p, res, attempt, final)
		c.logAttempt(ctx, p, res, attempt, final)
		c.debug(p, res, attempt, final)
		if reason == "" {
			return resp, final
		}
		if attempt > c.o.retries || ctx.Err() != nil {
			c.logGiveUp(ctx, p, attempt, final)
			return resp, final
		}
		wait := c.retryWait(reason, res.header, c.o.now(), attempt)
		if d, ok := ctx.Deadline(); ok && time.Until(d) < wait {
			c.logGiveUp(ctx, p, attempt, final)
			return resp, final // the wait would outlive the caller
		}
		c.observeRetry(p, res, reason, wait)
		c.logRetry(ctx, p, attempt, reason, wait, res)
		if err := sleep(ctx, wait); err != nil {
			err = fmt.Errorf("auth0: %s %s: %w while waiting to retry; last attempt: %w", p.method, p.path, err, final)
			c.logGiveUp(ctx, p, attempt, err)
			return resp, err
		}
	}
}

// prepared is a Request validated and encoded once, re-sendable as is.
type prepared struct {
	method      string
	path        string // for error messages (no query)
	url         string
	redactedURL string
	body        []byte
	contentType string
	header      http.Header
	idempotent  bool
	scrubber    *scrubber // removes the request's secrets (secretForms)
	secretsDone bool
	opaqueBody  bool // Request.Body: never shown in debug events
	secretBody  bool // isSecretBody: request and answer bodies are all secret
}

func (c *Client) prepare(r *Request) (*prepared, error) {
	if r == nil {
		return nil, errors.New("auth0 client: nil request")
	}
	method := r.Method
	if method == "" {
		method = http.MethodGet
	}
	if !validMethod(method) {
		return nil, fmt.Errorf("auth0 client: invalid method %q", method)
	}
	if err := checkPath(r.Path); err != nil {
		return nil, err
	}
	u, err := url.Parse(c.baseStr + r.Path)
	if err != nil {
		return nil, fmt.Errorf("auth0 client: invalid path: %w", err)
	}
	if len(r.Query) > 0 {
		u.RawQuery = r.Query.Encode()
	}
	p := &prepared{
		method:      method,
		path:        r.Path,
		url:         u.String(),
		redactedURL: RedactURL(u),
		header:      make(http.Header, 4+len(r.Header)),
		secretBody:  isSecretBody(r.Path),
	}
	if (r.JSON != nil && r.Form != nil) || (r.JSON != nil || r.Form != nil) && r.Body != nil {
		return nil, errors.New("auth0 client: a request has one of JSON, Form or Body, not several")
	}
	switch {
	case r.JSON != nil:
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(r.JSON); err != nil {
			return nil, fmt.Errorf("auth0 client: encoding the JSON body: %w", err)
		}
		p.body = bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
		p.contentType = "application/json"
	case r.Form != nil:
		p.body = []byte(r.Form.Encode())
		p.contentType = "application/x-www-form-urlencoded"
	case r.Body != nil:
		if r.Header.Get("Content-Type") == "" {
			return nil, errors.New("auth0 client: a Body needs a Content-Type header")
		}
		p.body = r.Body
		p.opaqueBody = true
	}
	if p.contentType != "" {
		p.header.Set("Content-Type", p.contentType)
	}
	if c.telemetry != "" {
		p.header.Set("Auth0-Client", c.telemetry)
	}
	if c.userAgent != "" {
		p.header.Set("User-Agent", c.userAgent)
	}
	for k, vs := range r.Header {
		p.header[http.CanonicalHeaderKey(k)] = append([]string(nil), vs...)
	}
	if ct := p.header.Get("Content-Type"); ct != "" {
		p.contentType = ct
	}
	if r.Idempotent != nil {
		p.idempotent = *r.Idempotent
	} else {
		switch method {
		case http.MethodGet, http.MethodHead, http.MethodPut, http.MethodDelete, http.MethodOptions:
			p.idempotent = true
		}
	}
	return p, nil
}

// checkPath refuses paths that could leave the API's path space.
func checkPath(path string) error {
	if !strings.HasPrefix(path, "/") || strings.HasPrefix(path, "//") {
		return fmt.Errorf("auth0 client: path %q must start with a single /", path)
	}
	if strings.ContainsAny(path, "?#\\") {
		return fmt.Errorf("auth0 client: path %q contains ?, # or \\", path)
	}
	unescaped, err := url.PathUnescape(path)
	if err != nil {
		return fmt.Errorf("auth0 client: path %q: %w", path, err)
	}
	for seg := range strings.SplitSeq(unescaped, "/") {
		if seg == "." || seg == ".." {
			return fmt.Errorf("auth0 client: path %q has a dot segment", path)
		}
	}
	return nil
}

func validMethod(m string) bool {
	for i := 0; i < len(m); i++ {
		if c := m[i]; c < 'A' || c > 'Z' {
			return false
		}
	}
	return m != ""
}

// secrets returns the scrubber of the secret values of the request, in
// every form a server may echo them in (secretForms), made once, only when
// an error or debug output needs it: values under secret names in the JSON or form
// body and the query, every value of a secret body (isSecretBody), and
// credential headers.
func (p *prepared) secrets() *scrubber {
	if p.secretsDone {
		return p.scrubber
	}
	p.secretsDone = true
	var out []string
	if v, ok := decodeJSON(p.body); ok {
		out = collectJSONSecrets(v, "", p.secretBody, out)
	} else if isForm(p.contentType) {
		if q, err := url.ParseQuery(string(p.body)); err == nil {
			out = appendSecretValues(out, q, p.secretBody)
		}
	} else if p.secretBody && len(p.body) > 0 {
		out = append(out, string(p.body))
	}
	if u, err := url.Parse(p.url); err == nil {
		out = appendSecretValues(out, u.Query(), false)
	}
	for name, vs := range p.header {
		if isSecretHeader(name) {
			for _, v := range vs {
				out = append(out, v)
				if _, cred, ok := strings.Cut(v, " "); ok {
					out = append(out, strings.TrimSpace(cred))
				}
			}
		}
	}
	p.scrubber = newScrubber(out)
	return p.scrubber
}

func appendSecretValues(out []string, q url.Values, all bool) []string {
	for k, vs := range q {
		if all || IsSecretName(k) {
			out = append(out, vs...)
		}
	}
	return out
}

// result is what one attempt produced.
type result struct {
	status    int
	header    http.Header
	body      []byte
	err       error
	retriable bool // for err: a network failure worth retrying
	duration  time.Duration
}

func (c *Client) send(ctx context.Context, p *prepared) (res result) {
	actx, cancel := context.WithTimeout(ctx, c.o.timeout)
	defer cancel()
	start := time.Now()
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
	hr, err := c.hc.Do(req)
	if err != nil {
		res.retriable, res.err = c.transportError(ctx, p, err)
		return res
	}
	defer hr.Body.Close()
	res.status, res.header = hr.StatusCode, hr.Header
	limit := c.o.maxResponse
	ok := hr.StatusCode >= 200 && hr.StatusCode < 300
	if !ok {
		limit = min(limit, maxErrorBody)
	} else if hr.ContentLength > limit {
		res.err = fmt.Errorf("auth0: %s %s: %w (Content-Length %d > %d)", p.method, p.path, ErrResponseTooLarge, hr.ContentLength, limit)
		return res
	}
	b, err := httpx.ReadBody(hr.Body, limit)
	switch {
	case errors.Is(err, httpx.ErrBodyTooLarge) && ok:
		res.err = fmt.Errorf("auth0: %s %s: %w (more than %d bytes)", p.method, p.path, ErrResponseTooLarge, limit)
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
		return true, fmt.Errorf("auth0: %s %s: attempt timed out after %v: %w", p.method, p.redactedURL, c.o.timeout, err)
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

// judge turns a failed attempt into the reason to retry it ("" when it may
// not be retried; retryWait then says how long to wait) and the error to
// return.
func (c *Client) judge(p *prepared, res result) (reason string, final error) {
	if res.err != nil {
		if res.retriable && p.idempotent {
			return ReasonNetwork, res.err
		}
		return "", res.err
	}
	apiErr := ParseError(res.status, res.header, res.body)
	// The message may be the answer's own text (a body that is not a JSON
	// object, or one cut at its size cap): its secret-named pairs go too.
	sc := p.secrets()
	apiErr.Message = sc.scrub(redactText(apiErr.Message))
	apiErr.Code = sc.scrub(apiErr.Code)
	switch {
	case res.status == http.StatusTooManyRequests:
		return ReasonRateLimited, newRateLimitError(apiErr, c.o.now())
	case res.status >= 500 && res.status != http.StatusNotImplemented && p.idempotent:
		return ReasonServerError, apiErr
	}
	return "", apiErr
}

// observe, observeRetry and debug call the caller's hooks. A hook that
// panics is stopped and logged (hook.Recover): it cannot take down the
// request, nor the process when the request runs under singleflight.

func (c *Client) observe(p *prepared, res result, attempt int, err error) {
	if c.o.observer == nil {
		return
	}
	defer hook.Recover(c.o.logger, "client observer")
	c.o.observer.ObserveRequest(RequestEvent{
		API: c.o.apiName, Method: p.method, StatusCode: res.status,
		Duration: res.duration, Attempt: attempt, Err: err,
		RateLimitRemaining: headerInt(res.header, "X-RateLimit-Remaining"),
	})
}

func (c *Client) observeRetry(p *prepared, res result, reason string, wait time.Duration) {
	if c.o.observer == nil {
		return
	}
	defer hook.Recover(c.o.logger, "client observer")
	c.o.observer.ObserveRetry(RetryEvent{
		API: c.o.apiName, Method: p.method, Reason: reason, Wait: wait,
		RateLimitRemaining: headerInt(res.header, "X-RateLimit-Remaining"),
	})
}

func (c *Client) debug(p *prepared, res result, attempt int, err error) {
	if c.o.debug == nil {
		return
	}
	defer hook.Recover(c.o.logger, "client debug hook")
	sc := p.secrets()
	ev := DebugEvent{
		API:           c.o.apiName,
		Method:        p.method,
		URL:           p.redactedURL,
		Attempt:       attempt,
		StatusCode:    res.status,
		Duration:      res.duration,
		RequestHeader: RedactHeader(p.header),
		RequestBody:   redactBody(p.contentType, p.body, sc),
		Err:           err,
	}
	switch {
	case p.opaqueBody:
		ev.RequestBody = fmt.Sprintf("[%d bytes not shown]", len(p.body))
	case p.secretBody && len(p.body) > 0:
		ev.RequestBody = Redacted
	}
	if res.header != nil {
		ev.ResponseHeader = RedactHeader(res.header)
		ev.ResponseBody = redactBody(res.header.Get("Content-Type"), res.body, sc)
		if p.secretBody && len(res.body) > 0 {
			ev.ResponseBody = Redacted
		}
	}
	c.o.debug(ev)
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
