package client

import (
	"net/http"
	"time"
)

// Retry reasons reported in RetryEvent.Reason.
const (
	ReasonRateLimited = "rate_limited"
	ReasonServerError = "server_error"
	ReasonNetwork     = "network"
)

// Observer receives one event per HTTP attempt and one per retry wait. It is
// called synchronously on the caller's goroutine; implementations must be
// safe for concurrent use and fast (the metrics package implements it).
type Observer interface {
	ObserveRequest(RequestEvent)
	ObserveRetry(RetryEvent)
}

// RequestEvent describes one HTTP attempt.
type RequestEvent struct {
	API        string // "authentication" or "management"
	Method     string
	StatusCode int // 0 when no response was received
	Duration   time.Duration
	Attempt    int   // 1 for the first attempt
	Err        error // transport error, or the *Error of a non-2xx answer
	// RateLimitRemaining is the answer's X-RateLimit-Remaining, -1 when
	// absent or not a non-negative integer (or no answer came).
	RateLimitRemaining int
}

// RetryEvent describes a wait before a retry.
type RetryEvent struct {
	API    string
	Method string
	// Reason is ReasonRateLimited, ReasonServerError or ReasonNetwork.
	Reason string
	Wait   time.Duration
	// RateLimitRemaining is X-RateLimit-Remaining, -1 when unknown.
	RateLimitRemaining int
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
