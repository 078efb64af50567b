package exchange

import (
	"errors"
	"strings"
	"time"

	"github.com/tokengate/tokengate/client/authentication"
	"github.com/tokengate/tokengate/verifier"
)

// Token types (RFC 8693 section 3; Auth0 Token Vault).
const (
	TokenTypeAccessToken         = "urn:ietf:params:oauth:token-type:access_token"
	TokenTypeFederatedConnection = "http://auth0.com/oauth/token-type/federated-connection-access-token"
)

// Defaults of Config.
const (
	DefaultCacheSize = 1024
	DefaultMargin    = time.Minute
	DefaultMaxTTL    = time.Hour
)

// Config configures New. Client is required, and SubjectTokenType for
// audience exchanges.
type Config struct {
	// Client is the API's own confidential application at the tenant
	// (client secret or private_key_jwt), allowed the token-exchange grants
	// it uses. Required.
	Client *authentication.Client
	// SubjectTokenType is the subject_token_type of audience exchanges
	// (Auth0 Custom Token Exchange): the custom type URI of the tenant's
	// Token Exchange Profile, such as "urn:acme:api-access-token". Auth0
	// refuses types in the urn:ietf: namespace for Custom Token Exchange,
	// and so does New. Required for Request.Audience.
	SubjectTokenType string
	// ConnectionSubjectTokenType is the subject_token_type of connection
	// exchanges (Token Vault). Default TokenTypeAccessToken.
	ConnectionSubjectTokenType string
	// TokenVerifier, when set, verifies each token an audience exchange
	// issues (an access-token verifier accepting the target audiences):
	// Token.Claims and Token.Actor are then set, and a token that fails is
	// ErrRefused. Without it the issued token is opaque to this package.
	TokenVerifier *verifier.Verifier
	// CacheSize bounds the cache (entries); default DefaultCacheSize, -1
	// turns it off (every call exchanges; single-flight still applies).
	CacheSize int
	// Margin is how long before its expiry a cached token stops being
	// returned; default DefaultMargin.
	Margin time.Duration
	// MaxTTL caps how long a token is cached, whatever expires_in says;
	// default DefaultMaxTTL.
	MaxTTL time.Duration
	// Now is the clock; default time.Now.
	Now func() time.Time
}

// ErrConfig is wrapped by the errors of New.
var ErrConfig = errors.New("exchange: invalid configuration")

func (c *Config) check() error {
	switch {
	case c.Client == nil:
		return configError("Client is required")
	case strings.HasPrefix(strings.ToLower(c.SubjectTokenType), "urn:ietf:"):
		return configError("SubjectTokenType in the urn:ietf: namespace: Auth0's Custom Token Exchange refuses it; register a custom type URI in a Token Exchange Profile")
	case c.CacheSize < -1:
		return configError("CacheSize below -1")
	case c.Margin < 0, c.MaxTTL < 0:
		return configError("negative Margin or MaxTTL")
	}
	return nil
}

type configErr struct{ msg string }

func configError(msg string) error { return &configErr{msg} }
func (e *configErr) Error() string { return "exchange: " + e.msg }
func (e *configErr) Unwrap() error { return ErrConfig }
