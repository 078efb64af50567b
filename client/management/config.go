package management

import (
	"crypto"
	"errors"
	"fmt"
	"log/slog"
	"strings"

	"github.com/tokengate/tokengate/client"
	"github.com/tokengate/tokengate/client/authentication"
)

// Config configures a Management client: exactly one source of tokens
// (Token; or ClientID with ClientSecret or ClientAssertionKey; or
// Authentication), and the HTTP behaviour. The zero value has no token
// source, so New refuses it (ErrNoCredentials): no request goes out
// without a token.
type Config struct {
	// Token is a Management API access token sent with every request. A
	// static token is never refreshed: once it expires, requests fail with
	// the API's 401 *client.Error.
	Token string

	// ClientID, with ClientSecret (client_secret_post) or
	// ClientAssertionKey (private_key_jwt; it wins when both are set),
	// gets client-credentials tokens from the tenant's /oauth/token.
	// ClientAssertionAlg is the assertion's algorithm, RS256 when empty;
	// authentication.ParsePrivateKeyPEM reads a PEM key.
	//
	// Client-credentials tokens (from these fields or from Authentication)
	// are cached until a tenth of their lifetime (at most a minute) before
	// they expire; expires_in is clamped to 30 days first, and an answer
	// without a lifetime serves one request only. Concurrent requests that
	// find no valid token share one token request; a 401 answer drops the
	// cached token and the request is retried once with a new one.
	ClientID           string
	ClientSecret       string
	ClientAssertionKey crypto.Signer
	ClientAssertionAlg string

	// Authentication gets client-credentials tokens through an
	// Authentication API client of your own (configured with the
	// application's ClientID and its secret or key), to share one or to
	// reach the token endpoint with another HTTP config.
	Authentication *authentication.Client

	// TokenStore, when set, shares client-credentials tokens with the
	// other replicas of the application (see TokenStore): one fetches,
	// all use it, and a 401 replaces it once for all. nil: this client
	// caches its own. It needs client credentials or Authentication, not a
	// static Token.
	TokenStore TokenStore

	// Audience is the audience of client-credentials tokens; empty means
	// "https://{domain}/api/v2/".
	Audience string

	// CustomDomain, when set, is sent as Auth0-Custom-Domain on the
	// endpoints that use it to build links (the whitelist of the Auth0
	// Python SDK: POST /jobs/verification-email, POST
	// /tickets/email-verification, POST /tickets/password-change,
	// /organizations/{id}/invitations, /users, /users/{id},
	// /guardian/enrollments/ticket and
	// /self-service-profiles/{id}/sso-ticket) and on no other request.
	// It must be a host name; Management.ForCustomDomain changes it for
	// some calls.
	CustomDomain string

	// HTTP is the HTTP behaviour (timeout, retries, hooks, clock). It
	// applies to the token requests of ClientID credentials too, and its
	// Now drives the token cache's expiry.
	HTTP client.Config
}

// String describes c without its credentials, so that printing or
// logging a Config never shows a token, a secret or a key.
func (c Config) String() string {
	s := "management.Config{token=" + c.tokenKind()
	if c.ClientID != "" {
		s += fmt.Sprintf(" client_id=%q", c.ClientID)
	}
	if c.CustomDomain != "" {
		s += " custom_domain=" + c.CustomDomain
	}
	return s + "}"
}

// GoString is String, for %#v.
func (c Config) GoString() string { return c.String() }

// LogValue is String, for log/slog.
func (c Config) LogValue() slog.Value { return slog.StringValue(c.String()) }

func (c Config) tokenKind() string {
	var kinds []string
	if c.Token != "" {
		kinds = append(kinds, "static")
	}
	if c.hasCredentials() {
		kinds = append(kinds, "client_credentials")
	}
	if c.Authentication != nil {
		kinds = append(kinds, "authentication_client")
	}
	if len(kinds) == 0 {
		return "none"
	}
	return strings.Join(kinds, "+")
}

func (c Config) hasCredentials() bool {
	return c.ClientID != "" || c.ClientSecret != "" || c.ClientAssertionKey != nil || c.ClientAssertionAlg != ""
}

// ErrNoCredentials is returned by New when the Config has no source of
// tokens: Token, ClientID with ClientSecret or ClientAssertionKey, or
// Authentication.
var ErrNoCredentials = errors.New("management: a token source is required: Config.Token, Config.ClientID with ClientSecret or ClientAssertionKey, or Config.Authentication")

// check refuses a Config with no token source, or more than one, or
// fields that belong to a source it does not use; the error never holds a
// credential.
func (c Config) check() error {
	sources := 0
	for _, set := range []bool{c.Token != "", c.hasCredentials(), c.Authentication != nil} {
		if set {
			sources++
		}
	}
	switch {
	case sources == 0:
		return ErrNoCredentials
	case sources > 1:
		return fmt.Errorf("management: configure one token source, not %s", c.tokenKind())
	case c.hasCredentials() && c.ClientID == "":
		return errors.New("management: client credentials need a ClientID")
	case c.hasCredentials() && c.ClientSecret == "" && c.ClientAssertionKey == nil:
		return errors.New("management: ClientID needs a ClientSecret or a ClientAssertionKey")
	case c.TokenStore != nil && c.Token != "":
		return errors.New("management: TokenStore shares client-credentials tokens, not a static Token")
	case c.Audience != "" && c.Token != "":
		return errors.New("management: Audience applies to client-credentials tokens, not to a static Token")
	}
	return checkCustomDomain(c.CustomDomain)
}

// checkCustomDomain accepts a bare host name, as Auth0 expects in
// Auth0-Custom-Domain ("" for none).
func checkCustomDomain(d string) error {
	if d == "" {
		return nil
	}
	if strings.Contains(d, "://") {
		return fmt.Errorf("management: custom domain %q must be a host name, without scheme", d)
	}
	if _, err := client.BaseURL(d); err != nil {
		return fmt.Errorf("management: custom domain %q is not a host name", d)
	}
	return nil
}
