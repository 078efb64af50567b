package authentication

import (
	"context"
	"errors"
	"net/http"
	"net/url"

	"github.com/tokengate/tokengate/verifier"
)

// The MFA API is not in the Python SDK; it is here because an
// "mfa_required" answer (client.Error.MFAToken) is useless without it, and
// the go-auth0 recordings cover it.

// MFAChallengeRequest asks Auth0 to challenge the user with an enrolled
// authenticator.
type MFAChallengeRequest struct {
	MFAToken        string // from client.Error.MFAToken
	ChallengeType   string // "otp", "oob" or "otp oob"
	AuthenticatorID string // optional
}

// MFAChallengeResponse says how the user was challenged.
type MFAChallengeResponse struct {
	ChallengeType string `json:"challenge_type"`
	OOBCode       string `json:"oob_code,omitempty"`
	BindingMethod string `json:"binding_method,omitempty"`
}

// MFAChallenge challenges the user (POST /mfa/challenge). The client
// authenticates.
func (c *Client) MFAChallenge(ctx context.Context, r MFAChallengeRequest) (*MFAChallengeResponse, error) {
	if err := c.needClientID(); err != nil {
		return nil, err
	}
	if r.MFAToken == "" || r.ChallengeType == "" {
		return nil, errors.New("authentication: MFAChallenge: MFA token and challenge type are required")
	}
	body := map[string]any{"client_id": c.clientID, "mfa_token": r.MFAToken, "challenge_type": r.ChallengeType}
	if r.AuthenticatorID != "" {
		body["authenticator_id"] = r.AuthenticatorID
	}
	var out MFAChallengeResponse
	if _, err := c.do(ctx, call{method: http.MethodPost, path: "/mfa/challenge", json: body, auth: true}, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// MFAAssociateRequest enrolls a new authenticator.
type MFAAssociateRequest struct {
	MFAToken           string
	AuthenticatorTypes []string // "otp", "oob"
	OOBChannels        []string // "sms", "voice", "auth0", "email"
	PhoneNumber        string
	Email              string
}

// MFAAssociateResponse describes the new authenticator.
type MFAAssociateResponse struct {
	AuthenticatorType string   `json:"authenticator_type"`
	Secret            string   `json:"secret,omitempty"`
	BarcodeURI        string   `json:"barcode_uri,omitempty"`
	OOBChannel        string   `json:"oob_channel,omitempty"`
	OOBCode           string   `json:"oob_code,omitempty"`
	BindingMethod     string   `json:"binding_method,omitempty"`
	RecoveryCodes     []string `json:"recovery_codes,omitempty"`
}

// MFAAssociate enrolls an authenticator (POST /mfa/associate, with the MFA
// token as bearer). The client authenticates.
func (c *Client) MFAAssociate(ctx context.Context, r MFAAssociateRequest) (*MFAAssociateResponse, error) {
	if err := c.needClientID(); err != nil {
		return nil, err
	}
	if r.MFAToken == "" || len(r.AuthenticatorTypes) == 0 {
		return nil, errors.New("authentication: MFAAssociate: MFA token and authenticator types are required")
	}
	body := map[string]any{"client_id": c.clientID, "authenticator_types": r.AuthenticatorTypes}
	if len(r.OOBChannels) > 0 {
		body["oob_channels"] = r.OOBChannels
	}
	if r.PhoneNumber != "" {
		body["phone_number"] = r.PhoneNumber
	}
	if r.Email != "" {
		body["email"] = r.Email
	}
	var out MFAAssociateResponse
	h := http.Header{"Authorization": {"Bearer " + r.MFAToken}}
	if _, err := c.do(ctx, call{method: http.MethodPost, path: "/mfa/associate", json: body, header: h, auth: true}, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// Authenticator is an enrolled MFA authenticator.
type Authenticator struct {
	ID                string `json:"id"`
	AuthenticatorType string `json:"authenticator_type"`
	Active            bool   `json:"active"`
	OOBChannel        string `json:"oob_channel,omitempty"`
	Name              string `json:"name,omitempty"`
}

// MFAAuthenticators lists the user's authenticators (GET
// /mfa/authenticators; the MFA token, or an access token with the
// read:authenticators scope, as bearer).
func (c *Client) MFAAuthenticators(ctx context.Context, token string) ([]Authenticator, error) {
	if token == "" {
		return nil, errors.New("authentication: MFAAuthenticators: empty token")
	}
	var out []Authenticator
	h := http.Header{"Authorization": {"Bearer " + token}}
	if _, err := c.do(ctx, call{method: http.MethodGet, path: "/mfa/authenticators", header: h}, &out); err != nil {
		return nil, err
	}
	return out, nil
}

// DeleteMFAAuthenticator removes an authenticator (DELETE
// /mfa/authenticators/{id}; an access token with the
// remove:authenticators scope as bearer).
func (c *Client) DeleteMFAAuthenticator(ctx context.Context, token, authenticatorID string) error {
	if token == "" || authenticatorID == "" {
		return errors.New("authentication: DeleteMFAAuthenticator: token and authenticator ID are required")
	}
	h := http.Header{"Authorization": {"Bearer " + token}}
	_, err := c.do(ctx, call{method: http.MethodDelete, path: "/mfa/authenticators/" + url.PathEscape(authenticatorID),
		route: "/mfa/authenticators/{authenticator_id}", header: h}, nil)
	return err
}

// MFAVerifyOTP completes an MFA login with a one-time password (grant
// mfa-otp). The client authenticates.
func (c *Client) MFAVerifyOTP(ctx context.Context, mfaToken, otp string, idTokenChecks ...verifier.Option) (*TokenResponse, error) {
	if mfaToken == "" || otp == "" {
		return nil, errors.New("authentication: MFAVerifyOTP: MFA token and OTP are required")
	}
	form := url.Values{"grant_type": {GrantMFAOTP}, "mfa_token": {mfaToken}, "otp": {otp}}
	return c.token(ctx, form, nil, true, nil, idTokenChecks)
}

// MFAVerifyOOB completes (or polls) an out-of-band MFA login (grant
// mfa-oob). oobCode comes from MFAChallenge; bindingCode is what the user
// typed, when the binding method asks for one. Until the user approves,
// the answer is a *client.Error with Code "authorization_pending".
func (c *Client) MFAVerifyOOB(ctx context.Context, mfaToken, oobCode, bindingCode string, idTokenChecks ...verifier.Option) (*TokenResponse, error) {
	if mfaToken == "" {
		return nil, errors.New("authentication: MFAVerifyOOB: empty MFA token")
	}
	form := url.Values{"grant_type": {GrantMFAOOB}, "mfa_token": {mfaToken}}
	setIf(form, "oob_code", oobCode)
	setIf(form, "binding_code", bindingCode)
	return c.token(ctx, form, nil, true, nil, idTokenChecks)
}

// MFAVerifyRecoveryCode completes an MFA login with a recovery code (grant
// mfa-recovery-code); the answer carries a new recovery code.
func (c *Client) MFAVerifyRecoveryCode(ctx context.Context, mfaToken, recoveryCode string, idTokenChecks ...verifier.Option) (*TokenResponse, error) {
	if mfaToken == "" || recoveryCode == "" {
		return nil, errors.New("authentication: MFAVerifyRecoveryCode: MFA token and recovery code are required")
	}
	form := url.Values{"grant_type": {GrantMFARecoveryCode}, "mfa_token": {mfaToken}, "recovery_code": {recoveryCode}}
	return c.token(ctx, form, nil, true, nil, idTokenChecks)
}
