package middleware

import (
	"encoding/json"
	"net/http"
	"strconv"
	"time"
)

// StatusClientClosedRequest is the status recorded when the client went
// away before its token or its organization was checked (the nginx
// convention): the request's context was canceled. Nothing else is written: no body, no headers of
// ours. A context whose deadline passed is not a client that left but the
// server giving up on a check: that is answered 503 with Retry-After.
const StatusClientClosedRequest = 499

// Error is a refused request: what the default response writes, and what an
// ErrorHandler receives. Status, Code and Description are what the client
// sees; Err is the cause for logs (a verifier error, an extractor error) and
// is never written. Package orgs builds Errors too and writes them with
// WriteError.
type Error struct {
	Status      int           // 401, 403, 503 or StatusClientClosedRequest
	Code        string        // the JSON "error": invalid_request, invalid_token, insufficient_scope, insufficient_user_authentication, unauthorized, access_denied, temporarily_unavailable
	Description string        // the JSON "error_description"; constant per class
	Challenge   string        // the WWW-Authenticate value, "" for none
	RetryAfter  time.Duration // sent as Retry-After when positive
	Outcome     string        // a bounded label; Event.Outcome of the refusals of this package and of orgs
	Err         error         // the cause, never sent to the client; may be nil
}

// Error returns the code and, when present, the cause. The cause of a
// verifier error names a claim or a quoted, cut kid, never the token.
func (e *Error) Error() string {
	msg := "middleware: " + e.Outcome
	if e.Err != nil {
		msg += ": " + e.Err.Error()
	}
	return msg
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

// ErrorHandler writes the response for a refused request. It replaces all
// responses of Authenticate, the Require functions and package orgs.
type ErrorHandler func(w http.ResponseWriter, r *http.Request, e *Error)

// WriteResponse writes e as the default response: the status, Challenge as
// WWW-Authenticate, Retry-After, Cache-Control: no-store and the JSON body
// {"error":Code,"error_description":Description}. For
// StatusClientClosedRequest it writes the status only.
func (e *Error) WriteResponse(w http.ResponseWriter) {
	h := w.Header()
	if e.Challenge != "" {
		h.Set("WWW-Authenticate", e.Challenge)
	}
	if e.Status == StatusClientClosedRequest {
		w.WriteHeader(e.Status)
		return
	}
	if e.RetryAfter > 0 {
		h.Set("Retry-After", retrySeconds(e.RetryAfter))
	}
	h.Set("Content-Type", "application/json")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	body, err := json.Marshal(errorBody{e.Code, e.Description})
	if err != nil { // two strings always marshal; keep the status regardless
		body = nil
	}
	w.WriteHeader(e.Status)
	w.Write(append(body, '\n'))
}

// retrySeconds renders d for Retry-After: whole seconds, rounded up.
func retrySeconds(d time.Duration) string {
	s := (d + time.Second - 1) / time.Second
	return strconv.FormatInt(int64(max(s, 1)), 10)
}

type errorBody struct {
	Error       string `json:"error"`
	Description string `json:"error_description,omitempty"`
}

// WriteError answers r with e the way the request's Authenticate is set up:
// its ErrorHandler (default e.WriteResponse) and, for the fields e leaves
// empty, its answer shape: a 401 gets the WWW-Authenticate challenge with
// its realm (RFC 6750: a 401 always carries one) and, without a Code, the
// code "unauthorized" and the description of a request without a token; a
// 503 gets its Retry-After and, without a Code, the code
// "temporarily_unavailable". Without Authenticate in the chain the defaults
// apply. e is not modified.
//
// WriteError only writes: the Observer and Logger of Authenticate report a
// request a handler answered with it as let through (Status 0), since it
// passed authentication. Package orgs uses it for its refusals, which it
// reports itself.
func WriteError(w http.ResponseWriter, r *http.Request, e *Error) {
	var a *authenticator
	if s := stateFrom(r.Context()); s != nil {
		a = s.auth
	}
	writeError(w, r, a, e)
}

// writeError completes a copy of e from a's configuration (nil: defaults)
// and hands it to the error handler.
func writeError(w http.ResponseWriter, r *http.Request, a *authenticator, e *Error) {
	out := *e
	switch out.Status {
	case http.StatusUnauthorized:
		if out.Challenge == "" {
			out.Challenge = a.challenge()
		}
		if out.Code == "" {
			out.Code = "unauthorized"
			if out.Description == "" {
				out.Description = descMissing
			}
		}
	case http.StatusServiceUnavailable:
		if out.RetryAfter <= 0 {
			out.RetryAfter = a.retryAfter()
		}
		if out.Code == "" {
			out.Code = "temporarily_unavailable"
		}
	}
	if a != nil && a.cfg.errorHandler != nil {
		a.cfg.errorHandler(w, r, &out)
		return
	}
	out.WriteResponse(w)
}

// challengeWith is the challenge of a's configuration (the realm and
// resource_metadata; a may be nil) followed by params, the auth-params of a
// refusal that says what the token lacks (RFC 6750 section 3, RFC 9470
// section 3).
func (a *authenticator) challengeWith(params string) string {
	return a.challenge() + ", " + params
}
