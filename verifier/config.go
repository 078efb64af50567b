package verifier

import (
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/tokengate/tokengate/internal/jose"
	"github.com/tokengate/tokengate/internal/tenant"
)

// Kind says which kind of token a Verifier checks. The two rule sets are
// mutually exclusive (RFC 8725 section 3.12): an access-token verifier
// refuses ID tokens by their typ where it can, and the other way round.
type Kind uint8

const (
	// AccessToken (the zero value): a bearer token sent to an API, such as
	// an Auth0 access token. typ must be absent, "JWT", or "at+jwt"
	// (RFC 9068); azp and client_id are checked only against
	// AuthorizedParties when it is set.
	AccessToken Kind = iota
	// IDToken: an OpenID Connect ID token, checked as the Auth0 SDKs'
	// TokenVerifier does (sub, iat, azp with several audiences, nonce,
	// auth_time with max age).
	IDToken
	// LogoutToken: an OpenID Connect Back-Channel Logout 1.0 logout token
	// (section 2.4), checked as section 2.6 says: typ absent or
	// "logout+jwt"; iss, aud, iat, exp and jti required; events holding
	// the member "http://schemas.openid.net/event/backchannel-logout",
	// an object; sub or sid (or both); no nonce. Audience is the client
	// ID of the application that receives the logouts. The verified-token
	// cache is off for this kind and Revocations must be nil. Verify does
	// not record the jti: the logout endpoint (package logout) does, in
	// a replay store.
	LogoutToken
)

// Issuer binds one further issuer to its own keys (an Auth0 custom domain
// next to the canonical domain, or a second tenant).
type Issuer struct {
	Issuer string
	Keys   KeySource
}

// Config configures a Verifier. The zero value of every optional field is the
// safe default.
type Config struct {
	// Issuer is the exact, case-sensitive iss to accept; Auth0 issuers end
	// with a slash ("https://tenant.auth0.com/"; Auth0Tenant derives it
	// from the tenant's domain). Required, unless Resolver is set. New
	// refuses a value that cannot be meant: a bare host name (a dot, no
	// scheme: "tenant.auth0.com") and, on an Auth0 host (*.auth0.com),
	// anything but "https://" + host + "/". Other non-URL values stay
	// legal (iss is a StringOrURI: "billing-service").
	Issuer string
	// Audience lists the audiences this API answers to; the token's aud must
	// contain one of them. Required. For ID tokens it is the client ID.
	Audience []string
	// Algorithms is the allow list of signature algorithms. Default
	// {"RS256"}. "none" does not exist.
	Algorithms []string
	// Keys provides the keys of Issuer. Required, unless Resolver is set.
	Keys KeySource

	// Resolver, when set, takes the place of Issuer, Keys and Issuers
	// (which must then be empty): the issuers accepted, and their keys,
	// are looked up per request (see IssuerResolver; *jwks.Issuers
	// discovers them). Use it for many custom domains or tenants, whose
	// list changes while the program runs; a fixed set of issuers is
	// Issuer and Keys, plus Issuers.
	Resolver IssuerResolver

	// Issuers lists further accepted issuers, each with its own key source.
	// The token's unverified iss only selects the key source; after the
	// signature verifies, iss must still equal the issuer of that source, so
	// a token signed by one issuer cannot claim another. An unknown iss never
	// reaches a key source.
	Issuers []Issuer

	// Kind selects the access-token (default) or ID-token rules.
	Kind Kind
	// ClientID is the OIDC client whose ID tokens are checked: azp must equal
	// it when aud has several values. Default: Audience[0].
	ClientID string
	// AuthorizedParties, for access tokens, is an allow list for azp (or
	// client_id when azp is absent). Empty: not checked.
	AuthorizedParties []string
	// Types, when set, replaces the accepted typ values: typ is then
	// required and compared case-insensitively, with or without the
	// "application/" prefix (RFC 9068 section 4). Example: {"at+jwt"}.
	Types []string
	// RequiredClaims lists claims that must be present (any JSON type but
	// null), in addition to those the rules require.
	RequiredClaims []string

	// Leeway allows for clock skew on exp, nbf, iat and auth_time. Default 0,
	// at most 5 minutes.
	Leeway time.Duration
	// MaxTokenAge, when positive, refuses tokens issued longer ago than
	// it, plus Leeway (express-oauth2-jwt-bearer's maxTokenAge, Envoy's
	// max_lifetime): iat is then required (ErrMissingClaim) and a token
	// too old fails with ErrExpired on the claim iat, as a client's remedy
	// is the same as for exp: get a new token. It bounds the life of
	// long-lived tokens an issuer hands out. Not to be confused with
	// WithMaxAge, which bounds auth_time, the age of the user's
	// authentication. Default 0: off; negative is an error.
	MaxTokenAge time.Duration
	// MaxTokenSize bounds the token string in bytes (an encrypted token as
	// sent); larger tokens are refused before decoding. Default 16 KiB.
	MaxTokenSize int
	// RejectEmbeddedKeys refuses tokens whose header carries jwk, jku, x5u or
	// x5c, even when the signature verifies with a configured key. Those
	// members are never used either way.
	RejectEmbeddedKeys bool

	// CacheSize is the most tokens the verified-token cache holds, exactly
	// (it is split between up to 16 shards whose sizes add up to it).
	// Default 10000; negative turns the cache off. The cache keeps, by
	// exact token string, tokens of up to 4 KiB (encrypted ones, with
	// Decryption, up to MaxTokenSize) that passed every check of the
	// configuration (CLOCK eviction). A hit costs a map lookup; it
	// re-checks exp, nbf and iat (MaxTokenAge), that the key is still in
	// use (not retired by NextKeySet), and the per-call options.
	CacheSize int

	// MaxActorDepth bounds the delegation chain of the act claim (RFC 8693
	// section 4.1): the number of actors, each nested in the act of the one
	// after it. A token with a longer chain is refused as malformed, as any
	// claim above this package's size limits is. Default 5; at most 31 (the
	// JSON nesting limit); negative is an error.
	MaxActorDepth int

	// Revocations, when set, is consulted on every Verify that passes
	// every other check, verified-token cache hits included (a hit then
	// costs the set's lookup too): a token whose subject, or whose session
	// (sid), was revoked after its iat fails with ErrRevoked. A set that
	// cannot answer fails the token with ErrRevocationUnavailable, which
	// wraps ErrKeysUnavailable (HTTP layers answer 503 with Retry-After).
	// VerifySignature does not consult it. Default nil: no revocation.
	Revocations RevocationSet

	// Decryption, when it has Keys, accepts encrypted tokens (a compact
	// JWE wrapping a compact JWS, as Auth0's token encryption sends them),
	// or requires them. Default: none; a JWE is refused as malformed.
	Decryption Decryption

	// Now is the clock. Default time.Now.
	Now func() time.Time
	// Observer, when set, is told the outcome of every Verify call (for
	// metrics, traces and logs), with the call's context, except the cache
	// hits that return claims, which the Verifier counts instead (Stats),
	// unless the Observer is a HitObserver that wants them. It must be fast
	// and must not retain the event. A panic in it is stopped and logged
	// to Logger at Error; it does not change the outcome of Verify.
	// JoinObservers gives several observers one field.
	Observer Observer
	// Logger, when set, receives refused tokens at Debug: the reason
	// label, the claim at fault, the algorithm, the kid (quoted and cut to
	// 64 bytes) and the error message, never the token. Successes are not
	// logged. Default: no logging.
	Logger *slog.Logger
}

const (
	defaultMaxTokenSize = 16 << 10
	defaultCacheSize    = 10000
	maxLeeway           = 5 * time.Minute
	maxAudiences        = 64
	// defaultMaxActorDepth is the default Config.MaxActorDepth; act chains
	// seen in practice (a user, an agent, a tool) are two or three deep.
	defaultMaxActorDepth = 5
	// maxActorDepth is the largest Config.MaxActorDepth: the claims object
	// and 31 nested actors are strictjson.MaxDepth objects deep.
	maxActorDepth = 31
)

// ErrConfig is wrapped by every error New returns.
var ErrConfig = errors.New("verifier: invalid configuration")

func configError(format string, a ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrConfig}, a...)...)
}

func (c *Config) validate() error {
	switch {
	case c.Resolver != nil && (c.Issuer != "" || c.Keys != nil || len(c.Issuers) > 0):
		return configError("Resolver takes the place of Issuer, Keys and Issuers: set either")
	case c.Resolver == nil && c.Issuer == "":
		return configError("Issuer is required")
	}
	if m := tenant.IssuerMistake(c.Issuer); m != "" {
		return configError("Config.Issuer %s %s", tenant.Quote(c.Issuer), m)
	}
	if len(c.Audience) == 0 {
		return configError("Audience is required")
	}
	if len(c.Audience) > maxAudiences {
		return configError("at most %d audiences", maxAudiences)
	}
	for _, a := range c.Audience {
		if a == "" {
			return configError("empty audience")
		}
	}
	if c.Keys == nil && c.Resolver == nil {
		return configError("Keys is required")
	}
	for _, a := range c.Algorithms {
		if strings.EqualFold(strings.TrimSpace(a), "none") {
			return configError(`algorithm "none" is not supported: there is no unsecured mode`)
		}
		if _, ok := jose.ParseAlg(a); !ok {
			return configError("unsupported algorithm %q", a)
		}
	}
	seen := map[string]bool{c.Issuer: true}
	for i, is := range c.Issuers {
		if is.Issuer == "" || is.Keys == nil {
			return configError("each of Issuers needs Issuer and Keys")
		}
		if m := tenant.IssuerMistake(is.Issuer); m != "" {
			return configError("Config.Issuers[%d].Issuer %s %s", i, tenant.Quote(is.Issuer), m)
		}
		if seen[is.Issuer] {
			return configError("issuer %q listed twice", is.Issuer)
		}
		seen[is.Issuer] = true
	}
	if c.Leeway < 0 || c.Leeway > maxLeeway {
		return configError("Leeway %v outside [0, %v]", c.Leeway, maxLeeway)
	}
	if c.MaxTokenAge < 0 {
		return configError("negative MaxTokenAge %v", c.MaxTokenAge)
	}
	if c.MaxTokenSize < 0 {
		return configError("negative MaxTokenSize")
	}
	if c.Kind > LogoutToken {
		return configError("unknown Kind %d", c.Kind)
	}
	if c.Kind == LogoutToken && c.Revocations != nil {
		// A logout token revokes; it is not itself revoked.
		return configError("Revocations with Kind LogoutToken")
	}
	if c.MaxActorDepth < 0 || c.MaxActorDepth > maxActorDepth {
		return configError("MaxActorDepth %d outside [0, %d]", c.MaxActorDepth, maxActorDepth)
	}
	for _, t := range c.Types {
		if t == "" {
			return configError("empty entry in Types")
		}
	}
	return nil
}
