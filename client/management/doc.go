// Package management is a client for the Auth0 Management API v2: every
// method of the Auth0 Python SDK 4.13 Management classes, every endpoint of
// go-auth0 v1.32.0's management package, and the newer endpoints seen in
// the recorded traffic of testdata (327 methods; COVERAGE.md lists them
// with their source, and the newer endpoints not covered yet), grouped by
// resource as m.Users, m.Organizations, m.Roles, m.EventStreams, ...
//
//	m, err := management.New("tenant.eu.auth0.com", management.Config{ClientID: id, ClientSecret: secret})
//	user, err := m.Users.Get(ctx, "auth0|42", nil)
//	for member, err := range m.Organizations.AllMembers(ctx, orgID, nil, nil) { ... }
//
// New takes the tenant domain and a Config that names exactly one source
// of tokens (a static Token; ClientID with ClientSecret or
// ClientAssertionKey; or an authentication.Client of your own) and, in its
// HTTP field, the client.Config shared with package authentication
// (timeout, retries, hooks, clock); New validates it. Errors are
// *client.Error and, for a 429 whose retries ran out,
// *client.RateLimitError. Client-credentials tokens are cached until
// shortly before they expire and fetched once for concurrent callers; a
// 401 drops the cached token and retries once.
//
// # Running a fleet
//
// Replicas of one application share state through two small interfaces:
// Config.TokenStore (TokenStore: one replica fetches the client-credentials
// token under a lock, every replica uses it, a 401 replaces it once for
// all) and Config.HTTP.Budget (client.RateBudget: every request waits for
// its turn within the tenant's rate limit, per tenant and per endpoint
// class, the class being the resource: "users", "organizations", ...).
// Without them each client caches its own token and only reacts to 429s.
// The nested module github.com/tokengate/tokengate/redisstore implements
// both on Redis.
//
// Methods take ctx, then the path parameters, then the body or options (a
// nil pointer means the defaults of the Python SDK 4.x). A list returns a
// *Page[T] and takes its page as the pagination its endpoint supports:
// *Offset (page, per_page, include_totals), *Checkpoint (from, take), or
// Pagination (either). Each list has an iterator (All, AllMembers, ...)
// returning iter.Seq2[T, error] over every page. A typed model writes
// back what the API sent: the members it has no field for are kept in
// Extra, and members sent as null or empty ("", [], {}) that its fields
// would omit are written back while their field is unset, so a decoded
// answer can be sent back unchanged. Configuration-style resources take
// and return an Object.
//
// # What is trusted, what fails closed
//
// The domain and credentials come only from configuration (plain http only
// for loopback hosts, see client.BaseURL). No request is sent without a
// token: one that cannot be had fails the request with an error wrapping
// ErrToken; token lifetimes are clamped to 30 days before any arithmetic,
// and a panic during the shared token fetch comes back to every waiting
// caller as an error; a TokenStore's answer is checked as the token
// endpoint's is (an empty token, or one with bytes a header cannot carry,
// fails with ErrToken). Path parameters are escaped and an empty one refused
// (ErrEmptyParameter). A list walk always ends: a repeated cursor or page,
// or Auth0's 1000-result offset limit, ends it with an error wrapping
// ErrPagination, so a truncated list is never taken for the whole one.
// Answers are read through the size caps of client.Config; list answers
// nested deeper than 64 levels are refused. Tokens and secrets never appear
// in errors, String output, log lines or debug events: the table of
// secrets shared with package authentication covers the configuration
// resources and the answers that carry one (tickets, invitation URLs);
// TestX22RedactionEveryMethod walks every method of testdata/coverage.tsv
// against it.
//
// # Tests against recorded traffic
//
// TestReplay replays every recorded interaction of testdata (1,602 real
// Management API calls recorded by go-auth0's tests) through the method of
// its endpoint; the call is built from the recorded request by rules
// derived from testdata/coverage.tsv and the method's signature, so any
// recording in the same JSON-lines schema replays without new test code:
//
//	TOKENGATE_RECORDINGS=/path/to/recordings.jsonl go test ./client/management ./client/authentication -run TestReplay
package management
