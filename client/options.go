package client

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"time"
)

// Defaults of a Client.
const (
	DefaultTimeout         = 10 * time.Second
	DefaultRetries         = 3
	MaxRetries             = 10
	DefaultMaxResponseSize = 10 << 20
	DefaultBackoffBase     = 500 * time.Millisecond
	DefaultMaxWait         = 60 * time.Second
)

// Option configures a Client.
type Option func(*options)

type options struct {
	transport   http.RoundTripper
	timeout     time.Duration
	retries     int
	noTelemetry bool
	userAgent   string
	maxResponse int64
	debug       func(DebugEvent)
	observer    Observer
	logger      *slog.Logger
	apiName     string
	backoffBase time.Duration
	maxWait     time.Duration
	now         func() time.Time
	err         error // first invalid option, reported by New
}

func defaultOptions() options {
	return options{
		timeout:     DefaultTimeout,
		retries:     DefaultRetries,
		maxResponse: DefaultMaxResponseSize,
		backoffBase: DefaultBackoffBase,
		maxWait:     DefaultMaxWait,
		now:         time.Now,
	}
}

func (o *options) fail(format string, a ...any) {
	if o.err == nil {
		o.err = fmt.Errorf("auth0 client: "+format, a...)
	}
}

// WithHTTPClient makes the Client send its requests through hc's Transport
// (a nil Transport means http.DefaultTransport). Only the Transport is used:
// the timeout is this package's (applied through the request context), and
// redirects are never followed, so a request body carrying a secret is never
// re-sent to another URL.
func WithHTTPClient(hc *http.Client) Option {
	return func(o *options) {
		if hc == nil {
			o.fail("WithHTTPClient: nil client")
			return
		}
		o.transport = hc.Transport
		if o.transport == nil {
			o.transport = http.DefaultTransport
		}
	}
}

// WithTimeout bounds each HTTP attempt (connection, headers and body
// together). Default 10 s. Waits between retries are bounded separately by
// WithBackoff's maxWait and by the caller's context.
func WithTimeout(d time.Duration) Option {
	return func(o *options) {
		if d <= 0 {
			o.fail("WithTimeout: %v is not positive", d)
			return
		}
		o.timeout = d
	}
}

// WithRetries sets how many times a failed request may be retried after the
// first attempt (0 to 10, default 3). See Client.Do for what is retried.
func WithRetries(n int) Option {
	return func(o *options) {
		if n < 0 || n > MaxRetries {
			o.fail("WithRetries: %d is outside 0..%d", n, MaxRetries)
			return
		}
		o.retries = n
	}
}

// WithoutRetries sends every request once.
func WithoutRetries() Option { return WithRetries(0) }

// WithBackoff sets the first wait of the exponential backoff (doubling per
// retry, with jitter; default 500 ms) and the cap on any single wait between
// attempts, including waits asked for by Retry-After or X-RateLimit-Reset
// (default 60 s). Tests use it to keep retries fast.
func WithBackoff(base, maxWait time.Duration) Option {
	return func(o *options) {
		if base <= 0 || maxWait <= 0 || base > maxWait {
			o.fail("WithBackoff: need 0 < base (%v) <= maxWait (%v)", base, maxWait)
			return
		}
		o.backoffBase, o.maxWait = base, maxWait
	}
}

// WithoutTelemetry stops sending the Auth0-Client header and this package's
// User-Agent (a User-Agent set with WithUserAgent is still sent).
func WithoutTelemetry() Option { return func(o *options) { o.noTelemetry = true } }

// WithUserAgent replaces the User-Agent header.
func WithUserAgent(ua string) Option {
	return func(o *options) {
		if !validHeaderValue(ua) {
			o.fail("WithUserAgent: invalid header value")
			return
		}
		o.userAgent = ua
	}
}

// WithMaxResponseSize bounds every response body read (default 10 MiB).
// A larger success body fails with ErrResponseTooLarge.
func WithMaxResponseSize(n int64) Option {
	return func(o *options) {
		if n <= 0 {
			o.fail("WithMaxResponseSize: %d is not positive", n)
			return
		}
		o.maxResponse = n
	}
}

// WithDebug calls fn once per HTTP attempt with a redacted account of the
// exchange (see DebugEvent). fn runs on the caller's goroutine and must not
// block for long; a panic in fn is stopped and logged, and the request goes
// on.
func WithDebug(fn func(DebugEvent)) Option { return func(o *options) { o.debug = fn } }

// WithObserver reports every attempt and every retry wait to obs (metrics).
// A panic in obs is stopped and logged, and the request goes on.
func WithObserver(obs Observer) Option { return func(o *options) { o.observer = obs } }

// WithLogger logs every HTTP attempt at Debug (API, method, URL with secret
// query values redacted, status, duration, attempt), every wait before a
// retry at Info (reason, wait, remaining rate-limit budget), and a request
// that fails while it was still worth retrying (attempts used up, or the
// caller's deadline or cancellation) at Warn with its error. Headers and
// bodies are never logged, and error strings never hold a request secret.
// Default: no logging.
func WithLogger(l *slog.Logger) Option { return func(o *options) { o.logger = l } }

// WithAPIName names the API in Observer and Debug events, e.g.
// "authentication" or "management".
func WithAPIName(name string) Option { return func(o *options) { o.apiName = name } }

// WithClock replaces time.Now, used to read Retry-After dates and
// X-RateLimit-Reset (tests).
func WithClock(now func() time.Time) Option {
	return func(o *options) {
		if now == nil {
			o.fail("WithClock: nil func")
			return
		}
		o.now = now
	}
}

func validHeaderValue(v string) bool {
	for i := 0; i < len(v); i++ {
		if c := v[i]; c < ' ' && c != '\t' || c == 0x7f {
			return false
		}
	}
	return true
}

var errNilContext = errors.New("auth0 client: nil context")
