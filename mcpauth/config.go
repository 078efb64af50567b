package mcpauth

import (
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"slices"
	"time"
	"unicode/utf8"

	"github.com/tokengate/tokengate/internal/bearer"
	"github.com/tokengate/tokengate/middleware"
	"github.com/tokengate/tokengate/resource"
	"github.com/tokengate/tokengate/verifier"
)

// Config configures New. Verifier and Metadata are required; the zero value
// of every other field is the default.
type Config struct {
	// Verifier checks the access tokens. It must check access tokens (not
	// ID tokens), and its Audience must include the MCP server's canonical
	// URL, Metadata's resource (RFC 8707): New refuses it otherwise. When
	// it answers to further audiences, tokens for them are still refused
	// here: every Verify of this server asks for the resource
	// (verifier.WithAudience).
	Verifier *verifier.Verifier

	// Metadata is the server's protected-resource metadata (package
	// resource, RFC 9728). Its Resource is the MCP server's canonical URL
	// ("https://api.example.com/mcp"), the audience every token must
	// name; its URL goes into resource_metadata of every challenge; it
	// must name at least one authorization server, since MCP clients find
	// the authorization server there.
	Metadata *resource.Handler

	// ToolScopes maps a tool's name to the scopes a tools/call of it
	// needs, on top of a token that verifies. A call without them is
	// answered 403 insufficient_scope, with scope= naming them, before the
	// SDK runs (see Protector.Handler for how the body is read). Names are
	// compared exactly, as the SDK looks tools up.
	ToolScopes map[string][]string
	// DefaultToolScopes are the scopes a tools/call of a tool that
	// ToolScopes does not list needs. Default none: any verified token may
	// call such a tool (and the SDK answers calls of unknown tools).
	DefaultToolScopes []string
	// Match says which claim the scopes above are looked for in: the scope
	// claim (MatchScopes, the default), Auth0's permissions claim
	// (MatchPermissions, with RBAC), or either (MatchScopesOrPermissions),
	// as middleware.RequireScopes, RequirePermissions and
	// RequireScopesOrPermissions do.
	Match Match

	// MaxBodyBytes bounds the request body read to find the tool a POST
	// calls, when ToolScopes or DefaultToolScopes are set. A larger body is
	// answered 413 without reaching the SDK. Default 4 MiB (the SDK's own
	// default limit); at most 64 MiB.
	MaxBodyBytes int64

	// VerifyOptions are further per-call checks of every Verify
	// (verifier.WithOrganization for a server of one organization).
	// verifier.WithAudience(resource) is always added.
	VerifyOptions []verifier.Option

	// Realm, Observer, Logger, ErrorHandler and RetryAfter configure the
	// middleware.Authenticate in front (WithRealm, WithObserver,
	// WithLogger, WithErrorHandler, WithRetryAfter); zero values are its
	// defaults. Options that take the token from elsewhere than the
	// Authorization header (cookies, the query, DPoP) are not offered: the
	// SDK reads the bearer token from that header, and the MCP
	// authorization specification sends it there only.
	Realm        string
	Observer     middleware.Observer
	Logger       *slog.Logger
	ErrorHandler middleware.ErrorHandler
	RetryAfter   time.Duration
}

// Match selects the claim that per-tool scopes are looked for in.
type Match uint8

const (
	// MatchScopes looks in the scope claim (verifier.Claims.Scope).
	MatchScopes Match = iota
	// MatchPermissions looks in Auth0's permissions claim.
	MatchPermissions
	// MatchScopesOrPermissions accepts each value in either.
	MatchScopesOrPermissions
)

// ErrConfig is wrapped by every error New returns.
var ErrConfig = errors.New("mcpauth: invalid configuration")

func configError(format string, a ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrConfig}, a...)...)
}

const (
	defaultMaxBody = 4 << 20
	maxMaxBody     = 64 << 20
	// maxToolName bounds tool names (the MCP specification's 128
	// characters, counted here in bytes).
	maxToolName = 128
	// maxTools bounds ToolScopes.
	maxTools = 4096
)

// check validates cfg and returns the resource identifier.
func (cfg *Config) check() (string, error) {
	if cfg.Verifier == nil {
		return "", configError("Verifier is required")
	}
	if cfg.Verifier.Kind() != verifier.AccessToken {
		return "", configError("Verifier checks ID tokens: an MCP server takes access tokens")
	}
	if cfg.Metadata == nil {
		return "", configError("Metadata is required: the resource.Handler of the server's metadata")
	}
	md := cfg.Metadata.Metadata()
	res := md.Resource
	if len(md.AuthorizationServers) == 0 {
		return "", configError("Metadata names no authorization server: MCP clients find theirs there")
	}
	if !slices.Contains(cfg.Verifier.Audience(), res) {
		return "", configError("the Verifier's Audience %q does not include the resource %q (RFC 8707: tokens must be issued for the MCP server's URL)",
			cfg.Verifier.Audience(), res)
	}
	if _, err := url.Parse(res); err != nil { // checked by resource.New already
		return "", configError("resource %q: %v", res, err)
	}
	if len(cfg.ToolScopes) > maxTools {
		return "", configError("ToolScopes: more than %d tools", maxTools)
	}
	for name, scopes := range cfg.ToolScopes {
		if name == "" || len(name) > maxToolName || !utf8.ValidString(name) {
			return "", configError("ToolScopes: tool name %q: want 1 to %d bytes of UTF-8", name, maxToolName)
		}
		if len(scopes) == 0 {
			return "", configError("ToolScopes[%q]: no scopes (leave the tool out instead)", name)
		}
		if err := checkScopes(fmt.Sprintf("ToolScopes[%q]", name), scopes); err != nil {
			return "", err
		}
	}
	if err := checkScopes("DefaultToolScopes", cfg.DefaultToolScopes); err != nil {
		return "", err
	}
	if cfg.Match > MatchScopesOrPermissions {
		return "", configError("Match %d: want MatchScopes, MatchPermissions or MatchScopesOrPermissions", cfg.Match)
	}
	if cfg.MaxBodyBytes < 0 || cfg.MaxBodyBytes > maxMaxBody {
		return "", configError("MaxBodyBytes %d outside [0, %d]", cfg.MaxBodyBytes, maxMaxBody)
	}
	if cfg.RetryAfter < 0 {
		return "", configError("RetryAfter %v is negative", cfg.RetryAfter)
	}
	return res, nil
}

func checkScopes(field string, scopes []string) error {
	for _, s := range scopes {
		if !bearer.IsScopeToken(s) {
			return configError("%s: %q is not an RFC 6749 scope token", field, s)
		}
	}
	return nil
}

// middlewareOptions are the options of the Authenticate in front.
func (cfg *Config) middlewareOptions(res, metadataURL string) []middleware.Option {
	opts := []middleware.Option{
		middleware.WithResourceMetadata(metadataURL),
		middleware.WithVerifyOptions(append(slices.Clone(cfg.VerifyOptions), verifier.WithAudience(res))...),
	}
	if cfg.Realm != "" {
		opts = append(opts, middleware.WithRealm(cfg.Realm))
	}
	if cfg.Observer != nil {
		opts = append(opts, middleware.WithObserver(cfg.Observer))
	}
	if cfg.Logger != nil {
		opts = append(opts, middleware.WithLogger(cfg.Logger))
	}
	if cfg.ErrorHandler != nil {
		opts = append(opts, middleware.WithErrorHandler(cfg.ErrorHandler))
	}
	if cfg.RetryAfter > 0 {
		opts = append(opts, middleware.WithRetryAfter(cfg.RetryAfter))
	}
	return opts
}
