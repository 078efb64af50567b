package management

import (
	"crypto"
	"errors"
	"fmt"
	"time"

	"github.com/tokengate/tokengate/client"
	"github.com/tokengate/tokengate/client/authentication"
)

// Option configures a Management client.
type Option func(*config)

type config struct {
	token        string
	clientID     string
	clientSecret string
	key          crypto.Signer
	keyPEM       []byte
	alg          string
	audience     string
	auth         *authentication.Client
	customDomain string
	http         client.Config
	now          func() time.Time
	fetcher      tokenFetcher // tests only: replaces the Authentication client
	sources      int          // how many token sources were configured
	err          error
}

func (c *config) fail(format string, a ...any) {
	if c.err == nil {
		c.err = fmt.Errorf("management: "+format, a...)
	}
}

// WithToken makes every request carry this Management API access token. A
// static token is never refreshed: when it expires, requests fail with the
// API's 401 *client.Error.
func WithToken(token string) Option {
	return func(c *config) {
		if token == "" {
			c.fail("WithToken: empty token")
			return
		}
		c.sources++
		c.token = token
	}
}

// WithClientCredentials gets Management API tokens with the client
// credentials grant, authenticating the application with its client secret.
// Tokens are cached until shortly before they expire (see the package
// documentation).
func WithClientCredentials(clientID, clientSecret string) Option {
	return func(c *config) {
		if clientID == "" || clientSecret == "" {
			c.fail("WithClientCredentials: empty client ID or secret")
			return
		}
		c.sources++
		c.clientID, c.clientSecret = clientID, clientSecret
	}
}

// WithClientAssertion gets Management API tokens with the client credentials
// grant, authenticating the application with private_key_jwt: each token
// request carries a fresh client assertion signed with key. alg is RS256
// (the default when empty), RS384, RS512, PS256, PS384, PS512, ES256, ES384,
// ES512 or EdDSA, and must fit the key.
func WithClientAssertion(clientID string, key crypto.Signer, alg string) Option {
	return func(c *config) {
		if clientID == "" || key == nil {
			c.fail("WithClientAssertion: empty client ID or nil key")
			return
		}
		c.sources++
		c.clientID, c.key, c.keyPEM, c.alg = clientID, key, nil, alg
	}
}

// WithClientAssertionPEM is WithClientAssertion with a PEM private key
// (PKCS #8, PKCS #1 or SEC 1), as the Auth0 SDKs take it.
func WithClientAssertionPEM(clientID string, pemKey []byte, alg string) Option {
	return func(c *config) {
		if clientID == "" || len(pemKey) == 0 {
			c.fail("WithClientAssertionPEM: empty client ID or key")
			return
		}
		c.sources++
		c.clientID, c.key, c.keyPEM, c.alg = clientID, nil, pemKey, alg
	}
}

// WithAuthenticationClient gets Management API tokens with the client
// credentials grant through auth, an Authentication API client configured
// with the application's client ID and its secret or assertion key (to
// share one, or to reach the token endpoint through other options).
func WithAuthenticationClient(auth *authentication.Client) Option {
	return func(c *config) {
		if auth == nil {
			c.fail("WithAuthenticationClient: nil client")
			return
		}
		c.sources++
		c.auth = auth
	}
}

// WithAudience sets the audience of client-credentials tokens. Default:
// the base URL followed by "/api/v2/" ("https://{domain}/api/v2/").
func WithAudience(audience string) Option {
	return func(c *config) {
		if audience == "" {
			c.fail("WithAudience: empty audience")
			return
		}
		c.audience = audience
	}
}

// WithCustomDomain sends "Auth0-Custom-Domain: domain" on the endpoints
// that use it to build links (the whitelist of the Auth0 Python SDK:
// POST /jobs/verification-email, POST /tickets/email-verification,
// POST /tickets/password-change, /organizations/{id}/invitations, /users,
// /users/{id}, /guardian/enrollments/ticket and
// /self-service-profiles/{id}/sso-ticket) and on no other request. Use
// Management.ForCustomDomain to change it for some calls.
func WithCustomDomain(domain string) Option {
	return func(c *config) {
		if domain == "" {
			c.fail("WithCustomDomain: empty domain")
			return
		}
		if err := checkCustomDomain(domain); err != nil && c.err == nil {
			c.err = err
			return
		}
		c.customDomain = domain
	}
}

// WithClientOptions sets the HTTP behaviour (timeout, retries, HTTP
// client, debug and observer hooks, ...). It also applies to the token
// requests of client credentials.
func WithClientOptions(cfg client.Config) Option {
	return func(c *config) { c.http = cfg }
}

// WithClock replaces time.Now for the token cache's expiry decisions and
// client assertions (tests).
func WithClock(now func() time.Time) Option {
	return func(c *config) {
		if now == nil {
			c.fail("WithClock: nil func")
			return
		}
		c.now = now
	}
}

// tokenSource builds the configured token source. base is the API base URL.
func (c *config) tokenSource(base string) (tokenSource, error) {
	switch {
	case c.sources == 0 && c.fetcher == nil:
		return nil, ErrNoCredentials
	case c.sources > 1:
		return nil, errors.New("management: configure one token source: WithToken, WithClientCredentials, WithClientAssertion or WithAuthenticationClient")
	case c.token != "":
		return staticToken(c.token), nil
	}
	audience := c.audience
	if audience == "" {
		audience = base + "/api/v2/"
	}
	f := c.fetcher
	if f == nil {
		var err error
		if f, err = newFetcher(base, c); err != nil {
			return nil, err
		}
	}
	return newCachedToken(f, audience, c.now), nil
}
