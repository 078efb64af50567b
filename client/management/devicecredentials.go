package management

import (
	"context"
	"iter"
	"net/http"
	"net/url"
)

// DeviceCredential is a credential of a user's device: a public key, a
// refresh token or a rotating refresh token.
type DeviceCredential struct {
	ID         string `json:"id,omitempty"`
	DeviceName string `json:"device_name,omitempty"`
	DeviceID   string `json:"device_id,omitempty"`
	Type       string `json:"type,omitempty"` // public_key, refresh_token, rotating_refresh_token
	UserID     string `json:"user_id,omitempty"`
	ClientID   string `json:"client_id,omitempty"`
	// Value is the public key (create only).
	Value string `json:"value,omitempty"`
	Extra Object `json:"-"`
	empty emptyMembers
}

func (d *DeviceCredential) UnmarshalJSON(b []byte) error {
	type plain DeviceCredential
	return unmarshalModel(b, (*plain)(d), &d.Extra, &d.empty)
}

func (d DeviceCredential) MarshalJSON() ([]byte, error) {
	type plain DeviceCredential
	return marshalModel((*plain)(&d), d.Extra, d.empty)
}

// DeviceCredentialManager calls the /device-credentials endpoints (Python
// DeviceCredentials class).
type DeviceCredentialManager struct{ m *Management }

// DeviceCredentialListOptions are the parameters of DeviceCredentials.List.
type DeviceCredentialListOptions struct {
	Offset // default: include_totals=false
	FieldSelection
	UserID   string
	ClientID string
	Type     string
}

// List lists device credentials (GET /device-credentials; Python
// DeviceCredentials.get).
func (r *DeviceCredentialManager) List(ctx context.Context, opts *DeviceCredentialListOptions) (*Page[*DeviceCredential], error) {
	v := deref(opts)
	q := url.Values{}
	v.FieldSelection.encode(q)
	setString(q, "user_id", v.UserID)
	setString(q, "client_id", v.ClientID)
	setString(q, "type", v.Type)
	v.Offset.encode(q, listDefaults{includeTotals: "false"})
	return list[*DeviceCredential](ctx, r.m, request{method: http.MethodGet, path: route("/device-credentials"), query: q}, "device_credentials")
}

// All iterates over List.
func (r *DeviceCredentialManager) All(ctx context.Context, opts *DeviceCredentialListOptions) iter.Seq2[*DeviceCredential, error] {
	o := deref(opts)
	return walkOffset(ctx, o.Offset, func(ctx context.Context, page *Offset) (*Page[*DeviceCredential], error) {
		o.Offset = *page
		return r.List(ctx, &o)
	})
}

// Create registers a device public key (POST /device-credentials; Python
// DeviceCredentials.create).
func (r *DeviceCredentialManager) Create(ctx context.Context, d *DeviceCredential) (*DeviceCredential, error) {
	return call[DeviceCredential](ctx, r.m, request{method: http.MethodPost, path: route("/device-credentials"), body: d})
}

// Delete deletes a device credential (DELETE /device-credentials/{id};
// Python DeviceCredentials.delete).
func (r *DeviceCredentialManager) Delete(ctx context.Context, id string) error {
	return r.m.do(ctx, request{method: http.MethodDelete, path: route("/device-credentials/{id}", id)}, nil)
}
