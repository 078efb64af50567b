package client

import (
	"context"
	"net/http"
	"time"

	"github.com/tokengate/tokengate/internal/hook"
)

// Retry reasons reported in RetryEvent.Reason.
const (
	ReasonRateLimited = "rate_limited"
	ReasonServerError = "server_error"
	ReasonNetwork     = "network"
)

// Observer receives one event per HTTP attempt and one per retry wait,
// after the fact. It is called synchronously on the caller's goroutine;
// implementations must be safe for concurrent use and fast (the metrics
// package implements it; package otelauth, a nested module, too). ctx is
// the caller's context, or for ObserveRequest the context RequestHook
// returned for that attempt. A panic in it is stopped and logged.
//
// An Observer that is also a RequestHook is called before each attempt as
// well. Events never hold a token, a secret, a header, a body or the
// request's path with its values: the path is its template (Route).
type Observer interface {
	ObserveRequest(ctx context.Context, e RequestEvent)
	ObserveRetry(ctx context.Context, e RetryEvent)
}

// RequestHook is implemented by an Observer that acts before each attempt
// is sent: a tracer starts the attempt's span there and writes its trace
// context (W3C traceparent) into the request's headers.
type RequestHook interface {
	// StartRequest is called before each attempt, on the caller's
	// goroutine, with the caller's context. It may add headers to
	// r.Header, which starts empty: the hook never sees the request's own
	// headers (its credentials). A header the request already has (such
	// as Authorization or Content-Type) is never replaced, and one that is
	// not a valid header is dropped. StartRequest returns the context of
	// the attempt: the request carries its values (its deadline and
	// cancellation stay the caller's), and ObserveRequest gets it for that
	// attempt. A panic in it is stopped and logged; the attempt is then
	// sent without the hook's headers.
	StartRequest(ctx context.Context, r *OutgoingRequest) context.Context
}

// OutgoingRequest describes an attempt about to be sent, for RequestHook.
type OutgoingRequest struct {
	API    string // "authentication" or "management"
	Method string
	// Route is the endpoint's path template, as the API reference writes
	// it ("/api/v2/users/{id}", "/oauth/token"): a bounded label.
	Route string
	// Host is the API's host, with its port when the base URL has one.
	Host    string
	Attempt int // 1 for the first attempt
	// RetryReason and Wait are the reason and length of the wait that
	// preceded this attempt ("" and 0 for the first).
	RetryReason string
	Wait        time.Duration
	// Header collects the headers the hook adds (see StartRequest).
	Header http.Header
}

// RequestEvent describes one HTTP attempt.
type RequestEvent struct {
	API    string // "authentication" or "management"
	Method string
	// Route is the endpoint's path template (see OutgoingRequest.Route).
	Route string
	// Host is the API's host, with its port when the base URL has one.
	Host       string
	StatusCode int // 0 when no response was received
	// Start is when the attempt was sent; Duration how long it took,
	// answer body included.
	Start    time.Time
	Duration time.Duration
	Attempt  int   // 1 for the first attempt
	Err      error // transport error, or the *Error of a non-2xx answer
	// RateLimitRemaining is the answer's X-RateLimit-Remaining, -1 when
	// absent or not a non-negative integer (or no answer came).
	RateLimitRemaining int
}

// RetryEvent describes a wait before a retry.
type RetryEvent struct {
	API    string
	Method string
	Route  string // the endpoint's path template
	// Attempt is the attempt that failed; the next one is Attempt+1.
	Attempt int
	// Reason is ReasonRateLimited, ReasonServerError or ReasonNetwork.
	Reason string
	Wait   time.Duration
	// RateLimitRemaining is X-RateLimit-Remaining, -1 when unknown.
	RateLimitRemaining int
}

// JoinObservers returns an Observer that hands every event to each of obs
// in order (nil ones skipped), each call guarded so that one observer's
// panic does not keep the others from their event: metrics and tracing at
// once. It is a RequestHook when one of obs is: StartRequest then runs the
// hooks in order, each given the context the one before returned, into
// one header set. It returns nil when obs holds no observer, and the
// observer itself when it holds one.
func JoinObservers(obs ...Observer) Observer {
	return hook.Join(obs, func(all []Observer) Observer {
		j := &joined{joinedObservers: joinedObservers{all: all}}
		for _, o := range all {
			if h, ok := o.(RequestHook); ok {
				j.hooks = append(j.hooks, h)
			}
		}
		if len(j.hooks) == 0 {
			return &j.joinedObservers
		}
		return j
	})
}

type joinedObservers struct{ all []Observer }

func (j *joinedObservers) ObserveRequest(ctx context.Context, e RequestEvent) {
	hook.Each(j.all, func(o Observer) { o.ObserveRequest(ctx, e) })
}

func (j *joinedObservers) ObserveRetry(ctx context.Context, e RetryEvent) {
	hook.Each(j.all, func(o Observer) { o.ObserveRetry(ctx, e) })
}

type joined struct {
	joinedObservers
	hooks []RequestHook
}

func (j *joined) StartRequest(ctx context.Context, r *OutgoingRequest) context.Context {
	hook.Each(j.hooks, func(h RequestHook) {
		if next := h.StartRequest(ctx, r); next != nil {
			ctx = next
		}
	})
	return ctx
}

// Redacted replaces every secret in debug events, log lines and error
// strings.
const Redacted = "[REDACTED]"

// DebugEvent is a redacted account of one HTTP attempt, for Config.Debug.
// Credential headers and every secret of the table of secrets (see the
// package documentation) are replaced by Redacted; the bodies of endpoints
// that are all secrets (hook secrets, rules-configs values) are not shown
// at all; request secrets echoed anywhere in an answer are removed in
// every common escaping. Bodies are cut to 8 KiB.
type DebugEvent struct {
	API            string
	Method         string
	URL            string
	Attempt        int
	StatusCode     int
	Duration       time.Duration
	RequestHeader  http.Header
	RequestBody    string
	ResponseHeader http.Header
	ResponseBody   string
	Err            error
}
