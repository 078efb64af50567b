package authentication

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strconv"
)

// BackChannelLoginRequest starts a Client-Initiated Backchannel
// Authentication (CIBA) request.
type BackChannelLoginRequest struct {
	// BindingMessage is shown on both devices so the user can match them.
	BindingMessage string
	// LoginHint identifies the user: a JSON object such as the one
	// LoginHintIssSub builds.
	LoginHint string
	Scope     string // must include "openid"
	// AuthorizationDetails is Rich Authorization Request JSON (an array),
	// sent as its text.
	AuthorizationDetails json.RawMessage
	// RequestedExpiry is the requested lifetime of the request in seconds;
	// 0 leaves it to the tenant.
	RequestedExpiry int
	// Extra holds further parameters (Python's **kwargs).
	Extra url.Values
}

// BackChannelLoginResponse identifies the started request.
type BackChannelLoginResponse struct {
	AuthReqID string `json:"auth_req_id"`
	ExpiresIn int64  `json:"expires_in"`
	Interval  int64  `json:"interval"` // seconds to wait between polls
}

// LoginHintIssSub builds the login_hint of a CIBA request for the user sub
// of the issuer iss ("https://tenant.auth0.com/").
func LoginHintIssSub(iss, sub string) string {
	b, _ := json.Marshal(struct {
		Format string `json:"format"`
		Iss    string `json:"iss"`
		Sub    string `json:"sub"`
	}{"iss_sub", iss, sub})
	return string(b)
}

// BackChannelLogin starts a CIBA login at /bc-authorize (Python
// BackChannelLogin.back_channel_login; form-encoded). The client
// authenticates. Poll for the tokens with BackChannelLoginToken.
func (c *Client) BackChannelLogin(ctx context.Context, r BackChannelLoginRequest) (*BackChannelLoginResponse, error) {
	if err := c.needClientID(); err != nil {
		return nil, err
	}
	if r.BindingMessage == "" || r.LoginHint == "" || r.Scope == "" {
		return nil, errors.New("authentication: BackChannelLogin: binding message, login hint and scope are required")
	}
	if r.RequestedExpiry < 0 {
		return nil, errors.New("authentication: BackChannelLogin: requested expiry must be a positive integer")
	}
	form := url.Values{
		"client_id":       {c.clientID},
		"binding_message": {r.BindingMessage},
		"login_hint":      {r.LoginHint},
		"scope":           {r.Scope},
	}
	if len(r.AuthorizationDetails) > 0 {
		if !json.Valid(r.AuthorizationDetails) {
			return nil, errors.New("authentication: BackChannelLogin: authorization details are not valid JSON")
		}
		form.Set("authorization_details", string(r.AuthorizationDetails))
	}
	if r.RequestedExpiry > 0 {
		form.Set("requested_expiry", strconv.Itoa(r.RequestedExpiry))
	}
	if err := addExtra(form, r.Extra); err != nil {
		return nil, err
	}
	var out BackChannelLoginResponse
	if _, err := c.do(ctx, call{method: http.MethodPost, path: "/bc-authorize", form: form, auth: true}, &out); err != nil {
		return nil, err
	}
	return &out, nil
}
