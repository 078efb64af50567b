package authentication

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"
)

// AuthorizeParams are the parameters of an /authorize URL (the Python 3.x
// AuthorizeClient.authorize, plus the common OIDC ones). Empty fields are
// left out.
type AuthorizeParams struct {
	Audience     string
	State        string
	RedirectURI  string
	ResponseType string // default "code"
	Scope        string // default "openid"
	Organization string // org_ ID or name
	Invitation   string // the invitation ID of an organization invitation link
	Connection   string
	Nonce        string
	Prompt       string
	// MaxAge is max_age in seconds; 0 leaves it out.
	MaxAge              int
	CodeChallenge       string
	CodeChallengeMethod string
	ResponseMode        string
	// RequestURI is the request_uri returned by PushAuthorizationRequest.
	RequestURI string
	Extra      url.Values
}

// AuthorizeURL builds the URL to send the browser to for a login. It does
// no I/O.
func (c *Client) AuthorizeURL(p AuthorizeParams) (string, error) {
	if err := c.needClientID(); err != nil {
		return "", err
	}
	q := url.Values{"client_id": {c.clientID}}
	if p.RequestURI == "" { // with PAR the pushed request carries them
		q.Set("response_type", "code")
		q.Set("scope", "openid")
	}
	for k, v := range map[string]string{
		"response_type": p.ResponseType, "scope": p.Scope, "audience": p.Audience, "state": p.State,
		"redirect_uri": p.RedirectURI, "organization": p.Organization, "invitation": p.Invitation,
		"connection": p.Connection, "nonce": p.Nonce, "prompt": p.Prompt,
		"code_challenge": p.CodeChallenge, "code_challenge_method": p.CodeChallengeMethod,
		"response_mode": p.ResponseMode, "request_uri": p.RequestURI,
	} {
		setIf(q, k, v)
	}
	if p.MaxAge < 0 {
		return "", fmt.Errorf("authentication: AuthorizeURL: negative max age %d", p.MaxAge)
	}
	if p.MaxAge > 0 {
		q.Set("max_age", strconv.Itoa(p.MaxAge))
	}
	if err := addExtra(q, p.Extra); err != nil {
		return "", err
	}
	return c.baseURL + "/authorize?" + q.Encode(), nil
}

// LogoutParams are the parameters of a /v2/logout URL.
type LogoutParams struct {
	// ReturnTo is where Auth0 sends the browser after logout; it must be in
	// the application's Allowed Logout URLs.
	ReturnTo string
	// Federated also logs the user out of the identity provider.
	Federated bool
}

// LogoutURL builds the /v2/logout URL (the Python 3.x Logout.logout:
// "/v2/logout?[federated&]client_id=...&returnTo=..."). It does no I/O;
// the client ID is left out when none is configured.
func (c *Client) LogoutURL(p LogoutParams) string {
	var parts []string
	if p.Federated {
		parts = append(parts, "federated")
	}
	if c.clientID != "" {
		parts = append(parts, "client_id="+url.QueryEscape(c.clientID))
	}
	if p.ReturnTo != "" {
		parts = append(parts, "returnTo="+url.QueryEscape(p.ReturnTo))
	}
	u := c.baseURL + "/v2/logout"
	if len(parts) > 0 {
		u += "?" + strings.Join(parts, "&")
	}
	return u
}
