// Package orgs enforces, per route, that the verified token belongs to the
// organization the route is about (Auth0 Organizations), and optionally that
// the user is still a member of it.
//
// [Require] reads the route's organization from a [Source] ([FromPath],
// [FromHeader], [FromHost], [Static], [FromContext]) and compares it with the
// claims that middleware.Authenticate verified, with
// (*verifier.Claims).CheckOrganization: a value starting with "org_" must
// equal org_id exactly (in any ASCII case, "ORG_" too); any other value, lower-cased, must equal org_name exactly.
// [RequireMember] asks a [MembershipChecker] (for example the Management
// API's organization members) whether the token's subject is still a member
// of the organization (the route's when Require knows its id), so that a
// removed member loses access before the token expires. Handlers read the
// organization that was checked with [Checked].
//
// Both are func(http.Handler) http.Handler for use per route: with
// http.ServeMux around the route's handler, with chi in With, Group or Route.
// FromPath reads r.PathValue, which both routers fill once they matched, so
// this package does not import chi.
//
// # What is trusted
//
// The verified claims and the Source. The organization a Source reads from
// the request (path, header, host) is client input; it only selects which
// organization the token must belong to. Require puts the organization it
// checked on the request's context, and handlers read it there with
// [Checked] rather than from the request again, so that the check and the
// data they serve agree: read again, a chi sub-route that reuses the
// parameter name (/orgs/{id}/projects/{id}) gives another value than the
// one checked.
//
// # Prefer ids to names
//
// An org_id never changes and is never given to another organization; a
// name is a label that can be changed, and once changed, taken by another
// organization. Tokens carry the org_name of the moment they were issued
// and stay valid until they expire (24 hours by default in Auth0), so after
// a rename and reuse of the name, a name in a route matches the tokens of
// two organizations: the new owner's and the old one's. Routes, Allow
// entries and Static sources should therefore name organizations by id.
// Where a route must take names (human-readable URLs), [WithResolver] ties
// each name to the id that carries it now (cached, so that a rename takes
// effect within the positive cache TTL): a token matching the name must
// also have that org_id, and [RequireMember] checks membership of that
// organization rather than the token's own.
//
// # Remote answers
//
// [RequireMember]'s checker, [WithLookup] and [WithResolver] are asked on
// behalf of requests about values a client chooses. Their answers are
// cached with a TTL in a bounded LRU (positive and negative answers, never
// errors), concurrent requests for one key share one call, every request
// waits at most [WithTimeout] even when the callee ignores its context, and
// a panic in them is a failed check (503), never a crash.
//
// # What fails closed
//
// No claims on the context (Authenticate missing, or an anonymous request):
// 401. A Source that yields no organization (an empty or absent value, two
// headers, an unknown host, Require placed before the router so the path
// value is not set yet): 403, not 404, since it is most often a wiring
// mistake and must not look like a missing resource that a retry might find.
// A token without the matching org_id or org_name, or of another
// organization: 403; with WithResolver, also a token whose org_name matches
// but whose org_id is not the one that has the name now. A lookup,
// resolution or membership check that fails: 503 with
// Retry-After; errors are never cached. So is a check still running when
// the request's deadline ends (a server-side timeout): only a client that
// went away (its request context canceled) is answered 499.
//
// # Responses
//
// Refusals are written with middleware.WriteError, so the error handler and
// observer given to middleware.Authenticate apply. The 403 answers carry the
// JSON body {"error":"access_denied","error_description":"..."} and no
// WWW-Authenticate header: the token is fine, it is for another organization,
// which no extra scope would fix. Descriptions are constant; they never name
// an organization.
//
// # Observing and logging
//
// WithObserver reports every check as an Event of bounded labels (outcome,
// status, route pattern; never the organization), which package metrics
// counts. WithLogger logs refusals: denials at Info, failed lookups at Warn.
package orgs
