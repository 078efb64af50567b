package management

import (
	"context"
	"iter"
	"net/http"
	"net/url"
)

// ResourceServer is an API (GET /resource-servers/{id}), also the body of
// ResourceServers.Create and ResourceServers.Update.
type ResourceServer struct {
	ID                                        string                 `json:"id,omitempty"`
	Name                                      string                 `json:"name,omitempty"`
	Identifier                                string                 `json:"identifier,omitempty"` // the audience
	Scopes                                    []*ResourceServerScope `json:"scopes,omitzero"`
	SigningAlg                                string                 `json:"signing_alg,omitempty"`
	SigningSecret                             string                 `json:"signing_secret,omitempty"`
	AllowOfflineAccess                        *bool                  `json:"allow_offline_access,omitempty"`
	SkipConsentForVerifiableFirstPartyClients *bool                  `json:"skip_consent_for_verifiable_first_party_clients,omitempty"`
	TokenLifetime                             *int                   `json:"token_lifetime,omitempty"`
	TokenLifetimeForWeb                       *int                   `json:"token_lifetime_for_web,omitempty"`
	EnforcePolicies                           *bool                  `json:"enforce_policies,omitempty"` // RBAC
	TokenDialect                              string                 `json:"token_dialect,omitempty"`
	IsSystem                                  *bool                  `json:"is_system,omitempty"`
	ClientID                                  string                 `json:"client_id,omitempty"`
	Extra                                     Object                 `json:"-"`
	empty                                     emptyMembers
}

func (s *ResourceServer) UnmarshalJSON(b []byte) error {
	type plain ResourceServer
	return unmarshalModel(b, (*plain)(s), &s.Extra, &s.empty)
}

func (s ResourceServer) MarshalJSON() ([]byte, error) {
	type plain ResourceServer
	return marshalModel((*plain)(&s), s.Extra, s.empty)
}

// String describes the API without its signing secret.
func (s ResourceServer) String() string {
	return "management.ResourceServer{id=" + s.ID + " identifier=" + s.Identifier + "}"
}

// GoString is String, so %#v never prints the signing secret.
func (s ResourceServer) GoString() string { return s.String() }

// ResourceServerScope is a scope (permission) an API defines.
type ResourceServerScope struct {
	Value       string `json:"value,omitempty"`
	Description string `json:"description,omitempty"`
	Extra       Object `json:"-"`
	empty       emptyMembers
}

func (s *ResourceServerScope) UnmarshalJSON(b []byte) error {
	type plain ResourceServerScope
	return unmarshalModel(b, (*plain)(s), &s.Extra, &s.empty)
}

func (s ResourceServerScope) MarshalJSON() ([]byte, error) {
	type plain ResourceServerScope
	return marshalModel((*plain)(&s), s.Extra, s.empty)
}

// ResourceServerManager calls the /resource-servers endpoints (Python
// ResourceServers class).
type ResourceServerManager struct{ m *Management }

// Create creates an API (POST /resource-servers; Python
// ResourceServers.create).
func (r *ResourceServerManager) Create(ctx context.Context, s *ResourceServer) (*ResourceServer, error) {
	return call[ResourceServer](ctx, r.m, request{method: http.MethodPost, path: route("/resource-servers"), body: s})
}

// ResourceServerListOptions are the parameters of ResourceServers.List.
type ResourceServerListOptions struct {
	Offset // default: include_totals=false
	// Identifiers keeps the APIs with these identifiers (audiences); sent
	// as repeated identifiers parameters (at most 10).
	Identifiers []string
}

// List lists APIs (GET /resource-servers; Python ResourceServers.get_all).
func (r *ResourceServerManager) List(ctx context.Context, opts *ResourceServerListOptions) (*Page[*ResourceServer], error) {
	v := deref(opts)
	q := url.Values{}
	v.Offset.encode(q, listDefaults{includeTotals: "false"})
	if len(v.Identifiers) > 0 {
		q["identifiers"] = append([]string(nil), v.Identifiers...)
	}
	return list[*ResourceServer](ctx, r.m, request{method: http.MethodGet, path: route("/resource-servers"), query: q}, "resource_servers")
}

// All iterates over List.
func (r *ResourceServerManager) All(ctx context.Context, opts *ResourceServerListOptions) iter.Seq2[*ResourceServer, error] {
	o := deref(opts)
	return walkOffset(ctx, o.Offset, func(ctx context.Context, page *Offset) (*Page[*ResourceServer], error) {
		o.Offset = *page
		return r.List(ctx, &o)
	})
}

// Get returns an API by ID or identifier (GET /resource-servers/{id};
// Python ResourceServers.get).
func (r *ResourceServerManager) Get(ctx context.Context, id string) (*ResourceServer, error) {
	return call[ResourceServer](ctx, r.m, request{method: http.MethodGet, path: route("/resource-servers/{id}", id)})
}

// Delete deletes an API (DELETE /resource-servers/{id}; Python
// ResourceServers.delete).
func (r *ResourceServerManager) Delete(ctx context.Context, id string) error {
	return r.m.do(ctx, request{method: http.MethodDelete, path: route("/resource-servers/{id}", id)}, nil)
}

// Update changes an API (PATCH /resource-servers/{id}; Python
// ResourceServers.update).
func (r *ResourceServerManager) Update(ctx context.Context, id string, s *ResourceServer) (*ResourceServer, error) {
	return call[ResourceServer](ctx, r.m, request{method: http.MethodPatch, path: route("/resource-servers/{id}", id), body: s})
}
