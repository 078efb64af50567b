package grpcauth

import (
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/tokengate/tokengate/dpop"
	"github.com/tokengate/tokengate/internal/bearer"
	"github.com/tokengate/tokengate/internal/httpx"
	"github.com/tokengate/tokengate/middleware"
	"github.com/tokengate/tokengate/orgs"
	"github.com/tokengate/tokengate/verifier"
)

// Config configures the interceptors. The zero value of every field but
// Verifier is the safe default: every method needs a token that verifies,
// Bearer only, no method exempt, no rules, no reports.
type Config struct {
	// Verifier checks the tokens. Required.
	Verifier *verifier.Verifier
	// VerifyOptions are passed to every Verify call (for example
	// verifier.WithOrganization for a whole service).
	VerifyOptions []verifier.Option

	// Methods holds the rules of each method, by full method name
	// ("/package.Service/Method", as grpc.UnaryServerInfo.FullMethod). A
	// method without a rule needs a token that verifies, nothing more.
	Methods map[string]Rule
	// Exempt lists the full method names that need no token at all (the
	// health service's Check and Watch, reflection). Matched exactly.
	// Default: none. Exempt calls carry no claims and are not reported.
	Exempt []string

	// DPoP and DPoPMode accept DPoP-bound tokens (RFC 9449) as
	// middleware.WithDPoP does: "authorization: DPoP <token>" and one
	// "dpop" metadata value holding a proof. The proof's htm must be
	// "POST" (every gRPC call is an HTTP/2 POST) and its htu ServiceURL
	// followed by the full method name. Both or neither.
	DPoP     *dpop.Verifier
	DPoPMode middleware.DPoPMode
	// ServiceURL is the URL clients address this service by, scheme and
	// authority and an optional path prefix ("https://api.example.com",
	// "https://api.example.com:8443"). Required with DPoP. The :authority
	// a client sends is never used for htu: like the Host header, it is
	// whatever the client chose.
	ServiceURL string

	// Membership, when set, answers the rules with Member: whether the
	// token's subject is still a member of the organization (see Rule).
	// Its answers are cached as orgs.RequireMember caches them, configured
	// by MembershipOptions (orgs.WithCacheTTL, WithCacheSize, WithTimeout,
	// WithNow).
	Membership        orgs.MembershipChecker
	MembershipOptions []orgs.MemberOption

	// Realm is the realm of the challenges (default "api"), and
	// ResourceMetadata, when set, the URL of the service's RFC 9728
	// metadata (resource.Handler's URL), added to every challenge as
	// middleware.WithResourceMetadata adds it. Challenges are sent in the
	// www-authenticate trailer of refused calls.
	Realm            string
	ResourceMetadata string

	// RetryAfter is sent as grpc-retry-pushback-ms with Unavailable
	// answers: the time a client's retry policy should wait. Default 10
	// seconds.
	RetryAfter time.Duration

	// UniformErrors gives every refused token the one status message "the
	// access token is invalid or has expired" (and every refused DPoP
	// proof "the DPoP proof is missing or invalid"), as
	// middleware.WithUniformErrors does. Default: the constant message of
	// the failure class (expired, wrong audience, signature or key, ...),
	// the error_description middleware.Authenticate sends for the same
	// token.
	UniformErrors bool

	// Observer is told the outcome of every call that is not exempt, once,
	// with the Event fields middleware.Authenticate reports (see
	// observe.go for the mapping of gRPC codes to Status); package
	// metrics' MiddlewareObserver counts them. OrgObserver is told the
	// result of every organization and membership check, as orgs reports
	// them (metrics' OrgsObserver). Logger is told every refused call once.
	Observer    middleware.Observer
	OrgObserver orgs.Observer
	Logger      *slog.Logger
}

// Rule is what a method requires of a token that verified, beyond that.
type Rule struct {
	// Scopes must all be in the token's scope claim, Permissions all in
	// its permissions claim, and each of ScopesOrPermissions in either, as
	// middleware.RequireScopes, RequirePermissions and
	// RequireScopesOrPermissions check them. Refused with
	// codes.PermissionDenied (insufficient_scope).
	Scopes              []string
	Permissions         []string
	ScopesOrPermissions []string

	// Organization, when set, requires the token to belong to the
	// organization the call names, as orgs.Require does.
	Organization *Organization

	// Member requires Config.Membership to confirm that the token's
	// subject is a member of the organization, as orgs.RequireMember does:
	// the call's organization when Organization named it by id and the
	// token is of it, else the token's own org_id.
	Member bool

	// StepUp requires how, and how recently, the user authenticated (RFC
	// 9470), as middleware.RequireStepUp does: middleware.StepUpACR,
	// StepUpMFA, StepUpMaxAge. A token that does not meet it is refused
	// with codes.Unauthenticated and RFC 9470's challenge in the
	// www-authenticate trailer (error="insufficient_user_authentication",
	// acr_values, max_age), after the scope checks and before the
	// organization's.
	StepUp []middleware.StepUpOption
}

// Organization says where a call names its organization: a metadata key
// or the request message, exactly one of the two.
type Organization struct {
	// Metadata is the key of the metadata value that names the
	// organization ("x-org-id"): lower case, sent exactly once.
	Metadata string
	// FromMessage returns the organization a request message names (a
	// field of the request), and false when it names none. For unary calls
	// it gets the request; for streams, the first message the handler
	// receives: until then the stream can neither receive past it nor
	// send. It must not block and must not keep msg.
	FromMessage func(msg any) (org string, ok bool)
	// Allow also lets tokens of any of these organizations through, as
	// orgs.Allow does (a support organization).
	Allow []string
}

// ErrConfig is wrapped by every error New returns.
var ErrConfig = errors.New("grpcauth: invalid configuration")

func configError(format string, a ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrConfig}, a...)...)
}

const (
	defaultRealm      = "api"
	defaultRetryAfter = 10 * time.Second
	maxRetryAfter     = time.Hour
)

// check validates cfg.
func (cfg *Config) check() error {
	if cfg.Verifier == nil {
		return configError("Verifier is required")
	}
	if !quotable(cfg.Realm) {
		return configError("Realm %q must be printable ASCII without '\"' or '\\'", cfg.Realm)
	}
	if cfg.ResourceMetadata != "" {
		if err := checkURL(cfg.ResourceMetadata, true); err != nil {
			return configError("ResourceMetadata: %v", err)
		}
	}
	for _, m := range cfg.Exempt {
		if !validMethod(m) {
			return configError("Exempt: %q is not a full method name (/package.Service/Method)", m)
		}
		if _, ok := cfg.Methods[m]; ok {
			return configError("%q is exempt and has a rule: an exempt method is never checked", m)
		}
	}
	for m, r := range cfg.Methods {
		if !validMethod(m) {
			return configError("Methods: %q is not a full method name (/package.Service/Method)", m)
		}
		if err := r.check(cfg); err != nil {
			return configError("Methods[%q]: %v", m, err)
		}
	}
	switch {
	case cfg.DPoP == nil && cfg.DPoPMode == 0:
		if cfg.ServiceURL != "" {
			return configError("ServiceURL is used for DPoP only: set DPoP and DPoPMode or leave it out")
		}
	case cfg.DPoP == nil:
		return configError("DPoPMode without DPoP")
	case cfg.DPoPMode != middleware.DPoPAllowed && cfg.DPoPMode != middleware.DPoPRequired:
		return configError("unknown DPoPMode %d", cfg.DPoPMode)
	default:
		if cfg.ServiceURL == "" {
			return configError("DPoP needs ServiceURL: the htu of a proof is ServiceURL + the full method, never the client's :authority")
		}
		if err := checkURL(cfg.ServiceURL, false); err != nil {
			return configError("ServiceURL: %v", err)
		}
	}
	if cfg.RetryAfter < 0 || cfg.RetryAfter > maxRetryAfter {
		return configError("RetryAfter %v outside [0, %v]", cfg.RetryAfter, maxRetryAfter)
	}
	return nil
}

func (r *Rule) check(cfg *Config) error {
	for _, list := range [][]string{r.Scopes, r.Permissions, r.ScopesOrPermissions} {
		for _, s := range list {
			if !bearer.IsScopeToken(s) {
				return fmt.Errorf("%q is not an RFC 6749 scope token", s)
			}
		}
	}
	if o := r.Organization; o != nil {
		switch {
		case (o.Metadata == "") == (o.FromMessage == nil):
			return errors.New("an Organization needs exactly one of Metadata and FromMessage")
		case o.Metadata != "" && !validMetadataKey(o.Metadata):
			return fmt.Errorf("the Organization.Metadata key %q is not a lower-case metadata key (no -bin suffix, no grpc- prefix)", o.Metadata)
		case slices.Contains(o.Allow, ""):
			return errors.New("an empty organization in Organization.Allow")
		}
	}
	if r.Member && cfg.Membership == nil {
		return errors.New("a Member rule needs Config.Membership")
	}
	if len(r.StepUp) > 0 {
		if _, err := middleware.NewStepUp(r.StepUp...); err != nil {
			return fmt.Errorf("StepUp: %v", err)
		}
	}
	return nil
}

// validMethod reports whether m is "/service/method" with both parts
// non-empty, printable ASCII without spaces.
func validMethod(m string) bool {
	if len(m) < 4 || m[0] != '/' || len(m) > 1024 {
		return false
	}
	i := strings.LastIndexByte(m, '/')
	if i <= 1 || i == len(m)-1 {
		return false
	}
	for j := 0; j < len(m); j++ {
		if m[j] <= ' ' || m[j] >= 0x7f {
			return false
		}
	}
	return true
}

// validMetadataKey reports whether k is a lower-case ASCII metadata key
// gRPC carries as text: [0-9a-z_.-], not reserved (grpc-), not binary
// (-bin).
func validMetadataKey(k string) bool {
	if k == "" || strings.HasPrefix(k, "grpc-") || strings.HasSuffix(k, "-bin") || k == "authorization" || k == "dpop" {
		return false
	}
	for i := 0; i < len(k); i++ {
		b := k[i]
		if !('a' <= b && b <= 'z' || '0' <= b && b <= '9' || b == '-' || b == '_' || b == '.') {
			return false
		}
	}
	return true
}

// quotable reports whether s fits in a quoted-string as it is.
func quotable(s string) bool {
	for i := 0; i < len(s); i++ {
		if b := s[i]; b < 0x20 || b > 0x7e || b == '"' || b == '\\' {
			return false
		}
	}
	return true
}

// checkURL checks the ResourceMetadata (httpsOnly: http only on loopback)
// or the ServiceURL (http or https: gRPC runs over h2c inside networks
// too): absolute, a host, no user info, query or fragment, and printable
// ASCII without spaces, '"' or '\'.
func checkURL(s string, httpsOnly bool) error {
	if !quotable(s) || strings.ContainsAny(s, " #?") {
		return errors.New("printable ASCII without spaces, '\"', '\\', query or fragment")
	}
	u, err := url.Parse(s)
	switch {
	case err != nil:
		return errors.New("not a URL")
	case u.Scheme != "https" && u.Scheme != "http":
		return errors.New("want an absolute http or https URL")
	case httpsOnly && u.Scheme == "http" && !httpx.IsLoopback(u.Hostname()):
		return errors.New("want https (http only on a loopback host)")
	case u.Opaque != "" || u.Hostname() == "":
		return errors.New("no host")
	case u.User != nil:
		return errors.New("user info is not allowed")
	}
	return nil
}
