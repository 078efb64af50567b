package jwks

import (
	"log/slog"
	"net/http"
	"time"
)

// Config configures a Cache. The zero value of every field but URL is the
// safe default, given in its comment.
type Config struct {
	// URL is the JWKS endpoint (an OpenID provider's jwks_uri; see
	// Discover). Required. It must be https; plain http is accepted only
	// for loopback hosts (127.0.0.0/8, ::1, localhost), for tests and local
	// tenants.
	URL string

	// HTTPClient makes the requests. Default: a client of this package
	// with a FetchTimeout total timeout, TLS 1.2+ with verification, no
	// proxy (HTTPS_PROXY and friends are ignored), same-origin redirects
	// only. A client given here is used for its Transport (proxy, TLS roots,
	// ...), but redirects are still limited to the same origin (its own
	// CheckRedirect runs after that check) and every request still has the
	// FetchTimeout deadline.
	//
	// TLS verification cannot be turned off. New refuses (ErrConfig,
	// ErrInsecureTLS) a client whose transport is an *http.Transport with
	// InsecureSkipVerify: the Transport set, or http.DefaultTransport when
	// it is nil, followed through wrappers that expose the transport they
	// wrap with a method Unwrap() http.RoundTripper (at most 8). Where the
	// transport cannot be reached (a wrapper that hides it, such as
	// otelhttp's, a custom TLS dialer, a RoundTripper of another type, or
	// http.DefaultTransport changed after New), each https response,
	// redirects included, is refused (ErrInsecureTLS) when its TLS state
	// shows no verified certificate chain. Not detectable, and not
	// guaranteed: a RoundTripper that returns https responses without TLS
	// state (Response.TLS nil; Go's transports always set it) or fakes it.
	HTTPClient *http.Client

	// FetchTimeout bounds one fetch: dial, TLS, headers and body. Default
	// 5 s.
	FetchTimeout time.Duration
	// MaxBodySize caps a response body after decompression. Default 1 MiB.
	MaxBodySize int64

	// RefreshInterval is how long keys are fresh when the response has no
	// usable Cache-Control max-age. Default 10 min. The directives
	// no-store and no-cache count as max-age 0, a max-age above 24 h as
	// 24 h. Either way the response's Age is subtracted (RFC 9111 section
	// 4.2.3: the time a CDN or other shared cache has held it; invalid
	// values are ignored, the largest of several counts), down to 0. A 304
	// that confirms the keys is read the same way.
	RefreshInterval time.Duration
	// MinRefreshInterval and MaxRefreshInterval clamp the freshness
	// lifetime (max-age or RefreshInterval). Defaults 1 min and 24 h.
	// Refreshes start at 80% of the lifetime (refresh-ahead), never sooner
	// than Cooldown after the previous fetch started.
	MinRefreshInterval, MaxRefreshInterval time.Duration
	// Cooldown is the least time between two fetches caused by lookups (an
	// unknown kid, or no keys): at most one such fetch per Cooldown,
	// shared by all waiters. Default 30 s.
	Cooldown time.Duration
	// MinBackoff and MaxBackoff bound the retry delay after failed
	// fetches: it doubles from MinBackoff up to MaxBackoff, with jitter
	// (a uniformly random delay in [d/2, d]). A server's Retry-After
	// (on any failed fetch, typically 429 or 503) holds back retries and
	// lookup-caused fetches alike, but it is advisory: it is honoured up to
	// MaxBackoff and never past the time the keys held expire (MaxStale);
	// while no usable keys are held, no longer than the backoff delay.
	// Defaults 1 s and 5 min.
	MinBackoff, MaxBackoff time.Duration
	// MaxStale is how long the last good keys keep serving after the last
	// successful fetch while refreshes fail (stale-if-error). Past it the
	// cache fails closed with verifier.ErrKeysUnavailable and retires the
	// keys. Default 24 h.
	MaxStale time.Duration

	// Prefetch, when positive, makes New wait up to that long for the
	// first fetch, and fail if it does not succeed. When zero, New returns
	// at once, fetches in the background, and lookups fail closed with
	// verifier.ErrKeysUnavailable until the first success.
	Prefetch time.Duration

	// Now is the clock of the refresh schedule, the cooldown, Retry-After
	// and MaxStale. Default time.Now. FetchTimeout and Prefetch are always
	// measured on the system clock, and so are the background loop's
	// timers: a Now that jumps ahead takes effect at the next fetch or
	// lookup.
	Now func() time.Time
	// Logger receives fetch outcomes: successes (and 304 confirmations) at
	// Debug, failures at Warn ("keeping the last good keys" when there are
	// some), except a URL that serves no key set while no keys are held
	// (FetchError.Misconfigured): once at Error per distinct cause, as a
	// configuration problem, then at Debug. Keys dropped by the key
	// policy at Warn as security events (index, kid and kty quoted and
	// cut, the reason; never key material), and keys withdrawn after
	// MaxStale at Error. Default: no logging.
	Logger *slog.Logger
	// Observer, when set, is told about every fetch and every lookup miss.
	Observer Observer
}

// Defaults of Config.
const (
	DefaultFetchTimeout       = 5 * time.Second
	DefaultRefreshInterval    = 10 * time.Minute
	DefaultMinRefreshInterval = time.Minute
	DefaultMaxRefreshInterval = 24 * time.Hour
	DefaultCooldown           = 30 * time.Second
	DefaultMinBackoff         = time.Second
	DefaultMaxBackoff         = 5 * time.Minute
	DefaultMaxStale           = 24 * time.Hour
)

// settings is a Config with the defaults resolved.
type settings struct {
	fetchTimeout         time.Duration
	maxBody              int64
	refresh, minRefresh  time.Duration
	maxRefresh, cooldown time.Duration
	minBackoff           time.Duration
	maxBackoff, maxStale time.Duration
	now                  func() time.Time
	log                  *slog.Logger
	obs                  Observer
}

func orDefault[T int64 | time.Duration](v, def T) T {
	if v == 0 {
		return def
	}
	return v
}

func (c *Config) settings() (settings, error) {
	s := settings{
		fetchTimeout: orDefault(c.FetchTimeout, DefaultFetchTimeout),
		maxBody:      orDefault(c.MaxBodySize, DefaultMaxBodySize),
		refresh:      orDefault(c.RefreshInterval, DefaultRefreshInterval),
		minRefresh:   orDefault(c.MinRefreshInterval, DefaultMinRefreshInterval),
		maxRefresh:   orDefault(c.MaxRefreshInterval, DefaultMaxRefreshInterval),
		cooldown:     orDefault(c.Cooldown, DefaultCooldown),
		minBackoff:   orDefault(c.MinBackoff, DefaultMinBackoff),
		maxBackoff:   orDefault(c.MaxBackoff, DefaultMaxBackoff),
		maxStale:     orDefault(c.MaxStale, DefaultMaxStale),
		now:          c.Now,
		log:          c.Logger,
		obs:          c.Observer,
	}
	if s.now == nil {
		s.now = time.Now
	}
	for _, d := range []time.Duration{c.FetchTimeout, c.RefreshInterval, c.MinRefreshInterval, c.MaxRefreshInterval,
		c.Cooldown, c.MinBackoff, c.MaxBackoff, c.MaxStale, c.Prefetch, time.Duration(c.MaxBodySize)} {
		if d < 0 {
			return s, configError("negative duration or size")
		}
	}
	if s.minRefresh > s.maxRefresh {
		return s, configError("MinRefreshInterval %v above MaxRefreshInterval %v", s.minRefresh, s.maxRefresh)
	}
	if s.minBackoff > s.maxBackoff {
		return s, configError("MinBackoff %v above MaxBackoff %v", s.minBackoff, s.maxBackoff)
	}
	// A lifetime longer than MaxStale would let keys expire before their
	// refresh is due.
	s.maxRefresh = min(s.maxRefresh, s.maxStale)
	s.minRefresh = min(s.minRefresh, s.maxRefresh)
	return s, nil
}
