// Package middleware protects net/http handlers with bearer tokens checked
// by a [verifier.Verifier]. [Authenticate] takes the request's token,
// verifies it and puts the claims on the request context
// ([ClaimsFromContext]), and the verified token itself ([TokenFromContext],
// for calls on behalf of the caller); [AuthenticateTyped] also decodes the token's
// custom claims into a struct of the application, once per token while it
// is cached ([CustomClaimsFromContext]). [RequireScopes],
// [RequirePermissions] and [RequireScopesOrPermissions] check the scope and
// permissions per route, all of them, [RequireAnyScope] and
// [RequireAnyPermission] one of them (403 insufficient_scope); [RequireClaims] checks
// other claims with rules ([ClaimEquals], [ClaimIncludes], [ClaimCheck],
// [CustomClaimCheck]), answering 403 access_denied: the token is valid,
// its grant does not cover the route. Each is a
// func(http.Handler) http.Handler, built once, that works with
// http.ServeMux and with chi's Use, With, Group and Route.
//
// # What is trusted
//
// The Verifier's configuration, and nothing of the request before its
// token verified. The token is taken from exactly one place: the
// Authorization header's Bearer credentials, or a cookie ([WithCookie]),
// or the access_token query parameter ([AllowQueryToken]). A request that
// carries a second token anywhere (a second header, the query, a
// url-encoded form body) is refused as ambiguous, since a handler or proxy
// reading it would see another token than the one checked. Claims reach
// handlers only through ClaimsFromContext, behind an unexported context
// key, once the whole token verified.
//
// # What fails closed
//
// A request without a token that verifies does not reach the handler
// (401), unless [CredentialsOptional] lets anonymous requests through; a
// token that is present but invalid is refused even then, and so is one
// whose custom claims do not decode into AuthenticateTyped's type or that
// its Validate hook refuses. A route check answers an anonymous request
// 401; mounted without Authenticate before it, it answers every request
// 500 and logs that once at Error to slog.Default() (a valid token must
// not be told to sign in again for the server's mistake); a claim rule
// that panics refuses the request. A key source that cannot provide keys answers
// 503 with Retry-After, never 401 and never a pass; so does a server-side
// deadline that ends while keys are fetched. A cookie token on an unsafe
// request not shown to come from the site itself is refused (403). The
// answers follow RFC 6750 (listed at [Authenticate]); their descriptions
// are constant per failure class, never echo the token and never tell an
// unknown key from a bad signature. A refused token's error_description
// names its class, so that a client knows whether to refresh it or give
// up: "the access token has expired", "the access token is not valid yet",
// "the access token is not meant for this resource" (audience), "the
// access token is not from an issuer this resource trusts", "the access
// token's signature cannot be verified" (bad signature, unknown key or
// algorithm: one class), "the access token is malformed", "the access
// token lacks a claim this resource requires", "the access token is
// sender-constrained and was sent without its proof of possession", "the
// access token has been revoked", "the access token's claims are not
// accepted by this resource" (a Typed's Validate hook), and "the access
// token is invalid" for any other reason; DPoP proofs likewise.
// [WithUniformErrors] gives every refused token one text instead.
//
// # Sender-constrained tokens
//
// A token bound to a key (cnf, RFC 7800) is refused unless the binding is
// checked. [WithDPoP] checks DPoP-bound tokens (cnf.jkt) sent with the DPoP
// scheme and a proof (RFC 9449, package dpop), in [DPoPAllowed] or
// [DPoPRequired] mode; without it only Bearer is accepted. [WithMTLS]
// checks certificate-bound tokens (cnf x5t#S256, RFC 8705) against the TLS
// client certificate, or the one a trusted proxy forwards
// ([ForwardedCertificate]). A bound token sent as a plain Bearer token is
// refused in every mode, and a verified-token cache hit never skips the
// proof or the certificate: each request needs its own.
//
// # Protected-resource metadata and other transports
//
// [WithResourceMetadata] adds resource_metadata (RFC 9728) to every
// challenge, pointing clients at the metadata that package resource
// serves. [NewContext] puts claims that another transport verified (the
// grpcauth module's gRPC interceptors) on a context, so that handlers read
// them with ClaimsFromContext whatever the transport.
//
// # Configuration
//
// # Regulated APIs: authorization details and step-up
//
// [DetailCheck] is a claim rule on the token's authorization_details (RFC
// 9396, Rich Authorization Requests), decoded into the application's types
// by AuthenticateTyped's Typed (verifier.TypedConfig.AuthorizationDetails;
// [DetailsFromContext]): it gets the request, to compare a detail with
// what the request asks for (an account in the path, an amount), and its
// refusal is RequireClaims' 403 access_denied. [RequireStepUp] requires an
// authentication context class ([StepUpACR]), Auth0's multi-factor signal
// ([StepUpMFA]: acr [ACRMultiFactor] or amr holding "mfa") or a recent
// authentication ([StepUpMaxAge], the rule of verifier.WithMaxAge), and
// answers a token that does not meet it with RFC 9470's 401
// insufficient_user_authentication challenge, naming acr_values and
// max_age for the client's next authorization request. A malformed acr or
// amr never meets a requirement.
//
// # Configuration
//
// Authenticate takes options ([Option]) and checks them once, when it is
// built: an invalid value or a contradiction panics then, never per
// request, and an option meant for another function does not compile. No
// option is the safe default.
package middleware
