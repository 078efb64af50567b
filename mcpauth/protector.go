package mcpauth

import (
	"net/http"
	"net/url"
	"slices"
	"time"

	"github.com/modelcontextprotocol/go-sdk/auth"

	"github.com/tokengate/tokengate/middleware"
	"github.com/tokengate/tokengate/resource"
)

// Protector puts tokengate in front of an MCP server's HTTP handler. It is
// safe for concurrent use; build it once with New.
type Protector struct {
	resource     string // the canonical URL, the audience of every token
	path         string // its path, where Mount registers the server
	metadata     *resource.Handler
	authenticate func(http.Handler) http.Handler
	sdkAuth      func(http.Handler) http.Handler
	match        Match
	maxBody      int64
	// scopes: the scopes of each listed tool, and of the others.
	tools        map[string][]string
	otherTools   []string
	peek         bool // some tools/call needs scopes: POST bodies are read
	requireScope func(...string) func(http.Handler) http.Handler
}

// maxClockSkew is the ClockSkew given to the SDK's own expiry check: the
// verifier checked exp already, with its clock and leeway (at most five
// minutes), and the SDK's second look with time.Now must not refuse a
// token the verifier accepted.
const maxClockSkew = 5 * time.Minute

// New checks cfg and returns a Protector.
func New(cfg Config) (p *Protector, err error) {
	res, err := cfg.check()
	if err != nil {
		return nil, err
	}
	u, _ := url.Parse(res) // checked
	p = &Protector{
		resource:   res,
		path:       u.Path,
		metadata:   cfg.Metadata,
		match:      cfg.Match,
		maxBody:    cfg.MaxBodyBytes,
		tools:      make(map[string][]string, len(cfg.ToolScopes)),
		otherTools: slices.Clone(cfg.DefaultToolScopes),
	}
	if p.path == "" {
		p.path = "/"
	}
	if p.maxBody == 0 {
		p.maxBody = defaultMaxBody
	}
	for name, scopes := range cfg.ToolScopes {
		p.tools[name] = slices.Clone(scopes)
	}
	p.peek = len(p.tools) > 0 || len(p.otherTools) > 0
	switch cfg.Match {
	case MatchPermissions:
		p.requireScope = middleware.RequirePermissions
	case MatchScopesOrPermissions:
		p.requireScope = middleware.RequireScopesOrPermissions
	default:
		p.requireScope = middleware.RequireScopes
	}
	// middleware.Authenticate checks its options when it is built and
	// panics on a bad one (a realm with a quote): New returns that as an
	// error instead.
	defer func() {
		if r := recover(); r != nil {
			p, err = nil, configError("%v", r)
		}
	}()
	p.authenticate = middleware.Authenticate(cfg.Verifier, cfg.middlewareOptions(res, cfg.Metadata.URL())...)
	p.sdkAuth = auth.RequireBearerToken(p.TokenVerifier(), &auth.RequireBearerTokenOptions{
		ResourceMetadataURL: cfg.Metadata.URL(),
		ClockSkew:           maxClockSkew,
	})
	return p, nil
}

// Resource returns the MCP server's canonical URL, the audience every
// token must name.
func (p *Protector) Resource() string { return p.resource }

// Handler returns mcpHandler (the SDK's mcp.StreamableHTTPHandler) behind,
// in order:
//
//  1. middleware.Authenticate: the bearer token from the Authorization
//     header only, extracted strictly, verified with
//     verifier.WithAudience(resource); RFC 6750 answers (401
//     invalid_request, invalid_token, 503 with Retry-After when keys are
//     unavailable), every challenge with resource_metadata;
//  2. the per-tool scope check, when ToolScopes or DefaultToolScopes are
//     set: the body of a POST is read, at most MaxBodyBytes (413 beyond),
//     and the tools/call it holds named (400 when that cannot be done
//     without doubt; see SECURITY.md MC5..MC7); a call whose token lacks
//     the tool's scopes is answered 403 insufficient_scope with scope=
//     and resource_metadata, the step-up answer of the MCP authorization
//     specification. A batch (a JSON array, which MCP 2025-06-18 removed
//     but the SDK still serves to older protocol versions) needs the union
//     of its calls' scopes. The body, read once, is handed on unchanged;
//  3. the SDK's auth.RequireBearerToken, with TokenVerifier: it puts the
//     verified claims on the context as an auth.TokenInfo, which the
//     streamable transport uses to bind sessions to a user.
//
// Requests that step 1 or 2 refuse never reach the SDK.
func (p *Protector) Handler(mcpHandler http.Handler) http.Handler {
	if mcpHandler == nil {
		panic("mcpauth: Handler given a nil handler")
	}
	return p.authenticate(p.gate(p.sdkAuth(mcpHandler)))
}

// Mount registers Handler(mcpHandler) at the resource's path ("/mcp" for
// "https://api.example.com/mcp") and the metadata at its well-known path
// ("/.well-known/oauth-protected-resource/mcp", RFC 9728 section 3.1).
func (p *Protector) Mount(mux resource.Mux, mcpHandler http.Handler) {
	mux.Handle(p.path, p.Handler(mcpHandler))
	p.metadata.Mount(mux)
}
