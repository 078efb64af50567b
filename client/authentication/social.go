package authentication

import (
	"context"
	"errors"
	"net/http"

	"github.com/tokengate/tokengate/verifier"
)

// SocialLoginRequest logs in with a social provider's access token.
type SocialLoginRequest struct {
	AccessToken   string // the provider's access token
	Connection    string // e.g. "facebook"
	Scope         string // default "openid"
	IDTokenChecks []verifier.Option
}

// SocialLogin exchanges a social provider's access token for Auth0 tokens
// at /oauth/access_token (Python Social.login; a legacy endpoint). No client
// authentication is sent.
func (c *Client) SocialLogin(ctx context.Context, r SocialLoginRequest) (*TokenResponse, error) {
	if err := c.needClientID(); err != nil {
		return nil, err
	}
	if r.AccessToken == "" || r.Connection == "" {
		return nil, errors.New("authentication: SocialLogin: access token and connection are required")
	}
	scope := r.Scope
	if scope == "" {
		scope = "openid"
	}
	body := map[string]any{"client_id": c.clientID, "access_token": r.AccessToken, "connection": r.Connection, "scope": scope}
	if err := c.checksRunnable(r.IDTokenChecks); err != nil {
		return nil, err
	}
	var raw []byte
	if _, err := c.do(ctx, call{method: http.MethodPost, path: "/oauth/access_token", json: body}, &raw); err != nil {
		return nil, err
	}
	t, err := decodeTokenResponse(raw, c.now())
	if err != nil {
		return nil, err
	}
	if err := c.checkIDToken(ctx, t.IDToken, &t.IDTokenClaims, r.IDTokenChecks); err != nil {
		return nil, err
	}
	return t, nil
}
