package management

import (
	"context"
	"iter"
	"net/http"
)

// DiscoveryDomain is an email domain of an organization, used for home
// realm discovery (GET /organizations/{id}/discovery-domains/{domain_id}),
// also the body of Organizations.CreateDiscoveryDomain (Domain) and
// Organizations.UpdateDiscoveryDomain (Status,
// UseForOrganizationDiscovery).
type DiscoveryDomain struct {
	ID     string `json:"id,omitempty"`
	Domain string `json:"domain,omitempty"`
	// Status: pending or verified.
	Status string `json:"status,omitempty"`
	// VerificationHost and VerificationTXT are the DNS TXT record that
	// proves the organization owns Domain.
	VerificationHost            string `json:"verification_host,omitempty"`
	VerificationTXT             string `json:"verification_txt,omitempty"`
	UseForOrganizationDiscovery *bool  `json:"use_for_organization_discovery,omitempty"`
	Extra                       Object `json:"-"`
	empty                       emptyMembers
}

func (d *DiscoveryDomain) UnmarshalJSON(b []byte) error {
	type plain DiscoveryDomain
	return unmarshalModel(b, (*plain)(d), &d.Extra, &d.empty)
}

func (d DiscoveryDomain) MarshalJSON() ([]byte, error) {
	type plain DiscoveryDomain
	return marshalModel((*plain)(&d), d.Extra, d.empty)
}

// ListDiscoveryDomains lists an organization's discovery domains (GET
// /organizations/{id}/discovery-domains; go-auth0
// OrganizationManager.DiscoveryDomains). opts asks for checkpoint
// pagination (from, take); nil sends neither.
func (r *OrganizationManager) ListDiscoveryDomains(ctx context.Context, id string, opts *Checkpoint) (*Page[*DiscoveryDomain], error) {
	return list[*DiscoveryDomain](ctx, r.m, request{method: http.MethodGet, path: route("/organizations/{id}/discovery-domains", id), query: checkpointQuery(opts)}, "domains")
}

// AllDiscoveryDomains iterates over ListDiscoveryDomains.
func (r *OrganizationManager) AllDiscoveryDomains(ctx context.Context, id string, start *Checkpoint) iter.Seq2[*DiscoveryDomain, error] {
	return walkCheckpoint(ctx, deref(start), func(ctx context.Context, c *Checkpoint) (*Page[*DiscoveryDomain], error) {
		return r.ListDiscoveryDomains(ctx, id, c)
	})
}

// CreateDiscoveryDomain adds a discovery domain, pending until its DNS
// record is verified (POST /organizations/{id}/discovery-domains; go-auth0
// OrganizationManager.CreateDiscoveryDomain).
func (r *OrganizationManager) CreateDiscoveryDomain(ctx context.Context, id string, d *DiscoveryDomain) (*DiscoveryDomain, error) {
	return call[DiscoveryDomain](ctx, r.m, request{method: http.MethodPost, path: route("/organizations/{id}/discovery-domains", id), body: d})
}

// GetDiscoveryDomain returns a discovery domain (GET
// /organizations/{id}/discovery-domains/{domain_id}; go-auth0
// OrganizationManager.DiscoveryDomain).
func (r *OrganizationManager) GetDiscoveryDomain(ctx context.Context, id, domainID string) (*DiscoveryDomain, error) {
	return call[DiscoveryDomain](ctx, r.m, request{method: http.MethodGet, path: route("/organizations/{id}/discovery-domains/{domain_id}", id, domainID)})
}

// GetDiscoveryDomainByName returns a discovery domain by its domain name
// (GET /organizations/{id}/discovery-domains/name/{domain}; recorded by
// go-auth0's tests after v1.32.0).
func (r *OrganizationManager) GetDiscoveryDomainByName(ctx context.Context, id, domain string) (*DiscoveryDomain, error) {
	return call[DiscoveryDomain](ctx, r.m, request{method: http.MethodGet, path: route("/organizations/{id}/discovery-domains/name/{domain}", id, domain)})
}

// UpdateDiscoveryDomain changes a discovery domain (PATCH
// /organizations/{id}/discovery-domains/{domain_id}; go-auth0
// OrganizationManager.UpdateDiscoveryDomain).
func (r *OrganizationManager) UpdateDiscoveryDomain(ctx context.Context, id, domainID string, d *DiscoveryDomain) (*DiscoveryDomain, error) {
	return call[DiscoveryDomain](ctx, r.m, request{method: http.MethodPatch, path: route("/organizations/{id}/discovery-domains/{domain_id}", id, domainID), body: d})
}

// DeleteDiscoveryDomain removes a discovery domain (DELETE
// /organizations/{id}/discovery-domains/{domain_id}; go-auth0
// OrganizationManager.DeleteDiscoveryDomain).
func (r *OrganizationManager) DeleteDiscoveryDomain(ctx context.Context, id, domainID string) error {
	return r.m.do(ctx, request{method: http.MethodDelete, path: route("/organizations/{id}/discovery-domains/{domain_id}", id, domainID)}, nil)
}
