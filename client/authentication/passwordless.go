package authentication

import (
	"context"
	"errors"
	"net/http"
)

// PasswordlessEmailRequest starts a passwordless login by email.
type PasswordlessEmailRequest struct {
	Email string
	// Send is "link" (the default) or "code".
	Send string
	// AuthParams are the /authorize parameters a magic link logs in with
	// (scope, state, redirect_uri, response_type, ...).
	AuthParams map[string]any
}

// PasswordlessStartResponse is the answer of /passwordless/start.
type PasswordlessStartResponse struct {
	ID            string `json:"_id,omitempty"`
	Email         string `json:"email,omitempty"`
	EmailVerified bool   `json:"email_verified,omitempty"`
	PhoneNumber   string `json:"phone_number,omitempty"`
	PhoneVerified bool   `json:"phone_verified,omitempty"`
}

// PasswordlessEmail sends a login link or code by email (Python
// Passwordless.email). The client authenticates.
func (c *Client) PasswordlessEmail(ctx context.Context, r PasswordlessEmailRequest) (*PasswordlessStartResponse, error) {
	if err := c.needClientID(); err != nil {
		return nil, err
	}
	if r.Email == "" {
		return nil, errors.New("authentication: PasswordlessEmail: empty email")
	}
	send := r.Send
	if send == "" {
		send = "link"
	}
	if send != "link" && send != "code" {
		return nil, errors.New(`authentication: PasswordlessEmail: Send must be "link" or "code"`)
	}
	body := map[string]any{"client_id": c.clientID, "connection": "email", "email": r.Email, "send": send}
	if len(r.AuthParams) > 0 {
		body["authParams"] = r.AuthParams
	}
	return c.passwordlessStart(ctx, body)
}

// PasswordlessSMS sends a login code by text message (Python
// Passwordless.sms). The client authenticates.
func (c *Client) PasswordlessSMS(ctx context.Context, phoneNumber string) (*PasswordlessStartResponse, error) {
	if err := c.needClientID(); err != nil {
		return nil, err
	}
	if phoneNumber == "" {
		return nil, errors.New("authentication: PasswordlessSMS: empty phone number")
	}
	return c.passwordlessStart(ctx, map[string]any{"client_id": c.clientID, "connection": "sms", "phone_number": phoneNumber})
}

func (c *Client) passwordlessStart(ctx context.Context, body map[string]any) (*PasswordlessStartResponse, error) {
	var out PasswordlessStartResponse
	if _, err := c.do(ctx, call{method: http.MethodPost, path: "/passwordless/start", json: body, auth: true}, &out); err != nil {
		return nil, err
	}
	return &out, nil
}
