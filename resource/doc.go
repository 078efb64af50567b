// Package resource serves OAuth 2.0 Protected Resource Metadata (RFC 9728):
// the JSON document that tells a client which authorization servers issue
// tokens for this API, which scopes it knows, how tokens are sent, and
// whether they must be DPoP-bound. MCP servers must serve it, and MCP
// clients start their authorization flow from it.
//
// [New] builds a [Handler] from a [Config]: the resource identifier (the
// API's URL), the authorization servers (the issuers the API's verifier
// accepts), the scopes, and the DPoP members derived from a
// [dpop.Verifier] and the middleware's [middleware.DPoPMode]. The document
// is encoded once; every request is answered from those bytes.
// [Handler.Mount] serves it at the well-known path of section 3.1, which is
// inserted between the host and the resource's path:
//
//	https://api.example.com      → /.well-known/oauth-protected-resource
//	https://api.example.com/mcp  → /.well-known/oauth-protected-resource/mcp
//
// and [Handler.URL] is the absolute URL to give to
// [middleware.WithResourceMetadata], so that every 401 and 403 challenge
// names it (section 5.1). [WellKnownURL] computes that URL for clients.
//
// # What is trusted
//
// The configuration only: nothing of the request shapes the document or its
// location. A client checks that the document's resource equals the
// identifier it derived the URL from (section 3.3), so the identifier must
// have one spelling: New accepts only a canonical URL.
//
// # What fails closed
//
// New refuses a resource identifier that is not an absolute https URL (http
// only on a loopback host, for tests), or has user info, a query, a
// fragment, a default or malformed port, upper-case scheme or host,
// percent-encodings, dot or empty segments or a trailing slash after a
// path, or characters that would mean something else in a ServeMux
// pattern. It refuses authorization servers that are not https issuer URLs,
// scopes that are not RFC 6749 scope tokens, unknown bearer methods,
// duplicates, and a DPoP mode without a verifier (or the reverse). The
// handler answers GET and HEAD only (405 with Allow otherwise).
package resource
