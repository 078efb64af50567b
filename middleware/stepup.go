package middleware

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/tokengate/tokengate/internal/strictjson"
	"github.com/tokengate/tokengate/verifier"
)

// Step-up authentication (RFC 9470): a route's requirement on how, and how
// recently, the user authenticated, read from the verified token's acr,
// amr and auth_time claims. A token that does not meet it is valid, but not
// for this route: the client is told, with a challenge, what to ask the
// authorization server for (acr_values, max_age) in a new authorization
// request.

// OutcomeInsufficientAuthentication is the Event.Outcome of a request
// RequireStepUp refused: 401, error "insufficient_user_authentication".
const OutcomeInsufficientAuthentication = "insufficient_user_authentication"

// ACRMultiFactor is the acr value Auth0 puts in tokens of a login that
// passed multi-factor authentication, and the acr_values an application
// sends to ask for one.
const ACRMultiFactor = "http://schemas.openid.net/pape/policies/2007/06/multi-factor"

// AMRMultiFactor is the amr value Auth0 puts in tokens of a login that
// passed multi-factor authentication.
const AMRMultiFactor = "mfa"

// The descriptions of the step-up refusals, one per requirement.
const (
	descStepUpACR = "a different authentication level is required"
	descStepUpAge = "more recent authentication is required"
)

const codeStepUp = "insufficient_user_authentication"

// StepUpOption is one requirement of a StepUp.
type StepUpOption func(*StepUp)

// StepUpACR allows the acr values values (exactly, case-sensitive): the
// token's acr must be one of them. Each must be an RFC 6749 scope token
// (printable ASCII, no space, '"' or '\'), as acr_values is a
// space-separated list in a quoted string.
func StepUpACR(values ...string) StepUpOption {
	values = append([]string(nil), values...)
	return func(s *StepUp) {
		if len(values) == 0 {
			s.err = errors.New("StepUpACR needs at least one value")
		}
		s.acr = append(s.acr, values...)
	}
}

// StepUpMFA requires Auth0's multi-factor signal: acr ACRMultiFactor, or
// amr (an array of strings) holding AMRMultiFactor. With StepUpACR, a token
// with one of its values passes too. The challenge's acr_values asks for
// ACRMultiFactor, which is how an application asks Auth0 for MFA.
func StepUpMFA() StepUpOption {
	return func(s *StepUp) { s.mfa = true }
}

// StepUpMaxAge requires the user to have authenticated at most d ago
// (auth_time, with the Verifier's Leeway; an auth_time in the future does
// not count), by the rule of verifier.WithMaxAge (Verifier.CheckMaxAge). d
// must be whole seconds, zero (an authentication that happened now) or
// more: the challenge's max_age is a number of seconds.
func StepUpMaxAge(d time.Duration) StepUpOption {
	return func(s *StepUp) {
		if d < 0 || d%time.Second != 0 {
			s.err = fmt.Errorf("StepUpMaxAge(%v): want whole seconds, zero or more", d)
		}
		s.maxAge, s.hasMaxAge = d, true
	}
}

// StepUp is a checked set of step-up requirements: NewStepUp builds it.
// RequireStepUp applies one to a route; package grpcauth to a method.
type StepUp struct {
	acr       []string // allowed acr values, ACRMultiFactor included with mfa
	mfa       bool
	maxAge    time.Duration
	hasMaxAge bool
	err       error // the first misuse an option found

	// The auth-params of the two challenges, after the realm.
	paramsACR, paramsAge string
}

// NewStepUp returns the requirements opts describe, or an error when there
// are none, or one is invalid (an acr value that is not a scope token, an
// empty StepUpACR, a negative or fractional max age).
func NewStepUp(opts ...StepUpOption) (*StepUp, error) {
	if len(opts) == 0 {
		return nil, errors.New("middleware: a step-up requirement needs StepUpACR, StepUpMFA or StepUpMaxAge")
	}
	s := &StepUp{}
	for _, o := range opts {
		if o == nil {
			return nil, errors.New("middleware: nil StepUpOption")
		}
		o(s)
		if s.err != nil {
			return nil, errors.New("middleware: " + s.err.Error())
		}
	}
	for _, v := range s.acr {
		if !validScope(v) {
			return nil, fmt.Errorf("middleware: StepUpACR: %q is not a valid acr value for acr_values (printable ASCII, no space, '\"' or '\\')", v)
		}
	}
	if s.mfa {
		s.acr = append(s.acr, ACRMultiFactor)
	}
	s.acr = dedupe(s.acr)
	var tail string
	if len(s.acr) > 0 {
		tail += `, acr_values="` + strings.Join(s.acr, " ") + `"`
	}
	if s.hasMaxAge {
		tail += ", max_age=" + strconv.FormatInt(int64(s.maxAge/time.Second), 10)
	}
	s.paramsACR = `error="` + codeStepUp + `", error_description="` + descStepUpACR + `"` + tail
	s.paramsAge = `error="` + codeStepUp + `", error_description="` + descStepUpAge + `"` + tail
	return s, nil
}

// StepUpError is the cause of a step-up refusal: which requirement the
// token did not meet (for logs; it never holds claim values). Params is the
// challenge's auth-params after the realm: error, error_description,
// acr_values and max_age.
type StepUpError struct {
	Params      string
	Description string
	Err         error // verifier.ErrMaxAge for the max age; nil for acr and amr
	reason      string
}

func (e *StepUpError) Error() string {
	msg := "step-up authentication required: " + e.reason
	if e.Err != nil {
		msg += ": " + e.Err.Error()
	}
	return msg
}

func (e *StepUpError) Unwrap() error { return e.Err }

// Check reports whether claims c, verified by v, meet s: nil, or a
// *StepUpError naming the first requirement they do not meet (acr and amr
// before the max age).
func (s *StepUp) Check(v *verifier.Verifier, c *verifier.Claims) error {
	if len(s.acr) > 0 {
		if reason := s.checkACR(c); reason != "" {
			return &StepUpError{Params: s.paramsACR, Description: descStepUpACR, reason: reason}
		}
	}
	if s.hasMaxAge {
		if err := v.CheckMaxAge(c, s.maxAge); err != nil {
			return &StepUpError{Params: s.paramsAge, Description: descStepUpAge, Err: err, reason: "auth_time"}
		}
	}
	return nil
}

// checkACR returns "" when c's acr is allowed or, with StepUpMFA, its amr
// holds AMRMultiFactor; else why not. acr must be a string and amr an array
// of strings: any other JSON type does not match (fail closed).
func (s *StepUp) checkACR(c *verifier.Claims) string {
	raw, ok := c.Lookup("acr")
	reason := "acr claim missing"
	if ok {
		reason = "acr claim not a string"
		if acr, isStr := jsonString(raw); isStr {
			for _, want := range s.acr {
				if acr == want {
					return ""
				}
			}
			reason = "acr value not allowed"
		}
	}
	if !s.mfa {
		return reason
	}
	raw, ok = c.Lookup("amr")
	if !ok {
		return reason + "; amr claim missing"
	}
	switch hasAMR(raw, AMRMultiFactor) {
	case amrFound:
		return ""
	case amrMalformed:
		return reason + "; amr claim not an array of strings"
	}
	return reason + "; amr without " + AMRMultiFactor
}

const (
	amrAbsent = iota
	amrFound
	amrMalformed
)

// hasAMR reports whether raw, a JSON value, is an array of strings holding
// want; an array with an element that is not a string is malformed, even
// after want.
func hasAMR(raw []byte, want string) int {
	sc := strictjson.NewScanner(raw)
	if sc.Peek() != strictjson.Array || sc.BeginArray() != nil {
		return amrMalformed
	}
	found := false
	for {
		more, err := sc.NextElement()
		if err != nil {
			return amrMalformed
		}
		if !more {
			break
		}
		if sc.Peek() != strictjson.String {
			return amrMalformed
		}
		v, esc, err := sc.ReadString()
		if err != nil {
			return amrMalformed
		}
		if esc {
			v = strictjson.Unescape(nil, v)
		}
		if string(v) == want {
			found = true
		}
	}
	if found {
		return amrFound
	}
	return amrAbsent
}

// RequireStepUp returns middleware that lets a request through only when
// its verified token meets the step-up requirements opts describe (RFC
// 9470): StepUpACR, StepUpMFA, StepUpMaxAge. Otherwise it answers 401 with
// the JSON body {"error":"insufficient_user_authentication",...} and
//
//	WWW-Authenticate: Bearer realm="api", error="insufficient_user_authentication",
//	  error_description="...", acr_values="...", max_age=N
//
// (the realm and resource_metadata of the request's Authenticate; acr_values
// when an acr is required, max_age when an age is), so that the client can
// start a new authorization request with those parameters
// (OutcomeInsufficientAuthentication). The description says which
// requirement failed: "a different authentication level is required" or
// "more recent authentication is required". Without claims on the context
// the answer is the 401 of RequireScopes.
//
// It panics when NewStepUp refuses opts.
func RequireStepUp(opts ...StepUpOption) func(http.Handler) http.Handler {
	su, err := NewStepUp(opts...)
	if err != nil {
		panic(err.Error())
	}
	unauth := &Error{Status: http.StatusUnauthorized, Outcome: OutcomeUnauthenticated} // WriteError completes it
	return func(next http.Handler) http.Handler {
		if next == nil {
			panic("middleware: RequireStepUp given a nil handler")
		}
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			s := stateFrom(r.Context())
			if s == nil || s.claims == nil {
				refuseRoute(w, r, s, unauth)
				return
			}
			if err := su.Check(s.auth.v, s.claims); err != nil {
				se := err.(*StepUpError)
				refuseRoute(w, r, s, &Error{Status: http.StatusUnauthorized, Code: codeStepUp, Description: se.Description,
					Challenge: s.auth.challengeWith(se.Params), Outcome: OutcomeInsufficientAuthentication, Err: err})
				return
			}
			next.ServeHTTP(w, r)
		})
	}
}
