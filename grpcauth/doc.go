// Package grpcauth protects gRPC servers with tokengate: unary and stream
// server interceptors with the behaviour of middleware.Authenticate and the
// route checks of packages middleware and orgs. It is a module of its own
// (github.com/tokengate/tokengate/grpcauth), so that programs that only
// serve HTTP never download gRPC.
//
// [New] takes a [Config]: the verifier, the [Rule] of each method by full
// method name (scopes, permissions, an [Organization] named by metadata or
// by the request message, a membership check, a step-up requirement of RFC
// 9470 built from middleware.StepUpACR, StepUpMFA and StepUpMaxAge), the
// methods exempt from
// authentication (none by default), and DPoP. [Interceptors.Unary] and
// [Interceptors.Stream] return the interceptors;
// [Interceptors.ServerOptions] installs both. Handlers read the verified
// claims with middleware.ClaimsFromContext, and the organization checked
// with orgs.Checked, as HTTP handlers do.
//
// # Credentials
//
// The token comes from the authorization metadata, in the syntax of the
// HTTP Authorization header: "Bearer <token>" (the scheme in any case, one
// space, RFC 6750's b64token), exactly one value. With Config.DPoP,
// "DPoP <token>" and one dpop metadata value holding a proof (RFC 9449).
// gRPC has no URL of its own, so a proof names the call by the HTTP/2
// request it is: htm "POST" and htu Config.ServiceURL followed by the full
// method name ("https://api.example.com/pkg.Service/Method"). The
// authority of htu comes from the configuration only: the :authority a
// client sends is as much its own choice as an HTTP Host header.
//
// # Answers
//
// A call that does not get through is answered with a status whose
// message is constant per failure class (the error_description
// middleware.Authenticate sends for the same token or proof: expired,
// wrong audience, signature or unknown key, ...; one text for all with
// Config.UniformErrors) and never holds the token, the proof or the
// verifier's message, and a www-authenticate trailer with the
// challenge middleware.Authenticate would send:
//
//   - no token, malformed or ambiguous credentials, a token or proof that
//     does not verify: codes.Unauthenticated;
//   - a token that verified but does not meet the method's step-up
//     requirement: codes.Unauthenticated, the challenge carrying
//     error="insufficient_user_authentication", acr_values and max_age;
//   - a missing scope or permission, another organization, not a member:
//     codes.PermissionDenied;
//   - keys unavailable, a deadline that ended while they were fetched, a
//     replay store or membership check that failed: codes.Unavailable,
//     with a grpc-retry-pushback-ms trailer;
//   - a client that went away: codes.Canceled.
//
// # What is trusted
//
// The configuration, and nothing of the call before its token verified.
// The organization a call names (metadata, message) only selects which
// organization the token must belong to. Claims reach handlers only
// through middleware.ClaimsFromContext, once the whole token verified.
//
// # What fails closed
//
// Every method needs a token unless Config.Exempt names it exactly; a
// method without a Rule needs a token that verifies; a method the server
// does not know (grpc.UnknownServiceHandler) too. A stream whose
// organization is read from its first message can send nothing before
// that message is checked, and a refused stream ends with the refusal
// whatever its handler returns. A panicking FromMessage refuses the call;
// a panicking Observer or Logger is stopped. New refuses contradictions
// (a rule on an exempt method, DPoP without ServiceURL, a Member rule
// without a MembershipChecker).
//
// # Reports
//
// Config.Observer gets one middleware.Event per call and Config.OrgObserver
// one orgs.Event per organization check, so that package metrics counts
// gRPC calls with the same series as HTTP requests (Route is the full
// method name; Status the HTTP status of the same refusal); Config.Logger
// one line per refused call, never the token.
package grpcauth
