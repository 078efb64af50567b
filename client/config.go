package client

import (
	"log/slog"
	"net/http"
	"time"
)

// Config is the HTTP behaviour shared by the Authentication and Management
// API clients: authentication.Config and management.Config hold one as
// their HTTP field. The zero value is the safe default: 10 s per attempt,
// 3 retries, waits of at most 60 s, a private connection pool, no hooks.
// The constructors of those packages validate it and report a negative
// duration, a retry count out of range or a header value with control
// characters as an error.
type Config struct {
	// HTTPClient's Transport carries the requests (nil, or a nil
	// Transport: a private clone of http.DefaultTransport). Only the
	// Transport is used: the timeout is Timeout, applied through the
	// request context, and redirects are never followed, so a body that
	// carries a client secret is never re-sent to another URL.
	HTTPClient *http.Client

	// Timeout bounds each HTTP attempt (connection, headers and body);
	// 0 means 10 s. Waits between attempts are bounded by MaxWait and by
	// the caller's context, not by Timeout.
	Timeout time.Duration

	// MaxRetries is how many times a failed request may be retried after
	// its first attempt: 0 means 3, NoRetries sends every request once, at
	// most 10. 429 answers are always retried; 5xx answers and network
	// errors only for idempotent requests (GET, HEAD, PUT, DELETE), so a
	// POST that may have been processed is never sent twice.
	MaxRetries int

	// Backoff is the first wait of the exponential backoff (doubling per
	// retry, with jitter); 0 means 500 ms, or MaxWait when that is less.
	Backoff time.Duration
	// MaxWait caps any single wait between attempts, including the waits
	// Retry-After and X-RateLimit-Reset ask for; 0 means 60 s, or Backoff
	// when that is more. Backoff above MaxWait is an error.
	MaxWait time.Duration

	// MaxResponseSize bounds every answer body read; 0 means 10 MiB. A
	// larger success body fails with ErrResponseTooLarge; 64 KiB of an
	// error body is kept.
	MaxResponseSize int64

	// Budget, when set, spaces the requests within the API's rate
	// limits: every attempt (retries included) waits for its turn first,
	// and an answer that says the limit is spent (a 429, or
	// X-RateLimit-Remaining 0) pauses it until the limit resets. A request
	// whose turn is further away than the budget's MaxWait or its context's
	// deadline fails at once with a *BudgetError, nothing sent. nil (the
	// default): no budget; 429 answers are retried after Retry-After or
	// X-RateLimit-Reset. LocalBudget is the in-process budget; see
	// RateBudget for budgets shared by replicas.
	Budget RateBudget

	// Observer receives one event per attempt and one per retry wait (the
	// metrics package implements it). A panic in it is stopped and logged.
	Observer Observer
	// Logger logs every attempt at Debug (API, method, URL with secret
	// query values redacted, status, duration), every wait before a retry
	// at Info, and a request given up while still worth retrying at Warn.
	// Headers and bodies are never logged. nil: no logging.
	Logger *slog.Logger
	// Debug, when set, is called once per attempt with a redacted account
	// of the exchange (DebugEvent), on the caller's goroutine. A panic in
	// it is stopped and logged.
	Debug func(DebugEvent)

	// DisableTelemetry stops sending the Auth0-Client header and this
	// package's User-Agent (UserAgent, when set, is still sent).
	DisableTelemetry bool
	// UserAgent replaces the User-Agent header.
	UserAgent string

	// Now replaces time.Now: it reads Retry-After dates and
	// X-RateLimit-Reset, and the clients use it for token expiry and
	// client assertions (tests).
	Now func() time.Time
}

// NoRetries, as Config.MaxRetries, sends every request once.
const NoRetries = -1
