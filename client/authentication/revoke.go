package authentication

import (
	"context"
	"errors"
	"net/http"
)

// RevokeRefreshToken revokes a refresh token (Python
// RevokeToken.revoke_refresh_token). The client authenticates when it has
// credentials.
func (c *Client) RevokeRefreshToken(ctx context.Context, refreshToken string) error {
	if err := c.needClientID(); err != nil {
		return err
	}
	if refreshToken == "" {
		return errors.New("authentication: RevokeRefreshToken: empty token")
	}
	body := map[string]any{"client_id": c.clientID, "token": refreshToken}
	_, err := c.do(ctx, call{method: http.MethodPost, path: "/oauth/revoke", json: body, auth: true}, nil)
	return err
}
