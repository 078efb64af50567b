package authentication

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
)

// PushedAuthorizationRequest is an authorization request pushed to
// /oauth/par (RFC 9126). Optional fields are omitted when empty.
type PushedAuthorizationRequest struct {
	ResponseType        string // e.g. "code"
	RedirectURI         string
	Audience            string
	Scope               string
	State               string
	Nonce               string
	Organization        string
	Invitation          string
	Connection          string
	CodeChallenge       string
	CodeChallengeMethod string
	ResponseMode        string
	// AuthorizationDetails is Rich Authorization Request JSON, sent as its
	// text.
	AuthorizationDetails json.RawMessage
	// Request is a signed request object (JAR, RFC 9101).
	Request string
	// Extra holds further parameters (Python's **kwargs).
	Extra url.Values
}

// PushedAuthorizationResponse names the pushed request: send the browser to
// AuthorizeURL with RequestURI set.
type PushedAuthorizationResponse struct {
	RequestURI string `json:"request_uri"`
	ExpiresIn  int64  `json:"expires_in"`
}

// PushAuthorizationRequest pushes an authorization request (Python
// PushedAuthorizationRequests.pushed_authorization_request; form-encoded).
// The client authenticates (Python always sends client_secret, even
// "None" under private_key_jwt; this sends the configured credential only).
func (c *Client) PushAuthorizationRequest(ctx context.Context, r PushedAuthorizationRequest) (*PushedAuthorizationResponse, error) {
	if err := c.needClientID(); err != nil {
		return nil, err
	}
	if r.ResponseType == "" || r.RedirectURI == "" {
		return nil, errors.New("authentication: PushAuthorizationRequest: response type and redirect URI are required")
	}
	form := url.Values{"client_id": {c.clientID}, "response_type": {r.ResponseType}, "redirect_uri": {r.RedirectURI}}
	for k, v := range map[string]string{
		"audience": r.Audience, "scope": r.Scope, "state": r.State, "nonce": r.Nonce,
		"organization": r.Organization, "invitation": r.Invitation, "connection": r.Connection,
		"code_challenge": r.CodeChallenge, "code_challenge_method": r.CodeChallengeMethod,
		"response_mode": r.ResponseMode, "request": r.Request,
	} {
		setIf(form, k, v)
	}
	if len(r.AuthorizationDetails) > 0 {
		if !json.Valid(r.AuthorizationDetails) {
			return nil, errors.New("authentication: PushAuthorizationRequest: authorization details are not valid JSON")
		}
		form.Set("authorization_details", string(r.AuthorizationDetails))
	}
	if err := addExtra(form, r.Extra); err != nil {
		return nil, err
	}
	var out PushedAuthorizationResponse
	if _, err := c.do(ctx, call{method: http.MethodPost, path: "/oauth/par", form: form, auth: true}, &out); err != nil {
		return nil, err
	}
	return &out, nil
}
