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
// of the token's organization, so that a removed member loses access before
// the token expires.
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
// organization the token must belong to, and handlers should read it from
// the same Source so that the check and the data they serve agree.
//
// # What fails closed
//
// No claims on the context (Authenticate missing, or an anonymous request):
// 401. A Source that yields no organization (an empty or absent value, two
// headers, an unknown host, Require placed before the router so the path
// value is not set yet): 403, not 404, since it is most often a wiring
// mistake and must not look like a missing resource that a retry might find.
// A token without the matching org_id or org_name, or of another
// organization: 403. A lookup or membership check that fails: 503 with
// Retry-After; errors are never cached.
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
