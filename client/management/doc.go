// Package management is a client for the Auth0 Management API v2: every
// method of the Auth0 Python SDK 4.13 Management classes (see COVERAGE.md),
// grouped by resource as m.Users, m.Organizations, m.Roles, ...
//
//	m, err := management.New("tenant.eu.auth0.com", management.Config{ClientID: id, ClientSecret: secret})
//	user, err := m.Users.Get(ctx, "auth0|42", nil)
//	for member, err := range m.Organizations.AllMembers(ctx, orgID, nil) { ... }
//
// New takes the tenant domain and a Config, validated by New: exactly one
// source of tokens (a static Token; ClientID with ClientSecret or
// ClientAssertionKey; or an authentication.Client of your own), and in its
// HTTP field the client.Config shared with package authentication
// (timeout, retries, hooks, clock). Errors are *client.Error and, for a 429
// whose retries ran out, *client.RateLimitError.
//
// # Tokens
//
// Client-credentials tokens (audience https://{domain}/api/v2/ unless
// Config.Audience says otherwise) are cached until a tenth of their
// lifetime (at most a minute) before they expire. Concurrent requests that
// find no valid token share one token request (single-flight); a 401
// answer drops the cached token and the request is retried once with a new
// one. A static Token is never refreshed.
//
// # Conventions of the resource methods
//
// Each resource is a type holding the *Management (UserManager,
// OrganizationManager, ...), reached through a field of Management. Its
// methods:
//   - take ctx first, then the path parameters in path order, then the body
//     or a pointer to an options struct (nil means the defaults);
//   - are named for what they do in Go terms: List, Get, Create, Update,
//     Delete; AddX/RemoveX for sets the API adds to and removes from
//     (members, connections), AssignX/RemoveX for roles and permissions;
//     the Python name of each is in COVERAGE.md;
//   - escape every path parameter with url.PathEscape (an ID holding "/"
//     stays one segment) and refuse an empty one with ErrEmptyParameter;
//   - send the query defaults of the Python SDK 4.x (for example Users.List
//     sends page=0&per_page=25&include_totals=true&include_fields=true);
//   - go through one request helper (Management.do), which adds the token
//     and the custom-domain header.
//
// # Lists and iterators
//
// A list method returns a *Page[T]: Auth0 answers either a bare array or an
// object with the items under a name and start/limit/total (or next), and
// both decode. Offset lists take an Offset (Page, PerPage, IncludeTotals);
// lists that also support checkpoint pagination take a Checkpoint (From,
// Take) too, and then send only from/take. Every list has an iterator
// method (All, AllMembers, AllRoles, ...) returning iter.Seq2[T, error] that
// walks every page, without the extra empty-page request the Python SDK
// makes: an offset walk stops after a short page or once the total is
// reached, a checkpoint walk when next is empty. It yields an error once and
// stops, and stops when ctx ends.
//
// A walk always ends, whatever the server answers. A checkpoint cursor
// seen before in the same walk (A→B→A, A→A), or a page whose items are
// those of the page before (a server that ignores page), ends it with an
// error wrapping ErrPagination. Auth0 serves at most 1000 results through
// page/per_page (MaxOffsetResults): an offset walk that reaches them with
// more to come ends with an error wrapping ErrPagination and
// ErrOffsetLimit, not quietly, so a truncated list is never taken for the
// whole one; use the checkpoint iterators or a narrower query past it.
//
// # Models
//
// The resources handlers use have typed models (User, Organization, Role,
// Client, ...). Fields the API may leave out are pointers (*bool, *int,
// *time.Time) or are omitted when nil (maps and slices use omitzero, so an
// empty list or object that the API sent is sent back). Every model keeps
// the members it has no field for in Extra, an Object: decoding fills it,
// encoding writes it back, so nothing the API returns is lost.
//
// Explicit null: PATCH bodies omit unset fields. To send a member as null
// (or as "" for a string field), put it in the model's Extra under its JSON
// name; an Extra member replaces the field of the same name:
//
//	m.Users.Update(ctx, id, &management.User{Extra: management.Object{"phone_number": nil}})
//
// Configuration-style resources take and return an Object (a JSON object as
// map[string]any, numbers kept exact as json.Number; a nil value is null).
//
// # What is trusted, what fails closed
//
// The domain and credentials come only from configuration (plain http only
// for loopback hosts, see client.BaseURL). No request is sent without a
// token: a token that cannot be had fails the request with an error
// wrapping ErrToken (and the token endpoint's *client.Error, or an
// *authentication.TokenResponseError for a 2xx answer without a usable
// access_token); expires_in is clamped to 30 days before any arithmetic,
// an answer without a lifetime serves one request only, and a panic during
// the shared token fetch comes back to every waiting caller as an error.
// Every path parameter is escaped and an empty one refused
// (ErrEmptyParameter). A list walk always ends: a repeated cursor or page,
// or Auth0's 1000-result offset limit, ends it with an error wrapping
// ErrPagination. Answers are read through the size caps of client.Config;
// list answers nested deeper than 64 levels are refused. Tokens and secrets
// never appear in errors, String output, log lines or debug events: the
// table of secrets shared with package authentication covers the
// configuration resources too (email, Guardian and log-stream provider
// credentials, a connection's options.configuration, hook secrets and
// rules-configs values) and the answers that carry one (tickets, invitation
// URLs); TestX22RedactionEveryMethod walks every method of
// testdata/coverage.tsv against it.
package management
