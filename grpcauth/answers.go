package grpcauth

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/tokengate/tokengate/internal/errclass"
	"github.com/tokengate/tokengate/middleware"
	"github.com/tokengate/tokengate/orgs"
)

// Constant messages, one per class, the descriptions of package middleware
// and orgs: they never carry token data, the verifier's messages or an
// organization. A refused token or proof gets its failure class's message
// (internal/errclass, shared with package middleware).
const (
	msgMissing     = "a bearer token is required"
	msgNoToken     = "an access token is required"
	msgRequest     = "the request's bearer credentials are malformed or ambiguous"
	msgUnavailable = "the token cannot be checked right now; try again later"
	msgCanceled    = "the call was canceled"
	msgScope       = "the access token lacks a required scope or permission"
	msgNonce       = "the resource server requires a fresh nonce in the DPoP proof"
	msgDPoPOnly    = "this resource requires a DPoP-bound access token sent with the DPoP scheme"
	msgOrgMissing  = "the request names no organization this token can be checked against"
	msgOrgDenied   = "the access token is not valid for this organization"
	msgNotMember   = "the user is not a member of the token's organization"
	msgOrgDown     = "the organization cannot be checked right now; try again later"
	msgNotChecked  = "the organization of the call has not been checked yet"
)

// refusal is one way a call is refused, built once: its status (code and
// constant message, the error value shared by every call), the challenge
// sent in the www-authenticate trailer, and the labels it is reported
// with.
type refusal struct {
	code      codes.Code
	msg       string
	st        error // status.Error(code, msg)
	challenge string
	outcome   string
	status    int // the HTTP status of the same refusal, for Event.Status
	retry     bool
	orgCheck  bool // reported to the OrgObserver too
}

func newRefusal(code codes.Code, msg, outcome, challenge string) refusal {
	return refusal{code: code, msg: msg, st: status.Error(code, msg), challenge: challenge, outcome: outcome,
		status: httpStatus(code), retry: code == codes.Unavailable}
}

func (r *refusal) err() error { return r.st }

// httpStatus is the status middleware.Authenticate writes for the same
// refusal, which Event.Status reports, so that one Observer (package
// metrics) counts HTTP and gRPC refusals alike.
func httpStatus(c codes.Code) int {
	switch c {
	case codes.Unauthenticated:
		return http.StatusUnauthorized
	case codes.PermissionDenied:
		return http.StatusForbidden
	case codes.Unavailable:
		return http.StatusServiceUnavailable
	case codes.Canceled:
		return middleware.StatusClientClosedRequest
	}
	return http.StatusInternalServerError
}

// answers are the refusals of one configuration.
type answers struct {
	prefix string // the challenge without error: every accepted scheme

	missing, badRequest, unavailable, canceled refusal
	badToken                                   [errclass.N]refusal // by failure class

	// With DPoP: the DPoP scheme's answers.
	dpBadRequest, nonce, bearerDenied, storeDown refusal
	dpBadToken, badProof                         [errclass.N]refusal // by failure class

	orgMissing, orgDenied, notMember, orgUnavailable, orgCanceled, notChecked refusal
}

func withError(ch, code, desc string) string {
	return ch + `, error="` + code + `", error_description="` + desc + `"`
}

// newAnswers builds the refusals; params are the challenge's parameters
// (realm, resource_metadata). The challenges are middleware.Authenticate's,
// with and without DPoP; uniform is Config.UniformErrors.
func newAnswers(params string, dp *dpopConfig, uniform bool) answers {
	bearer := "Bearer " + params
	a := answers{prefix: bearer}
	missingMsg := msgMissing
	badRequestCh := withError(bearer, "invalid_request", msgRequest)
	badTokenCh := func(msg string) string { return withError(bearer, "invalid_token", msg) }
	if dp != nil {
		dpch := "DPoP " + params + `, algs="` + strings.Join(dp.d.Algorithms(), " ") + `"`
		a.prefix, missingMsg = bearer+", "+dpch, msgNoToken
		if dp.mode == middleware.DPoPRequired {
			a.prefix = dpch
			badRequestCh = withError(dpch, "invalid_request", msgRequest)
			badTokenCh = func(msg string) string { return withError(dpch, "invalid_token", msg) }
		} else {
			badRequestCh += ", " + dpch
			badTokenCh = func(msg string) string { return withError(bearer, "invalid_token", msg) + ", " + dpch }
		}
		a.dpBadRequest = newRefusal(codes.Unauthenticated, msgRequest, middleware.OutcomeInvalidRequest, withError(dpch, "invalid_request", msgRequest))
		for c := range errclass.N {
			tokMsg, proofMsg := c.Description(false), c.Description(false)
			if uniform { // one text per answer code, whatever the class
				tokMsg, proofMsg = errclass.UniformDPoPToken, errclass.UniformProof
			}
			a.badProof[c] = newRefusal(codes.Unauthenticated, proofMsg, middleware.OutcomeInvalidProof, withError(dpch, "invalid_dpop_proof", proofMsg))
			a.dpBadToken[c] = newRefusal(codes.Unauthenticated, tokMsg, middleware.OutcomeInvalidToken, withError(dpch, "invalid_token", tokMsg))
		}
		a.nonce = newRefusal(codes.Unauthenticated, msgNonce, middleware.OutcomeNonceRequired, withError(dpch, "use_dpop_nonce", msgNonce))
		a.bearerDenied = newRefusal(codes.Unauthenticated, msgDPoPOnly, middleware.OutcomeInvalidToken, withError(dpch, "invalid_token", msgDPoPOnly))
		a.storeDown = newRefusal(codes.Unavailable, msgUnavailable, middleware.OutcomeReplayStoreUnavailable, "")
	}
	a.missing = newRefusal(codes.Unauthenticated, missingMsg, middleware.OutcomeMissingToken, a.prefix)
	a.badRequest = newRefusal(codes.Unauthenticated, msgRequest, middleware.OutcomeInvalidRequest, badRequestCh)
	for c := range errclass.N {
		msg := c.Description(uniform)
		a.badToken[c] = newRefusal(codes.Unauthenticated, msg, middleware.OutcomeInvalidToken, badTokenCh(msg))
	}
	a.unavailable = newRefusal(codes.Unavailable, msgUnavailable, middleware.OutcomeKeysUnavailable, "")
	a.canceled = newRefusal(codes.Canceled, msgCanceled, middleware.OutcomeCanceled, "")

	org := func(code codes.Code, msg, outcome string) refusal {
		r := newRefusal(code, msg, outcome, "")
		r.orgCheck = true
		return r
	}
	a.orgMissing = org(codes.PermissionDenied, msgOrgMissing, orgs.OutcomeMissing)
	a.orgDenied = org(codes.PermissionDenied, msgOrgDenied, orgs.OutcomeDenied)
	a.notMember = org(codes.PermissionDenied, msgNotMember, orgs.OutcomeNotMember)
	a.orgUnavailable = org(codes.Unavailable, msgOrgDown, orgs.OutcomeUnavailable)
	a.orgCanceled = org(codes.Canceled, msgCanceled, middleware.OutcomeCanceled)
	a.notChecked = newRefusal(codes.PermissionDenied, msgNotChecked, orgs.OutcomeMissing, "")
	return a
}

// scope returns the insufficient_scope refusal of a rule whose values are
// scopes (space-separated).
func (a *answers) scope(scopes string) *refusal {
	r := newRefusal(codes.PermissionDenied, msgScope, middleware.OutcomeInsufficientScope,
		withError(a.prefix, "insufficient_scope", msgScope)+`, scope="`+scopes+`"`)
	return &r
}

// stepUp returns the refusal of a step-up requirement a token did not meet
// (err, a *middleware.StepUpError from StepUp.Check): Unauthenticated with
// its description and RFC 9470's challenge. Built per refusal: its
// parameters depend on the requirement that failed.
func (a *answers) stepUp(err error) *refusal {
	var se *middleware.StepUpError
	if !errors.As(err, &se) { // Check returns no other error
		return &a.badToken[errclass.Invalid]
	}
	r := newRefusal(codes.Unauthenticated, se.Description, middleware.OutcomeInsufficientAuthentication, a.prefix+", "+se.Params)
	return &r
}

// formatMillis renders d for grpc-retry-pushback-ms.
func formatMillis(d time.Duration) string {
	return strconv.FormatInt(d.Milliseconds(), 10)
}
