package management

import (
	"context"
	"net/http"
)

// Ticket is the body of Tickets.CreateEmailVerification and
// Tickets.CreatePasswordChange; the answer carries the ticket URL in
// Ticket.
type Ticket struct {
	UserID         string    `json:"user_id,omitempty"`
	ResultURL      string    `json:"result_url,omitempty"`
	ClientID       string    `json:"client_id,omitempty"`
	OrganizationID string    `json:"organization_id,omitempty"`
	ConnectionID   string    `json:"connection_id,omitempty"` // password change by email
	Email          string    `json:"email,omitempty"`         // password change by email
	Identity       *Identity `json:"identity,omitempty"`
	TTLSec         *int      `json:"ttl_sec,omitempty"`
	// IncludeEmailInRedirect adds the email to the result URL's query.
	IncludeEmailInRedirect *bool `json:"includeEmailInRedirect,omitempty"`
	MarkEmailAsVerified    *bool `json:"mark_email_as_verified,omitempty"`
	// Ticket is the URL to send the user to (answer only). It is a
	// credential: do not log it.
	Ticket string `json:"ticket,omitempty"`
	Extra  Object `json:"-"`
	empty  emptyMembers
}

func (t *Ticket) UnmarshalJSON(b []byte) error {
	type plain Ticket
	return unmarshalModel(b, (*plain)(t), &t.Extra, &t.empty)
}

func (t Ticket) MarshalJSON() ([]byte, error) {
	type plain Ticket
	return marshalModel((*plain)(&t), t.Extra, t.empty)
}

// TicketManager calls the /tickets endpoints (Python Tickets class). Both
// carry the Auth0-Custom-Domain header when one is configured.
type TicketManager struct{ m *Management }

// CreateEmailVerification creates an email verification ticket
// (POST /tickets/email-verification; Python
// Tickets.create_email_verification).
func (r *TicketManager) CreateEmailVerification(ctx context.Context, t *Ticket) (*Ticket, error) {
	return call[Ticket](ctx, r.m, request{method: http.MethodPost, path: route("/tickets/email-verification"), body: t})
}

// CreatePasswordChange creates a password change ticket
// (POST /tickets/password-change; Python Tickets.create_pswd_change).
func (r *TicketManager) CreatePasswordChange(ctx context.Context, t *Ticket) (*Ticket, error) {
	return call[Ticket](ctx, r.m, request{method: http.MethodPost, path: route("/tickets/password-change"), body: t})
}
