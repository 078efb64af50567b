package management

import "time"

// Organization is an Auth0 organization (GET /organizations/{id}), also the
// body of Organizations.Create and Organizations.Update.
type Organization struct {
	ID          string                `json:"id,omitempty"`
	Name        string                `json:"name,omitempty"`
	DisplayName string                `json:"display_name,omitempty"`
	Branding    *OrganizationBranding `json:"branding,omitempty"`
	Metadata    Object                `json:"metadata,omitzero"`
	// EnabledConnections may be given on create.
	EnabledConnections []*EnabledConnection `json:"enabled_connections,omitzero"`
	Extra              Object               `json:"-"`
	empty              emptyMembers
}

func (o *Organization) UnmarshalJSON(b []byte) error {
	type plain Organization
	return unmarshalModel(b, (*plain)(o), &o.Extra, &o.empty)
}

func (o Organization) MarshalJSON() ([]byte, error) {
	type plain Organization
	return marshalModel((*plain)(&o), o.Extra, o.empty)
}

// OrganizationBranding is an organization's logo and colors.
type OrganizationBranding struct {
	LogoURL string `json:"logo_url,omitempty"`
	// Colors holds "primary" and "page_background" (hex colors).
	Colors Object `json:"colors,omitzero"`
	Extra  Object `json:"-"`
	empty  emptyMembers
}

func (o *OrganizationBranding) UnmarshalJSON(b []byte) error {
	type plain OrganizationBranding
	return unmarshalModel(b, (*plain)(o), &o.Extra, &o.empty)
}

func (o OrganizationBranding) MarshalJSON() ([]byte, error) {
	type plain OrganizationBranding
	return marshalModel((*plain)(&o), o.Extra, o.empty)
}

// Member is a member of an organization (GET /organizations/{id}/members).
type Member struct {
	UserID  string `json:"user_id,omitempty"`
	Email   string `json:"email,omitempty"`
	Name    string `json:"name,omitempty"`
	Picture string `json:"picture,omitempty"`
	// Roles is filled when the list is asked with fields=roles.
	Roles []*Role `json:"roles,omitzero"`
	Extra Object  `json:"-"`
	empty emptyMembers
}

func (m *Member) UnmarshalJSON(b []byte) error {
	type plain Member
	return unmarshalModel(b, (*plain)(m), &m.Extra, &m.empty)
}

func (m Member) MarshalJSON() ([]byte, error) {
	type plain Member
	return marshalModel((*plain)(&m), m.Extra, m.empty)
}

// Invitation is an invitation to join an organization, also the body of
// Organizations.CreateInvitation (Inviter.Name, Invitee.Email and ClientID
// are required there).
type Invitation struct {
	ID             string             `json:"id,omitempty"`
	OrganizationID string             `json:"organization_id,omitempty"`
	Inviter        *InvitationInviter `json:"inviter,omitempty"`
	Invitee        *InvitationInvitee `json:"invitee,omitempty"`
	InvitationURL  string             `json:"invitation_url,omitempty"`
	ClientID       string             `json:"client_id,omitempty"`
	ConnectionID   string             `json:"connection_id,omitempty"`
	AppMetadata    Object             `json:"app_metadata,omitzero"`
	UserMetadata   Object             `json:"user_metadata,omitzero"`
	// Roles lists role IDs given to the user on acceptance.
	Roles               []string   `json:"roles,omitzero"`
	TicketID            string     `json:"ticket_id,omitempty"`
	TTLSec              *int       `json:"ttl_sec,omitempty"`
	SendInvitationEmail *bool      `json:"send_invitation_email,omitempty"`
	CreatedAt           *time.Time `json:"created_at,omitempty"`
	ExpiresAt           *time.Time `json:"expires_at,omitempty"`
	Extra               Object     `json:"-"`
	empty               emptyMembers
}

func (i *Invitation) UnmarshalJSON(b []byte) error {
	type plain Invitation
	return unmarshalModel(b, (*plain)(i), &i.Extra, &i.empty)
}

func (i Invitation) MarshalJSON() ([]byte, error) {
	type plain Invitation
	return marshalModel((*plain)(&i), i.Extra, i.empty)
}

// InvitationInviter is who sent an invitation.
type InvitationInviter struct {
	Name  string `json:"name,omitempty"`
	Extra Object `json:"-"`
	empty emptyMembers
}

func (i *InvitationInviter) UnmarshalJSON(b []byte) error {
	type plain InvitationInviter
	return unmarshalModel(b, (*plain)(i), &i.Extra, &i.empty)
}

func (i InvitationInviter) MarshalJSON() ([]byte, error) {
	type plain InvitationInviter
	return marshalModel((*plain)(&i), i.Extra, i.empty)
}

// InvitationInvitee is who an invitation is for.
type InvitationInvitee struct {
	Email string `json:"email,omitempty"`
	Extra Object `json:"-"`
	empty emptyMembers
}

func (i *InvitationInvitee) UnmarshalJSON(b []byte) error {
	type plain InvitationInvitee
	return unmarshalModel(b, (*plain)(i), &i.Extra, &i.empty)
}

func (i InvitationInvitee) MarshalJSON() ([]byte, error) {
	type plain InvitationInvitee
	return marshalModel((*plain)(&i), i.Extra, i.empty)
}

// EnabledConnection is a connection enabled for an organization, also the
// body of Organizations.AddConnection (ConnectionID required) and
// Organizations.UpdateConnection.
type EnabledConnection struct {
	ConnectionID            string `json:"connection_id,omitempty"`
	AssignMembershipOnLogin *bool  `json:"assign_membership_on_login,omitempty"`
	ShowAsButton            *bool  `json:"show_as_button,omitempty"`
	IsSignupEnabled         *bool  `json:"is_signup_enabled,omitempty"`
	// Connection holds the connection's name and strategy (read only).
	Connection Object `json:"connection,omitzero"`
	Extra      Object `json:"-"`
	empty      emptyMembers
}

func (e *EnabledConnection) UnmarshalJSON(b []byte) error {
	type plain EnabledConnection
	return unmarshalModel(b, (*plain)(e), &e.Extra, &e.empty)
}

func (e EnabledConnection) MarshalJSON() ([]byte, error) {
	type plain EnabledConnection
	return marshalModel((*plain)(&e), e.Extra, e.empty)
}
