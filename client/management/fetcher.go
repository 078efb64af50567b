package management

import (
	"context"
	"time"

	"github.com/tokengate/tokengate/client/authentication"
	"github.com/tokengate/tokengate/client/internal/rest"
	tenantdomain "github.com/tokengate/tokengate/internal/tenant"
)

// authFetcher gets client-credentials tokens through the Authentication
// API client (secret or private_key_jwt, form-encoded POST /oauth/token).
type authFetcher struct{ auth *authentication.Client }

func (f authFetcher) clientCredentials(ctx context.Context, audience string) (string, time.Duration, error) {
	tr, err := f.auth.ClientCredentials(ctx, authentication.ClientCredentialsRequest{Audience: audience})
	if err != nil {
		return "", 0, err
	}
	// ExpiresIn is clamped to at most 30 days by the decoder: no overflow.
	return tr.AccessToken, time.Duration(tr.ExpiresIn) * time.Second, nil
}

// newTokenSource builds the token source cfg names: its static Token, or
// client-credentials tokens for cfg.Audience, cached, fetched by f (tests), by
// cfg.Authentication, or by an Authentication client of cfg's credentials
// on the same domain with the same HTTP config (timeout, transport, hooks,
// clock) as rc.
func newTokenSource(rc *rest.Client, cfg Config, f tokenFetcher) (tokenSource, error) {
	if cfg.Token != "" {
		return staticToken(cfg.Token), nil
	}
	base := rc.BaseURL()
	audience := cfg.Audience
	if audience == "" {
		audience = tenantdomain.ManagementAudience(base)
	}
	clientID := cfg.ClientID
	switch {
	case f != nil:
	case cfg.Authentication != nil:
		f = authFetcher{cfg.Authentication}
		clientID = cfg.Authentication.ClientID()
	default:
		auth, err := authentication.New(base, authentication.Config{
			ClientID:           cfg.ClientID,
			ClientSecret:       cfg.ClientSecret,
			ClientAssertionKey: cfg.ClientAssertionKey,
			ClientAssertionAlg: cfg.ClientAssertionAlg,
			HTTP:               cfg.HTTP,
		})
		if err != nil {
			return nil, err
		}
		f = authFetcher{auth}
	}
	c := newCachedToken(f, audience, rc.Now)
	if cfg.TokenStore != nil {
		c.store, c.key = cfg.TokenStore, tokenStoreKey(base, audience, clientID)
	}
	return c, nil
}
