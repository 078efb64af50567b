package authentication

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"

	"github.com/tokengate/tokengate/verifier"
)

// DelegationRequest asks /delegation for a token for another application.
// Exactly one of IDToken and RefreshToken is set.
type DelegationRequest struct {
	Target       string // the client ID of the target application
	APIType      string // e.g. "app"
	GrantType    string // e.g. "urn:ietf:params:oauth:grant-type:jwt-bearer"
	IDToken      string
	RefreshToken string
	Scope        string // default "openid"
	// IDTokenChecks are extra checks for the returned ID token, applied by
	// the Client's verifier (whose audience must then accept Target).
	IDTokenChecks []verifier.Option
}

// DelegationResponse is the answer of /delegation. Raw is the whole
// answer, for api_type values whose answer has another shape.
type DelegationResponse struct {
	IDToken       string           `json:"id_token,omitempty"`
	TokenType     string           `json:"token_type,omitempty"`
	ExpiresIn     int64            `json:"expires_in,omitempty"`
	Raw           json.RawMessage  `json:"-"`
	IDTokenClaims *verifier.Claims `json:"-"`
}

// Delegation gets a delegation token (Python Delegated.get_token; a
// deprecated Auth0 feature). No client authentication is sent. When the
// Client has an ID-token verifier, the returned id_token is verified like
// every other: it is issued for Target, so use a Client whose verifier
// accepts that audience.
func (c *Client) Delegation(ctx context.Context, r DelegationRequest) (*DelegationResponse, error) {
	if err := c.needClientID(); err != nil {
		return nil, err
	}
	switch {
	case r.IDToken != "" && r.RefreshToken != "":
		return nil, errors.New("authentication: Delegation: only one of IDToken and RefreshToken may be set")
	case r.IDToken == "" && r.RefreshToken == "":
		return nil, errors.New("authentication: Delegation: IDToken or RefreshToken must be set")
	case r.Target == "" || r.APIType == "" || r.GrantType == "":
		return nil, errors.New("authentication: Delegation: target, API type and grant type are required")
	}
	scope := r.Scope
	if scope == "" {
		scope = "openid"
	}
	if err := c.checksRunnable(r.IDTokenChecks); err != nil {
		return nil, err
	}
	body := map[string]any{"client_id": c.clientID, "grant_type": r.GrantType, "target": r.Target, "scope": scope, "api_type": r.APIType}
	if r.IDToken != "" {
		body["id_token"] = r.IDToken
	} else {
		body["refresh_token"] = r.RefreshToken
	}
	var raw []byte
	if _, err := c.do(ctx, call{method: http.MethodPost, path: "/delegation", json: body}, &raw); err != nil {
		return nil, err
	}
	out := &DelegationResponse{Raw: raw}
	if err := json.Unmarshal(raw, out); err != nil {
		return nil, fmt.Errorf("authentication: Delegation: decoding the response: %w", err)
	}
	if err := c.checkIDToken(ctx, out.IDToken, &out.IDTokenClaims, r.IDTokenChecks); err != nil {
		return nil, err
	}
	return out, nil
}
