package middleware

import (
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/tokengate/tokengate/dpop"
	"github.com/tokengate/tokengate/verifier"
)

// Option configures Authenticate. Options are applied in order to a zero
// configuration whose every field is the safe default; Authenticate checks
// the result once, when it is built, and panics on an invalid value or a
// contradiction (as chi's Throttle does), so a misconfiguration never
// surfaces per request. A nil Option panics too. Option is a type of its
// own: an option of WithCookie (CookieOption) or of package orgs given to
// Authenticate does not compile.
type Option func(*config)

// config is the resolved configuration of one Authenticate. The zero value is
// the documented default: realm "api", token only from the Authorization
// header, credentials required, no preflight bypass, RFC 6750 responses.
type config struct {
	realm        string
	extractor    TokenExtractor
	cookie       string
	csrf         csrfPolicy
	query        bool
	optional     bool
	preflight    bool
	cors         http.Handler // answers preflights when set
	errorHandler ErrorHandler
	observer     Observer
	logger       *slog.Logger
	verifyOpts   []verifier.Option
	retryAfter   time.Duration
	retrySet     bool // WithRetryAfter was given
	uniform      bool // WithUniformErrors

	// Sender constraints: WithDPoP (dpop.go), WithMTLS (mtls.go).
	dpop     *dpop.Verifier
	dpopMode DPoPMode
	mtls     *mtlsConfig

	resourceMetadata    string // WithResourceMetadata (resourcemeta.go)
	resourceMetadataSet bool
}

const (
	defaultRealm      = "api"
	defaultRetryAfter = 10 * time.Second
)

// TokenExtractor finds the token of a request. It returns "" and a nil error
// when the request carries no token, and an error when the request is
// malformed or ambiguous; such requests are answered 401 invalid_request and
// the error is handed to the ErrorHandler and Observer (never to the client).
type TokenExtractor func(r *http.Request) (token string, err error)

// WithRealm sets the realm of the WWW-Authenticate challenge. Default "api".
// The realm must be printable ASCII without '"' or '\'.
func WithRealm(realm string) Option { return func(c *config) { c.realm = realm } }

// WithTokenExtractor replaces the default extraction (Authorization header,
// plus the cookie and query parameter when enabled) with fn. It cannot be
// combined with WithCookie or AllowQueryToken.
func WithTokenExtractor(fn TokenExtractor) Option {
	return func(c *config) { c.extractor = fn }
}

// WithCookie also accepts the token from the cookie name (for browser
// front ends that keep it in an HttpOnly cookie). A request with the token
// both in the cookie and in the Authorization header is refused as ambiguous,
// as is one with two cookies of that name; an empty cookie counts as absent.
//
// Browsers attach cookies to requests that other sites make them send, so a
// cookie token is open to cross-site request forgery (RFC 6750 section
// 5.3; OWASP CSRF cheat sheet). An unsafe request (any method but GET,
// HEAD, OPTIONS and TRACE) with the token from the cookie is therefore
// refused unless it shows that it comes from the site itself:
// Sec-Fetch-Site: same-origin, which browsers set and pages cannot, or an
// Origin in TrustedOrigins, or the CSRFHeader when one is set. Requests
// with neither header (old browsers, non-browser clients) are refused:
// fail closed; such clients should send the Authorization header. The
// answer is 403 with error "access_denied" (OutcomeCrossSite), not 401: the
// token is not at fault and signing in again would not help; the request's
// origin is. Tokens from the Authorization header are not affected.
func WithCookie(name string, opts ...CookieOption) Option {
	return func(c *config) { c.cookie, c.csrf = name, newCSRFPolicy(opts) }
}

// AllowQueryToken also accepts the token from the access_token query
// parameter (RFC 6750 section 2.3). Off by default: URLs end up in logs,
// browser history and Referer headers, and the RFC says resource servers
// SHOULD NOT do this. A token both in the query and elsewhere is refused as
// ambiguous.
func AllowQueryToken() Option { return func(c *config) { c.query = true } }

// CredentialsOptional lets requests without any token through with no claims
// on the context (ClaimsFromContext reports false), for routes that serve
// anonymous and signed-in users differently. A token that is present but
// does not verify is still refused, and so is an Authorization header with
// another scheme (the client presented credentials it expects to be
// checked). RequireScopes and orgs.Require still refuse anonymous requests.
func CredentialsOptional() Option { return func(c *config) { c.optional = true } }

// WithErrorHandler replaces every response this package and package orgs
// write (401, 403, 503 and the quiet 499) with h. h receives the
// request and the *Error that would have been written; e.WriteResponse
// writes the default answer, so h can log and delegate.
func WithErrorHandler(h ErrorHandler) Option { return func(c *config) { c.errorHandler = h } }

// WithObserver has o told the outcome of every request once, when the
// request is done with this package: how Authenticate let it through, or
// the refusal written by Authenticate or by a route check after it
// (RequireScopes, orgs.Require). The Event holds bounded labels only, fit
// for log/slog and for metric labels (package metrics implements the
// Observer).
func WithObserver(o Observer) Option { return func(c *config) { c.observer = o } }

// WithLogger has l told every refused request once, with the same bounded
// labels as the Observer (method, route pattern, outcome, reason, status)
// and, for the package's own extraction errors and Verify errors, the error
// message; never the token nor the Authorization header. Levels: Debug for
// requests without usable credentials (missing token, malformed
// credentials, route check without claims, client gone), Info for tokens
// refused (invalid token, missing scope, organization refusals), Warn for
// 503s (keys or an organization check unavailable). Requests let through
// are not logged. Default: no logging.
func WithLogger(l *slog.Logger) Option { return func(c *config) { c.logger = l } }

// WithVerifyOptions passes opts to every Verify call of this middleware
// (for example verifier.WithOrganization for a whole API). Use one
// Authenticate per route group to vary them per route.
func WithVerifyOptions(opts ...verifier.Option) Option {
	return func(c *config) { c.verifyOpts = append([]verifier.Option(nil), opts...) }
}

// WithRetryAfter sets the Retry-After of 503 answers, in whole seconds
// (rounded up, at least one). Default 10 seconds.
func WithRetryAfter(d time.Duration) Option {
	return func(c *config) { c.retryAfter, c.retrySet = d, true }
}

func newConfig(opts []Option) *config {
	c := &config{}
	for _, o := range opts {
		if o == nil {
			panic("middleware: nil Option")
		}
		o(c)
	}
	if c.realm == "" {
		c.realm = defaultRealm
	}
	if !validQuoted(c.realm) {
		panic(fmt.Sprintf("middleware: realm %q must be printable ASCII without '\"' or '\\'", c.realm))
	}
	if c.extractor != nil && (c.cookie != "" || c.query) {
		panic("middleware: WithTokenExtractor replaces the default extractor: WithCookie and AllowQueryToken have no effect with it")
	}
	if c.cookie != "" && !validCookieName(c.cookie) {
		panic(fmt.Sprintf("middleware: invalid cookie name %q", c.cookie))
	}
	if !c.retrySet {
		c.retryAfter = defaultRetryAfter
	}
	if c.retryAfter <= 0 {
		panic("middleware: WithRetryAfter needs a positive duration")
	}
	c.checkSenderConstraints()
	c.checkResourceMetadata()
	return c
}

// WithUniformErrors answers every refused token with one description, "the
// access token is invalid or has expired", and every refused DPoP proof
// with "the DPoP proof is missing or invalid", in place of the constant
// description of each failure class (expired, not valid yet, wrong
// audience, wrong issuer, signature or key, malformed, missing claim,
// bound token, revoked, claims rejected, ...). The class tells a client
// whether to refresh its token or give up; uniform errors tell it nothing
// more than that the token was refused.
func WithUniformErrors() Option { return func(c *config) { c.uniform = true } }
