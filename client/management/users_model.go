package management

import "time"

// User is an Auth0 user (GET /users/{id}), also the body of Users.Create and
// Users.Update. Fields the API may omit are pointers or omitted when empty;
// members without a field are kept in Extra.
type User struct {
	ID            string      `json:"user_id,omitempty"`
	Connection    string      `json:"connection,omitempty"` // create and update only
	ClientID      string      `json:"client_id,omitempty"`  // create and update only
	Email         string      `json:"email,omitempty"`
	EmailVerified *bool       `json:"email_verified,omitempty"`
	VerifyEmail   *bool       `json:"verify_email,omitempty"` // create and update only
	Username      string      `json:"username,omitempty"`
	PhoneNumber   string      `json:"phone_number,omitempty"`
	PhoneVerified *bool       `json:"phone_verified,omitempty"`
	Password      string      `json:"password,omitempty"` // create and update only
	Name          string      `json:"name,omitempty"`
	GivenName     string      `json:"given_name,omitempty"`
	FamilyName    string      `json:"family_name,omitempty"`
	Nickname      string      `json:"nickname,omitempty"`
	Picture       string      `json:"picture,omitempty"`
	Blocked       *bool       `json:"blocked,omitempty"`
	CreatedAt     *time.Time  `json:"created_at,omitempty"`
	UpdatedAt     *time.Time  `json:"updated_at,omitempty"`
	LastLogin     *time.Time  `json:"last_login,omitempty"`
	LastIP        string      `json:"last_ip,omitempty"`
	LoginsCount   *int        `json:"logins_count,omitempty"`
	Multifactor   []string    `json:"multifactor,omitzero"`
	Identities    []*Identity `json:"identities,omitzero"`
	AppMetadata   Object      `json:"app_metadata,omitzero"`
	UserMetadata  Object      `json:"user_metadata,omitzero"`
	// Roles is filled by organization member lists asked with
	// fields=roles.
	Roles []*Role `json:"roles,omitzero"`
	Extra Object  `json:"-"`
	empty emptyMembers
}

func (u *User) UnmarshalJSON(b []byte) error {
	type plain User
	return unmarshalModel(b, (*plain)(u), &u.Extra, &u.empty)
}

func (u User) MarshalJSON() ([]byte, error) {
	type plain User
	return marshalModel((*plain)(&u), u.Extra, u.empty)
}

// Identity is one of a user's identities (a linked account).
type Identity struct {
	Connection string `json:"connection,omitempty"`
	// UserID is the identity's ID at its provider: a string for most, a
	// number for some (GitHub).
	UserID       StringOrNumber `json:"user_id,omitzero"`
	Provider     string         `json:"provider,omitempty"`
	IsSocial     *bool          `json:"isSocial,omitempty"`
	AccessToken  string         `json:"access_token,omitempty"`
	RefreshToken string         `json:"refresh_token,omitempty"`
	ExpiresIn    *int           `json:"expires_in,omitempty"`
	ProfileData  Object         `json:"profileData,omitzero"`
	Extra        Object         `json:"-"`
	empty        emptyMembers
}

func (i *Identity) UnmarshalJSON(b []byte) error {
	type plain Identity
	return unmarshalModel(b, (*plain)(i), &i.Extra, &i.empty)
}

func (i Identity) MarshalJSON() ([]byte, error) {
	type plain Identity
	return marshalModel((*plain)(&i), i.Extra, i.empty)
}

// Permission is a permission of an API (resource server), as assigned to a
// user or a role.
type Permission struct {
	ResourceServerIdentifier string `json:"resource_server_identifier,omitempty"`
	PermissionName           string `json:"permission_name,omitempty"`
	ResourceServerName       string `json:"resource_server_name,omitempty"`
	Description              string `json:"description,omitempty"`
	// Sources tells, in a user's permission list, whether the permission
	// is direct or comes from a role.
	Sources []Object `json:"sources,omitzero"`
	Extra   Object   `json:"-"`
	empty   emptyMembers
}

func (p *Permission) UnmarshalJSON(b []byte) error {
	type plain Permission
	return unmarshalModel(b, (*plain)(p), &p.Extra, &p.empty)
}

func (p Permission) MarshalJSON() ([]byte, error) {
	type plain Permission
	return marshalModel((*plain)(&p), p.Extra, p.empty)
}

// AuthenticationMethod is one of a user's authentication methods (MFA
// factors, passkeys, ...), also the body that creates or updates one.
type AuthenticationMethod struct {
	ID                            string     `json:"id,omitempty"`
	Type                          string     `json:"type,omitempty"` // phone, email, totp, webauthn-roaming, passkey, ...
	Name                          string     `json:"name,omitempty"`
	Email                         string     `json:"email,omitempty"`
	PhoneNumber                   string     `json:"phone_number,omitempty"`
	TOTPSecret                    string     `json:"totp_secret,omitempty"` // create only
	PreferredAuthenticationMethod string     `json:"preferred_authentication_method,omitempty"`
	Confirmed                     *bool      `json:"confirmed,omitempty"`
	KeyID                         string     `json:"key_id,omitempty"`
	PublicKey                     string     `json:"public_key,omitempty"`
	RelyingPartyIdentifier        string     `json:"relying_party_identifier,omitempty"`
	CreatedAt                     *time.Time `json:"created_at,omitempty"`
	LastAuthAt                    *time.Time `json:"last_auth_at,omitempty"`
	// AuthenticationMethods lists the methods a factor offers (sms and
	// voice for a phone).
	AuthenticationMethods []Object `json:"authentication_methods,omitzero"`
	Extra                 Object   `json:"-"`
	empty                 emptyMembers
}

func (a *AuthenticationMethod) UnmarshalJSON(b []byte) error {
	type plain AuthenticationMethod
	return unmarshalModel(b, (*plain)(a), &a.Extra, &a.empty)
}

func (a AuthenticationMethod) MarshalJSON() ([]byte, error) {
	type plain AuthenticationMethod
	return marshalModel((*plain)(&a), a.Extra, a.empty)
}

// LinkRequest is the body of Users.Link: the secondary account to link
// into the primary one, by provider and user ID or by its ID token.
type LinkRequest struct {
	Provider     string `json:"provider,omitempty"`
	UserID       string `json:"user_id,omitempty"`
	ConnectionID string `json:"connection_id,omitempty"`
	// LinkWith is the secondary account's ID token (instead of the above).
	LinkWith string `json:"link_with,omitempty"`
	Extra    Object `json:"-"`
	empty    emptyMembers
}

func (l *LinkRequest) UnmarshalJSON(b []byte) error {
	type plain LinkRequest
	return unmarshalModel(b, (*plain)(l), &l.Extra, &l.empty)
}

func (l LinkRequest) MarshalJSON() ([]byte, error) {
	type plain LinkRequest
	return marshalModel((*plain)(&l), l.Extra, l.empty)
}
