package middleware

import (
	"context"
	"errors"
	"io"
	"net/http"
	"time"

	"github.com/tokengate/tokengate/internal/errclass"
	"github.com/tokengate/tokengate/internal/routecheck"
	"github.com/tokengate/tokengate/verifier"
)

// Constant descriptions, one per class. They never carry token data or the
// verifier's messages (W4). A refused token's description is its failure
// class's (internal/errclass), or errclass.Uniform with WithUniformErrors.
const (
	descMissing     = "a bearer token is required"
	descRequest     = "the request's bearer credentials are malformed or ambiguous"
	descUnavailable = "the token cannot be checked right now; try again later"
	descScope       = "the access token lacks a required scope or permission"
	descCrossSite   = "the request's origin may not use the cookie credentials"
	// A route check without Authenticate before it: the server's mistake.
	descMisconfigured = routecheck.UnmountedDescription
)

// authenticator is one built Authenticate: its configuration and the
// responses precomputed from it, so that no refusal formats headers.
type authenticator struct {
	v   *verifier.Verifier
	cfg *config
	// typed is set by AuthenticateTyped: it verifies in place of v.Verify
	// and also returns the custom claims.
	typed *typedVerify

	prefix      string // `Bearer realm="..."` and resource_metadata (resourcemeta.go)
	missing     Error
	badRequest  Error
	badToken    [errclass.N]Error // invalid_token, by failure class
	unavailable Error
	canceled    Error
	crossSite   Error

	dp *senderConstraints // WithDPoP, nil without (dpop.go)
}

// Authenticate returns middleware that verifies the request's bearer token
// with v and puts the claims on the context (see ClaimsFromContext). It
// panics if v is nil or the options contradict each other.
//
// Requests without a token that verifies do not reach next. They are
// answered as RFC 6750 section 3 says, with the JSON body
// {"error":..., "error_description":...}, Cache-Control: no-store, and the
// status and Outcome (see Event) of their class:
//
//   - no token: 401, WWW-Authenticate: Bearer realm="api" (no error
//     attribute), error "unauthorized" (OutcomeMissingToken);
//   - malformed or ambiguous credentials (Bearer without a token, extra
//     spaces, two Authorization headers, a token in two places, a token
//     with characters outside RFC 6750's b64token): 401 with
//     error="invalid_request" (OutcomeInvalidRequest; RFC 6750 would allow
//     400, but one status for "no usable credentials" is what clients and
//     proxies expect);
//   - a token that does not verify, for any reason: 401 with
//     error="invalid_token" (OutcomeInvalidToken);
//   - a cookie token on an unsafe request not shown to come from the site
//     itself (WithCookie): 403, error "access_denied", no challenge
//     (OutcomeCrossSite);
//   - keys unavailable, or the request's deadline ended while they were
//     fetched: 503 with Retry-After (WithRetryAfter), error
//     "temporarily_unavailable" (OutcomeKeysUnavailable);
//   - the client went away (its context canceled): StatusClientClosedRequest
//     and nothing else (OutcomeCanceled);
//   - a CORS preflight, with PassCORSPreflight: 204, or the CORS handler's
//     answer (OutcomePreflight).
//
// An Authorization header of another scheme (Basic) carries no bearer
// token: the request counts as one without a token. Once a token verified,
// the first 64 KiB of an application/x-www-form-urlencoded body are read
// to look for an access_token member (RFC 6750 section 2.2), which makes
// the request ambiguous; the handler then reads the body exactly as it was
// sent. Bodies of requests refused earlier are never read, and form-body
// tokens are never accepted.
//
// WithErrorHandler replaces these answers, and those of the route checks
// after Authenticate (RequireScopes, package orgs).
func Authenticate(v *verifier.Verifier, opts ...Option) func(http.Handler) http.Handler {
	if v == nil {
		panic("middleware: Authenticate needs a *verifier.Verifier")
	}
	a := newAuthenticator(v, newConfig(opts))
	return func(next http.Handler) http.Handler {
		if next == nil {
			panic("middleware: Authenticate given a nil handler")
		}
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			a.serve(w, r, next)
		})
	}
}

func newAuthenticator(v *verifier.Verifier, cfg *config) *authenticator {
	a := &authenticator{v: v, cfg: cfg, prefix: "Bearer " + cfg.authParams()}
	a.missing = Error{Status: http.StatusUnauthorized, Code: "unauthorized", Description: descMissing,
		Challenge: a.prefix, Outcome: OutcomeMissingToken}
	a.badRequest = Error{Status: http.StatusUnauthorized, Code: "invalid_request", Description: descRequest,
		Challenge: a.prefix + `, error="invalid_request", error_description="` + descRequest + `"`,
		Outcome:   OutcomeInvalidRequest}
	for c := range errclass.N {
		desc := c.Description(cfg.uniform)
		a.badToken[c] = Error{Status: http.StatusUnauthorized, Code: "invalid_token", Description: desc,
			Challenge: a.prefix + `, error="invalid_token", error_description="` + desc + `"`,
			Outcome:   OutcomeInvalidToken}
	}
	a.unavailable = Error{Status: http.StatusServiceUnavailable, Code: "temporarily_unavailable",
		Description: descUnavailable, RetryAfter: cfg.retryAfter, Outcome: OutcomeKeysUnavailable}
	a.canceled = Error{Status: StatusClientClosedRequest, Outcome: OutcomeCanceled}
	a.crossSite = Error{Status: http.StatusForbidden, Code: "access_denied", Description: descCrossSite,
		Outcome: OutcomeCrossSite}
	a.initSenderConstraints()
	return a
}

func (a *authenticator) serve(w http.ResponseWriter, r *http.Request, next http.Handler) {
	var t0 time.Time // when the request reached this layer, for the Observer
	if a.cfg.observer != nil {
		t0 = time.Now()
	}
	if a.cfg.preflight && isPreflight(r) {
		a.answerPreflight(w, r, t0)
		return
	}
	if a.dp != nil && a.serveDPoP(w, r, t0, next) {
		return
	}
	var tok string
	var from source
	var other bool
	var err error
	if a.cfg.extractor != nil {
		tok, err = a.cfg.extractor(r)
	} else {
		tok, from, other, err = a.cfg.extract(r)
	}
	if err != nil {
		a.refuse(w, r, t0, &a.badRequest, err, "")
		return
	}
	if from == fromCookie && !a.cfg.csrf.allows(r) {
		a.refuse(w, r, t0, &a.crossSite, errCrossSite, "")
		return
	}
	if tok == "" {
		if a.cfg.optional && !other {
			a.pass(w, r, t0, next, &state{Context: r.Context(), auth: a}, OutcomeAnonymous, "", nil)
			return
		}
		a.refuse(w, r, t0, &a.missing, nil, "")
		return
	}
	claims, custom, err := a.verify(a.verifyContext(r), tok)
	if err != nil {
		if a.cfg.extractor == nil && !isB64Token(tok) { // see splitBearer
			a.refuse(w, r, t0, &a.badRequest, errMalformedToken, "")
			return
		}
		a.refuse(w, r, t0, a.classify(r.Context(), err, &a.badToken), err, verifier.Reason(err))
		return
	}
	if err := a.checkCertificate(r, claims); err != nil { // WithMTLS (mtls.go)
		a.refuse(w, r, t0, &a.badToken[errclass.Certificate], err, certificateReason(err))
		return
	}
	var body io.ReadCloser
	if from != fromNone && hasBody(r) {
		// Only once the token verified: an unauthenticated request never
		// makes Authenticate read its body.
		var found bool
		if found, body = formToken(r); found {
			a.refuse(w, r, t0, &a.badRequest, errFormToken, "")
			return
		}
	}
	a.pass(w, r, t0, next, a.newState(r.Context(), tok, claims, custom), OutcomeOK, "ok", body)
}

// classify picks the response for a Verify error: the answer of the
// token's failure class from bad (errclass.Token), unless the token is not
// at fault. Only a canceled request context is a client that went away
// (routecheck.ClientGone); a deadline is the server giving up on a key
// source that did not answer in time, an outage like any other.
func (a *authenticator) classify(ctx context.Context, err error, bad *[errclass.N]Error) *Error {
	switch {
	case routecheck.ClientGone(ctx):
		return &a.canceled // nobody reads the answer: say nothing
	case errors.Is(err, verifier.ErrKeysUnavailable),
		errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return &a.unavailable // the key source failed, not the token
	}
	return &bad[errclass.Token(err)]
}

// pass hands the request to next with s as its context and, when not nil,
// body as its body, then reports it.
func (a *authenticator) pass(w http.ResponseWriter, r *http.Request, t0 time.Time, next http.Handler, s *state, outcome, reason string, body io.ReadCloser) {
	r2 := r.WithContext(s)
	if body != nil {
		r2.Body = body
	}
	next.ServeHTTP(w, r2)
	if a.cfg.observer != nil || a.cfg.logger != nil {
		ev := Event{Outcome: outcome, Reason: reason, Route: RoutePattern(r2), Method: r.Method, Start: t0}
		if rf := s.refusal.Load(); rf != nil { // a route check downstream refused it
			// The token verified, but "ok" would read as a pass: the
			// Outcome says why the check refused.
			ev.Outcome, ev.Reason, ev.Status = rf.outcome, "", rf.status
		}
		a.report(r2, ev, nil)
	}
}

// refuse answers a request that does not get through this Authenticate.
func (a *authenticator) refuse(w http.ResponseWriter, r *http.Request, t0 time.Time, tmpl *Error, cause error, reason string) {
	e := *tmpl
	e.Err = cause
	if s := stateFrom(r.Context()); s != nil { // an enclosing Authenticate
		s.Refused(e.Outcome, e.Status)
	}
	writeError(w, r, a, &e)
	if a.cfg.observer != nil || a.cfg.logger != nil {
		a.report(r, Event{Outcome: e.Outcome, Reason: reason, Status: e.Status, Route: RoutePattern(r), Method: r.Method, Start: t0}, cause)
	}
}

// challenge is the WWW-Authenticate of a 401 without error attribute; a may
// be nil (no Authenticate in the chain).
func (a *authenticator) challenge() string {
	if a == nil {
		return `Bearer realm="` + defaultRealm + `"`
	}
	return a.prefix
}

func (a *authenticator) retryAfter() time.Duration {
	if a == nil {
		return defaultRetryAfter
	}
	return a.cfg.retryAfter
}
