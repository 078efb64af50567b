package jwks

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"sync"
	"time"

	"github.com/lestrrat-go/httprc/v3"

	"github.com/tokengate/tokengate/internal/hook"
	"github.com/tokengate/tokengate/internal/httpx"
)

// This file is the Cache's use of lestrrat-go/httprc v3 (the refresh
// controller behind jwx v3's jwk.Cache): one httprc client with one
// worker, and the URL as its one resource, whose transformer runs the body
// cap and the strict parse. Each fetch is a Controller.Refresh, which runs
// Resource.Sync on the worker.
//
// httprc's own scheduler is not used, because it cannot express parts of
// the Cache's contract: it runs on the system clock (no injectable clock),
// has no backoff, jitter or Retry-After, no cooldown for kid misses and no
// stale limit. So the resource is told an interval of a century and is
// marked not due when it is added (Add would otherwise fetch it at once in
// the background), and the resource's HTTP client (resourceClient) sends a
// request only for a fetch the Cache started: a sync that httprc starts by
// itself is refused before any I/O.
//
// That client (one per Cache) is also where httprc v3's choices are
// undone: Sync turns every status but 200 into an error before the
// transformer sees the response, so the client records the status and
// headers (304 for If-None-Match, Retry-After of a 429 or 503) for the
// fetch to read; it is the one place request headers are set (Accept,
// If-None-Match); it adds FetchTimeout to the worker's context, on which
// Sync runs. httprc's client-wide defaults, a whitelist that admits any URL
// and http.DefaultClient, are replaced by a whitelist of the one URL and a
// client that refuses every request. httprc caps bodies silently at 1 GB;
// the transformer applies MaxBodySize itself and refuses a longer body.

// rcIdle is the interval httprc is told for the resource, after successes
// and failures alike: far enough ahead that its scheduler never finds the
// resource due (the Cache triggers every fetch with Refresh), short enough
// that httprc's tick arithmetic (interval + 1 s) cannot overflow.
const rcIdle = 100 * 365 * 24 * time.Hour

// maxETag bounds a stored entity tag.
const maxETag = 256

// errNotOurs refuses a request that no fetch of the Cache asked for: one
// that httprc's scheduler started by itself.
var errNotOurs = errors.New("jwks: request not started by the cache's scheduler; refused")

// fetcher is the httprc side of a Cache.
type fetcher struct {
	ctrl httprc.Controller
	res  *httprc.ResourceBase[*result]
	hc   *resourceClient
}

// newFetcher starts an httprc client on ctx (Close cancels it) and
// registers c.url. The client-wide defaults of httprc are replaced: its
// whitelist admits only c.url (the default admits any URL) and its default
// HTTP client refuses every request (the default is http.DefaultClient,
// without a timeout); the resource has its own client, resourceClient.
func newFetcher(ctx context.Context, c *Cache, client *http.Client) (*fetcher, error) {
	hc := &resourceClient{client: client, timeout: c.cfg.fetchTimeout}
	res, err := httprc.NewResource(c.url, httprc.TransformFunc[*result](c.transform),
		httprc.WithHTTPClient(hc),
		httprc.WithConstantInterval(rcIdle),
		httprc.WithMinInterval(rcIdle),
		httprc.WithMaxInterval(rcIdle))
	if err != nil {
		return nil, configError("%v", err)
	}
	// A new resource is due at once; httprc would fetch it in the
	// background as soon as it is added. Not due: the Cache decides.
	res.SetNext(time.Now().Add(rcIdle))
	only := c.url
	ctrl, err := httprc.NewClient(
		httprc.WithWorkers(1),
		httprc.WithHTTPClient(refuseAll{}),
		httprc.WithWhitelist(httprc.WhitelistFunc(func(u string) bool { return u == only })),
	).Start(ctx)
	if err != nil {
		return nil, configError("%v", err)
	}
	if err := ctrl.Add(ctx, res, httprc.WithWaitReady(false)); err != nil {
		_ = ctrl.Shutdown(c.cfg.fetchTimeout)
		return nil, configError("%v", err)
	}
	return &fetcher{ctrl: ctrl, res: res, hc: hc}, nil
}

// close stops httprc's goroutines; ctx, its parent, is already canceled,
// so the wait is short (the bound is a safety net).
func (f *fetcher) close(bound time.Duration) { _ = f.ctrl.Shutdown(bound) }

// refuseAll is httprc's client-wide HTTP client: never used, because the
// resource has its own, and refusing in case it ever is.
type refuseAll struct{}

func (refuseAll) Do(*http.Request) (*http.Response, error) { return nil, errNotOurs }

// result is what one fetch brought: a parsed set, a 304, or an error.
type result struct {
	p           *parsed
	notModified bool
	ttl         time.Duration
	etag        string
	bytes       int // the body read, for a 200
	err         *FetchError
}

// fetch runs one fetch: it opens an exchange on the resource client and
// has httprc sync the resource on its worker (Refresh waits for it). What
// httprc turns into a bare error (every status but 200) is read back from
// the exchange, which saw the response first.
//
// A fetch for a lookup (an unknown kid: the issuer may have rotated its
// keys) must see the origin's current set: it sends Cache-Control:
// no-cache, so that a CDN or proxy revalidates instead of serving the set
// it stored before the rotation (RFC 9111 section 5.2.1.4), and no
// If-None-Match, so that no cache answers 304 from its store either. It
// costs a full body once per Cooldown at most. Scheduled refreshes send
// neither header change: a cache's copy within its max-age is what they
// ask for, and an ETag saves the body.
func (c *Cache) fetch(etag string, lookup bool) result {
	x := &exchange{etag: etag, noCache: lookup}
	if lookup {
		x.etag = ""
	}
	c.rc.hc.open(x)
	defer c.rc.hc.close(x)
	ctx, cancel := context.WithTimeout(c.ctx, c.cfg.fetchTimeout)
	defer cancel()
	err := c.rc.ctrl.Refresh(ctx, c.url)
	status, header := x.response()
	switch {
	case err == nil:
		if r := c.rc.res.Resource(); r != nil {
			return *r
		}
		return result{err: &FetchError{URL: c.url, StatusCode: status, Err: errors.New("no result")}}
	case status == http.StatusNotModified && etag != "":
		return result{notModified: true, ttl: c.cfg.lifetime(header)}
	case status != 0 && status != http.StatusOK:
		ra, _ := httpx.RetryAfter(header, c.cfg.now())
		return result{err: &FetchError{URL: c.url, StatusCode: status, ContentType: mediaType(header), RetryAfter: ra,
			Err: &statusError{code: status}}}
	}
	var fe *FetchError
	if errors.As(err, &fe) {
		return result{err: fe}
	}
	// The cause without the "Get URL" of a *url.Error: the FetchError
	// names the URL once.
	var ue *url.Error
	switch {
	case errors.As(err, &ue):
		err = ue.Err
	case ctx.Err() != nil:
		err = ctx.Err()
	}
	var ne net.Error
	if errors.Is(err, context.DeadlineExceeded) || (errors.As(err, &ne) && ne.Timeout()) {
		err = fmt.Errorf("no answer within FetchTimeout (%v): %w", c.cfg.fetchTimeout, err)
	}
	return result{err: &FetchError{URL: c.url, StatusCode: status, ContentType: mediaType(header), Err: err}}
}

// transform is the resource's httprc.Transformer, run by Resource.Sync
// only for a 200: body cap (readBody; httprc's own cap is 1 GB), then the
// strict parse. It returns a *FetchError for a
// refused body.
func (c *Cache) transform(_ context.Context, res *http.Response) (*result, error) {
	fail := func(err error) error {
		return &FetchError{URL: c.url, StatusCode: res.StatusCode, ContentType: mediaType(res.Header), Err: err}
	}
	body, err := readBody(res, c.cfg.maxBody)
	if err != nil {
		return nil, fail(err)
	}
	p, err := parseSet(body, true)
	if err != nil {
		return nil, fail(err)
	}
	r := &result{p: p, ttl: c.cfg.lifetime(res.Header), bytes: len(body)}
	if e := res.Header.Get("ETag"); len(e) <= maxETag {
		r.etag = e
	}
	return r, nil
}

// resourceClient is the resource's httprc.HTTPClient. It sends a request
// only for an open exchange (one fetch of the Cache's scheduler, one
// request each), adds that fetch's headers and deadline, and records the
// response's status and headers before httprc's Sync turns a non-200 into
// an error without them.
type resourceClient struct {
	client  *http.Client
	timeout time.Duration

	mu sync.Mutex
	x  *exchange // the fetch allowed to send, or nil
}

func (rc *resourceClient) open(x *exchange) {
	rc.mu.Lock()
	rc.x = x
	rc.mu.Unlock()
}

// close withdraws x if its request was never sent (Refresh gave up first).
func (rc *resourceClient) close(x *exchange) {
	rc.mu.Lock()
	if rc.x == x {
		rc.x = nil
	}
	rc.mu.Unlock()
}

// Do implements httprc.HTTPClient. req comes from Resource.Sync, on the
// worker's context (the Cache's lifetime); the fetch's deadline is added
// here and ends when the body is closed.
func (rc *resourceClient) Do(req *http.Request) (*http.Response, error) {
	rc.mu.Lock()
	x := rc.x
	rc.x = nil
	rc.mu.Unlock()
	if x == nil {
		return nil, errNotOurs
	}
	ctx, cancel := context.WithTimeout(req.Context(), rc.timeout)
	req = req.Clone(ctx)
	x.prepare(req)
	// The caller's transport runs here, on httprc's worker, where a panic
	// could not be recovered by anyone: it fails the fetch instead.
	res, err := hook.Call(func() (*http.Response, error) { return rc.client.Do(req) })
	if err != nil {
		cancel()
		return nil, err
	}
	x.record(res)
	res.Body = cancelOnClose{res.Body, cancel}
	return res, nil
}

// exchange is one fetch's request and the response's status line and
// headers as the resource client saw them.
type exchange struct {
	etag    string // If-None-Match, when the keys held came with one
	noCache bool   // Cache-Control: no-cache (a fetch for a lookup)

	mu     sync.Mutex
	status int
	header http.Header
}

// prepare sets the request headers of a fetch. It is the one place they
// are set: a header that depends on why the fetch runs goes here, with
// the reason as a field of the exchange.
func (x *exchange) prepare(req *http.Request) {
	req.Header.Set("Accept", "application/jwk-set+json, application/json")
	if x.etag != "" {
		req.Header.Set("If-None-Match", x.etag)
	}
	if x.noCache {
		req.Header.Set("Cache-Control", "no-cache")
	}
}

func (x *exchange) record(res *http.Response) {
	x.mu.Lock()
	x.status, x.header = res.StatusCode, res.Header
	x.mu.Unlock()
}

// response returns the recorded status (0: no response) and headers.
func (x *exchange) response() (int, http.Header) {
	x.mu.Lock()
	defer x.mu.Unlock()
	return x.status, x.header
}

// readBody reads a response body of at most limit bytes, counted after the
// transport's decompression, through httpx.ReadBody; a larger body, or a
// Content-Length that announces one, is ErrBodyTooLarge.
func readBody(res *http.Response, limit int64) ([]byte, error) {
	if res.ContentLength > limit {
		return nil, ErrBodyTooLarge
	}
	b, err := httpx.ReadBody(res.Body, limit)
	if errors.Is(err, httpx.ErrBodyTooLarge) {
		return nil, ErrBodyTooLarge
	}
	return b, err
}

type cancelOnClose struct {
	io.ReadCloser
	cancel context.CancelFunc
}

func (b cancelOnClose) Close() error {
	err := b.ReadCloser.Close()
	b.cancel()
	return err
}
