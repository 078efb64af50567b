package authentication

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
)

// SignupRequest creates a user in a database connection. Optional fields
// are omitted when empty (as the Auth0 SDKs do).
type SignupRequest struct {
	Email        string
	Password     string
	Connection   string
	Username     string
	PhoneNumber  string
	UserMetadata map[string]string // Auth0 accepts string values only here
	GivenName    string
	FamilyName   string
	Name         string
	Nickname     string
	Picture      string
}

// SignupResponse is the created user.
type SignupResponse struct {
	ID            string `json:"_id"`
	Email         string `json:"email,omitempty"`
	EmailVerified bool   `json:"email_verified,omitempty"`
	Username      string `json:"username,omitempty"`
	PhoneNumber   string `json:"phone_number,omitempty"`
	PhoneVerified bool   `json:"phone_verified,omitempty"`
	GivenName     string `json:"given_name,omitempty"`
	FamilyName    string `json:"family_name,omitempty"`
	Name          string `json:"name,omitempty"`
	Nickname      string `json:"nickname,omitempty"`
	Picture       string `json:"picture,omitempty"`
}

// Signup creates a user with a password in a database connection (Python
// Database.signup). No client authentication is sent.
func (c *Client) Signup(ctx context.Context, r SignupRequest) (*SignupResponse, error) {
	if err := c.needClientID(); err != nil {
		return nil, err
	}
	if r.Password == "" || r.Connection == "" || (r.Email == "" && r.Username == "" && r.PhoneNumber == "") {
		return nil, errors.New("authentication: Signup: password, connection and an email, username or phone number are required")
	}
	body := map[string]any{"client_id": c.clientID, "password": r.Password, "connection": r.Connection}
	for k, v := range map[string]string{
		"email": r.Email, "username": r.Username, "phone_number": r.PhoneNumber,
		"given_name": r.GivenName, "family_name": r.FamilyName, "name": r.Name,
		"nickname": r.Nickname, "picture": r.Picture,
	} {
		if v != "" {
			body[k] = v
		}
	}
	if len(r.UserMetadata) > 0 {
		body["user_metadata"] = r.UserMetadata
	}
	var out SignupResponse
	if _, err := c.do(ctx, call{method: http.MethodPost, path: "/dbconnections/signup", json: body}, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// ChangePasswordRequest asks for a password-reset email.
type ChangePasswordRequest struct {
	Email        string
	Connection   string
	Organization string // optional: brands the email for the organization
}

// ChangePassword sends the user a password-reset email and returns the
// API's message (Python Database.change_password; its ignored password
// argument has no counterpart here). No client authentication is sent.
func (c *Client) ChangePassword(ctx context.Context, r ChangePasswordRequest) (string, error) {
	if err := c.needClientID(); err != nil {
		return "", err
	}
	if r.Email == "" || r.Connection == "" {
		return "", errors.New("authentication: ChangePassword: email and connection are required")
	}
	body := map[string]any{"client_id": c.clientID, "email": r.Email, "connection": r.Connection}
	if r.Organization != "" {
		body["organization"] = r.Organization
	}
	var raw []byte
	if _, err := c.do(ctx, call{method: http.MethodPost, path: "/dbconnections/change_password", json: body}, &raw); err != nil {
		return "", err
	}
	// Auth0 answers with plain text; accept a JSON string as well.
	var msg string
	if t := bytes.TrimSpace(raw); len(t) > 0 && t[0] == '"' && json.Unmarshal(t, &msg) == nil {
		return msg, nil
	}
	return string(raw), nil
}
