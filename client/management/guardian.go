package management

import (
	"context"
	"net/http"
)

// GuardianManager calls the /guardian endpoints (Python Guardian class):
// multi-factor authentication factors, their providers and SMS templates,
// and users' enrollments, as Objects.
type GuardianManager struct{ m *Management }

// ListFactors lists the factors and whether each is enabled (GET
// /guardian/factors; Python Guardian.all_factors).
func (r *GuardianManager) ListFactors(ctx context.Context) ([]Object, error) {
	var out []Object
	err := r.m.do(ctx, request{method: http.MethodGet, path: route("/guardian/factors")}, &out)
	return out, err
}

// UpdateFactor turns a factor on or off with {"enabled": bool} (PUT
// /guardian/factors/{name}; Python Guardian.update_factor). name is sms,
// push-notification, otp, email, duo, webauthn-roaming, webauthn-platform
// or recovery-code.
func (r *GuardianManager) UpdateFactor(ctx context.Context, name string, body Object) (Object, error) {
	return callObject(ctx, r.m, request{method: http.MethodPut, path: route("/guardian/factors/{name}", name), body: body})
}

// UpdateSMSTemplates sets the enrollment and verification messages of the
// SMS factor ({"enrollment_message", "verification_message"}) (PUT
// /guardian/factors/sms/templates; Python Guardian.update_templates).
func (r *GuardianManager) UpdateSMSTemplates(ctx context.Context, body Object) (Object, error) {
	return callObject(ctx, r.m, request{method: http.MethodPut, path: route("/guardian/factors/sms/templates"), body: body})
}

// GetSMSTemplates returns them (GET /guardian/factors/sms/templates; Python
// Guardian.get_templates).
func (r *GuardianManager) GetSMSTemplates(ctx context.Context) (Object, error) {
	return callObject(ctx, r.m, request{method: http.MethodGet, path: route("/guardian/factors/sms/templates")})
}

// GetEnrollment returns a user's enrollment in a factor (GET
// /guardian/enrollments/{id}; Python Guardian.get_enrollment).
func (r *GuardianManager) GetEnrollment(ctx context.Context, id string) (Object, error) {
	return callObject(ctx, r.m, request{method: http.MethodGet, path: route("/guardian/enrollments/{id}", id)})
}

// DeleteEnrollment deletes an enrollment (DELETE
// /guardian/enrollments/{id}; Python Guardian.delete_enrollment).
func (r *GuardianManager) DeleteEnrollment(ctx context.Context, id string) error {
	return r.m.do(ctx, request{method: http.MethodDelete, path: route("/guardian/enrollments/{id}", id)}, nil)
}

// CreateEnrollmentTicket creates a ticket a user follows to enroll in
// multi-factor authentication ({"user_id", "email", "send_mail",
// "factor", ...}); the answer holds ticket_id and ticket_url (POST
// /guardian/enrollments/ticket; Python Guardian.create_enrollment_ticket).
// With Config.CustomDomain, the link uses that domain.
func (r *GuardianManager) CreateEnrollmentTicket(ctx context.Context, body Object) (Object, error) {
	return callObject(ctx, r.m, request{method: http.MethodPost, path: route("/guardian/enrollments/ticket"), body: body})
}

// GetFactorProvider returns the configuration of a factor's provider, for
// example ("sms", "twilio") or ("push-notification", "sns") (GET
// /guardian/factors/{factor_name}/providers/{name}; Python
// Guardian.get_factor_providers). The answer may hold the provider's
// credentials.
func (r *GuardianManager) GetFactorProvider(ctx context.Context, factor, provider string) (Object, error) {
	return callObject(ctx, r.m, request{method: http.MethodGet, path: route("/guardian/factors/{factor_name}/providers/{name}", factor, provider)})
}

// UpdateFactorProvider sets the configuration of a factor's provider (PUT
// /guardian/factors/{factor_name}/providers/{name}; Python
// Guardian.update_factor_providers).
func (r *GuardianManager) UpdateFactorProvider(ctx context.Context, factor, provider string, body Object) (Object, error) {
	return callObject(ctx, r.m, request{method: http.MethodPut, path: route("/guardian/factors/{factor_name}/providers/{name}", factor, provider), body: body})
}
