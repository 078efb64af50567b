// Package orgs enforces, per route, that the verified token belongs to the
// organization the route is about (Auth0 Organizations) and, optionally,
// that the user is still a member of it. [Require] reads the route's
// organization from a [Source] and compares it with the claims that
// middleware.Authenticate verified; [RequireMember] asks a
// [MembershipChecker]; handlers read what was checked with [Checked]. Both
// are func(http.Handler) http.Handler for use per route, after the router
// matched (chi's With, Group or Route; around a ServeMux route's handler).
// [NewMembers] is RequireMember's cached membership check for other
// transports (the grpcauth module's gRPC interceptors).
//
// # What is trusted
//
// The verified claims, and the answers of the application's own
// MembershipChecker, lookup and resolver. The organization a Source reads
// from the request (path, header, host) is client input: it only selects
// which organization the token must belong to, and the remote answers it
// selects are cached, shared between concurrent requests and bounded in
// time (see [WithLookup]). Handlers read the
// organization that was checked from the context ([Checked]), never from
// the request again. Organizations are best named by id: a name can be
// changed and reused ([WithResolver]).
//
// # What fails closed
//
// No claims on the context: 401. A Source that yields no organization: 403,
// not 404, since it is most often a wiring mistake. A token of another
// organization: 403. A lookup, resolution or membership check that fails,
// panics or times out: 503 with Retry-After, never cached and never a
// pass. Refusals are written with middleware.WriteError, so the error
// handler of the request's Authenticate applies to them, and are reported
// to its Observer and Logger.
//
// # Configuration
//
// Require takes [Option]s and RequireMember [MemberOption]s, checked once
// when the middleware is built: an invalid value panics then, never per
// request, and an option of one given to the other does not compile
// ([SharedOption]s configure both).
package orgs
