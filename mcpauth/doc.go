// Package mcpauth protects an MCP server (github.com/modelcontextprotocol/go-sdk,
// streamable HTTP transport) with tokengate, as the MCP authorization
// specification asks of a protected resource. It is a module of its own
// (github.com/tokengate/tokengate/mcpauth), so that programs without MCP
// never download the SDK.
//
// [New] takes a [Config]: the verifier, the server's protected-resource
// metadata (a resource.Handler, RFC 9728) and the scopes of each tool.
// [Protector.Mount] serves the MCP handler at the resource's path and the
// metadata at its path-suffixed well-known URL
// (/.well-known/oauth-protected-resource/mcp for https://host/mcp);
// [Protector.Handler] returns the protected handler alone.
//
// # The chain
//
// The SDK's own auth.RequireBearerToken is not given the verifier: it
// extracts loosely (any amount of spaces, any case), writes the verifier's
// error text as the body, answers 500 where tokengate answers 503, and puts
// no error= in its challenges. middleware.Authenticate comes first instead
// (strict extraction from the Authorization header, RFC 6750 answers, 503
// with Retry-After, resource_metadata in every challenge), then the
// per-tool scope check, then RequireBearerToken with a TokenVerifier that
// reads the claims Authenticate verified from the request context and
// turns them into the auth.TokenInfo the SDK wants: UserID = iss + " " +
// sub (the streamable transport binds each session to it), the scopes,
// the expiry, and the claims in Extra ([Claims] reads them in a tool).
//
// # What is trusted
//
// The configuration, then the token's claims once Authenticate verified
// it. The audience of every token must be the server's canonical URL
// (RFC 8707): New refuses a Verifier whose Audience does not include it,
// and every Verify asks for it (verifier.WithAudience), so a token for
// another API of the same Verifier is refused (401 invalid_token).
//
// # Per-tool scopes: the mechanism
//
// A tools/call whose token lacks the tool's scopes is answered HTTP 403
// with WWW-Authenticate: Bearer error="insufficient_scope", scope="...",
// resource_metadata="..." before the SDK runs, the answer the MCP
// specification gives for step-up authorization. The tool is read from the
// JSON-RPC body: the body of a POST (at most Config.MaxBodyBytes, 413
// beyond) is read once, scanned strictly in linear time, and handed to the
// SDK unchanged. A tool error from inside the tool was the other choice;
// it was not taken because it answers 200 with a JSON-RPC result, which
// clients do not treat as a request for more scope, and because the tool's
// code would have to remember the check.
//
// The peek refuses (400) what another JSON reader could read otherwise:
// duplicate member names at any depth, also when they differ only in case;
// a member "method", "params" or "name" spelt in another case; a method
// "tools/call" in another case; a tools/call without params, with params
// that are no object, or without a string name; anything but an object or
// a non-empty array of objects; invalid UTF-8; nesting deeper than 32. A
// batch (a JSON array: MCP 2025-06-18 removed batching, the SDK still
// serves it to clients of older versions) needs the union of the scopes of
// its calls, at most 64 of them. Without ToolScopes and DefaultToolScopes
// no body is read. GET and DELETE carry no tool call and are not read.
//
// # What fails closed
//
// New refuses a missing Verifier or Metadata, an ID-token Verifier, a
// Verifier whose Audience does not include the resource, metadata without
// an authorization server, tool names that are empty or over 128 bytes,
// tools with no scopes, scopes that are not RFC 6749 scope tokens, and
// bounds out of range. A request without a verified token never reaches
// the SDK; nor does one whose body is over the bound or cannot be read as
// above.
package mcpauth
