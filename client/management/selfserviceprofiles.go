package management

import (
	"context"
	"iter"
	"net/http"
	"net/url"
)

// SelfServiceProfileManager calls the /self-service-profiles endpoints
// (Python SelfServiceProfiles class): the profiles of self-service SSO, with
// which a customer's administrator sets up their own enterprise connection
// through a ticket, as Objects.
type SelfServiceProfileManager struct{ m *Management }

// List lists the profiles (GET /self-service-profiles; Python
// SelfServiceProfiles.all). opts may be nil: page=0, per_page=25,
// include_totals=true.
func (r *SelfServiceProfileManager) List(ctx context.Context, opts *Offset) (*Page[Object], error) {
	q := url.Values{}
	opts.encode(q, listDefaults{page: true, perPage: 25, includeTotals: "true"})
	return list[Object](ctx, r.m, request{method: http.MethodGet, path: route("/self-service-profiles"), query: q}, "self_service_profiles")
}

// All iterates over List.
func (r *SelfServiceProfileManager) All(ctx context.Context, opts *Offset) iter.Seq2[Object, error] {
	return walkOffset(ctx, deref(opts), func(ctx context.Context, o *Offset) (*Page[Object], error) {
		return r.List(ctx, o)
	})
}

// Create creates a profile (POST /self-service-profiles; Python
// SelfServiceProfiles.create).
func (r *SelfServiceProfileManager) Create(ctx context.Context, body Object) (Object, error) {
	return callObject(ctx, r.m, request{method: http.MethodPost, path: route("/self-service-profiles"), body: body})
}

// Get returns a profile (GET /self-service-profiles/{profile_id}; Python
// SelfServiceProfiles.get).
func (r *SelfServiceProfileManager) Get(ctx context.Context, id string) (Object, error) {
	return callObject(ctx, r.m, request{method: http.MethodGet, path: route("/self-service-profiles/{profile_id}", id)})
}

// Delete deletes a profile (DELETE /self-service-profiles/{profile_id};
// Python SelfServiceProfiles.delete).
func (r *SelfServiceProfileManager) Delete(ctx context.Context, id string) error {
	return r.m.do(ctx, request{method: http.MethodDelete, path: route("/self-service-profiles/{profile_id}", id)}, nil)
}

// Update changes a profile (PATCH /self-service-profiles/{profile_id};
// Python SelfServiceProfiles.update).
func (r *SelfServiceProfileManager) Update(ctx context.Context, id string, body Object) (Object, error) {
	return callObject(ctx, r.m, request{method: http.MethodPatch, path: route("/self-service-profiles/{profile_id}", id), body: body})
}

// GetCustomText returns the custom texts of a page of the self-service
// flow ("get-started") in a language ("en") (GET
// /self-service-profiles/{profile_id}/custom-text/{language}/{page};
// Python SelfServiceProfiles.get_custom_text).
func (r *SelfServiceProfileManager) GetCustomText(ctx context.Context, id, language, page string) (Object, error) {
	return callObject(ctx, r.m, request{method: http.MethodGet, path: route("/self-service-profiles/{profile_id}/custom-text/{language}/{page}", id, language, page)})
}

// UpdateCustomText replaces those custom texts with body (PUT
// /self-service-profiles/{profile_id}/custom-text/{language}/{page};
// Python SelfServiceProfiles.update_custom_text).
func (r *SelfServiceProfileManager) UpdateCustomText(ctx context.Context, id, language, page string, body Object) (Object, error) {
	return callObject(ctx, r.m, request{method: http.MethodPut, path: route("/self-service-profiles/{profile_id}/custom-text/{language}/{page}", id, language, page), body: body})
}

// CreateSSOTicket creates the ticket (a link, under "ticket" in the
// answer) with which a customer's administrator sets up their connection
// ({"connection_config": {...}, "enabled_clients": [...], ...}) (POST
// /self-service-profiles/{profile_id}/sso-ticket; Python
// SelfServiceProfiles.create_sso_ticket). With Config.CustomDomain, the link
// uses that domain.
func (r *SelfServiceProfileManager) CreateSSOTicket(ctx context.Context, id string, body Object) (Object, error) {
	return callObject(ctx, r.m, request{method: http.MethodPost, path: route("/self-service-profiles/{profile_id}/sso-ticket", id), body: body})
}

// RevokeSSOTicket revokes a ticket: its link stops working (POST
// /self-service-profiles/{profile_id}/sso-ticket/{ticket_id}/revoke;
// Python SelfServiceProfiles.revoke_sso_ticket).
func (r *SelfServiceProfileManager) RevokeSSOTicket(ctx context.Context, id, ticketID string) error {
	return r.m.do(ctx, request{method: http.MethodPost, path: route("/self-service-profiles/{profile_id}/sso-ticket/{ticket_id}/revoke", id, ticketID)}, nil)
}
