package management

import (
	"context"
	"iter"
	"net/http"
	"net/url"
)

// Connection is an identity source (GET /connections/{id}), also the body
// of Connections.Create and Connections.Update. Options differ per
// strategy and stay an Object.
type Connection struct {
	ID                    string   `json:"id,omitempty"`
	Name                  string   `json:"name,omitempty"`
	DisplayName           string   `json:"display_name,omitempty"`
	Strategy              string   `json:"strategy,omitempty"`
	Options               Object   `json:"options,omitzero"`
	EnabledClients        []string `json:"enabled_clients,omitzero"`
	Realms                []string `json:"realms,omitzero"`
	IsDomainConnection    *bool    `json:"is_domain_connection,omitempty"`
	ShowAsButton          *bool    `json:"show_as_button,omitempty"`
	Metadata              Object   `json:"metadata,omitzero"`
	ProvisioningTicketURL string   `json:"provisioning_ticket_url,omitempty"`
	Extra                 Object   `json:"-"`
	empty                 emptyMembers
}

func (c *Connection) UnmarshalJSON(b []byte) error {
	type plain Connection
	return unmarshalModel(b, (*plain)(c), &c.Extra, &c.empty)
}

func (c Connection) MarshalJSON() ([]byte, error) {
	type plain Connection
	return marshalModel((*plain)(&c), c.Extra, c.empty)
}

// ConnectionManager calls the /connections endpoints (Python Connections
// class).
type ConnectionManager struct{ m *Management }

// ConnectionListOptions are the parameters of Connections.List.
type ConnectionListOptions struct {
	Offset // no defaults
	FieldSelection
	Strategy []string // sent as repeated strategy parameters
	Name     string
	// Query holds further parameters (Python extra_params); the method's
	// own parameters win.
	Query url.Values
}

// List lists connections (GET /connections; Python Connections.all).
func (r *ConnectionManager) List(ctx context.Context, opts *ConnectionListOptions) (*Page[*Connection], error) {
	v := deref(opts)
	q := url.Values{}
	if len(v.Strategy) > 0 {
		q["strategy"] = append([]string(nil), v.Strategy...)
	}
	v.FieldSelection.encode(q)
	v.Offset.encode(q, listDefaults{})
	setString(q, "name", v.Name)
	addExtra(q, v.Query)
	return list[*Connection](ctx, r.m, request{method: http.MethodGet, path: route("/connections"), query: q}, "connections")
}

// All iterates over List.
func (r *ConnectionManager) All(ctx context.Context, opts *ConnectionListOptions) iter.Seq2[*Connection, error] {
	o := deref(opts)
	return walkOffset(ctx, o.Offset, func(ctx context.Context, page *Offset) (*Page[*Connection], error) {
		o.Offset = *page
		return r.List(ctx, &o)
	})
}

// Get returns a connection (GET /connections/{id}; Python Connections.get).
func (r *ConnectionManager) Get(ctx context.Context, id string, opts *FieldSelection) (*Connection, error) {
	q := url.Values{}
	opts.encode(q)
	return call[Connection](ctx, r.m, request{method: http.MethodGet, path: route("/connections/{id}", id), query: q})
}

// Delete deletes a connection (DELETE /connections/{id}; Python
// Connections.delete).
func (r *ConnectionManager) Delete(ctx context.Context, id string) error {
	return r.m.do(ctx, request{method: http.MethodDelete, path: route("/connections/{id}", id)}, nil)
}

// Update changes a connection (PATCH /connections/{id}; Python
// Connections.update). Options replace the connection's options as a
// whole.
func (r *ConnectionManager) Update(ctx context.Context, id string, c *Connection) (*Connection, error) {
	return call[Connection](ctx, r.m, request{method: http.MethodPatch, path: route("/connections/{id}", id), body: c})
}

// Create creates a connection (POST /connections; Python
// Connections.create).
func (r *ConnectionManager) Create(ctx context.Context, c *Connection) (*Connection, error) {
	return call[Connection](ctx, r.m, request{method: http.MethodPost, path: route("/connections"), body: c})
}

// DeleteUserByEmail deletes a user of a database connection by email
// (DELETE /connections/{id}/users?email=; Python
// Connections.delete_user_by_email).
func (r *ConnectionManager) DeleteUserByEmail(ctx context.Context, id, email string) error {
	return r.m.do(ctx, request{method: http.MethodDelete, path: route("/connections/{id}/users", id), query: url.Values{"email": {email}}}, nil)
}

// EnabledClient is an application's state on a connection: the body of
// Connections.UpdateEnabledClients is a list of them.
type EnabledClient struct {
	ClientID string `json:"client_id"`
	Status   bool   `json:"status"` // true enables the connection for the application
}

// ListEnabledClients lists the applications a connection is enabled for
// ({"client_id": ...} each) (GET /connections/{id}/clients; go-auth0
// ConnectionManager.ReadEnabledClients). opts asks for checkpoint
// pagination (from, take); nil sends neither.
func (r *ConnectionManager) ListEnabledClients(ctx context.Context, id string, opts *Checkpoint) (*Page[Object], error) {
	return list[Object](ctx, r.m, request{method: http.MethodGet, path: route("/connections/{id}/clients", id), query: checkpointQuery(opts)}, "clients")
}

// UpdateEnabledClients enables or disables the connection for each
// application listed (PATCH /connections/{id}/clients; go-auth0
// ConnectionManager.UpdateEnabledClients).
func (r *ConnectionManager) UpdateEnabledClients(ctx context.Context, id string, clients []EnabledClient) error {
	if clients == nil {
		clients = []EnabledClient{}
	}
	return r.m.do(ctx, request{method: http.MethodPatch, path: route("/connections/{id}/clients", id), body: clients}, nil)
}

// ListKeys lists the signing keys of a connection (kid, cert, algorithm,
// key_use, current, next, ...: public material) (GET
// /connections/{id}/keys; go-auth0 ConnectionManager.ReadKeys).
func (r *ConnectionManager) ListKeys(ctx context.Context, id string) ([]Object, error) {
	var out []Object
	err := r.m.do(ctx, request{method: http.MethodGet, path: route("/connections/{id}/keys", id)}, &out)
	return out, err
}

// RotateKeys makes the connection's next signing key current and returns
// the new next key (POST /connections/{id}/keys/rotate; go-auth0
// ConnectionManager.RotateKeys).
func (r *ConnectionManager) RotateKeys(ctx context.Context, id string) (Object, error) {
	return callObject(ctx, r.m, request{method: http.MethodPost, path: route("/connections/{id}/keys/rotate", id)})
}
