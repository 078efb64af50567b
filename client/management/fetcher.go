package management

import (
	"context"
	"time"

	"github.com/tokengate/tokengate/client/authentication"
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

// newFetcher builds the Authentication client for the configured
// credentials, on the same domain and with the same REST options (timeout,
// transport, hooks) as the Management client.
func newFetcher(base string, c *config) (tokenFetcher, error) {
	if c.auth != nil {
		return authFetcher{c.auth}, nil
	}
	cfg := authentication.Config{ClientID: c.clientID, HTTP: c.http}
	if cfg.HTTP.Now == nil {
		cfg.HTTP.Now = c.now
	}
	switch {
	case c.key != nil:
		cfg.ClientAssertionKey, cfg.ClientAssertionAlg = c.key, c.alg
	case c.keyPEM != nil:
		key, err := authentication.ParsePrivateKeyPEM(c.keyPEM)
		if err != nil {
			return nil, err
		}
		cfg.ClientAssertionKey, cfg.ClientAssertionAlg = key, c.alg
	default:
		cfg.ClientSecret = c.clientSecret
	}
	auth, err := authentication.New(base, cfg)
	if err != nil {
		return nil, err
	}
	return authFetcher{auth}, nil
}
