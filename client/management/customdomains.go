package management

import (
	"context"
	"iter"
	"net/http"
	"net/url"
)

// CustomDomain is a custom domain of the tenant (GET /custom-domains/{id}),
// also the body of CustomDomains.Create (Domain, Type, TLSPolicy,
// CustomClientIPHeader, and DomainMetadata in Extra).
type CustomDomain struct {
	ID      string `json:"custom_domain_id,omitempty"`
	Domain  string `json:"domain,omitempty"`
	Primary *bool  `json:"primary,omitempty"`
	// Status: pending_verification, ready, disabled, pending.
	Status string `json:"status,omitempty"`
	// Type: auth0_managed_certs or self_managed_certs.
	Type                 string `json:"type,omitempty"`
	TLSPolicy            string `json:"tls_policy,omitempty"`
	CustomClientIPHeader string `json:"custom_client_ip_header,omitempty"`
	// Verification holds the DNS records to create ({"methods": [{"name":
	// "CNAME", "record": ...}]}).
	Verification Object `json:"verification,omitzero"`
	Extra        Object `json:"-"`
	empty        emptyMembers
}

func (d *CustomDomain) UnmarshalJSON(b []byte) error {
	type plain CustomDomain
	return unmarshalModel(b, (*plain)(d), &d.Extra, &d.empty)
}

func (d CustomDomain) MarshalJSON() ([]byte, error) {
	type plain CustomDomain
	return marshalModel((*plain)(&d), d.Extra, d.empty)
}

// CustomDomainManager calls the /custom-domains endpoints (Python
// CustomDomains class). To send Auth0-Custom-Domain on the calls that
// build links, see Config.CustomDomain.
type CustomDomainManager struct{ m *Management }

// List lists the custom domains (GET /custom-domains; Python
// CustomDomains.all). With opts nil nothing more is sent and the API
// answers every domain; opts asks for checkpoint pagination (take, from),
// which newer tenants support.
func (r *CustomDomainManager) List(ctx context.Context, opts *Checkpoint) (*Page[*CustomDomain], error) {
	q := url.Values{}
	if opts.active() {
		opts.encode(q)
	}
	return list[*CustomDomain](ctx, r.m, request{method: http.MethodGet, path: route("/custom-domains"), query: q}, "custom_domains")
}

// All iterates over List with checkpoint pagination.
func (r *CustomDomainManager) All(ctx context.Context, opts *Checkpoint) iter.Seq2[*CustomDomain, error] {
	return walkCheckpoint(ctx, deref(opts), func(ctx context.Context, c *Checkpoint) (*Page[*CustomDomain], error) {
		return r.List(ctx, c)
	})
}

// Get returns a custom domain (GET /custom-domains/{id}; Python
// CustomDomains.get).
func (r *CustomDomainManager) Get(ctx context.Context, id string) (*CustomDomain, error) {
	return call[CustomDomain](ctx, r.m, request{method: http.MethodGet, path: route("/custom-domains/{id}", id)})
}

// Delete deletes a custom domain (DELETE /custom-domains/{id}; Python
// CustomDomains.delete).
func (r *CustomDomainManager) Delete(ctx context.Context, id string) error {
	return r.m.do(ctx, request{method: http.MethodDelete, path: route("/custom-domains/{id}", id)}, nil)
}

// Create adds a custom domain, to be verified (POST /custom-domains;
// Python CustomDomains.create_new).
func (r *CustomDomainManager) Create(ctx context.Context, d *CustomDomain) (*CustomDomain, error) {
	return call[CustomDomain](ctx, r.m, request{method: http.MethodPost, path: route("/custom-domains"), body: d})
}

// Verify asks Auth0 to check the domain's DNS records now (POST
// /custom-domains/{id}/verify; Python CustomDomains.verify). The answer's
// Status says whether it is ready; for self-managed certificates Extra
// holds cname_api_key, a secret for the reverse proxy.
func (r *CustomDomainManager) Verify(ctx context.Context, id string) (*CustomDomain, error) {
	return call[CustomDomain](ctx, r.m, request{method: http.MethodPost, path: route("/custom-domains/{id}/verify", id)})
}

// Update changes a custom domain (tls_policy, custom_client_ip_header,
// and domain_metadata in Extra, whose members set to nil are removed)
// (PATCH /custom-domains/{id}; go-auth0 CustomDomainManager.Update).
func (r *CustomDomainManager) Update(ctx context.Context, id string, d *CustomDomain) (*CustomDomain, error) {
	return call[CustomDomain](ctx, r.m, request{method: http.MethodPatch, path: route("/custom-domains/{id}", id), body: d})
}

// GetDefault returns the tenant's default domain: a custom domain, or
// {"domain": ...} for the canonical one (GET /custom-domains/default;
// go-auth0 CustomDomainManager.Read with the ID "default").
func (r *CustomDomainManager) GetDefault(ctx context.Context) (*CustomDomain, error) {
	return call[CustomDomain](ctx, r.m, request{method: http.MethodGet, path: route("/custom-domains/default")})
}

// SetDefault makes domain (a custom domain, or the tenant's canonical
// domain) the default one (PATCH /custom-domains/default with {"domain":
// domain}; go-auth0 CustomDomainManager.Update with the ID "default").
func (r *CustomDomainManager) SetDefault(ctx context.Context, domain string) (*CustomDomain, error) {
	body := struct {
		Domain string `json:"domain"`
	}{domain}
	return call[CustomDomain](ctx, r.m, request{method: http.MethodPatch, path: route("/custom-domains/default"), body: body})
}
