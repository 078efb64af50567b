package management

import (
	"context"
	"iter"
	"net/http"
	"net/url"
)

// ClientManager calls the /clients endpoints (Python Clients class).
type ClientManager struct{ m *Management }

// ClientListOptions are the parameters of Clients.List.
type ClientListOptions struct {
	Offset // no defaults
	FieldSelection
	// Query holds further parameters (Python extra_params), such as
	// app_type or is_first_party; the method's own parameters win.
	Query url.Values
}

// List lists applications (GET /clients; Python Clients.all).
func (r *ClientManager) List(ctx context.Context, opts *ClientListOptions) (*Page[*Client], error) {
	v := deref(opts)
	q := url.Values{}
	v.FieldSelection.encode(q)
	v.Offset.encode(q, listDefaults{})
	addExtra(q, v.Query)
	return list[*Client](ctx, r.m, request{method: http.MethodGet, path: route("/clients"), query: q}, "clients")
}

// All iterates over List.
func (r *ClientManager) All(ctx context.Context, opts *ClientListOptions) iter.Seq2[*Client, error] {
	o := deref(opts)
	return walkOffset(ctx, o.Offset, func(ctx context.Context, page *Offset) (*Page[*Client], error) {
		o.Offset = *page
		return r.List(ctx, &o)
	})
}

// Create creates an application (POST /clients; Python Clients.create).
func (r *ClientManager) Create(ctx context.Context, c *Client) (*Client, error) {
	return call[Client](ctx, r.m, request{method: http.MethodPost, path: route("/clients"), body: c})
}

// Get returns an application (GET /clients/{id}; Python Clients.get).
func (r *ClientManager) Get(ctx context.Context, id string, opts *FieldSelection) (*Client, error) {
	q := url.Values{}
	opts.encode(q)
	return call[Client](ctx, r.m, request{method: http.MethodGet, path: route("/clients/{id}", id), query: q})
}

// Delete deletes an application (DELETE /clients/{id}; Python
// Clients.delete).
func (r *ClientManager) Delete(ctx context.Context, id string) error {
	return r.m.do(ctx, request{method: http.MethodDelete, path: route("/clients/{id}", id)}, nil)
}

// Update changes an application (PATCH /clients/{id}; Python
// Clients.update).
func (r *ClientManager) Update(ctx context.Context, id string, c *Client) (*Client, error) {
	return call[Client](ctx, r.m, request{method: http.MethodPatch, path: route("/clients/{id}", id), body: c})
}

// RotateSecret gives an application a new client secret and returns the
// application with it (POST /clients/{id}/rotate-secret; Python
// Clients.rotate_secret).
func (r *ClientManager) RotateSecret(ctx context.Context, id string) (*Client, error) {
	body := map[string]string{"id": id}
	return call[Client](ctx, r.m, request{method: http.MethodPost, path: route("/clients/{id}/rotate-secret", id), body: body})
}

// Client is an application (GET /clients/{id}), also the body of
// Clients.Create and Clients.Update. The many configuration objects of a
// client (jwt_configuration, refresh_token, addons, ...) are Objects;
// members without a field are kept in Extra.
type Client struct {
	ClientID                       string   `json:"client_id,omitempty"`
	ClientSecret                   string   `json:"client_secret,omitempty"`
	Name                           string   `json:"name,omitempty"`
	Description                    *string  `json:"description,omitempty"`
	AppType                        string   `json:"app_type,omitempty"` // native, spa, regular_web, non_interactive, ...
	LogoURI                        string   `json:"logo_uri,omitempty"`
	Tenant                         string   `json:"tenant,omitempty"`
	Global                         *bool    `json:"global,omitempty"`
	IsFirstParty                   *bool    `json:"is_first_party,omitempty"`
	OIDCConformant                 *bool    `json:"oidc_conformant,omitempty"`
	IsTokenEndpointIPHeaderTrusted *bool    `json:"is_token_endpoint_ip_header_trusted,omitempty"`
	Callbacks                      []string `json:"callbacks,omitzero"`
	AllowedOrigins                 []string `json:"allowed_origins,omitzero"`
	WebOrigins                     []string `json:"web_origins,omitzero"`
	AllowedLogoutURLs              []string `json:"allowed_logout_urls,omitzero"`
	ClientAliases                  []string `json:"client_aliases,omitzero"`
	AllowedClients                 []string `json:"allowed_clients,omitzero"`
	GrantTypes                     []string `json:"grant_types,omitzero"`
	TokenEndpointAuthMethod        string   `json:"token_endpoint_auth_method,omitempty"`
	SSO                            *bool    `json:"sso,omitempty"`
	SSODisabled                    *bool    `json:"sso_disabled,omitempty"`
	CrossOriginAuthentication      *bool    `json:"cross_origin_authentication,omitempty"`
	CustomLoginPageOn              *bool    `json:"custom_login_page_on,omitempty"`
	InitiateLoginURI               string   `json:"initiate_login_uri,omitempty"`
	OrganizationUsage              string   `json:"organization_usage,omitempty"`
	OrganizationRequireBehavior    string   `json:"organization_require_behavior,omitempty"`
	ClientMetadata                 Object   `json:"client_metadata,omitzero"`
	JWTConfiguration               Object   `json:"jwt_configuration,omitzero"`
	RefreshToken                   Object   `json:"refresh_token,omitzero"`
	ClientAuthenticationMethods    Object   `json:"client_authentication_methods,omitzero"`
	Addons                         Object   `json:"addons,omitzero"`
	Mobile                         Object   `json:"mobile,omitzero"`
	SigningKeys                    []Object `json:"signing_keys,omitzero"`
	Extra                          Object   `json:"-"`
	empty                          emptyMembers
}

func (c *Client) UnmarshalJSON(b []byte) error {
	type plain Client
	return unmarshalModel(b, (*plain)(c), &c.Extra, &c.empty)
}

func (c Client) MarshalJSON() ([]byte, error) {
	type plain Client
	return marshalModel((*plain)(&c), c.Extra, c.empty)
}

// String describes the client without its secret.
func (c Client) String() string {
	return "management.Client{client_id=" + c.ClientID + " name=" + c.Name + "}"
}

// GoString is String, so %#v never prints the secret.
func (c Client) GoString() string { return c.String() }

// ListEnabledConnections lists the connections enabled for an application
// (GET /clients/{id}/connections; go-auth0
// ClientManager.ReadEnabledConnections). opts asks for checkpoint
// pagination (from, take); nil sends neither.
func (r *ClientManager) ListEnabledConnections(ctx context.Context, id string, opts *Checkpoint) (*Page[*Connection], error) {
	return list[*Connection](ctx, r.m, request{method: http.MethodGet, path: route("/clients/{id}/connections", id), query: checkpointQuery(opts)}, "connections")
}

// AllEnabledConnections iterates over ListEnabledConnections.
func (r *ClientManager) AllEnabledConnections(ctx context.Context, id string, start *Checkpoint) iter.Seq2[*Connection, error] {
	return walkCheckpoint(ctx, deref(start), func(ctx context.Context, c *Checkpoint) (*Page[*Connection], error) {
		return r.ListEnabledConnections(ctx, id, c)
	})
}
