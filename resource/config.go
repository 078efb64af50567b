package resource

import (
	"errors"
	"fmt"
	"slices"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/tokengate/tokengate/dpop"
	"github.com/tokengate/tokengate/internal/bearer"
	"github.com/tokengate/tokengate/middleware"
)

// Config is the protected resource's metadata. The zero value of every
// field but Resource is the default: no authorization servers or scopes
// announced, tokens in the Authorization header, no DPoP members, one hour
// of caching.
type Config struct {
	// Resource is the protected resource's identifier (RFC 9728 section
	// 1.2): the URL clients call it by and ask tokens for (RFC 8707's
	// resource parameter; for MCP, the server's canonical URL, such as
	// "https://api.example.com/mcp"). Required; in canonical form: https
	// (http only on a loopback host), lower-case host, no default port, no
	// user info, query, fragment, percent-encoding, dot or empty segments,
	// nor a trailing slash after a path.
	Resource string

	// AuthorizationServers are the issuer identifiers of the authorization
	// servers that issue tokens for the resource: the Issuer of the API's
	// verifier.Config ("https://tenant.auth0.com/"). https URLs (http on
	// loopback), without query or fragment. Recommended: MCP clients need
	// at least one.
	AuthorizationServers []string

	// ScopesSupported are the scope values the resource uses in
	// authorization decisions (RFC 6749 scope tokens). Recommended.
	ScopesSupported []string

	// BearerMethodsSupported are the ways a token may be sent: "header"
	// (RFC 6750 section 2.1), "body", "query". Default {"header"}, which
	// is what middleware.Authenticate accepts unless AllowQueryToken is
	// given.
	BearerMethodsSupported []string

	// ResourceName is a human-readable name of the resource; valid UTF-8
	// without control characters.
	ResourceName string
	// ResourceDocumentation is the URL of developer documentation (https,
	// or http on loopback).
	ResourceDocumentation string

	// DPoP, with DPoPMode, announces DPoP (RFC 9449):
	// dpop_signing_alg_values_supported are DPoP's Algorithms, and
	// DPoPRequired sets dpop_bound_access_tokens_required. Give the
	// verifier and mode given to middleware.WithDPoP. Both or neither.
	DPoP     *dpop.Verifier
	DPoPMode middleware.DPoPMode

	// TLSClientCertificateBoundAccessTokens announces certificate-bound
	// tokens (RFC 8705), as middleware.WithMTLS checks them.
	TLSClientCertificateBoundAccessTokens bool

	// MaxAge is how long clients and caches may keep the document
	// (Cache-Control: public, max-age). Default 1 hour; at most 7 days.
	MaxAge time.Duration
}

// ErrConfig is wrapped by every error New returns.
var ErrConfig = errors.New("resource: invalid configuration")

func configError(format string, a ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrConfig}, a...)...)
}

const (
	defaultMaxAge = time.Hour
	maxMaxAge     = 7 * 24 * time.Hour
	maxName       = 256
)

// metadata checks cfg and returns the document it describes.
func (cfg *Config) metadata() (Metadata, error) {
	m := Metadata{
		Resource:                              cfg.Resource,
		ResourceName:                          cfg.ResourceName,
		ResourceDocumentation:                 cfg.ResourceDocumentation,
		TLSClientCertificateBoundAccessTokens: cfg.TLSClientCertificateBoundAccessTokens,
	}
	if _, err := parseResource(cfg.Resource); err != nil {
		return m, configError("Resource %q: %v", cfg.Resource, err)
	}
	for _, s := range cfg.AuthorizationServers {
		if err := checkServerURL(s); err != nil {
			return m, configError("AuthorizationServers: %q: %v", s, err)
		}
	}
	if err := noDuplicates("AuthorizationServers", cfg.AuthorizationServers); err != nil {
		return m, err
	}
	m.AuthorizationServers = slices.Clone(cfg.AuthorizationServers)
	for _, s := range cfg.ScopesSupported {
		if !bearer.IsScopeToken(s) {
			return m, configError("ScopesSupported: %q is not an RFC 6749 scope token", s)
		}
	}
	if err := noDuplicates("ScopesSupported", cfg.ScopesSupported); err != nil {
		return m, err
	}
	m.ScopesSupported = slices.Clone(cfg.ScopesSupported)
	m.BearerMethodsSupported = []string{"header"}
	if len(cfg.BearerMethodsSupported) > 0 {
		for _, b := range cfg.BearerMethodsSupported {
			if b != "header" && b != "body" && b != "query" {
				return m, configError(`BearerMethodsSupported: %q is none of "header", "body", "query"`, b)
			}
		}
		if err := noDuplicates("BearerMethodsSupported", cfg.BearerMethodsSupported); err != nil {
			return m, err
		}
		m.BearerMethodsSupported = slices.Clone(cfg.BearerMethodsSupported)
	}
	if err := checkName(cfg.ResourceName); err != nil {
		return m, err
	}
	if cfg.ResourceDocumentation != "" {
		if err := checkServerURL(cfg.ResourceDocumentation); err != nil {
			return m, configError("ResourceDocumentation: %v", err)
		}
	}
	switch {
	case cfg.DPoP == nil && cfg.DPoPMode == 0:
	case cfg.DPoP == nil:
		return m, configError("DPoPMode without DPoP: give the dpop.Verifier of middleware.WithDPoP")
	case cfg.DPoPMode != middleware.DPoPAllowed && cfg.DPoPMode != middleware.DPoPRequired:
		return m, configError("DPoPMode %d: want middleware.DPoPAllowed or DPoPRequired", cfg.DPoPMode)
	default:
		m.DPoPSigningAlgValuesSupported = cfg.DPoP.Algorithms()
		m.DPoPBoundAccessTokensRequired = cfg.DPoPMode == middleware.DPoPRequired
	}
	if cfg.MaxAge < 0 || cfg.MaxAge > maxMaxAge {
		return m, configError("MaxAge %v outside [0, %v]", cfg.MaxAge, maxMaxAge)
	}
	return m, nil
}

func (cfg *Config) maxAge() time.Duration {
	if cfg.MaxAge == 0 {
		return defaultMaxAge
	}
	return cfg.MaxAge
}

func noDuplicates(field string, values []string) error {
	for i, v := range values {
		if slices.Contains(values[:i], v) {
			return configError("%s: %q given twice", field, v)
		}
	}
	return nil
}

func checkName(s string) error {
	if len(s) > maxName {
		return configError("ResourceName longer than %d bytes", maxName)
	}
	if !utf8.ValidString(s) {
		return configError("ResourceName is not valid UTF-8")
	}
	for _, r := range s {
		if unicode.IsControl(r) {
			return configError("ResourceName holds a control character")
		}
	}
	return nil
}
