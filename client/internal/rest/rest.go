// Package rest is the REST core of the Auth0 API clients: one Client per
// API base URL sends a Request and reads its answer, with the retries,
// rate limits, size caps, telemetry, hooks and redaction that
// client.Config describes. Only client/authentication and
// client/management use it; their users never see it.
//
// One request, top down (Client.Do, do.go): build it once (build.go), send
// an attempt and read its answer through the size cap (send.go), turn a
// non-2xx answer into a *client.Error and a retry reason (answer.go),
// wait before the next attempt (retry.go); every attempt is reported to the
// observer, the logger and the debug hook (hooks.go). What is a secret is
// one table (secrets.go), applied by redact.go and scrub.go.
package rest

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"time"

	"github.com/tokengate/tokengate/client"
)

// Defaults and bounds of client.Config.
const (
	defaultTimeout     = 10 * time.Second
	defaultRetries     = 3
	maxRetries         = 10
	defaultMaxResponse = 10 << 20
	defaultBackoff     = 500 * time.Millisecond
	defaultMaxWait     = 60 * time.Second
)

// Prefixes of the errors of this package.
const (
	errPrefix         = "auth0 client: "
	configErrorPrefix = errPrefix + "client.Config: "
)

// Client sends requests to one Auth0 API (one base URL). It is safe for
// concurrent use.
type Client struct {
	base      *url.URL
	baseStr   string
	api       string // names the API in events and log lines
	hc        *http.Client
	s         settings
	telemetry string
	userAgent string
}

// settings is a client.Config resolved: defaults filled in, validated.
type settings struct {
	timeout     time.Duration
	retries     int
	backoffBase time.Duration
	maxWait     time.Duration
	maxResponse int64
	observer    client.Observer
	requestHook client.RequestHook // observer, when it is one
	logger      *slog.Logger
	debug       func(client.DebugEvent)
	now         func() time.Time
	budget      client.RateBudget
}

// New returns a Client for the API of the tenant domain (client.BaseURL
// says what is accepted). api names the API in events and log lines
// ("authentication", "management").
func New(domain, api string, cfg client.Config) (*Client, error) {
	baseURL, err := client.BaseURL(domain)
	if err != nil {
		return nil, err
	}
	base, err := url.Parse(baseURL)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", client.ErrInvalidBaseURL, err)
	}
	s, err := resolve(cfg)
	if err != nil {
		return nil, err
	}
	transport := http.RoundTripper(nil)
	if cfg.HTTPClient != nil {
		transport = cfg.HTTPClient.Transport
		if transport == nil {
			transport = http.DefaultTransport
		}
	} else if t, ok := http.DefaultTransport.(*http.Transport); ok {
		// Our own pool, never http.DefaultClient; the per-attempt timeout
		// comes from the request context.
		transport = t.Clone()
	} else {
		transport = http.DefaultTransport
	}
	c := &Client{
		base:    base,
		baseStr: base.String(),
		api:     api,
		hc: &http.Client{
			Transport: transport,
			// A redirect could carry a form body with a client secret to
			// another URL; Auth0 APIs do not redirect API calls.
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		},
		s: s,
	}
	if !cfg.DisableTelemetry {
		c.telemetry = telemetry()
		c.userAgent = userAgent()
	}
	if cfg.UserAgent != "" {
		c.userAgent = cfg.UserAgent
	}
	return c, nil
}

// resolve fills in the defaults of cfg and refuses values out of range.
func resolve(cfg client.Config) (settings, error) {
	bad := func(format string, a ...any) (settings, error) {
		return settings{}, fmt.Errorf(configErrorPrefix+format, a...)
	}
	s := settings{
		timeout:     cfg.Timeout,
		retries:     cfg.MaxRetries,
		backoffBase: cfg.Backoff,
		maxWait:     cfg.MaxWait,
		maxResponse: cfg.MaxResponseSize,
		observer:    cfg.Observer,
		debug:       cfg.Debug,
		now:         cfg.Now,
		budget:      cfg.Budget,
	}
	switch {
	case s.timeout < 0:
		return bad("Timeout %v is negative", s.timeout)
	case s.retries < client.NoRetries || s.retries > maxRetries:
		return bad("MaxRetries %d is outside NoRetries..%d", s.retries, maxRetries)
	case s.backoffBase < 0 || s.maxWait < 0:
		return bad("Backoff %v and MaxWait %v must not be negative", s.backoffBase, s.maxWait)
	case s.backoffBase > 0 && s.maxWait > 0 && s.backoffBase > s.maxWait:
		return bad("Backoff %v is above MaxWait %v", s.backoffBase, s.maxWait)
	case s.maxResponse < 0:
		return bad("MaxResponseSize %d is negative", s.maxResponse)
	case !validHeaderValue(cfg.UserAgent):
		return bad("UserAgent is not a valid header value")
	}
	if s.timeout == 0 {
		s.timeout = defaultTimeout
	}
	switch s.retries {
	case 0:
		s.retries = defaultRetries
	case client.NoRetries:
		s.retries = 0
	}
	if s.maxWait == 0 {
		s.maxWait = max(defaultMaxWait, s.backoffBase)
	}
	if s.backoffBase == 0 {
		s.backoffBase = min(defaultBackoff, s.maxWait)
	}
	if s.maxResponse == 0 {
		s.maxResponse = defaultMaxResponse
	}
	if s.now == nil {
		s.now = time.Now
	}
	s.requestHook, _ = cfg.Observer.(client.RequestHook)
	if cfg.Logger != nil {
		// Every line goes through safeHandler: a panicking handler loses
		// its line, never the request.
		s.logger = slog.New(safeHandler{cfg.Logger.Handler()})
	}
	return s, nil
}

func validHeaderValue(v string) bool {
	for i := 0; i < len(v); i++ {
		if c := v[i]; c < ' ' && c != '\t' || c == 0x7f {
			return false
		}
	}
	return true
}

// BaseURL returns the base URL the Client sends to, without a trailing
// slash.
func (c *Client) BaseURL() string { return c.baseStr }

// Now is the clock of the Client's Config (time.Now by default), which the
// API packages use too, so that one Config.Now drives them all.
func (c *Client) Now() time.Time { return c.s.now() }

var errNilContext = errors.New(errPrefix + "nil context")
